"""The facade of the core: every shell (CLI, desktop, server) talks to an Engine."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from types import TracebackType

from core.engine_answers import AnswerOperations
from core.errors import ModelMissing, NotFound, PermissionDenied
from core.i18n import tr
from core.identity import Session, User
from core.ingest.chunking import Chunker
from core.ingest.parsers import Parser
from core.ingest.pipeline import IngestRun
from core.llm.catalog import ModelChoice, resolve_model
from core.llm.generator import Generator, gpu_offload_supported
from core.memory.chats import Chats
from core.search.embedder import Embedder, create_embedder
from core.search.reranker import Reranker, find_reranker
from core.search.retriever import Retriever
from core.security import audit
from core.security.access import AccessControl, Permission, allows, require
from core.security.accounts import Accounts, LoginPolicy
from core.security.keychain import backend_name as keychain_backend
from core.security.passwords import Passwords
from core.security.process import disable_core_dumps
from core.security.rotation import rotation_matrix
from core.security.sessions import SessionTable
from core.security.unlock import open_database, password_cost
from core.settings import Settings, free_cores, settings_changes
from core.store.blobs import BlobStore
from core.store.library import Library
from core.store.reconcile import ReconcileReport, reconcile
from core.store.renewal import renew_data_secret
from core.store.vectors import VectorStore
from core.types import (
    Document,
    EngineStatus,
    IngestProgress,
    KnowledgeBase,
)

log = logging.getLogger(__name__)


class Engine(AnswerOperations):
    """Documents in, cited streaming answers out, for logged-in users. Thread-safe.

    Every operation on data takes the acting `Session` (from `login` or `setup`); the
    engine checks roles and knowledge-base access itself, never trusting a shell.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        passphrase: str | None = None,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Unlock (creating on first run) the encrypted store in `settings.data_dir`.

        `clock` is the wall clock login lockouts are measured with (tests pass their own).
        Core dumps are turned off first: the process is about to hold the key.

        Raises:
            KeychainUnavailable, PassphraseRequired, KeyBackendChanged: the key cannot be
                found where it is kept (the message says what to do).
            WrongKey, KeyMissing, DatabaseNewer, DatabaseCorrupt: the store cannot be
                opened; nothing on disk was changed.
        """
        disable_core_dumps()
        self.settings = settings or Settings.load()
        self.settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self._init_upkeep()  # holds the folder: a restore waits until the engine closes
        try:
            self._keystore, self._key, self._db, code = open_database(self.settings, passphrase)
        except BaseException:
            self._release_folder()
            raise
        self._library = Library(self._db)
        if code:  # first run: kept (encrypted) until setup shows it once
            self._library.set_setting("recovery_code_unshown", code)
        self._access = AccessControl(self._db)
        policy = LoginPolicy(self.settings.login_failures, self.settings.lockout_seconds)
        cost = password_cost(self._db, self.settings.password_hash_ms)
        self._accounts = Accounts(self._db, Passwords(cost), policy, clock)
        self._sessions = SessionTable(self.settings.idle_lock_minutes * 60)
        self._setup_lock = threading.Lock()
        self._secret = self._library.data_secret()
        self._blobs = BlobStore(self.settings.data_dir / "blobs", self._secret)
        self._chats = Chats(self._db)
        self._embedder = embedder
        self._generator = generator
        self._model: ModelChoice | None = None
        self._vectors: VectorStore | None = None
        self._retriever: Retriever | None = None
        self._index_lock = threading.Lock()
        self._model_lock = threading.Lock()
        self._ingest_lock = threading.Lock()
        self._parser = Parser()
        self.last_reconcile = ReconcileReport()
        self._init_memory()
        self._init_watches()

    @staticmethod
    def data_exists(settings: Settings) -> bool:
        """Whether `settings.data_dir` holds a Konspekt database (False before first run)."""
        return settings.db_path.exists()

    @staticmethod
    def keychain() -> str | None:
        """The OS keychain the key would go to, or None where there is none (headless)."""
        return keychain_backend()

    @staticmethod
    def gpu_available() -> bool:
        """Whether the llama.cpp build can offload the model to a GPU."""
        return gpu_offload_supported()

    # Lifecycle -----------------------------------------------------------------------
    def close(self) -> None:
        """Stop background jobs, release the database and models."""
        self.stop_background()
        self._db.close()
        self._release_folder()

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _index(self) -> tuple[Embedder, VectorStore, Retriever]:
        """Load the embedder and vector table on first use, reconciling them with the DB."""
        with self._index_lock:
            if self._retriever is None:
                if self._embedder is None:
                    threads = self.settings.embed_threads or free_cores()
                    self._embedder = create_embedder(
                        self.settings.embedder, self.settings.data_dir / "cache", threads
                    )
                dim = self._embedder.dim
                self._vectors = VectorStore(
                    self.settings.vectors_dir,
                    self._embedder.name,
                    dim,
                    rotation_matrix(self._secret, dim),
                    self._library.vector_generation(),
                )
                self.last_reconcile = reconcile(
                    self._library, self._vectors, self._blobs, self._embedder.name
                )
                self._retriever = Retriever(
                    self._library,
                    self._vectors,
                    self._embedder,
                    self.settings.fusion,
                    self._load_reranker(),
                )
            assert self._embedder is not None
            assert self._vectors is not None
            return self._embedder, self._vectors, self._retriever

    def rotate_key(self, session: Session) -> str:
        """Re-encrypt the database under a new key, and the data under a new secret.

        Returns the new recovery code; the old one stops working. Besides the database
        key, the secret behind the originals' key and the vector rotation is renewed
        (`core.store.renewal`), so a copy of the data taken before cannot read what
        comes after. Waits for a running ingest; each step is crash-safe.
        """
        code = super().rotate_key(session)
        actor = self._admin(session, Permission.MANAGE_KEYS)
        with self._ingest_lock, self._index_lock:
            renewal = renew_data_secret(
                self._library, self._blobs, self.settings.vectors_dir, self._secret
            )
            self._secret, self._blobs = renewal.secret, renewal.blobs
            self._vectors = self._retriever = None  # reopened under the new generation
        with self._db.write() as con:
            audit.record(
                con,
                actor,
                "data_secret_renewed",
                originals=renewal.originals,
                vectors=renewal.vectors,
                unreadable=renewal.unreadable,
            )
        return code

    def _load_reranker(self) -> Reranker | None:
        """The cross-encoder provisioned under models/reranker, if any (else skipped)."""
        if not self.settings.rerank:
            return None
        folder = find_reranker(self.settings.models_dirs)
        if folder is None:
            return None
        log.info("reranking with the cross-encoder in %s", folder)
        return Reranker(folder, self.settings.embed_threads or free_cores())

    def load_model(self) -> Generator:
        """Load the language model now (it is loaded on first `ask` otherwise)."""
        with self._model_lock:
            if self._generator is None:
                choice = self._model = self.model_choice()
                if choice.is_demo:
                    log.info(
                        "%s",
                        tr(
                            "demo_model",
                            "en",
                            name=choice.name,
                            models_dir=self.settings.models_dirs[0],
                        ),
                    )
                threads = self.settings.n_threads or free_cores()
                self._generator = Generator(
                    choice.path, self.settings.n_ctx, threads, self.settings.n_gpu_layers
                )
            return self._generator

    def warm_up(self) -> None:
        """Load the embedder and the document parsers now (seconds), not on the first ingest.

        Shells call it on a worker thread after login, beside `load_model`.
        """
        self._index()
        self._parser.warm_up()

    def apply_settings(self, session: Session, settings: Settings) -> None:
        """Save `settings` to konspekt.toml and use them from the next answer on (admins).

        Every field is installation-wide (the model, its context, answers and search for
        everyone), so changing any needs MANAGE_SETTINGS and is audited with old and new
        values; a call that changes nothing is allowed to anyone (the desktop's Settings
        dialog also saves personal preferences, which never pass through here). A changed
        model setting reloads the model. The data folder, key store and embedder are fixed
        for the engine's life (changing them needs a restart).
        """
        actor = self._actor(session)
        fixed = ("data_dir", "embedder", "key_store", "key_path", "chunk_tokens")
        settings = replace(settings, **{name: getattr(self.settings, name) for name in fixed})
        changed = settings_changes(self.settings, settings)
        if not changed:
            return
        require(actor, Permission.MANAGE_SETTINGS)
        reload = bool({"model_path", "n_ctx", "n_threads", "n_gpu_layers"} & changed.keys())
        with self._model_lock, self._db.write() as con:
            audit.record(con, actor, "settings_changed", ",".join(sorted(changed)), **changed)
            settings.save()  # a failed save rolls the audit entry back
            self.settings = settings
            if reload and self._model is not None:
                self._generator = None
                self._model = None

    def model_choice(self) -> ModelChoice:
        """The model `ask` uses (or will load), and whether it is the demo fallback."""
        if self._generator is not None:
            return self._model or ModelChoice(self._generator.path, is_demo=False)
        return resolve_model(self.settings)

    # Documents -------------------------------------------------------------------------
    def _writable_kb(self, user: User, kb: str | None) -> KnowledgeBase:
        if kb is None:
            return self._access.personal(user)
        try:
            return self._access.for_write(user, kb)
        except NotFound:
            return self._access.create(user, kb)  # editors may ingest into a new KB

    def delete_knowledge_base(self, session: Session, name: str) -> None:
        """Delete a knowledge base with its documents (its owner, or an admin)."""
        user = self._actor(session)
        try:
            kb = self._access.for_manage(user, name)
        except PermissionDenied:
            if not allows(user, Permission.DELETE_ANY_KB):
                raise
            kb = self._access.any_named(name)  # admins offboard; they still cannot read it
        with self._ingest_lock:
            removed = self._library.delete_kb(kb.id, user, kb.name)
            if removed:
                _, vectors, _ = self._index()
                vectors.delete(removed)
                vectors.compact()
            self._blobs.prune(self._library.blob_ids())

    def documents(self, session: Session, kb: str | None = None) -> list[Document]:
        """Documents of a knowledge base (the user's own uploads when None), with status."""
        user = self._actor(session)
        target = self._access.personal(user) if kb is None else self._access.for_read(user, kb)
        return self._library.documents(target.id)

    def delete_document(self, session: Session, document_id: int) -> None:
        """Remove a document, its chunks, vectors and stored original."""
        user = self._actor(session)
        kb_id, _, name, _ = self._library.document_file(document_id)
        self._access.by_id_for(user, kb_id, write=True)
        with self._ingest_lock:
            removed = self._library.remove_documents([document_id])
            _, vectors, _ = self._index()
            vectors.delete(removed)
            vectors.compact()
            self._blobs.prune(self._library.blob_ids())
            with self._db.write() as con:
                audit.record(con, user, "document_deleted", name, kb_id=kb_id)

    def ingest(
        self,
        session: Session,
        paths: list[Path] | list[str],
        kb: str | None = None,
        cancel: threading.Event | None = None,
    ) -> Iterator[IngestProgress]:
        """Index files, folders and zips into `kb` (the user's own uploads when None).

        Yields progress, ending with FINISHED. Unchanged files are skipped, changed ones
        re-indexed, files gone from a folder or zip that was given are removed. Each bad
        file fails alone with a reason. A KB that does not exist yet is created for
        editors and admins.
        """
        user = self._actor(session)
        target = self._writable_kb(user, kb)
        yield from self._run_ingest(user, target, [Path(p) for p in paths], cancel)

    def _run_ingest(
        self,
        user: User,
        target: KnowledgeBase,
        paths: list[Path],
        cancel: threading.Event | None,
        *,
        audit_unchanged: bool = True,
    ) -> Iterator[IngestProgress]:
        """Ingest `paths` into `target` for `user` (checked by the caller), audited.

        Without `audit_unchanged`, a run that changed nothing leaves no audit entry (the
        periodic rescans of watched folders).
        """
        embedder, vectors, _ = self._index()
        chunker = Chunker(embedder.count_tokens, self.settings.chunk_tokens)
        run = IngestRun(
            self._library,
            vectors,
            embedder,
            self._parser,
            chunker,
            self.settings.max_file_mb * 2**20,
            self._blobs,
            self.settings.own_data,
        )
        with self._ingest_lock:
            for event in run.run(paths, target.id, cancel):
                r = event.report
                changed = r is not None and (r.indexed or r.removed or r.failed or r.cancelled)
                if r is not None and (changed or audit_unchanged):
                    with self._db.write() as con:
                        audit.record(
                            con,
                            user,
                            "ingest",
                            target.name,
                            indexed=r.indexed,
                            skipped=r.skipped,
                            failed=r.failed,
                            removed=r.removed,
                            cancelled=r.cancelled,
                        )
                yield event

    # Status ----------------------------------------------------------------------------
    def status(self, session: Session) -> EngineStatus:
        """Where the data lives, which models run, what the user can see."""
        kbs = tuple(self.knowledge_bases(session))
        docs = sum(k.documents for k in kbs)
        chunks = self._library.chunk_count([k.id for k in kbs])
        try:
            choice = self.model_choice()
            model, demo = str(choice.path), choice.is_demo
        except ModelMissing:
            model, demo = "", False
        return EngineStatus(
            str(self.settings.data_dir),
            model,
            demo,
            self.settings.embedder,
            kbs,
            docs,
            chunks,
            self._keystore.describe(),
        )

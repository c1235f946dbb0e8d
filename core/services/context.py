"""What the services share: the unlocked store, who is acting, the locks, the index, the model.

The composition root (`core.engine`) opens one Context and hands it to every service.
Everything in it is safe to use from several threads; the few fields that change over the
engine's life (settings, the key, the data secret and its blob store) change only under
the locks that guard them, and services read them through the context each time.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import OpeningStopped, PasswordChangeRequired, SessionEnded
from core.i18n import tr
from core.identity import Session, User, UserStatus
from core.ingest.document import FileParser
from core.ingest.isolated import IsolatedParser
from core.jobs.scheduler import Scheduler
from core.llm.admission import Admission
from core.llm.catalog import ModelChoice, resolve_model
from core.llm.generator import Generator
from core.llm.remote import RemoteGenerator
from core.llm.slot import CANCEL_CHECK_S, ModelSlot
from core.search.embedder import Embedder
from core.security.access import AccessControl, Permission, require
from core.security.accounts import Accounts, LoginPolicy
from core.security.keystore import KeyStore
from core.security.limits import RateLimiter, TokenQuotas
from core.security.passwords import Passwords
from core.security.sessions import SessionTable
from core.security.unlock import open_database, password_cost
from core.services.index import Index
from core.services.locks import KbLocks
from core.settings import Settings, free_cores
from core.store.blobs import BlobStore
from core.store.database import Database
from core.store.instance import FolderLock
from core.store.library import Library
from core.store.migrations import Progress
from core.store.replica import Replica
from core.types import UpgradeProgress

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Context:
    """The open installation, shared by the services of one engine."""

    settings: Settings
    db: Database
    keystore: KeyStore
    key: bytes
    """The database key (changes at key rotation; the audit chain is sealed with it)."""
    folder: FolderLock
    library: Library
    access: AccessControl
    accounts: Accounts
    sessions: SessionTable
    secret: bytes
    """The data secret behind the originals' key and the vector rotation."""
    blobs: BlobStore
    locks: KbLocks = field(default_factory=KbLocks)
    scheduler: Scheduler = field(default_factory=Scheduler)
    parser: FileParser = field(init=False)
    """Reads files in a child process (see core/ingest/isolated.py)."""
    index: Index = field(init=False)
    replica: Replica = field(init=False)
    """The sync tables: a server's change log, a desktop's servers and copies."""
    model: ModelSlot = field(init=False)
    rate_limiter: RateLimiter = field(init=False)
    quotas: TokenQuotas = field(init=False)
    loaded_model: ModelChoice | None = None
    """The model the slot loaded (None before the first answer, or a given generator)."""
    clock: Callable[[], float] = time.time
    """The wall clock: lockouts, invites, session logins, when upkeep is due."""

    # Who is acting ----------------------------------------------------------------
    def actor(self, session: Session, *, changing_password: bool = False) -> User:
        """The session's account as it is now; raises if the session cannot act.

        Every operation starts here: the role and status come from the database, never
        from the `Session` object a shell holds.
        """
        return self.holder(session.token, changing_password=changing_password)

    def holder(self, token: str, *, changing_password: bool = False) -> User:
        """The account behind a session token, as `actor` checks it."""
        user = self.accounts.get(self.sessions.touch(token))
        if user.status is not UserStatus.ACTIVE:
            self.sessions.close(token)
            raise SessionEnded("session_account_disabled")
        if user.must_change_password and not changing_password:
            raise PasswordChangeRequired("password_change_required")
        return user

    def admin(self, session: Session, permission: Permission = Permission.MANAGE_USERS) -> User:
        """The acting user, if their role has `permission` (else PermissionDenied)."""
        user = self.actor(session)
        require(user, permission)
        return user

    def load_model(self) -> Generator:
        """Load the configured model (what the model slot calls on first use)."""
        choice = self.loaded_model = resolve_model(self.settings)
        if choice.is_demo:
            log.info(
                "%s",
                tr("demo_model", "en", name=choice.name, models_dir=self.settings.models_dirs[0]),
            )
        if self.settings.answer_endpoints:  # servers run it; the GGUF gives the vocabulary
            return RemoteGenerator.configured(self.settings, choice.path)
        threads = self.settings.n_threads or free_cores()
        return Generator(choice.path, self.settings.n_ctx, threads, self.settings.n_gpu_layers)


def open_context(
    settings: Settings,
    passphrase: str | None,
    embedder: Embedder | None,
    generator: Generator | None,
    clock: Callable[[], float] = time.time,
    idle_clock: Callable[[], float] = time.monotonic,
    keep_sessions: bool = False,
    on_upgrade: Callable[[UpgradeProgress], None] | None = None,
    cancel: threading.Event | None = None,
) -> Context:
    """Unlock (creating on first run) the store in `settings.data_dir` and wire it up.

    The data folder is held (shared) from here until `close`: a restore waits for it.
    A store an older version wrote is upgraded first, reported to `on_upgrade`; `cancel`
    stops that upgrade at its next batch (OpeningStopped, nothing changed).
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    folder = FolderLock(settings.data_dir)
    folder.share()
    try:
        keystore, key, db, code = open_database(
            settings, passphrase, _upgrade_progress(settings, on_upgrade, cancel)
        )
    except BaseException:
        folder.release()
        raise
    library = Library(db)
    if code:  # first run: kept (encrypted) until setup shows it once
        library.set_setting("recovery_code_unshown", code)
    policy = LoginPolicy(settings.login_failures, settings.lockout_seconds)
    cost = password_cost(db, settings.password_hash_ms)
    secret = library.data_secret()
    ctx = Context(
        settings,
        db,
        keystore,
        key,
        folder,
        library,
        AccessControl(db),
        Accounts(db, Passwords(cost), policy, clock),
        SessionTable(
            settings.idle_lock_minutes * 60,
            idle_clock,
            persist=db if keep_sessions else None,
            wall=clock,
            max_age_seconds=settings.session_hours * 3600,
        ),
        secret,
        BlobStore(blob_folder(settings), secret),
        clock=clock,
    )
    ctx.parser = IsolatedParser(lambda: ctx.settings.parse_timeout_s)
    ctx.index = Index(ctx, embedder)
    ctx.replica = Replica(db)
    admission = Admission(
        settings.answer_capacity, lambda: ctx.settings.queue_limit, check_s=CANCEL_CHECK_S
    )
    ctx.model = ModelSlot(ctx.load_model, generator, admission)
    ctx.rate_limiter = RateLimiter(lambda: ctx.settings.rate_limit_per_minute, idle_clock)
    ctx.quotas = TokenQuotas(db, clock)
    return ctx


def blob_folder(settings: Settings) -> Path:
    """Where the encrypted originals are kept."""
    return settings.data_dir / "blobs"


def _upgrade_progress(
    settings: Settings,
    on_upgrade: Callable[[UpgradeProgress], None] | None,
    cancel: threading.Event | None,
) -> Progress:
    """What the migrations report to: stops on `cancel`, logs, tells `on_upgrade`."""

    def progress(step: str, done: int, total: int) -> None:
        if cancel is not None and cancel.is_set():
            log.info("upgrade of the store stopped at %s, %d of %d chunks", step, done, total)
            raise OpeningStopped("opening_stopped", path=str(settings.db_path))
        if done in (0, total):
            log.info("upgrading the store: %s, %d of %d chunks", step, done, total)
        if on_upgrade is not None:
            on_upgrade(UpgradeProgress(step, done, total))

    return progress

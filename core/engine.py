"""The facade of the core: every shell (CLI, desktop, server) talks to an Engine.

The Engine is the composition root. It opens the installation once (`Context`: the
unlocked store, sessions, locks, the lazily opened index and the model slot) and hands it
to one service per area, which shells call by name, as Anki's `Collection` exposes its
managers: `engine.documents.ingest(...)`, `engine.answers.ask(...)`. One object per area
is what a server's routers map onto, and each service's dependencies are its
constructor's arguments — nothing reaches across by convention.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Protocol

from core.llm.generator import Generator, gpu_offload_supported
from core.memory.chats import Chats
from core.search.embedder import Embedder
from core.security.keychain import backend_name as keychain_backend
from core.security.process import disable_core_dumps
from core.services import keys, upkeep
from core.services.accounts import AccountService
from core.services.analytics import AnalyticsService
from core.services.answers import AnswerService
from core.services.assistants import AssistantService
from core.services.audit import AuditService
from core.services.bundles import BundleService
from core.services.chats import ChatService
from core.services.context import Context, open_context
from core.services.documents import DocumentService
from core.services.exports import ExportService
from core.services.feedback import FeedbackService
from core.services.identity import IdentityService
from core.services.ingesting import Ingestor
from core.services.keys import KeyService
from core.services.knowledge_bases import KnowledgeBaseService
from core.services.memory import MemoryJobs, MemoryService
from core.services.mirrors import Mirrors
from core.services.models import ModelLibrary
from core.services.remotes import RemoteService
from core.services.sync import SyncService
from core.services.system import SystemService
from core.services.templates import TemplateService
from core.services.upkeep import UpkeepService
from core.services.watches import WatchService
from core.settings import Settings
from core.types import UpgradeProgress


class _Background(Protocol):
    """A service with work on the scheduler (or threads of its own)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


class Engine:
    """Documents in, cited streaming answers out, for logged-in users. Thread-safe.

    Every operation on data takes the acting `Session` (from `identity.login` or
    `identity.setup`); the services check roles and knowledge-base access themselves,
    never trusting a shell.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        passphrase: str | None = None,
        embedder: Embedder | None = None,
        generator: Generator | None = None,
        clock: Callable[[], float] = time.time,
        idle_clock: Callable[[], float] = time.monotonic,
        keep_sessions: bool = False,
        on_upgrade: Callable[[UpgradeProgress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        """Unlock (creating on first run) the encrypted store in `settings.data_dir`.

        `embedder` and `generator` are models already loaded (else loaded on first use).
        `clock` is the wall clock (lockouts, invites, logins, when upkeep is due) and
        `idle_clock` the monotonic one sessions' idle lock counts with; tests pass their
        own to let hours pass at once. `keep_sessions` keeps logins across restarts (a
        server's choice; a desktop logs in at every start). Core dumps are turned off
        first: the process is about to hold the key.

        A store that an older version wrote is upgraded before this returns, which can
        take minutes at a million chunks: `on_upgrade` hears how far it has come (on this
        thread), and setting `cancel` stops it at its next batch of chunks.

        Raises:
            KeychainUnavailable, PassphraseRequired, KeyBackendChanged: the key cannot be
                found where it is kept (the message says what to do).
            WrongKey, KeyMissing, DatabaseNewer, DatabaseCorrupt: the store cannot be
                opened; nothing on disk was changed.
            OpeningStopped: `cancel` was set during an upgrade, which was rolled back.
        """
        disable_core_dumps()
        settings = settings or Settings.load()
        self.context: Context = open_context(
            settings,
            passphrase,
            embedder,
            generator,
            clock,
            idle_clock,
            keep_sessions,
            on_upgrade,
            cancel,
        )
        """The shared wiring (for the core's own tools, tests and benchmarks, not shells)."""
        ctx = self.context
        chats = Chats(ctx.db)
        ingestor = Ingestor(ctx)
        jobs = MemoryJobs(ctx, chats)
        self.identity = IdentityService(ctx, before_logout=jobs.session_ended)
        self.accounts = AccountService(ctx)
        self.audit = AuditService(ctx)
        self.keys = KeyService(ctx)
        self.kbs = KnowledgeBaseService(ctx)
        self.assistants = AssistantService(ctx)
        self.templates = TemplateService(ctx)
        mirrors = Mirrors(ctx)
        self.remotes = RemoteService(ctx, mirrors)
        self.sync = SyncService(ctx, mirrors)
        self.documents = DocumentService(ctx, ingestor, self.remotes)
        self.chats = ChatService(ctx, chats, jobs)
        self.memory = MemoryService(ctx, jobs)
        self.answers = AnswerService(ctx, chats, jobs, mirrors)
        self.watches = WatchService(ctx, ingestor)
        self.upkeep = UpkeepService(ctx)
        self.system = SystemService(ctx, self.kbs)
        self.exports = ExportService(ctx, chats)
        self.bundles = BundleService(ctx)
        self.feedback = FeedbackService(ctx)
        self.analytics = AnalyticsService(ctx)
        self._background: tuple[_Background, ...] = (jobs, self.watches, self.upkeep, self.sync)
        """Everything that runs on its own once started, in starting order."""

    @property
    def settings(self) -> Settings:
        """The settings in use (changed by `system.apply_settings`)."""
        return self.context.settings

    @property
    def models(self) -> ModelLibrary:
        """The model files of this installation (no login needed: files, not data)."""
        return ModelLibrary(self.context.settings)

    # Installation facts (no engine needed) ------------------------------------------
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

    recover = staticmethod(keys.recover)
    """Open the data with a recovery code (no engine may be open); the new code."""
    restore = staticmethod(upkeep.restore)
    """Replace the data with a backup's (every Konspekt using the folder closed)."""

    # Lifecycle -------------------------------------------------------------------------
    def start_background(self) -> None:
        """Start the scheduler and everything on it: summaries, watched folders, upkeep."""
        self.context.scheduler.start()
        for part in self._background:
            part.start()

    def stop_background(self) -> None:
        """Stop background work, newest first; a summary being written is retried later."""
        for part in reversed(self._background):
            part.stop()
        self.context.scheduler.shutdown()

    def close(self) -> None:
        """Stop background jobs, release the database and the data folder."""
        self.stop_background()
        self.context.db.close()
        self.context.folder.release()

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

"""What every view needs: the engine, the worker pool, the language, the logged-in session."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from core import Engine, Session, SessionEnded, SessionLocked
from desktop.errors import show_error
from desktop.i18n import Language
from desktop.prefs import Prefs
from desktop.tasks import Tasks

log = logging.getLogger(__name__)


@dataclass
class Context:
    """Shared by the views of one running application (one user logged in at a time)."""

    engine: Engine
    tasks: Tasks
    language: Language
    prefs: Prefs
    session: Session | None = None
    on_locked: Callable[[], None] | None = None
    """Called when the core says the session is idle-locked (the app asks the password)."""
    on_ended: Callable[[], None] | None = None
    """Called when the core says the session ended (disabled, logged out elsewhere)."""

    def __post_init__(self) -> None:
        # Background work started without an error handler still ends in front of the user.
        self.tasks.error_display = self._show_task_error

    @property
    def lang(self) -> str:
        """The interface language code for core messages."""
        return self.language.code

    @property
    def user(self) -> Session:
        """The logged-in session (views exist only while someone is logged in)."""
        if self.session is None:
            raise RuntimeError("no user is logged in")
        return self.session

    def error(self, parent: QWidget | None, exc: BaseException) -> None:
        """Show `exc` to the user in the current language (a lock asks for the password)."""
        if isinstance(exc, SessionLocked) and self.on_locked is not None:
            self.on_locked()
            return
        show_error(parent, exc, self.lang)
        if isinstance(exc, SessionEnded) and self.on_ended is not None:
            self.on_ended()

    def _show_task_error(self, exc: BaseException) -> None:
        """The error of a background task that had no handler (over the active window).

        A locked or ended session is the session guard's to report: a late task of a
        session already closed must not lock or log out the one now open.
        """
        if isinstance(exc, SessionLocked | SessionEnded):
            log.info("a background task met a closed session: %s", type(exc).__name__)
            return
        self.error(None, exc)

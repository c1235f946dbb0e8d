"""When to lock: no keyboard, mouse or touch input for a while, or the desktop's screen locked.

The core also locks a session left unused, but every engine call counts as use there, so
a dialog that polls (the watched-folder list re-reads every few seconds) would keep it
open for ever. Here only a person's input counts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import SLOT, QCoreApplication, QEvent, QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
"""What a person does; paints, timers and replies from background work are not in it."""

_CHECK_MS = 5_000
KEEP_ALIVE_S = 60.0
"""At most this often, input tells the core that the session is in use (see `active`)."""

SCREEN_SAVERS = (
    ("/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"),
    ("/ScreenSaver", "org.freedesktop.ScreenSaver"),  # KDE Plasma
    ("/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"),
)
"""D-Bus objects whose `ActiveChanged(bool)` says the desktop locked its screen."""


class IdleLock(QObject):
    """Emits `idle` once `limit_s` passed without input anywhere in the application.

    `start` watches every event of the application; only `INPUT_EVENTS` reset the time.
    After `idle` it stays quiet until `reset` (the session was unlocked). A limit of 0
    never locks. `clock` and `check_ms` let tests run minutes in no time.
    """

    idle = Signal()
    active = Signal()
    """Input came; emitted at most every `KEEP_ALIVE_S`, so the core's own idle lock (which
    counts engine calls) does not lock a person typing a long question."""

    def __init__(
        self,
        limit_s: float,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        check_ms: int = _CHECK_MS,
    ) -> None:
        super().__init__(parent)
        self.limit_s, self._clock = limit_s, clock
        self.last_input = clock()
        self._last_active = float("-inf")
        self._armed = False
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        """Count from now and watch the application's input."""
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.reset()
        if self.limit_s > 0:
            self._timer.start()

    def stop(self) -> None:
        """Stop watching (nobody is logged in)."""
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()
        self._armed = False

    def reset(self) -> None:
        """Count from now again and emit `idle` when the time is up."""
        self.last_input = self._clock()
        self._armed = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.last_input = self._clock()
            if self._armed and self.last_input - self._last_active >= KEEP_ALIVE_S:
                self._last_active = self.last_input
                self.active.emit()
        return False

    @Slot()
    def check(self) -> None:
        """Emit `idle` if the limit passed since the last input (the timer calls this)."""
        if self._armed and self.limit_s > 0 and self._clock() - self.last_input >= self.limit_s:
            self._armed = False
            self.idle.emit()


class ScreenLockWatcher(QObject):
    """Emits `screen_locked` when the desktop locks its screen (Linux, over D-Bus).

    Windows' session notifications (WTSRegisterSessionNotification) and macOS's
    `com.apple.screenIsLocked` are not watched: there the idle timer alone locks.
    """

    screen_locked = Signal()

    def watch(self, bus: object | None = None) -> bool:
        """Listen on `bus` (the session bus by default); False where there is none."""
        try:
            from PySide6.QtDBus import QDBusConnection
        except ImportError:
            log.info("no QtDBus: the screen lock is not followed")
            return False
        connection = bus if isinstance(bus, QDBusConnection) else QDBusConnection.sessionBus()
        if not connection.isConnected():
            return False
        heard = False
        slot = SLOT("_on_active_changed(bool)")
        for path, interface in SCREEN_SAVERS:
            # PySide6 6.11 types the slot as bytes but accepts only str at run time.
            heard |= connection.connect(  # type: ignore[call-overload]
                "", path, interface, "ActiveChanged", self, slot
            )
        return heard

    @Slot(bool)
    def _on_active_changed(self, active: bool) -> None:
        if active:
            self.screen_locked.emit()

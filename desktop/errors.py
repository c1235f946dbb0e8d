"""The one place the desktop turns an exception into something a person reads."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from core import KnownError

log = logging.getLogger(__name__)


def error_text(exc: BaseException, lang: str) -> str:
    """A plain sentence for `exc` in `lang`; unexpected errors get a generic one."""
    if isinstance(exc, KnownError):
        return exc.user_message(lang)
    if isinstance(exc, OSError):
        name = exc.filename or ""
        return QCoreApplication.translate(
            "errors", "The file {name} could not be read or written: {reason}"
        ).format(name=name, reason=exc.strerror or type(exc).__name__)
    log.error("unexpected error: %s", type(exc).__name__, exc_info=exc)
    return QCoreApplication.translate(
        "errors", "Something went wrong ({kind}). Nothing was lost; please try again."
    ).format(kind=type(exc).__name__)


def _owner(parent: QWidget | None) -> QWidget | None:
    """The window a box belongs to: `parent`, else the active or any visible window."""
    if parent is not None:
        return parent
    kinds = (Qt.WindowType.Window, Qt.WindowType.Dialog)  # not a menu or a tooltip
    visible = [
        w for w in QApplication.topLevelWidgets() if w.isVisible() and w.windowType() in kinds
    ]
    return QApplication.activeWindow() or (visible[0] if visible else None)


def show_error(parent: QWidget | None, exc: BaseException, lang: str) -> None:
    """Tell the user what went wrong in a modal box (never a traceback).

    Without a window to hang it on the box runs its own loop: a parentless box that is
    only `open()`ed would be collected, and the error lost, as soon as this returns.
    """
    owner = _owner(parent)
    box = QMessageBox(owner)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("errors", "Konspekt"))
    box.setTextFormat(Qt.TextFormat.PlainText)  # a reason may quote a file or user name
    box.setText(error_text(exc, lang))
    box.setObjectName("errorBox")
    if owner is None:
        box.exec()
        return
    box.open()

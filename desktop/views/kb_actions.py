"""The Library's knowledge-base buttons: new, rename, share, assistant, watch folders, delete.

The library view owns the lists; these actions only ask, call the engine and say what
changed through signals, so the view decides what to re-read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QWidget

from core import KnowledgeBase
from desktop.context import Context
from desktop.safe_text import ask
from desktop.views.assistant import AssistantDialog
from desktop.views.share import ShareDialog
from desktop.views.watches import WatchDialog


class KnowledgeBaseActions(QObject):
    """Acts on `current()`, the knowledge base selected in the library.

    Emits `edited(name)` after the engine stored a change (select `name`; '' keeps the
    selection), `reread(name)` when the sharing or watch dialog closed, and
    `documents_changed()` when a watched folder's scan changed the documents.
    """

    edited = Signal(str)
    reread = Signal(str)
    documents_changed = Signal()

    def __init__(
        self, ctx: Context, current: Callable[[], KnowledgeBase | None], view: QWidget
    ) -> None:
        super().__init__(view)
        self.ctx, self.current, self.view = ctx, current, view

    @Slot()
    def create(self) -> None:
        """Create a knowledge base."""
        name, ok = QInputDialog.getText(self.view, self.tr("New knowledge base"), self.tr("Name"))
        if ok and name.strip():
            engine, session = self.ctx.engine, self.ctx.user
            self._run(
                lambda: engine.kbs.create(session, name.strip()),
                lambda kb: kb.name,
            )

    @Slot()
    def rename(self) -> None:
        """Rename the selected knowledge base."""
        kb = self.current()
        if kb is None:
            return
        name, ok = QInputDialog.getText(
            self.view, self.tr("Rename knowledge base"), self.tr("Name"), text=kb.name
        )
        if ok and name.strip() and name.strip() != kb.name:
            engine, session = self.ctx.engine, self.ctx.user
            self._run(
                lambda: engine.kbs.rename(session, kb.name, name.strip()),
                lambda new: new.name,
            )

    @Slot()
    def share(self) -> None:
        """Open the sharing dialog for the selected knowledge base."""
        kb = self.current()
        if kb is not None:
            dialog = ShareDialog(self.ctx, kb, self.view)
            dialog.finished.connect(lambda _r: self.reread.emit(kb.name))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

    @Slot()
    def assistant(self) -> None:
        """Open the selected knowledge base's assistant (read-only for its readers)."""
        kb = self.current()
        if kb is not None:
            dialog = AssistantDialog(self.ctx, kb, self.view)
            dialog.saved.connect(lambda _a: self.edited.emit(kb.name))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

    @Slot()
    def watch(self) -> None:
        """Open the watched folders of the selected knowledge base."""
        kb = self.current()
        if kb is not None:
            dialog = WatchDialog(self.ctx, kb, self.view)
            dialog.changed.connect(self.documents_changed)
            dialog.finished.connect(lambda _r: self.reread.emit(kb.name))
            dialog.finished.connect(dialog.deleteLater)
            dialog.open()

    @Slot()
    def delete(self) -> None:
        """Delete the selected knowledge base after confirmation."""
        kb = self.current()
        if kb is None:
            return
        asked = ask(
            self.view,
            self.tr("Delete knowledge base"),
            self.tr(
                "Delete “{name}” and its {count} documents for everyone? This cannot be undone."
            ).format(name=kb.name, count=kb.documents),
        )
        if asked:
            engine, session = self.ctx.engine, self.ctx.user
            self._run(lambda: engine.kbs.delete(session, kb.name), lambda _r: "")

    def _run(self, work: Callable[[], Any], select: Callable[[Any], str]) -> None:
        """Run `work`; then `edited` with the name `select(result)` picks to show."""
        self.ctx.tasks.run(
            work,
            lambda result: self.edited.emit(select(result)),
            lambda exc: self.ctx.error(self.view, exc),
        )

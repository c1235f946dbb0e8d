"""The library's team-server strip: a server's KB (keep a copy, sync) or publishing one."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core import KnowledgeBase
from desktop.context import Context
from desktop.kb_marks import kb_server_note
from desktop.safe_text import ask, plain
from desktop.views.publish import Publisher


class RemoteKbBar(QWidget):
    """Shown for a server's knowledge base, or a local one that can be published.

    Publishing is offered to editors and admins who joined a server. Emits
    `changed(name)` after keeping a copy was switched on or off, or a knowledge base
    was published (the lists reload), and `sync_requested(name)` to sync that copy now
    ('' for every copy).
    """

    changed = Signal(str)
    sync_requested = Signal(str)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kb: KnowledgeBase | None = None
        self.setObjectName("remoteKbBar")
        self.note = plain(QLabel(self))
        self.note.setObjectName("remoteKbNote")
        self.note.setWordWrap(True)
        self.keep = QCheckBox(self.tr("Keep a copy on this computer (for offline use)"), self)
        self.keep.setObjectName("keepCopy")
        self.keep.setToolTip(
            self.tr("The copy is encrypted like your own documents and synced in the background")
        )
        self.keep.toggled.connect(self._on_keep_toggled)
        self.sync_button = QPushButton(self.tr("Sync now"), self)
        self.sync_button.setObjectName("syncNow")
        self.sync_button.clicked.connect(lambda: self.sync_requested.emit(""))
        self.publisher = Publisher(ctx, self)
        self.publisher.servers_known.connect(lambda _known: self.show_kb(self.kb))
        self.publisher.published.connect(self.changed)
        self.publish_button = QPushButton(self.tr("Publish to the team server…"), self)
        self.publish_button.setObjectName("publishKb")
        self.publish_button.clicked.connect(self._on_publish)
        row = QHBoxLayout()
        row.addWidget(self.keep, 1)
        row.addWidget(self.sync_button)
        row.addWidget(self.publish_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addLayout(row)
        self.show_kb(None)

    def show_kb(self, kb: KnowledgeBase | None) -> None:
        """Follow the library's selection (hidden for this computer's own KBs)."""
        self.kb = kb
        remote = kb.remote if kb is not None else None
        publishable = self.publisher.may_publish(kb)
        self.setVisible(remote is not None or publishable)
        for part in (self.note, self.keep, self.sync_button):
            part.setVisible(remote is not None)
        self.publish_button.setVisible(publishable)
        if kb is None or remote is None:
            return
        self.keep.blockSignals(True)
        self.keep.setChecked(remote.keep_copy)
        self.keep.blockSignals(False)
        self.note.setText(kb_server_note(kb))

    @Slot()
    def _on_publish(self) -> None:
        if self.kb is not None:
            self.publisher.publish(self.kb)

    @Slot(bool)
    def _on_keep_toggled(self, keep: bool) -> None:
        kb = self.kb
        if kb is None:
            return
        if not keep and not ask(
            self,
            self.tr("Keep a copy"),
            self.tr(
                "Delete the copy of “{name}” from this computer? It stays on the server; "
                "asking it then needs the server."
            ).format(name=kb.name),
        ):
            self.show_kb(kb)
            return
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.remotes.keep_copy(session, kb.name, keep),
            self._on_kept,
            self._on_keep_failed,
        )

    def _on_kept(self, kb: KnowledgeBase) -> None:
        self.show_kb(kb)
        self.changed.emit(kb.name)
        if kb.remote is not None and kb.remote.keep_copy:  # a copy is wanted now, not later
            self.sync_requested.emit(kb.name)

    def _on_keep_failed(self, exc: BaseException) -> None:
        self.show_kb(self.kb)
        self.ctx.error(self, exc)

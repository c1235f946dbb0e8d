"""Sharing one knowledge base: with users or groups (read or write), or public."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import Access, Grant, KnowledgeBase, Visibility
from desktop.context import Context
from desktop.errors import error_text
from desktop.views.forms import message_label, show_problem


class ShareDialog(QDialog):
    """Changes apply at once (each is audited); the list shows the current grants."""

    def __init__(self, ctx: Context, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kb = ctx, kb
        self.setObjectName("shareDialog")
        self.setWindowTitle(self.tr("Share “{name}”").format(name=kb.name))
        self.public = QCheckBox(self.tr("Public: every user can read it"), self)
        self.public.setObjectName("sharePublic")
        self.public.setChecked(kb.visibility is Visibility.PUBLIC)
        self.public.toggled.connect(self._on_public_toggled)
        self.grants = QListWidget(self)
        self.grants.setObjectName("shareGrants")
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("User"), "user")
        self.kind.addItem(self.tr("Group"), "group")
        self.name = QLineEdit(self)
        self.name.setObjectName("shareName")
        self.name.setPlaceholderText(self.tr("username or group name"))
        self.access = QComboBox(self)
        self.access.addItem(self.tr("can read"), Access.READ)
        self.access.addItem(self.tr("can add documents"), Access.WRITE)
        add = QPushButton(self.tr("Share"), self)
        add.setObjectName("shareAdd")
        add.clicked.connect(self._on_add_clicked)
        remove = QPushButton(self.tr("Remove selected"), self)
        remove.setObjectName("shareRemove")
        remove.clicked.connect(self._on_remove_clicked)
        self.message = message_label(self, "shareMessage")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        for widget in (self.kind, self.name, self.access, add):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.public)
        layout.addWidget(QLabel(self.tr("Shared with:"), self))
        layout.addWidget(self.grants)
        layout.addWidget(remove)
        layout.addLayout(row)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.public.setEnabled(not kb.personal)
        self._show(kb)

    def _show(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.grants.clear()
        for grant in kb.grants:
            who = self.tr("user") if grant.principal == "user" else self.tr("group")
            what = (
                self.tr("can read") if grant.access is Access.READ else self.tr("can add documents")
            )
            item = QListWidgetItem(f"{who} {grant.name} — {what}")
            item.setData(256, grant)
            self.grants.addItem(item)

    def _apply(self, work: Callable[[], KnowledgeBase]) -> None:
        show_problem(self.message, "")
        self.ctx.tasks.run(
            work, self._show, lambda exc: show_problem(self.message, error_text(exc, self.ctx.lang))
        )

    @Slot(bool)
    def _on_public_toggled(self, public: bool) -> None:
        engine, session, name = self.ctx.engine, self.ctx.user, self.kb.name
        visibility = Visibility.PUBLIC if public else Visibility.PRIVATE
        self._apply(lambda: engine.kbs.set_visibility(session, name, visibility))

    @Slot()
    def _on_add_clicked(self) -> None:
        who = self.name.text().strip()
        if not who:
            return
        engine, session, name = self.ctx.engine, self.ctx.user, self.kb.name
        access = Access(self.access.currentData())
        if self.kind.currentData() == "user":
            self._apply(lambda: engine.kbs.share(session, name, user=who, access=access))
        else:
            self._apply(lambda: engine.kbs.share(session, name, group=who, access=access))
        self.name.clear()

    @Slot()
    def _on_remove_clicked(self) -> None:
        item = self.grants.currentItem()
        if item is None:
            return
        grant: Grant = item.data(256)
        engine, session, name = self.ctx.engine, self.ctx.user, self.kb.name
        if grant.principal == "user":
            self._apply(lambda: engine.kbs.unshare(session, name, user=grant.name))
        else:
            self._apply(lambda: engine.kbs.unshare(session, name, group=grant.name))

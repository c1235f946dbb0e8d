"""Administration (admins only): accounts, groups, the audit log, maintenance and usage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import AuditCheck, Engine, Group, Role, Session, User
from desktop.context import Context
from desktop.itemmodels.audit import AuditTableModel
from desktop.itemmodels.rows import ROW_ROLE, SORT_ROLE
from desktop.itemmodels.users import UserTableModel
from desktop.safe_text import plain
from desktop.views.maintenance import MaintenancePage
from desktop.views.usage import UsagePage


def _table(parent: QWidget, name: str, model: Any) -> QTableView:
    proxy = QSortFilterProxyModel(parent)
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(proxy)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class AdminView(QWidget):
    """Five tabs; every action goes through the engine, which checks the admin role again."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("adminView")
        self.users = UserTableModel(self)
        self.audit = AuditTableModel(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._users_tab(), "")
        self.tabs.addTab(self._groups_tab(), "")
        self.tabs.addTab(self._audit_tab(), "")
        self.maintenance = MaintenancePage(ctx, self)
        self.tabs.addTab(self.maintenance, "")
        self.usage = UsagePage(ctx, self)
        self.tabs.addTab(self.usage, "")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self._retranslate()

    # Users ------------------------------------------------------------------------------
    def _users_tab(self) -> QWidget:
        page = QWidget(self)
        self.user_table = _table(page, "userTable", self.users)
        self.role = QComboBox(page)
        self.role.setObjectName("roleChoice")
        self.user_buttons = {
            n: QPushButton(page)
            for n in ("approve", "role", "reset", "disable", "enable", "invite")
        }
        for name, button in self.user_buttons.items():
            button.setObjectName(f"user_{name}")
        b = self.user_buttons
        b["approve"].clicked.connect(
            lambda: self._on_user(lambda e, s, u, r: e.accounts.approve_user(s, u.username, r))
        )
        b["role"].clicked.connect(
            lambda: self._on_user(lambda e, s, u, r: e.accounts.set_role(s, u.username, r))
        )
        b["disable"].clicked.connect(
            lambda: self._on_user(
                lambda e, s, u, _r: e.accounts.set_user_enabled(s, u.username, False)
            )
        )
        b["enable"].clicked.connect(
            lambda: self._on_user(
                lambda e, s, u, _r: e.accounts.set_user_enabled(s, u.username, True)
            )
        )
        b["reset"].clicked.connect(self._on_reset_clicked)
        b["invite"].clicked.connect(self._on_invite_clicked)
        row = QHBoxLayout()
        row.addWidget(self.role)
        for button in b.values():
            row.addWidget(button)
        row.addStretch(1)
        box = QVBoxLayout(page)
        box.addWidget(self.user_table)
        box.addLayout(row)
        return page

    def selected_user(self) -> User | None:
        """The user selected in the table."""
        index = self.user_table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def chosen_role(self) -> Role:
        """The role picked in the combo box (read on the UI thread)."""
        return Role(self.role.currentData())

    def _on_user(self, action: Callable[[Engine, Session, User, Role], object]) -> None:
        user, role = self.selected_user(), self.chosen_role()
        if user is None:
            return
        engine, session = self.ctx.engine, self.ctx.user
        self._run(lambda: action(engine, session, user, role), lambda _r: self.refresh())

    @Slot()
    def _on_reset_clicked(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        engine, session = self.ctx.engine, self.ctx.user
        self._run(
            lambda: engine.accounts.reset_password(session, user.username),
            lambda pw: self._tell(
                self.tr(
                    "Temporary password for {name}: {password}\nThey must change it when they log in."  # noqa: E501
                ).format(name=user.username, password=pw)
            ),
        )

    @Slot()
    def _on_invite_clicked(self) -> None:
        engine, session, role = self.ctx.engine, self.ctx.user, self.chosen_role()
        self._run(
            lambda: engine.accounts.create_invite(session, role),
            lambda code: self._tell(
                self.tr("Invite code (valid 7 days, one use): {code}").format(code=code)
            ),
        )

    # Groups -----------------------------------------------------------------------------
    def _groups_tab(self) -> QWidget:
        page = QWidget(self)
        self.group_list = QListWidget(page)
        self.group_list.setObjectName("groupList")
        self.group_list.currentRowChanged.connect(self._on_group_list_row)
        self.members = QListWidget(page)
        self.members.setObjectName("groupMembers")
        self.group_buttons = {n: QPushButton(page) for n in ("create", "add", "remove")}
        self.group_buttons["create"].clicked.connect(self._on_group_create_clicked)
        self.group_buttons["add"].clicked.connect(lambda: self._on_member(True))
        self.group_buttons["remove"].clicked.connect(lambda: self._on_member(False))
        lists = QHBoxLayout()
        lists.addWidget(self.group_list)
        lists.addWidget(self.members)
        row = QHBoxLayout()
        for button in self.group_buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        box = QVBoxLayout(page)
        box.addLayout(lists)
        box.addLayout(row)
        self._groups: list[Group] = []
        return page

    def _on_groups_loaded(self, groups: list[Group]) -> None:
        current = self.group_list.currentRow()
        self._groups = groups
        self.group_list.clear()
        self.group_list.addItems([g.name for g in groups])
        if groups:
            self.group_list.setCurrentRow(min(max(current, 0), len(groups) - 1))

    @Slot(int)
    def _on_group_list_row(self, row: int) -> None:
        self.members.clear()
        if 0 <= row < len(self._groups):
            self.members.addItems(list(self._groups[row].members))

    @Slot()
    def _on_group_create_clicked(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New group"), self.tr("Name"))
        if ok and name.strip():
            engine, session = self.ctx.engine, self.ctx.user
            self._run(
                lambda: engine.accounts.create_group(session, name.strip()),
                lambda _g: self.refresh(),
            )

    def _on_member(self, add: bool) -> None:
        row = self.group_list.currentRow()
        if not 0 <= row < len(self._groups):
            return
        group = self._groups[row].name
        if add:
            username, ok = QInputDialog.getText(self, self.tr("Add member"), self.tr("Username"))
            if not ok or not username.strip():
                return
            username = username.strip()
        else:
            item = self.members.currentItem()
            if item is None:
                return
            username = item.text()
        engine, session = self.ctx.engine, self.ctx.user
        self._run(
            lambda: engine.accounts.set_group_member(session, group, username, add),
            lambda _g: self.refresh(),
        )

    # Audit ------------------------------------------------------------------------------
    def _audit_tab(self) -> QWidget:
        page = QWidget(self)
        self.audit_table = _table(page, "auditTable", self.audit)
        self.verify_button = QPushButton(page)
        self.verify_button.setObjectName("auditVerify")
        self.verify_button.clicked.connect(self._on_verify_clicked)
        self.verify_label = plain(QLabel(page))
        self.verify_label.setObjectName("auditVerdict")
        self.verify_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.verify_button)
        row.addWidget(self.verify_label, 1)
        box = QVBoxLayout(page)
        box.addWidget(self.audit_table)
        box.addLayout(row)
        return page

    @Slot()
    def _on_verify_clicked(self) -> None:
        engine, session = self.ctx.engine, self.ctx.user
        self._run(lambda: engine.audit.verify(session), self._on_verified)

    def _on_verified(self, check: AuditCheck) -> None:
        if check.ok:
            text = self.tr("Intact: {count} entries, head {head}").format(
                count=check.entries, head=check.head[:16]
            )
        else:
            text = self.tr("Altered: entry {id} or one before it was changed or removed.").format(
                id=check.first_bad_id
            )
        self.verify_label.setText(text)

    # Common -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload users, groups and the audit log."""
        engine, session = self.ctx.engine, self.ctx.user
        self._run(lambda: engine.accounts.users(session), self.users.set_rows)
        self._run(lambda: engine.accounts.groups(session), self._on_groups_loaded)
        self._run(lambda: engine.audit.entries(session), self.audit.set_rows)
        self.maintenance.refresh()
        if self.tabs.currentWidget() is self.usage:
            self.usage.refresh()

    @Slot(int)
    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.usage:  # counted when looked at, not at every refresh
            self.usage.refresh()

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.ctx.tasks.run(work, done, lambda exc: self.ctx.error(self, exc))

    def _tell(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Konspekt"), text, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)  # it names users and groups
        box.setTextInteractionFlags(box.textInteractionFlags().TextSelectableByMouse)
        box.setObjectName("adminNotice")
        box.open()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        titles = (
            self.tr("Users"),
            self.tr("Groups"),
            self.tr("Audit log"),
            self.tr("Maintenance"),
            self.tr("Usage"),
        )
        for i, text in enumerate(titles):
            self.tabs.setTabText(i, text)
        current = self.role.currentData()
        self.role.clear()
        for role in (Role.MEMBER, Role.EDITOR, Role.ADMIN):
            self.role.addItem(self.users.role_name(role.value), role)
        self.role.setCurrentIndex(max(self.role.findData(current), 0))
        self.role.setAccessibleName(self.tr("Role"))
        texts = {
            "approve": self.tr("Approve as"),
            "role": self.tr("Set role"),
            "reset": self.tr("Reset password"),
            "disable": self.tr("Disable"),
            "enable": self.tr("Enable"),
            "invite": self.tr("Invite code"),
        }
        for name, text in texts.items():
            self.user_buttons[name].setText(text)
        for name, text in (
            ("create", self.tr("New group…")),
            ("add", self.tr("Add member…")),
            ("remove", self.tr("Remove member")),
        ):
            self.group_buttons[name].setText(text)
        self.verify_button.setText(self.tr("Verify the chain"))
        self.user_table.setAccessibleName(self.tr("Users"))
        self.audit_table.setAccessibleName(self.tr("Audit log"))

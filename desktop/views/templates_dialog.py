"""Manage templates: the user's own, and (for those who may change a KB) the KB's shared ones."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import KnowledgeBase, QuestionTemplate
from desktop.context import Context
from desktop.errors import error_text
from desktop.itemmodels.templates import TemplateListModel
from desktop.safe_text import ask
from desktop.views.forms import message_label, show_hint, show_problem


class TemplatesDialog(QDialog):
    """A list and a form: select to edit, New to start a blank one, Save, Delete.

    Shared templates of a KB the user only reads are shown read-only; where a template
    is shared is chosen when it is made (among the KBs the user may change).
    """

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("templatesDialog")
        self.setWindowTitle(self.tr("Question templates"))
        self.resize(720, 480)
        self.current: QuestionTemplate | None = None
        self.templates = TemplateListModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("templatesTable")
        self.table.setModel(self.templates)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection)
        self.name = QLineEdit(self)
        self.name.setObjectName("templateName")
        self.name.setMaxLength(80)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("templateText")
        self.text.setPlaceholderText(
            self.tr("e.g. Compare clause {n} in {document A} and {document B}")
        )
        self.where = QComboBox(self)
        self.where.setObjectName("templateWhere")
        self.message = message_label(self, "templatesMessage")
        self.new_button = QPushButton(self.tr("New"), self)
        self.new_button.setObjectName("templateNew")
        self.new_button.clicked.connect(self.new)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setObjectName("templateSave")
        self.save_button.clicked.connect(self.save)
        self.delete_button = QPushButton(self.tr("Delete"), self)
        self.delete_button.setObjectName("templateDelete")
        self.delete_button.clicked.connect(self.delete)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        for button in (self.new_button, self.save_button, self.delete_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Question"), self.text)
        form.addRow(self.tr("Shared with"), self.where)
        hint = self.tr("Write {name} for a value asked when the template is used; {{ for a brace.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        hint_label = message_label(self, "templatesHint")
        show_hint(hint_label, hint)
        layout.addWidget(hint_label)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.new()
        self.refresh()
        engine, session = ctx.engine, ctx.user
        ctx.tasks.run(
            lambda: engine.kbs.visible(session),
            self._on_kbs_loaded,
            lambda exc: show_problem(self.message, error_text(exc, ctx.lang)),
        )

    def refresh(self, select: int | None = None) -> None:
        """Reload the list (selecting template `select` when given)."""
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.templates.visible(session),
            lambda rows: self._on_templates_loaded(rows, select),
            lambda exc: show_problem(self.message, error_text(exc, self.ctx.lang)),
        )

    def _on_templates_loaded(self, rows: list[QuestionTemplate], select: int | None) -> None:
        self.templates.set_rows(rows)
        row = self.templates.row_of(select) if select is not None else -1
        if row >= 0:
            self.table.selectRow(row)

    def _on_kbs_loaded(self, kbs: list[KnowledgeBase]) -> None:
        self.where.clear()
        self.where.addItem(self.tr("Only me"), None)
        for kb in kbs:
            if kb.can_write and kb.remote is None and not kb.personal:
                self.where.addItem(
                    self.tr("Everyone who reads “{name}”").format(name=kb.name), kb.name
                )

    @Slot(QItemSelection, QItemSelection)
    def _on_table_selection(self, _new: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        template = self.templates.row_at(rows[0].row()) if rows else None
        if template is not None:
            self._show(template)

    def _show(self, template: QuestionTemplate | None) -> None:
        self.current = template
        self.name.setText(template.name if template else "")
        self.text.setPlainText(template.text if template else "")
        editable = template is None or template.can_edit
        self.name.setReadOnly(not editable)
        self.text.setReadOnly(not editable)
        self.where.setEnabled(template is None)  # where it is shared is chosen when made
        if template is not None:
            index = self.where.findData(template.kb)
            if index < 0:
                self.where.addItem(template.kb or self.tr("Only me"), template.kb)
                index = self.where.count() - 1
            self.where.setCurrentIndex(index)
        self.save_button.setEnabled(editable)
        self.delete_button.setEnabled(template is not None and template.can_edit)
        if template is not None and not template.can_edit:
            show_hint(
                self.message,
                self.tr("Shared by the editors of “{name}”: you can use it, not change it.").format(
                    name=template.kb
                ),
            )
        else:
            show_problem(self.message, "")

    @Slot()
    def new(self) -> None:
        """Start a blank template."""
        self.table.clearSelection()
        self._show(None)
        self.name.setFocus()

    @Slot()
    def save(self) -> None:
        """Store the form: a new template, or the selected one changed."""
        engine, session = self.ctx.engine, self.ctx.user
        name, text, current = self.name.text(), self.text.toPlainText(), self.current
        kb = self.where.currentData()
        show_problem(self.message, "")
        if current is None:
            work = lambda: engine.templates.add(session, name, text, kb=kb)  # noqa: E731
        else:
            work = lambda: engine.templates.update(session, current.id, name, text)  # noqa: E731
        self.ctx.tasks.run(
            work,
            lambda saved: self.refresh(saved.id),
            lambda exc: show_problem(self.message, error_text(exc, self.ctx.lang)),
        )

    def _on_deleted(self, _result: object) -> None:
        self.new()
        self.refresh()

    @Slot()
    def delete(self) -> None:
        """Delete the selected template after confirmation."""
        current = self.current
        if current is None:
            return
        question = self.tr("Delete the template “{name}”?").format(name=current.name)
        if not ask(self, self.tr("Delete template"), question):
            return
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.templates.remove(session, current.id),
            self._on_deleted,
            lambda exc: show_problem(self.message, error_text(exc, self.ctx.lang)),
        )

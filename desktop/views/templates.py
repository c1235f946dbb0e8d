"""Question templates in the chat box: `/` or the Templates button inserts one, filled in.

A template with placeholders asks for their values in a small form (one field per
distinct name, so a repeated `{document}` is typed once); the filled question goes into
the chat box for the user to read and send.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPoint, QSortFilterProxyModel, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import KnownError, QuestionTemplate, fill_template
from desktop.context import Context
from desktop.itemmodels.rows import ROW_ROLE
from desktop.itemmodels.templates import TemplateListModel
from desktop.views.forms import message_label, show_problem
from desktop.views.templates_dialog import TemplatesDialog

_POPUP_KEYS = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Escape,
}


class TemplateFillDialog(QDialog):
    """One line per placeholder; `question()` is the template filled with them."""

    def __init__(self, template: QuestionTemplate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.template = template
        self.setObjectName("templateFillDialog")
        self.setWindowTitle(template.name)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name in template.fields:
            field = QLineEdit(self)
            field.setObjectName("templateField")
            self.fields[name] = field
            form.addRow(name, field)
        self.message = message_label(self, "templateFillMessage")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def question(self) -> str:
        """The template with every placeholder replaced by its field's text."""
        values = {name: field.text().strip() for name, field in self.fields.items()}
        return fill_template(self.template.text, values)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        empty = next((name for name, f in self.fields.items() if not f.text().strip()), None)
        if empty is not None:
            show_problem(self.message, self.tr("Fill in “{name}”.").format(name=empty))
            self.fields[empty].setFocus()
            return
        self.accept()


class TemplateButton(QToolButton):
    """The Templates menu next to the chat box, and the `/` list over it.

    Typing `/` at the start of the box lists the templates whose name or question holds
    what follows; Up/Down pick, Enter or Tab insert, Escape closes.
    """

    def __init__(self, ctx: Context, editor: QPlainTextEdit, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx, self.editor = ctx, editor
        self.setObjectName("templatesButton")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.templates = TemplateListModel(self)
        self.matches = QSortFilterProxyModel(self)
        self.matches.setSourceModel(self.templates)
        self.matches.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.matches.setFilterKeyColumn(-1)
        self.popup = QListView(parent)  # a child over the chat: the box keeps the focus
        self.popup.setObjectName("templatePopup")
        self.popup.setModel(self.matches)
        self.popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.popup.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.popup.clicked.connect(self._on_popup_clicked)
        self.popup.hide()
        self.choices = QMenu(self)
        self.choices.setObjectName("templatesMenu")
        self.choices.aboutToShow.connect(self._on_menu_about_to_show)
        self.setMenu(self.choices)
        self.fill_dialog: TemplateFillDialog | None = None
        self.manage_dialog: TemplatesDialog | None = None
        self._dismissed = ""
        """The box's text when Escape closed the list (it stays closed until that changes)."""
        self.templates.modelReset.connect(self._on_editor_text_changed)
        editor.textChanged.connect(self._on_editor_text_changed)
        editor.installEventFilter(self)
        self._retranslate()
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.setText(self.tr("Templates"))
        self.setToolTip(self.tr("Insert a saved question (or type / in the box)"))

    def refresh(self) -> None:
        """Reload the templates the user can use."""
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.templates.visible(session),
            self.templates.set_rows,
            lambda exc: self.ctx.error(self, exc),
        )

    # The menu -----------------------------------------------------------------------------
    @Slot()
    def _on_menu_about_to_show(self) -> None:
        self.refresh()  # shows what is loaded now; a KB's new templates show next time
        self.choices.clear()
        for template in self.templates.rows():
            label = template.name if template.kb is None else f"{template.name} · {template.kb}"
            action = self.choices.addAction(label)
            action.setToolTip(template.text)
            action.triggered.connect(lambda _c=False, t=template: self.choose(t))
        if not self.templates.rows():
            self.choices.addAction(self.tr("No templates yet")).setEnabled(False)
        self.choices.addSeparator()
        self.choices.addAction(self.tr("Manage templates…"), self.manage)

    @Slot()
    def manage(self) -> None:
        """Open the templates dialog; the list is re-read when it closes."""
        dialog = TemplatesDialog(self.ctx, self.window())
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.finished.connect(dialog.deleteLater)
        self.manage_dialog = dialog
        dialog.open()

    # The `/` list ---------------------------------------------------------------------------
    @Slot()
    def _on_editor_text_changed(self) -> None:
        text = self.editor.toPlainText()
        if not text.startswith("/") or "\n" in text or text == self._dismissed:
            self.popup.hide()
            return
        self._dismissed = ""
        if text == "/" and self.sender() is self.editor:
            self.refresh()  # a KB's editors may have shared new templates meanwhile
        self.matches.setFilterFixedString(text[1:].strip())
        if self.matches.rowCount() == 0:
            self.popup.hide()
            return
        self.popup.setCurrentIndex(self.matches.index(0, 0))
        self._place_popup()
        self.popup.show()
        self.popup.raise_()

    def _place_popup(self) -> None:
        """Just above the chat box, as wide as it (the transcript is above, the buttons below)."""
        rows = min(self.matches.rowCount(), 8)
        height = rows * max(self.popup.sizeHintForRow(0), 18) + 2 * self.popup.frameWidth()
        corner = self.editor.mapTo(self.parentWidget() or self.editor, QPoint(0, 0))
        self.popup.setGeometry(corner.x(), max(0, corner.y() - height), self.editor.width(), height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.editor
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and self.popup.isVisible()
            and event.key() in _POPUP_KEYS
        ):
            self._on_popup_key(Qt.Key(event.key()))
            return True
        return super().eventFilter(watched, event)

    def _on_popup_key(self, key: Qt.Key) -> None:
        if key == Qt.Key.Key_Escape:
            self._dismissed = self.editor.toPlainText()
            self.popup.hide()
            return
        row = self.popup.currentIndex().row()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = -1 if key == Qt.Key.Key_Up else 1
            row = max(0, min(self.matches.rowCount() - 1, row + step))
            self.popup.setCurrentIndex(self.matches.index(row, 0))
            return
        self._on_popup_clicked(self.popup.currentIndex())

    @Slot(QModelIndex)
    def _on_popup_clicked(self, index: QModelIndex) -> None:
        template = index.data(ROW_ROLE) if index.isValid() else None
        self.popup.hide()
        if isinstance(template, QuestionTemplate):
            self.choose(template)

    # Inserting ------------------------------------------------------------------------------
    def choose(self, template: QuestionTemplate) -> None:
        """Insert `template`'s question, asking for its placeholders' values first."""
        if not template.fields:
            self._insert(template, {})
            return
        dialog = TemplateFillDialog(template, self.window())
        dialog.accepted.connect(lambda: self._insert_text(dialog.question()))
        dialog.finished.connect(dialog.deleteLater)
        self.fill_dialog = dialog
        dialog.open()

    def _insert(self, template: QuestionTemplate, values: dict[str, str]) -> None:
        try:
            self._insert_text(fill_template(template.text, values))
        except KnownError as exc:  # stored templates were checked; a newer rule may differ
            self.ctx.error(self, exc)

    def _insert_text(self, question: str) -> None:
        self.editor.setPlainText(question)
        self.editor.moveCursor(self.editor.textCursor().MoveOperation.End)
        self.editor.setFocus()
        self.fill_dialog = None

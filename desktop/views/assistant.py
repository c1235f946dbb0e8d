"""A knowledge base's assistant: instructions and answer settings, read-only for readers."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core import Assistant, KnowledgeBase
from desktop.context import Context
from desktop.errors import error_text
from desktop.views.forms import message_label, show_hint, show_problem


class _Optional(QWidget):
    """A number with "Default" ticked for the installation's value (stored as None)."""

    def __init__(self, spin: QSpinBox | QDoubleSpinBox, default: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.spin = spin
        self.default = QCheckBox(default, self)
        self.default.toggled.connect(lambda on: self.spin.setEnabled(not on))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(spin)
        row.addWidget(self.default)
        row.addStretch(1)

    def set_value(self, value: float | None) -> None:
        self.default.setChecked(value is None)
        self.spin.setEnabled(value is not None)
        if value is not None:
            self.spin.setValue(value)  # type: ignore[arg-type]

    def value(self) -> float | None:
        return None if self.default.isChecked() else float(self.spin.value())


class AssistantDialog(QDialog):
    """Loads the KB's assistant, saves it when the user may change it; emits `saved`."""

    saved = Signal(object)

    def __init__(self, ctx: Context, kb: KnowledgeBase, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kb = ctx, kb
        self.setObjectName("assistantDialog")
        self.setWindowTitle(self.tr("Assistant of “{name}”").format(name=kb.name))
        settings = ctx.engine.settings
        self.description = QLineEdit(self)
        self.description.setObjectName("assistantDescription")
        self.description.setMaxLength(200)
        self.description.setPlaceholderText(self.tr("One line shown in the knowledge-base picker"))
        self.instructions = QPlainTextEdit(self)
        self.instructions.setObjectName("assistantInstructions")
        self.instructions.setPlaceholderText(
            self.tr("e.g. Answer formally, in Russian, as numbered steps.")
        )
        temperature = QDoubleSpinBox(self)
        temperature.setRange(0.0, 1.5)  # the core's limits: nothing offered is refused
        temperature.setSingleStep(0.1)
        temperature.setDecimals(2)
        self.temperature = self._optional(temperature, settings.temperature)
        self.temperature.spin.setObjectName("assistantTemperature")
        self.answer_tokens = self._optional(QSpinBox(self), settings.max_answer_tokens)
        self.answer_tokens.spin.setObjectName("assistantAnswerTokens")
        self.passages = self._optional(QSpinBox(self), settings.sources)
        self.passages.spin.setObjectName("assistantPassages")
        self._ranges()
        self.message = message_label(self, "assistantMessage")
        self.buttons = QDialogButtonBox(self)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Instructions"), self.instructions)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Answer length (tokens)"), self.answer_tokens)
        form.addRow(self.tr("Passages per answer"), self.passages)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._set_editable(False)
        engine, session, name = ctx.engine, ctx.user, kb.name
        ctx.tasks.run(
            lambda: engine.assistants.get(session, name),
            self.show_assistant,
            lambda exc: show_problem(self.message, error_text(exc, ctx.lang)),
        )

    def _optional(self, spin: QSpinBox | QDoubleSpinBox, default: float) -> _Optional:
        text = self.tr("Default ({value})").format(value=default)
        return _Optional(spin, text, self)

    def _ranges(self) -> None:
        """The core's limits, so the spin boxes cannot offer a value it refuses."""
        self.answer_tokens.spin.setRange(16, 4096)
        self.answer_tokens.spin.setSingleStep(64)
        self.passages.spin.setRange(1, 12)

    def _set_editable(self, editable: bool) -> None:
        self.description.setReadOnly(not editable)
        self.instructions.setReadOnly(not editable)
        for field in (self.temperature, self.answer_tokens, self.passages):
            field.default.setEnabled(editable)
            field.spin.setReadOnly(not editable)
        self.buttons.clear()
        if editable:
            self.buttons.setStandardButtons(
                QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
            )
        else:
            self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)

    @Slot(object)
    def show_assistant(self, assistant: Assistant) -> None:
        """Fill the form; read-only unless the user may change the knowledge base."""
        self.description.setText(assistant.description)
        self.instructions.setPlainText(assistant.instructions)
        self.temperature.set_value(assistant.temperature)
        self.answer_tokens.set_value(assistant.answer_tokens)
        self.passages.set_value(assistant.passages)
        self._set_editable(assistant.can_edit)
        if not assistant.can_edit:
            show_hint(
                self.message,
                self.tr("Only those who can change this knowledge base can change its assistant."),
            )

    def edited(self) -> Assistant:
        """The assistant as the form now says."""
        tokens, passages = self.answer_tokens.value(), self.passages.value()
        return Assistant(
            self.kb.name,
            self.instructions.toPlainText(),
            self.description.text(),
            self.temperature.value(),
            None if tokens is None else int(tokens),
            None if passages is None else int(passages),
        )

    @Slot()
    def _on_buttons_accepted(self) -> None:
        show_problem(self.message, "")
        engine, session, assistant = self.ctx.engine, self.ctx.user, self.edited()
        self.ctx.tasks.run(
            lambda: engine.assistants.save(session, assistant),
            self._on_saved,
            lambda exc: show_problem(self.message, error_text(exc, self.ctx.lang)),
        )

    def _on_saved(self, assistant: Assistant) -> None:
        self.saved.emit(assistant)
        self.accept()

"""Settings: the model, generation, search, appearance and where the data lives."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core import Role, Settings
from desktop.context import Context
from desktop.errors import error_text
from desktop.safe_text import plain
from desktop.views.forms import message_label, show_problem
from desktop.views.model_choice import ModelChoiceDialog


class SettingsDialog(QDialog):
    """Saves engine settings to konspekt.toml (applied from the next answer) and UI prefs."""

    appearance_changed = Signal(str, str)
    """(language code or '' for the system's, theme name)"""
    model_changed = Signal()
    """A model was got and chosen from here (the window reloads it)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        s = ctx.engine.settings
        tabs = QTabWidget(self)
        tabs.addTab(self._model_tab(s), self.tr("Model"))
        tabs.addTab(self._generation_tab(s), self.tr("Answers"))
        tabs.addTab(self._appearance_tab(), self.tr("Appearance"))
        tabs.addTab(self._data_tab(s), self.tr("Data"))
        self.message = message_label(self, "settingsMessage")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        self.admin_note = QLabel(
            self.tr(
                "Only an administrator can change the model, answer and search settings: "
                "they apply to everyone who uses Konspekt on this computer."
            ),
            self,
        )
        self.admin_note.setWordWrap(True)
        layout.addWidget(self.admin_note)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        admin = ctx.user.user.role is Role.ADMIN
        self.admin_note.setVisible(not admin)
        if not admin:
            for widget in self._installation_widgets():
                widget.setEnabled(False)
        self.locked = self._show_locks(s)
        """The settings IT's policy locked (their fields are disabled and marked)."""

    def _field_widgets(self) -> dict[str, tuple[QWidget, ...]]:
        """Each installation-wide setting with the widgets that edit it."""
        return {
            "model_path": (self.model_path, self.browse, self.get_model),
            "n_gpu_layers": (self.gpu_layers,),
            "n_ctx": (self.n_ctx,),
            "n_threads": (self.threads,),
            "temperature": (self.temperature,),
            "top_p": (self.top_p,),
            "max_answer_tokens": (self.max_tokens,),
            "sources": (self.sources,),
            "cpu_sources": (self.cpu_sources,),
            "rerank": (self.rerank,),
            "memory_notes": (self.memory_notes,),
        }

    def _installation_widgets(self) -> list[QWidget]:
        """The fields of installation-wide settings (the engine saves them for admins only)."""
        return [w for widgets in self._field_widgets().values() for w in widgets]

    def _show_locks(self, s: Settings) -> frozenset[str]:
        """Disable the fields IT's policy locked, marked with a lock and the policy's path."""
        tip = self.tr("Locked by your IT policy ({path})").format(path=s.policy.source)
        locked = frozenset(name for name in self._field_widgets() if s.locked_by(name))
        for name in locked:
            widgets = self._field_widgets()[name]
            for widget in widgets:
                widget.setEnabled(False)
                widget.setToolTip(tip)
            label = _label_of(widgets[0])
            if label is not None:
                label.setText(label.text() + " 🔒")
                label.setToolTip(tip)
            elif isinstance(widgets[0], QCheckBox):
                widgets[0].setText(widgets[0].text() + " 🔒")
        return locked

    def _model_tab(self, s: Settings) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.model_path = QLineEdit(str(s.model_path or ""), page)
        self.model_path.setObjectName("modelPath")
        self.model_path.setPlaceholderText(self.tr("automatic: the best GGUF in the models folder"))
        self.browse = QPushButton(self.tr("Browse…"), page)
        self.browse.clicked.connect(self._on_browse_clicked)
        row = QHBoxLayout()
        row.addWidget(self.model_path, 1)
        row.addWidget(self.browse)
        form.addRow(self.tr("Model file"), row)
        self.get_model = QPushButton(self.tr("Get a model…"), page)
        self.get_model.setObjectName("getModel")
        self.get_model.setToolTip(
            self.tr("Download or import a model, with advice for this computer's hardware")
        )
        self.get_model.clicked.connect(self._on_get_model_clicked)
        form.addRow("", self.get_model)
        gpu = self.ctx.engine.gpu_available()
        self.gpu_label = QLabel(
            self.tr("available: layers are offloaded to the GPU")
            if gpu
            else self.tr("none found: the model runs on the CPU"),
            page,
        )
        self.gpu_label.setObjectName("gpuLabel")
        form.addRow(self.tr("GPU"), self.gpu_label)
        self.gpu_layers = QSpinBox(page)
        self.gpu_layers.setObjectName("gpuLayers")
        self.gpu_layers.setRange(-1, 999)
        self.gpu_layers.setSpecialValueText(self.tr("all"))
        self.gpu_layers.setValue(s.n_gpu_layers)
        self.gpu_layers.setEnabled(gpu)
        form.addRow(self.tr("GPU layers"), self.gpu_layers)
        self.n_ctx = QSpinBox(page)
        self.n_ctx.setObjectName("contextSize")
        self.n_ctx.setRange(512, 131072)
        self.n_ctx.setSingleStep(512)
        self.n_ctx.setValue(s.n_ctx)
        form.addRow(self.tr("Context size (tokens)"), self.n_ctx)
        self.threads = QSpinBox(page)
        self.threads.setObjectName("threads")
        self.threads.setRange(0, 256)
        self.threads.setSpecialValueText(self.tr("automatic"))
        self.threads.setValue(s.n_threads)
        form.addRow(self.tr("CPU threads"), self.threads)
        return page

    def _generation_tab(self, s: Settings) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.temperature = QDoubleSpinBox(page)
        self.temperature.setObjectName("temperature")
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.05)
        self.temperature.setValue(s.temperature)
        form.addRow(self.tr("Temperature"), self.temperature)
        self.top_p = QDoubleSpinBox(page)
        self.top_p.setObjectName("topP")
        self.top_p.setRange(0.05, 1.0)
        self.top_p.setSingleStep(0.05)
        self.top_p.setValue(s.top_p)
        form.addRow(self.tr("Top-p"), self.top_p)
        self.max_tokens = QSpinBox(page)
        self.max_tokens.setObjectName("maxTokens")
        self.max_tokens.setRange(32, 8192)
        self.max_tokens.setValue(s.max_answer_tokens)
        form.addRow(self.tr("Longest answer (tokens)"), self.max_tokens)
        self.sources = QSpinBox(page)
        self.sources.setObjectName("sourceCount")
        self.sources.setRange(1, 20)
        self.sources.setValue(s.sources)
        form.addRow(self.tr("Passages per answer"), self.sources)
        self.cpu_sources = QSpinBox(page)
        self.cpu_sources.setObjectName("cpuSourceCount")
        self.cpu_sources.setRange(1, 20)
        self.cpu_sources.setValue(s.cpu_sources)
        self.cpu_sources.setToolTip(
            self.tr(
                "When the model runs on the CPU, fewer passages make the first word come "
                "sooner: each passage is about 300 tokens the CPU must read first."
            )
        )
        form.addRow(self.tr("Passages per answer on CPU"), self.cpu_sources)
        self.rerank = QCheckBox(
            self.tr("Re-rank passages with the cross-encoder when one is installed"), page
        )
        self.rerank.setObjectName("rerank")
        self.rerank.setChecked(s.rerank)
        form.addRow(self.rerank)
        self.memory_notes = QSpinBox(page)
        self.memory_notes.setObjectName("memoryNotes")
        self.memory_notes.setRange(0, 10)
        self.memory_notes.setValue(s.memory_notes)
        self.memory_notes.setToolTip(
            self.tr(
                "Recent session summaries (besides pinned ones) the model may use to understand "
                "a question; they are marked as memory and never cited. 0 turns memory off."
            )
        )
        form.addRow(self.tr("Notes from earlier sessions"), self.memory_notes)
        form.addRow(self.tr("Embedder"), plain(QLabel(s.embedder, page)))
        return page

    def _appearance_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        self.language = QComboBox(page)
        self.language.setObjectName("language")
        self.language.addItem(self.tr("System language"), "")
        self.language.addItem("English", "en")
        self.language.addItem("Русский", "ru")
        self.language.setCurrentIndex(max(self.language.findData(self.ctx.prefs.language), 0))
        form.addRow(self.tr("Language"), self.language)
        self.theme = QComboBox(page)
        self.theme.setObjectName("theme")
        for name, label in (
            ("system", self.tr("As the system")),
            ("light", self.tr("Light")),
            ("dark", self.tr("Dark")),
        ):
            self.theme.addItem(label, name)
        self.theme.setCurrentIndex(max(self.theme.findData(self.ctx.prefs.theme), 0))
        form.addRow(self.tr("Theme"), self.theme)
        return page

    def _data_tab(self, s: Settings) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        folder = plain(QLabel(str(s.data_dir), page))
        folder.setObjectName("dataFolder")
        folder.setTextInteractionFlags(folder.textInteractionFlags().TextSelectableByMouse)
        form.addRow(self.tr("Data folder"), folder)
        if s.locked_by("data_dir"):
            text = self.tr("IT's policy keeps the data in this folder.")
        else:
            text = self.tr(
                "To use another folder, start Konspekt with KONSPEKT_DATA_DIR set to it "
                "(IT can set it in the policy)."
            )
        note = QLabel(text, page)
        note.setWordWrap(True)
        form.addRow(note)
        policy = s.policy
        if policy.source:
            summary = self.tr("{source}\nLocked: {locked}\nPresets: {presets}").format(
                source=policy.source,
                locked=", ".join(policy.locked) or "—",
                presets=", ".join(policy.defaults) or "—",
            )
        else:
            summary = self.tr("None: nothing is locked or preset by IT on this computer.")
        self.policy_line = plain(QLabel(summary, page))
        self.policy_line.setObjectName("policyLine")
        self.policy_line.setWordWrap(True)
        form.addRow(self.tr("Installation policy"), self.policy_line)
        return page

    @Slot()
    def _on_browse_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a model"), "", self.tr("GGUF models (*.gguf)")
        )
        if name:
            self.model_path.setText(name)

    @Slot()
    def _on_get_model_clicked(self) -> None:
        dialog = ModelChoiceDialog(self.ctx, self)
        dialog.model_changed.connect(self._on_model_chosen)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    @Slot()
    def _on_model_chosen(self) -> None:
        """Show the new model file, so Save keeps it rather than the one shown before."""
        self.model_path.setText(str(self.ctx.engine.settings.model_path or ""))
        self.model_changed.emit()

    def chosen(self) -> Settings:
        """The engine settings as edited."""
        path = self.model_path.text().strip()
        edited = {
            "model_path": Path(path).expanduser() if path else None,
            "n_gpu_layers": self.gpu_layers.value(),
            "n_ctx": self.n_ctx.value(),
            "n_threads": self.threads.value(),
            "temperature": round(self.temperature.value(), 3),
            "top_p": round(self.top_p.value(), 3),
            "max_answer_tokens": self.max_tokens.value(),
            "sources": self.sources.value(),
            "cpu_sources": self.cpu_sources.value(),
            "rerank": self.rerank.isChecked(),
            "memory_notes": self.memory_notes.value(),
        }
        # A locked value stays exactly IT's, even one a spin box cannot show (0.125, 200000).
        kept = {name: value for name, value in edited.items() if name not in self.locked}
        return self.ctx.engine.settings.with_changes(**kept)

    @Slot()
    def _on_save_clicked(self) -> None:
        path = self.model_path.text().strip()
        if path and "model_path" not in self.locked and not Path(path).expanduser().is_file():
            show_problem(
                self.message, self.tr("There is no model file at {path}.").format(path=path)
            )
            return
        chosen, engine, session = self.chosen(), self.ctx.engine, self.ctx.user
        self.ctx.prefs.language = self.language.currentData()
        self.ctx.prefs.theme = self.theme.currentData()
        self.appearance_changed.emit(self.language.currentData(), self.theme.currentData())
        self.buttons.setEnabled(False)

        def save() -> None:
            engine.system.apply_settings(session, chosen)  # saves konspekt.toml (admins)

        self.ctx.tasks.run(save, lambda _r: self.accept(), self._on_save_failed)

    def _on_save_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        show_problem(self.message, error_text(exc, self.ctx.lang))


def _label_of(widget: QWidget) -> QLabel | None:
    """The label of the form row `widget` is in (alone or inside the row's layout)."""
    page = widget.parentWidget()
    form = page.layout() if page is not None else None
    if not isinstance(form, QFormLayout):
        return None
    for row in range(form.rowCount()):
        field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
        if field is None:
            continue
        inner = field.layout()
        if field.widget() is widget or (inner is not None and inner.indexOf(widget) >= 0):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            found = label.widget() if label is not None else None
            return found if isinstance(found, QLabel) else None
    return None

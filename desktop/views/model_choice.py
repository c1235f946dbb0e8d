"""Choose a model: this computer's hardware, the advised model, download, import or demo.

Shown to an administrator when answers would come from the small demo model (first run,
or whenever no real model is installed) and from Settings → Model. Every slow step —
looking at the hardware, downloading, copying, hashing, switching the model — runs on
a worker; the window stays responsive and Cancel stops a download at its next piece
(the part is kept, so Get resumes it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core import Hardware, ModelLibrary, ModelOption, ModelState, Transfer, TransferStage
from desktop.context import Context
from desktop.errors import error_text
from desktop.safe_text import plain
from desktop.tasks import Job
from desktop.views.forms import message_label, show_hint, show_problem


class ModelChoiceDialog(QDialog):
    """Offers the manifest's answer models with the expected wait, and switches to one."""

    model_changed = Signal()
    """The answer model was switched (the window reloads it)."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.library: ModelLibrary = ctx.engine.models
        self.job: Job | None = None
        self.options: dict[str, QPushButton] = {}
        self.descriptions: dict[str, QLabel] = {}
        """Each option's wrapped line under its button: the wait, the licence."""
        self.pick_file: Callable[[], str] = self._ask_for_file
        """Asks for the file to import (tests replace it)."""
        self._last: Transfer | None = None
        self._descriptions: list[QLabel] = []
        self.setObjectName("modelChoiceDialog")
        self.setWindowTitle(self.tr("Choose a model"))
        self.setMinimumWidth(720)
        intro = QLabel(
            self.tr(
                "Answers now come from the small demo model: short, English only and often "
                "wrong. Choose a model that writes real answers. Everything stays on this "
                "computer; a download is checked before it is used."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.hardware_label = plain(QLabel(self.tr("Looking at this computer…"), self))
        self.hardware_label.setObjectName("hardwareLabel")
        self.hardware_label.setWordWrap(True)
        self.choices = QVBoxLayout()
        self.others = QVBoxLayout()
        self.import_button = self._choice(
            self.others,
            "importModel",
            self.tr("I have the file…"),
            self.tr("Copy a model from a USB stick or a shared folder; it is checked first."),
        )
        self.import_button.clicked.connect(self._on_import_clicked)
        self.demo_button = self._choice(
            self.others,
            "useDemo",
            self.tr("Use the small demo model for now"),
            self.tr("You can get a model later in Settings → Model."),
        )
        self.demo_button.clicked.connect(self._on_demo_clicked)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("transferBar")
        self.bar.setRange(0, 1000)
        self.transfer_label = plain(QLabel(self))
        self.transfer_label.setObjectName("transferLabel")
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelTransfer")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        progress = QHBoxLayout()
        progress.addWidget(self.bar, 1)
        progress.addWidget(self.cancel_button)
        self.message = message_label(self, "modelChoiceMessage")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.hardware_label)
        layout.addLayout(self.choices)
        layout.addLayout(self.others)
        layout.addLayout(progress)
        layout.addWidget(self.transfer_label)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._show_progress(False)
        library = self.library
        ctx.tasks.run(
            lambda: (library.hardware(), library.list()), self._on_advice, self._on_failed
        )

    # Options ----------------------------------------------------------------------------
    def _on_advice(self, found: tuple[Hardware, tuple[ModelState, ...]]) -> None:
        hardware, states = found
        installed = {s.entry.name: s for s in states if s.installed}
        self.hardware_label.setText(self.hardware_text(hardware))
        for option in self.library.advice(hardware):
            if option.entry.model_class == "demo":
                continue
            state = installed.get(option.entry.name)
            name = option.entry.name
            title = self._option_title(option, state is not None)
            button = self._choice(
                self.choices, f"model_{name}", title, self._option_description(option)
            )
            button.setEnabled(option.fits)
            button.setProperty("fits", option.fits)
            if option.recommended:
                button.setDefault(True)
            button.clicked.connect(lambda _=False, o=option: self._on_option_clicked(o))
            self.options[name] = button
            self.descriptions[name] = self._descriptions[-1]
        self._fit()

    def _fit(self) -> None:
        """Grow to show the rows that arrived after the dialog was shown."""
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def _choice(self, into: QVBoxLayout, name: str, title: str, description: str) -> QPushButton:
        """A button naming the choice, with a wrapped line under it saying what it means."""
        button = QPushButton(title, self)
        button.setObjectName(name)
        button.setStyleSheet("text-align: left; padding: 6px 10px; font-weight: bold;")
        label = plain(QLabel(description, self))  # one line: wrapped ones squeeze the rows
        label.setContentsMargins(12, 0, 0, 6)
        into.addWidget(button)
        into.addWidget(label)
        if self.isVisible():  # added after show: show now, so the size below counts them
            button.show()
            label.show()
        self._descriptions.append(label)
        return button

    def hardware_text(self, hw: Hardware) -> str:
        """'This computer: GPU …, 8 cores, 16 GB memory' as the dialog shows it."""
        if hw.gpu_memory_bytes:
            gpu = max(hw.gpus, key=lambda g: g.memory_bytes)
            gpu_text = self.tr("GPU {name} with {memory} GB").format(
                name=gpu.name, memory=f"{gpu.memory_bytes / 2**30:.0f}"
            )
        else:
            gpu_text = self.tr("no GPU the model can use")
        return self.tr("This computer: {gpu}; {cores} CPU cores; {ram} GB memory.").format(
            gpu=gpu_text, cores=hw.cores, ram=f"{hw.ram_bytes / 2**30:.0f}"
        )

    def _option_title(self, option: ModelOption, installed: bool) -> str:
        entry = option.entry
        if installed:
            title = self.tr("Use {title} (already here)").format(title=entry.title)
        else:
            title = self.tr("Get {title} ({size} GB)").format(
                title=entry.title, size=f"{entry.size_gb:.1f}"
            )
        return title + (self.tr(" — recommended") if option.recommended else "")

    def _option_description(self, option: ModelOption) -> str:
        device = self.tr("the GPU") if option.device == "gpu" else self.tr("the CPU")
        seconds = option.first_token_s
        if seconds < 90:
            wait = self.tr("about {n} s").format(n=max(1, round(seconds)))
        else:
            wait = self.tr("about {n} min").format(n=round(seconds / 60))
        text = self.tr("First word of an answer after {wait} on {device}.").format(
            wait=wait, device=device
        )
        if not option.fits:
            text += " " + self.tr("Needs more memory than this computer has.")
        return text + " " + self.tr("Licence: {licence}.").format(licence=option.entry.licence)

    # Actions ----------------------------------------------------------------------------
    def _on_option_clicked(self, option: ModelOption) -> None:
        name, library = option.entry.name, self.library
        if library.installed_path(option.entry) is not None:
            self._switch_to(name)
            return
        self._start(lambda cancel: library.pull(name, cancel))

    @Slot()
    def _on_import_clicked(self) -> None:
        chosen = self.pick_file()
        if not chosen:
            return
        source, library = Path(chosen), self.library
        self._start(lambda cancel: library.import_file(source, None, cancel))

    @Slot()
    def _on_demo_clicked(self) -> None:
        self.ctx.prefs.demo_accepted = True
        self.accept()

    @Slot()
    def _on_cancel_clicked(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.cancel_button.setEnabled(False)

    def _ask_for_file(self) -> str:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the model file"), "", self.tr("GGUF models (*.gguf)")
        )
        return name

    # Transfer ---------------------------------------------------------------------------
    def _start(self, make: Callable[[threading.Event], Iterator[Transfer]]) -> None:
        self._last = None
        show_hint(self.message, "")
        self._set_choosing(False)
        self._show_progress(True)
        self.bar.setValue(0)
        self.transfer_label.setText(self.tr("Starting…"))
        self.job = self.ctx.tasks.stream(
            make, self._on_step, self._on_transfer_done, self._on_failed
        )

    def _on_step(self, step: Transfer) -> None:
        self._last = step
        if step.total:
            self.bar.setValue(int(step.done * 1000 / step.total))
        self.transfer_label.setText(self.progress_text(step))

    def progress_text(self, step: Transfer) -> str:
        """'1.2 of 4.9 GB · 12.3 MB/s · about 5 min left' (or the checking stage)."""
        done, total = step.done / 1e9, step.total / 1e9
        if step.stage is TransferStage.CHECKING:
            return self.tr(
                "Checking the part kept from last time: {done:.2f} of {total:.2f} GB"
            ).format(done=done, total=total)
        text = self.tr("{done:.2f} of {total:.2f} GB").format(done=done, total=total)
        if step.rate > 0:
            text += " · " + self.tr("{rate:.1f} MB/s").format(rate=step.rate / 1e6)
        left = step.remaining_s
        if left is not None:
            if left >= 90:
                text += " · " + self.tr("about {n} min left").format(n=round(left / 60))
            else:
                text += " · " + self.tr("about {n} s left").format(n=round(left))
        return text

    def _on_transfer_done(self, _result: object) -> None:
        self.job = None
        last = self._last
        if last is None or last.stage is TransferStage.CANCELLED:
            self._show_progress(False)
            self._set_choosing(True)
            show_hint(
                self.message,
                self.tr("Stopped. What arrived is kept: choose the same model to resume."),
            )
            return
        if last.stage is TransferStage.DONE:
            self._switch_to(last.name)

    def _switch_to(self, name: str) -> None:
        """Make `name` the answer model through the admin settings (policy, audit, reload)."""
        engine, session, library = self.ctx.engine, self.ctx.user, self.library
        self._set_choosing(False)
        self.transfer_label.setText(self.tr("Switching the model…"))

        def switch() -> None:
            library.use(name, apply=lambda s: engine.system.apply_settings(session, s))

        self.ctx.tasks.run(switch, self._on_switched, self._on_failed)

    def _on_switched(self, _result: object) -> None:
        self.ctx.prefs.demo_accepted = False
        self.model_changed.emit()
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.job = None
        self._show_progress(False)
        self._set_choosing(True)
        show_problem(self.message, error_text(exc, self.ctx.lang))

    def _set_choosing(self, enabled: bool) -> None:
        for button in (*self.options.values(), self.import_button, self.demo_button):
            button.setEnabled(enabled and button.property("fits") is not False)

    def _show_progress(self, visible: bool) -> None:
        self.bar.setVisible(visible)
        self.cancel_button.setVisible(visible)
        self.cancel_button.setEnabled(visible)
        self.transfer_label.setVisible(visible)

    def reject(self) -> None:
        """Closing stops a download (its part is kept for next time)."""
        if self.job is not None:
            self.job.cancel()
        super().reject()

    @property
    def busy(self) -> bool:
        """A download, copy or switch is running."""
        return self.job is not None and not self.job.finished

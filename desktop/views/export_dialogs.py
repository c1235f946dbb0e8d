"""Export from the desktop: a chat to Markdown or PDF, a knowledge base to a bundle and back.

The work runs on the worker pool (desktop.tasks); bundles show a progress dialog whose
Cancel stops them, leaving nothing behind. Every action is greyed out, with a tooltip
saying why, while export is turned off (IT's policy or an administrator).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from core import BundleProgress, BundleReport, BundleStage, Chat, KnowledgeBase, Role, Settings
from desktop.context import Context
from desktop.safe_text import plain
from desktop.tasks import Job

MIN_PASSPHRASE = 8
"""As the core requires (it refuses shorter ones too); checked here to keep OK greyed."""


def export_off(settings: Settings) -> str:
    """Why export does nothing here ('' while it is allowed), for a tooltip."""
    if settings.allow_export:
        return ""
    source = settings.policy.source if settings.locked_by("allow_export") else ""
    if source:
        text = QCoreApplication.translate("ExportDialogs", "Turned off by your IT policy ({path})")
        return text.format(path=source)
    return QCoreApplication.translate("ExportDialogs", "Turned off on this computer")


def _told(parent: QWidget, title: str, text: str) -> None:
    """A note that does not block (the window goes on working), shown literally."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


class ChatExporter(QObject):
    """'Export as Markdown…' / 'Export as PDF…' for the chat list's menu.

    Emits `exported(path)` once the file is written.
    """

    exported = Signal(str)

    def __init__(self, ctx: Context, view: QWidget) -> None:
        super().__init__(view)
        self.ctx, self.view = ctx, view

    def add_to(self, menu: QMenu, chat: Chat) -> list[QAction]:
        """Add the export actions for `chat` to `menu` (greyed, with the reason, when off)."""
        off = export_off(self.ctx.engine.settings)
        menu.setToolTipsVisible(True)
        actions = []
        for fmt, text in (
            ("md", self.tr("Export as Markdown…")),
            ("pdf", self.tr("Export as PDF…")),
        ):
            action = menu.addAction(text)
            action.setObjectName(f"exportChat_{fmt}")
            action.setEnabled(not off)
            action.setToolTip(off)
            action.triggered.connect(lambda _c=False, f=fmt: self.export(chat, f))
            actions.append(action)
        return actions

    def export(self, chat: Chat, fmt: str, path: Path | None = None) -> None:
        """Ask where (unless `path`), then write the chat there in the background."""
        if path is None:
            path = self._ask_path(chat, fmt)
            if path is None:
                return
        engine, session, lang = self.ctx.engine, self.ctx.user, self.ctx.lang
        self.ctx.tasks.run(
            lambda: engine.exports.chat(session, chat.id, path, fmt, lang),
            self._on_written,
            lambda exc: self.ctx.error(self.view, exc),
        )

    def _ask_path(self, chat: Chat, fmt: str) -> Path | None:
        stem = "".join(c for c in chat.title if c.isalnum() or c in " -_").strip() or "chat"
        kinds = self.tr("Markdown (*.md)") if fmt == "md" else self.tr("PDF (*.pdf)")
        name, _ = QFileDialog.getSaveFileName(
            self.view, self.tr("Export chat"), f"{stem[:60]}.{fmt}", kinds
        )
        return Path(name) if name else None

    def _on_written(self, path: Path) -> None:
        self.exported.emit(str(path))
        _told(
            self.view,
            self.tr("Chat exported"),
            self.tr("Written to {path}. The file is not encrypted: keep it safe.").format(
                path=path
            ),
        )


class PassphraseDialog(QDialog):
    """A bundle's passphrase, typed unechoed (twice to export); OK only when usable."""

    def __init__(self, parent: QWidget, *, confirm: bool) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Bundle passphrase"))
        form = QFormLayout(self)
        self.first = QLineEdit(self)
        self.second = QLineEdit(self)
        for field in (self.first, self.second):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.textChanged.connect(self._on_field_text_changed)
        form.addRow(self.tr("Passphrase"), self.first)
        if confirm:
            form.addRow(self.tr("Repeat"), self.second)
            note = self.tr(
                "Whoever imports the bundle needs this passphrase; it cannot be recovered."
            )
            form.addRow(plain(QLabel(note, self)))
        else:
            self.second.hide()
        self.confirm = confirm
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._on_field_text_changed()

    def passphrase(self) -> str:
        """What was typed."""
        return self.first.text()

    @Slot()
    def _on_field_text_changed(self) -> None:
        text = self.first.text()
        usable = len(text) >= MIN_PASSPHRASE and (not self.confirm or self.second.text() == text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(usable)


class BundleBar(QWidget):
    """The library's 'Export as bundle…' and 'Import bundle…' buttons.

    Emits `imported(name)` with the name the new knowledge base got.
    """

    imported = Signal(str)

    def __init__(self, ctx: Context, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kb: KnowledgeBase | None = None
        self.job: Job | None = None
        self.progress: QProgressDialog | None = None
        self.report: BundleReport | None = None
        self.written: Path | None = None
        self.export_button = QPushButton(self.tr("Export as bundle…"), self)
        self.export_button.setObjectName("kbExportBundle")
        self.export_button.clicked.connect(self._on_export_button_clicked)
        self.import_button = QPushButton(self.tr("Import bundle…"), self)
        self.import_button.setObjectName("kbImportBundle")
        self.import_button.clicked.connect(self._on_import_button_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.export_button)
        row.addWidget(self.import_button)
        row.addStretch(1)

    def show_kb(self, kb: KnowledgeBase | None) -> None:
        """Enable what the selected knowledge base, the role and the policy allow."""
        self.kb = kb
        off = export_off(self.ctx.engine.settings)
        idle = self.job is None or self.job.finished
        writable = kb is not None and kb.can_write and kb.remote is None and bool(kb.documents)
        creator = self.ctx.user.user.role in (Role.EDITOR, Role.ADMIN)
        self.export_button.setEnabled(not off and idle and writable)
        self.import_button.setEnabled(not off and idle and creator)
        self.export_button.setToolTip(
            off or self.tr("Write this knowledge base, encrypted, to one file for another computer")
        )
        self.import_button.setToolTip(off or self.tr("Add a knowledge base from a bundle file"))

    @Slot()
    def _on_export_button_clicked(self) -> None:
        if self.kb is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export as bundle"),
            f"{self.kb.name}.kbundle",
            self.tr("Konspekt bundles (*.kbundle)"),
        )
        dialog = PassphraseDialog(self, confirm=True)
        if name and dialog.exec() == QDialog.DialogCode.Accepted:
            self.export_bundle(self.kb, Path(name), dialog.passphrase())

    @Slot()
    def _on_import_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import bundle"),
            "",
            self.tr("Konspekt bundles (*.kbundle);;All files (*)"),
        )
        dialog = PassphraseDialog(self, confirm=False)
        if name and dialog.exec() == QDialog.DialogCode.Accepted:
            self.import_bundle(Path(name), dialog.passphrase())

    def export_bundle(self, kb: KnowledgeBase, path: Path, passphrase: str) -> None:
        """Write `kb` to `path` in the background, with progress and Cancel."""
        engine, session = self.ctx.engine, self.ctx.user

        def make(cancel: threading.Event) -> Iterator[BundleProgress]:
            return engine.bundles.export(session, kb.name, path, passphrase, cancel)

        self._start(self.tr("Exporting “{name}”…").format(name=kb.name), make, path)

    def import_bundle(self, path: Path, passphrase: str) -> None:
        """Import the bundle at `path` in the background, with progress and Cancel."""
        engine, session = self.ctx.engine, self.ctx.user

        def make(cancel: threading.Event) -> Iterator[BundleProgress]:
            return engine.bundles.import_(session, path, passphrase, cancel)

        self._start(self.tr("Importing {file}…").format(file=path.name), make, None)

    def _start(
        self,
        label: str,
        make: Callable[[threading.Event], Iterator[BundleProgress]],
        written: Path | None,
    ) -> None:
        """Run `make` on a worker; `written` is the export's file (None: an import)."""
        progress = QProgressDialog(label, self.tr("Cancel"), 0, 0, self)
        progress.setObjectName("bundleProgress")
        progress.setWindowTitle(self.tr("Knowledge-base bundle"))
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.progress, self.report, self.written = progress, None, written
        self.job = self.ctx.tasks.stream(make, self._on_event, self._on_done, self._on_error)
        progress.canceled.connect(self.job.cancel)
        progress.show()
        self.show_kb(self.kb)

    def _on_event(self, event: BundleProgress) -> None:
        if event.report is not None:
            self.report = event.report
        if self.progress is None or event.stage is BundleStage.FINISHED:
            return
        top = max(event.total, 1)
        part = event.chunks / event.file_chunks if event.file_chunks else 0.0
        self.progress.setMaximum(top)
        self.progress.setValue(min(int(event.done + part), top))
        self.progress.setLabelText(event.document)

    def _on_done(self, _result: object) -> None:
        self._close_progress()
        report = self.report
        if report is None or report.cancelled:
            return
        if self.written is not None:
            text = self.tr("“{name}” ({count} documents) written to {path}.").format(
                name=report.kb, count=report.documents, path=self.written
            )
            _told(self, self.tr("Bundle exported"), text)
            return
        text = self.tr("Imported as “{name}”: {count} documents.").format(
            name=report.kb, count=report.documents
        )
        if report.re_embedded:
            text += " " + self.tr("Its passages were re-embedded for this computer's search.")
        self.imported.emit(report.kb)
        _told(self, self.tr("Bundle imported"), text)

    def _on_error(self, exc: BaseException) -> None:
        self._close_progress()
        self.ctx.error(self, exc)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.show_kb(self.kb)

"""The library: knowledge bases and their documents; add, re-index, delete, share."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelection, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core import Document, IngestProgress, IngestReport, IngestStage, KnowledgeBase, Role
from desktop.context import Context
from desktop.itemmodels.documents import DocumentTableModel
from desktop.itemmodels.knowledge_bases import KnowledgeBaseListModel
from desktop.itemmodels.rows import ROW_ROLE, SORT_ROLE
from desktop.safe_text import ask, plain, tooltip, warn
from desktop.tasks import Job
from desktop.views.export_dialogs import BundleBar
from desktop.views.kb_actions import KnowledgeBaseActions
from desktop.views.remote_kb_bar import RemoteKbBar


class LibraryView(QWidget):
    """Emits `changed()` after documents or knowledge bases changed (the chat scope reloads)."""

    changed = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("libraryView")
        self.setAcceptDrops(True)
        self.job: Job | None = None
        self.kbs = KnowledgeBaseListModel(self)
        self.documents = DocumentTableModel(self, ctx.lang)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.documents)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.kb_actions = KnowledgeBaseActions(ctx, self.current_kb, self)
        self.kb_actions.edited.connect(self._on_kb_actions_edited)
        self.kb_actions.reread.connect(self._on_kb_actions_reread)
        self.kb_actions.documents_changed.connect(self.refresh_documents)
        self._build()
        self._retranslate()

    def _build(self) -> None:
        self.kb_table = QTableView(self)
        self.kb_table.setObjectName("kbTable")
        self.kb_table.setModel(self.kbs)
        self.kb_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.kb_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.kb_table.verticalHeader().setVisible(False)
        self.kb_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.kb_table.selectionModel().selectionChanged.connect(self._on_kb_table_selection)
        self.kb_buttons = {
            name: QPushButton(self)
            for name in ("create", "rename", "share", "assistant", "watch", "delete")
        }
        for name, button in self.kb_buttons.items():
            button.setObjectName(f"kb_{name}")
        self.kb_buttons["create"].clicked.connect(self.kb_actions.create)
        self.kb_buttons["rename"].clicked.connect(self.kb_actions.rename)
        self.kb_buttons["share"].clicked.connect(self.kb_actions.share)
        self.kb_buttons["assistant"].clicked.connect(self.kb_actions.assistant)
        self.kb_buttons["watch"].clicked.connect(self.kb_actions.watch)
        self.kb_buttons["delete"].clicked.connect(self.kb_actions.delete)
        left = QWidget(self)
        box = QVBoxLayout(left)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.kb_table)
        row = QHBoxLayout()
        for button in self.kb_buttons.values():
            row.addWidget(button)
        box.addLayout(row)
        self.remote_bar = RemoteKbBar(self.ctx, left)  # a team server's KB: keep a copy, sync
        self.remote_bar.changed.connect(self._on_kb_actions_edited)
        box.addWidget(self.remote_bar)
        self.bundle_bar = BundleBar(self.ctx, left)  # export as / import an encrypted bundle
        self.bundle_bar.imported.connect(self._on_kb_actions_edited)
        box.addWidget(self.bundle_bar)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("documentFilter")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.doc_table = QTableView(self)
        self.doc_table.setObjectName("documentTable")
        self.doc_table.setModel(self.proxy)
        self.doc_table.setSortingEnabled(True)
        self.doc_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.doc_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.doc_table.verticalHeader().setVisible(False)
        self.doc_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.doc_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.doc_buttons = {
            name: QPushButton(self) for name in ("files", "folder", "reindex", "delete")
        }
        for name, button in self.doc_buttons.items():
            button.setObjectName(f"doc_{name}")
        self.doc_buttons["files"].clicked.connect(self.add_files)
        self.doc_buttons["folder"].clicked.connect(self.add_folder)
        self.doc_buttons["reindex"].clicked.connect(self.reindex)
        self.doc_buttons["delete"].clicked.connect(self.delete_documents)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("ingestProgress")
        self.progress_label = plain(QLabel(self))
        self.progress_label.setObjectName("ingestLabel")
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("ingestCancel")
        self.cancel_button.clicked.connect(self.cancel_ingest)
        self._show_progress(False)
        right = QWidget(self)
        box = QVBoxLayout(right)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.filter)
        box.addWidget(self.doc_table, 1)
        row = QHBoxLayout()
        for button in self.doc_buttons.values():
            row.addWidget(button)
        row.addStretch(1)
        box.addLayout(row)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        box.addWidget(self.progress_label)
        box.addLayout(progress_row)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([330, 800])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.documents.lang = self.ctx.lang
            self._retranslate()
            self._update_buttons()  # its tooltips are in the language too
        super().changeEvent(event)

    def _retranslate(self) -> None:
        texts = {
            "create": self.tr("New…"),
            "rename": self.tr("Rename…"),
            "share": self.tr("Share…"),
            "assistant": self.tr("Assistant…"),
            "watch": self.tr("Watch…"),
            "delete": self.tr("Delete"),
        }
        for name, text in texts.items():
            self.kb_buttons[name].setText(text)
        texts = {
            "files": self.tr("Add files…"),
            "folder": self.tr("Add folder…"),
            "reindex": self.tr("Re-index"),
            "delete": self.tr("Delete"),
        }
        for name, text in texts.items():
            self.doc_buttons[name].setText(text)
        self.kb_buttons["delete"].setAccessibleName(self.tr("Delete knowledge base"))
        self.kb_buttons["assistant"].setToolTip(
            self.tr("Instructions and answer settings for questions in this knowledge base")
        )
        self.doc_buttons["delete"].setAccessibleName(self.tr("Delete documents"))
        self.filter.setPlaceholderText(self.tr("Filter documents"))
        self.filter.setAccessibleName(self.tr("Filter documents"))
        self.kb_table.setAccessibleName(self.tr("Knowledge bases"))
        self.doc_table.setAccessibleName(self.tr("Documents"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.doc_table.setToolTip(self.tr("Drop files or folders here to add them"))

    # Data -----------------------------------------------------------------------------
    def current_kb(self) -> KnowledgeBase | None:
        """The selected knowledge base."""
        index = self.kb_table.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def refresh(self, select: str | None = None) -> None:
        """Reload the knowledge bases (keeping or changing the selection)."""
        engine, session = self.ctx.engine, self.ctx.user
        kb = self.current_kb()
        current = select or (kb.name if kb is not None else None)
        self.remote_bar.publisher.refresh()
        self.ctx.tasks.run(
            lambda: engine.kbs.visible(session),
            lambda kbs: self._on_kbs_loaded(kbs, current),
            lambda exc: self.ctx.error(self, exc),
        )

    def _on_kbs_loaded(self, kbs: list[KnowledgeBase], select: str | None) -> None:
        self.kbs.set_rows(kbs)
        row = self.kbs.row_of(select) if select else -1
        self.kb_table.selectRow(row if row >= 0 else 0)
        self._update_buttons()

    @Slot(QItemSelection, QItemSelection)
    def _on_kb_table_selection(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self.refresh_documents()
        self._update_buttons()

    @Slot()
    def refresh_documents(self) -> None:
        """Reload the documents of the selected knowledge base."""
        kb = self.current_kb()
        if kb is None:
            self.documents.set_rows([])
            return
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: engine.documents.all(session, None if kb.personal else kb.name),
            self.documents.set_rows,
            lambda exc: self.ctx.error(self, exc),
        )

    def _update_buttons(self) -> None:
        kb = self.current_kb()
        editor = self.ctx.user.user.role in (Role.EDITOR, Role.ADMIN)
        ingesting = self.job is not None and not self.job.finished
        self.kb_buttons["create"].setEnabled(editor)
        manage = kb is not None and kb.can_manage
        self.kb_buttons["share"].setEnabled(manage)
        self.kb_buttons["assistant"].setEnabled(kb is not None and kb.remote is None)
        settings = self.ctx.engine.settings
        watch = self.kb_buttons["watch"]
        watch.setEnabled(kb is not None and kb.remote is None and settings.allow_watched_folders)
        self.remote_bar.show_kb(kb)
        self.bundle_bar.show_kb(kb)
        for name in ("rename", "delete"):  # the personal KB is shared, never renamed or deleted
            self.kb_buttons[name].setEnabled(manage and kb is not None and not kb.personal)
        uploads_off = kb is not None and kb.personal and not settings.allow_private_uploads
        for name, button in self.doc_buttons.items():
            adds = name in ("files", "folder")
            button.setEnabled(
                bool(kb and kb.can_write) and not ingesting and not (adds and uploads_off)
            )
        self._explain_switches(uploads_off)

    def _explain_switches(self, uploads_off: bool) -> None:
        """Say why a button IT's policy (or an admin) turned off does nothing."""
        settings = self.ctx.engine.settings
        source = settings.policy.source
        off = (
            self.tr("Turned off by your IT policy ({path})").format(path=source)
            if source
            else self.tr("Turned off on this computer")
        )
        self.kb_buttons["watch"].setToolTip(
            self.tr("Folders this knowledge base follows: changes are indexed automatically")
            if settings.allow_watched_folders
            else off
        )
        for name in ("files", "folder"):
            self.doc_buttons[name].setToolTip(off if uploads_off else "")

    @Slot(str)
    def _on_kb_actions_edited(self, select: str) -> None:
        """A stored change: re-read the lists (showing `select`) and tell the chat's scope."""
        self.refresh(select or None)
        self.changed.emit()

    @Slot(str)
    def _on_kb_actions_reread(self, select: str) -> None:
        self.refresh(select)

    # Documents --------------------------------------------------------------------------
    @Slot()
    def add_files(self) -> None:
        """Pick files to index into the selected knowledge base."""
        names, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("Add files"),
            "",
            self.tr(
                "Documents (*.pdf *.docx *.xlsx *.pptx *.csv *.txt *.md *.html *.htm *.zip);;All files (*)"  # noqa: E501
            ),
        )
        if names:
            self.ingest([Path(n) for n in names])

    @Slot()
    def add_folder(self) -> None:
        """Pick a folder to index (all supported files at any depth)."""
        name = QFileDialog.getExistingDirectory(self, self.tr("Add folder"))
        if name:
            self.ingest([Path(name)])

    @Slot()
    def reindex(self) -> None:
        """Index the selected documents again from where they came from."""
        docs = self._selected_documents()
        paths = sorted({Path(d.source) for d in docs if "!" not in d.source})
        missing = [p for p in paths if not p.exists()]
        if missing:
            warn(
                self,
                self.tr("Re-index"),
                self.tr("These files are no longer where they were indexed from:\n{names}").format(
                    names="\n".join(map(str, missing))
                ),
            )
        if present := [p for p in paths if p.exists()]:
            self.ingest(present)

    @Slot()
    def delete_documents(self) -> None:
        """Delete the selected documents after confirmation."""
        docs = self._selected_documents()
        if not docs:
            return
        asked = ask(
            self,
            self.tr("Delete documents"),
            self.tr("Remove {count} document(s) from the knowledge base?").format(count=len(docs)),
        )
        if not asked:
            return
        engine, session = self.ctx.engine, self.ctx.user

        def delete() -> None:
            for doc in docs:
                engine.documents.delete(session, doc.id)

        self.ctx.tasks.run(
            delete, lambda _r: self._on_kb_actions_edited(""), lambda e: self.ctx.error(self, e)
        )

    def _selected_documents(self) -> list[Document]:
        rows = {
            self.proxy.mapToSource(i).row() for i in self.doc_table.selectionModel().selectedRows()
        }
        return [d for r in sorted(rows) if (d := self.documents.row_at(r)) is not None]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        kb = self.current_kb()
        if event.mimeData().hasUrls() and kb is not None and kb.can_write:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.ingest(paths)

    def ingest(self, paths: list[Path]) -> None:
        """Index `paths` into the selected KB with a progress bar; Cancel stops within a file."""
        kb = self.current_kb()
        if kb is None or (self.job is not None and not self.job.finished):
            return
        engine, session, target = self.ctx.engine, self.ctx.user, None if kb.personal else kb.name
        self.failures: list[str] = []
        self._show_progress(True)
        self.progress.setRange(0, 0)
        self.progress_label.setText(self.tr("Looking for documents…"))
        self.job = self.ctx.tasks.stream(
            lambda cancel: engine.documents.ingest(session, paths, target, cancel),
            self._on_ingest_event,
            self._on_ingest_done,
            self._on_ingest_failed,
        )
        self._update_buttons()

    def _on_ingest_event(self, event: IngestProgress) -> None:
        if event.total:
            self.progress.setRange(0, event.total * 100)
            inside = int(100 * event.chunks / event.file_chunks) if event.file_chunks else 0
            done = event.done * 100 + (inside if event.stage is IngestStage.EMBEDDING else 0)
            self.progress.setValue(min(done, event.total * 100))
        name = Path(event.source).name
        if event.stage is IngestStage.EMBEDDING and event.file_chunks:
            percent = int(100 * event.chunks / event.file_chunks)
            text = self.tr("Indexing {name}: {percent} %").format(name=name, percent=percent)
            pace = event.pace(self.ctx.lang)
            self.progress_label.setText(f"{text} · {pace}" if pace else text)
            self.documents.set_progress(event.source, percent)
        elif event.stage is IngestStage.FAILED:
            self.failures.append(event.error(self.ctx.lang))
        elif event.stage in (IngestStage.INDEXED, IngestStage.SKIPPED):
            self.documents.set_progress(event.source, None)
        if event.report is not None:
            self._report(event.report)

    def _report(self, report: IngestReport) -> None:
        text = self.tr(
            "Indexed {indexed}, unchanged {skipped}, failed {failed}, removed {removed}."
        ).format(
            indexed=report.indexed,
            skipped=report.skipped,
            failed=report.failed,
            removed=report.removed,
        )
        if report.cancelled:
            text = self.tr("Cancelled; the files finished before it are kept. ") + text
        self.progress_label.setText(text)
        if self.failures:
            self.progress_label.setToolTip(tooltip("\n".join(self.failures)))
            self.progress_label.setText(text + "\n" + "\n".join(self.failures[:5]))

    def _on_ingest_done(self, _result: object) -> None:
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self._update_buttons()
        self.refresh()
        self.changed.emit()

    def _on_ingest_failed(self, exc: BaseException) -> None:
        self._show_progress(False)
        self._update_buttons()
        self.ctx.error(self, exc)

    @Slot()
    def cancel_ingest(self) -> None:
        """Stop indexing within the current file; finished files stay."""
        if self.job is not None:
            self.job.cancel()
            self.progress_label.setText(self.tr("Stopping…"))

    def _show_progress(self, visible: bool) -> None:
        self.progress.setVisible(visible)
        self.cancel_button.setVisible(visible)
        self.progress_label.setVisible(visible)

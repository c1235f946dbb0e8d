"""A cited source opened at its place: the PDF page, or the text with the passage marked."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core import InvalidInput, PageImage, Passage, Source
from desktop.context import Context
from desktop.safe_text import SafeTextBrowser, plain
from desktop.views.passage_text import passage_html

_PAGE, _TEXT = range(2)


class SourceDialog(QDialog):
    """Opens `source`: a PDF at its cited page (with paging), anything else as marked text."""

    def __init__(self, ctx: Context, source: Source, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.source = ctx, source
        self.setObjectName("sourceDialog")
        self.setWindowTitle(source.document)
        screen = self.screen().availableGeometry()
        self.resize(min(860, screen.width() - 40), min(900, screen.height() - 60))
        self.page = source.location.page or 1
        self.where = QLabel(self)
        self.where.setObjectName("sourceWhere")
        self.where.setWordWrap(True)
        self.where.setTextFormat(Qt.TextFormat.RichText)  # its parts are escaped
        self.stack = QStackedWidget(self)
        self.image = QLabel(self)
        self.image.setObjectName("pageImage")
        self.image.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        self.text = SafeTextBrowser(self)
        self.text.setObjectName("sourceText")
        self.stack.addWidget(scroll)
        self.stack.addWidget(self.text)
        self.previous = QPushButton(self.tr("◀ Previous page"), self)
        self.next = QPushButton(self.tr("Next page ▶"), self)
        self.previous.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next.clicked.connect(lambda: self.show_page(self.page + 1))
        self.snippet = plain(QLabel(self))
        self.snippet.setWordWrap(True)
        self.snippet.setObjectName("sourceSnippet")
        snippet = " ".join(source.snippet.split())
        self.snippet.setText(self.tr("Cited passage: “{text}”").format(text=snippet[:300]))
        nav = QHBoxLayout()
        nav.addWidget(self.previous)
        nav.addStretch(1)
        nav.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.addWidget(self.where)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.snippet)
        layout.addLayout(nav)
        self._describe()
        if source.document_id and source.location.page:
            self.show_page(self.page)
        else:
            self.show_text()

    def _describe(self, page: int | None = None) -> None:
        label = self.tr("page {page}").format(page=page) if page else self.source.location.label
        place = " · ".join(p for p in (label, self.source.location.heading) if p)
        self.where.setText(f"<b>{html.escape(self.source.document)}</b> · {html.escape(place)}")

    def show_page(self, page: int) -> None:
        """Render page `page` of the PDF (falls back to the text for other documents)."""
        if page < 1:
            return
        self.page = page
        engine, session, doc = self.ctx.engine, self.ctx.user, self.source.document_id
        width, remote = max(600, self.width() - 60), self.source.remote_kb
        self.ctx.tasks.run(  # a team server's document is read there (or from the copy here)
            lambda: engine.documents.render_page(session, doc, page, width, remote_kb=remote),
            self._on_page_rendered,
            self._on_page_failed,
        )

    def _on_page_rendered(self, image: PageImage) -> None:
        qimage = QImage(
            image.rgb, image.width, image.height, image.width * 3, QImage.Format.Format_RGB888
        )
        self.image.setPixmap(QPixmap.fromImage(qimage.copy()))
        self.image.setAccessibleName(self.tr("Page {page}").format(page=image.page))
        self.page = image.page
        self.stack.setCurrentIndex(_PAGE)
        self.previous.setEnabled(image.page > 1)
        self.next.setEnabled(True)
        self._describe(image.page)

    def _on_page_failed(self, exc: BaseException) -> None:
        if isinstance(exc, InvalidInput):
            self.show_text()
        else:
            self.ctx.error(self, exc)

    def show_text(self) -> None:
        """Show the document's text with the cited passage highlighted and scrolled to."""
        self.previous.setVisible(False)
        self.next.setVisible(False)
        self.stack.setCurrentIndex(_TEXT)
        if not self.source.document_id:
            self.text.setPlainText(self.source.snippet)
            return
        engine, session, doc = self.ctx.engine, self.ctx.user, self.source.document_id
        remote = self.source.remote_kb
        self.ctx.tasks.run(
            lambda: engine.documents.passages(session, doc, remote_kb=remote),
            self._on_passages_loaded,
            lambda exc: self.ctx.error(self, exc),
        )

    def _on_passages_loaded(self, passages: list[Passage]) -> None:
        parts: list[str] = []
        for p in passages:
            body = passage_html(p.text, self.source.document)
            if p.chunk_id == self.source.chunk_id:
                marked = body.replace("<p>", '<p style="background:#fff3a3; color:#000">')
                start, end = marked.find(">") + 1, marked.find("</p>")
                body = f'{marked[:start]}<a name="cited">{marked[start:end]}</a>{marked[end:]}'
            label = (
                f"<p style='color:gray'>{html.escape(p.location.label)}</p>"
                if p.location.label
                else ""
            )
            parts.append(f"{label}{body}")
        self.text.setHtml("".join(parts))
        self.text.scrollToAnchor("cited")

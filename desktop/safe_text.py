"""Document and model text on screen without letting it fetch anything (no file://, no UNC).

Qt renders rich text wherever it guesses markup (labels, tooltips, message boxes) and
loads every `<img src>`, `![](…)` and style sheet it names: on Windows a
`file://host/share/x` is an SMB connection that hands the user's NTLM hash to `host`.
So text that came from a document, a file name, a user or the model is shown either as
plain text or in a `SafeTextBrowser`, which loads nothing but the app's own resources.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QLabel, QMessageBox, QTextBrowser, QWidget

ALLOWED_SCHEMES = frozenset({"qrc"})
"""Resources the app itself ships (compiled into the binary); nothing else is loaded."""


class SafeTextBrowser(QTextBrowser):
    """A read-only browser that loads only `ALLOWED_SCHEMES` and never follows a link.

    Links are reported through `anchorClicked` for the view to handle; `refused` lists
    the resources the text asked for and did not get.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.refused: list[QUrl] = []

    def show_markdown(self, text: str) -> None:
        """Render `text` as Markdown with any HTML in it shown as typed, not interpreted.

        Raw HTML in Markdown is what a document or a model would use to smuggle tags in;
        Qt's importer also drops everything after some inline tags.
        """
        features = (
            QTextDocument.MarkdownFeature.MarkdownDialectGitHub
            | QTextDocument.MarkdownFeature.MarkdownNoHTML
        )
        self.document().setMarkdown(text, features)

    def loadResource(self, type: int, name: QUrl | str) -> object:
        url = QUrl(name)
        if url.scheme().lower() in ALLOWED_SCHEMES:
            return super().loadResource(type, url)
        self.refused.append(url)
        # Never None or an empty image: for those QTextDocument, and then Qt's image
        # handler, try to read the file themselves.
        if type == int(QTextDocument.ResourceType.ImageResource):
            return _NO_IMAGE
        return ""


def _blank_pixel() -> QImage:
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(0)
    return image


_NO_IMAGE = _blank_pixel()


def plain(label: QLabel) -> QLabel:
    """`label` set to show its text literally, whatever it contains."""
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def tooltip(text: str) -> str:
    """`text` as a tooltip shown literally (Qt treats a tooltip that looks like HTML as HTML)."""
    if not text:
        return ""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/No question whose text (it may name a document or chat) is shown literally."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def warn(parent: QWidget | None, title: str, text: str) -> None:
    """A warning whose text is shown literally."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()

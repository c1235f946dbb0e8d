"""Small shared form helpers: password fields and inline error labels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget


def password_field(parent: QWidget, name: str) -> QLineEdit:
    """A masked line edit with an object name for tests and accessibility tools."""
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setObjectName(name)
    return field


def line_field(parent: QWidget, name: str) -> QLineEdit:
    """A plain line edit with an object name."""
    field = QLineEdit(parent)
    field.setObjectName(name)
    return field


def message_label(parent: QWidget, name: str) -> QLabel:
    """A wrapped label for inline errors and hints (red for errors via `show_problem`).

    Plain text: a reason may quote a file or user name.
    """
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def make_title(label: QLabel, scale: float = 1.0) -> QLabel:
    """`label` in a bold font `scale` times the normal size.

    A font, not a style sheet: a styled label keeps the palette it was polished with, so
    after a switch to the dark theme its text stayed black on dark grey.
    """
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def banner_label(parent: QWidget, name: str) -> QLabel:
    """A hidden, plain-text notice strip (shown above content, e.g. 'offline')."""
    label = message_label(parent, name)
    label.setStyleSheet(
        "background: #fff3cd; color: #664d03; border: 1px solid #ffe69c; padding: 6px;"
    )
    return label


def show_problem(label: QLabel, text: str) -> None:
    """Show `text` as an inline error ('' hides it)."""
    label.setStyleSheet("color: #c0392b;")
    label.setText(text)
    label.setVisible(bool(text))


def show_hint(label: QLabel, text: str) -> None:
    """Show `text` as an inline neutral note ('' hides it)."""
    label.setStyleSheet("")
    label.setText(text)
    label.setVisible(bool(text))

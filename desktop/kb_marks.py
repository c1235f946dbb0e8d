"""How a knowledge base is named in lists and pickers: server ones are marked as such."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QComboBox, QStyle

from core import KnowledgeBase
from desktop.safe_text import tooltip


def kb_title(kb: KnowledgeBase) -> str:
    """The name shown; a team server's KB carries a suffix so it reads apart in plain text."""
    if kb.personal:
        return QCoreApplication.translate("KbMarks", "My uploads")
    if kb.remote is not None:
        return QCoreApplication.translate("KbMarks", "{name} · server").format(name=kb.name)
    return kb.name


def kb_icon(kb: KnowledgeBase) -> QIcon:
    """A network-drive icon for a team server's KB, none for the others."""
    if kb.remote is None:
        return QIcon()
    return QApplication.style().standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon)


def synced_text(synced_at: float) -> str:
    """'14:02' today, '2026-11-30 14:02' before (a copy may be days old when offline)."""
    stamp = time.localtime(synced_at)
    today = time.localtime()
    same_day = stamp[:3] == today[:3]
    return time.strftime("%H:%M" if same_day else "%Y-%m-%d %H:%M", stamp)


def kb_server_note(kb: KnowledgeBase) -> str:
    """Where a server's KB lives and whether this computer keeps a copy ('' for local KBs)."""
    remote = kb.remote
    if remote is None:
        return ""
    where = QCoreApplication.translate("KbMarks", "On the team server {url}").format(
        url=remote.server
    )
    if not remote.keep_copy:
        copy = QCoreApplication.translate(
            "KbMarks", "Not kept on this computer: asked on the server only."
        )
    elif remote.synced_at is None:
        copy = QCoreApplication.translate(
            "KbMarks", "A copy will be kept on this computer (not synced yet)."
        )
    else:
        copy = QCoreApplication.translate(
            "KbMarks", "Copy on this computer synced at {time}."
        ).format(time=synced_text(remote.synced_at))
    return f"{where}\n{copy}"


def fill_kb_picker(combo: QComboBox, kbs: list[KnowledgeBase], everything: str) -> None:
    """`everything` (no KB) first, then each KB, team servers' marked; the choice is kept."""
    current = combo.currentData()
    combo.clear()
    combo.addItem(everything, None)
    for kb in kbs:
        combo.addItem(kb_icon(kb), kb_title(kb), kb.name)
        note = "\n".join(x for x in (kb.description, kb_server_note(kb)) if x)
        if note:  # the assistant's description, and where a server's KB lives
            combo.setItemData(combo.count() - 1, tooltip(note), Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(max(combo.findData(current), 0))

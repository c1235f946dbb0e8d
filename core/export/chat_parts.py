"""What both chat exports show the same way: headings, dates, each source's place and text."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from core.i18n import N_, tr
from core.types import Chat, ChatMessage, Source


@dataclass(frozen=True, slots=True)
class ChatExport:
    """A chat as it is exported: its messages and the full text of their passages."""

    chat: Chat
    messages: tuple[ChatMessage, ...]
    passages: Mapping[int, str]
    """Chunk id -> the whole passage, for sources the user can still read (else the
    snippet kept with the answer is shown)."""
    lang: str = "en"
    exported_at: float = 0.0


def when(seconds: float) -> str:
    """A moment as people write it in a document, in UTC (no local zone is guessed)."""
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(seconds))


def title_of(export: ChatExport) -> str:
    """The chat's title, or a stand-in for an untitled one."""
    return export.chat.title.strip() or tr("export_untitled", export.lang)


def header(export: ChatExport) -> str:
    """The line under the title: when it was exported and how many questions it holds."""
    questions = sum(1 for m in export.messages if m.role == "user")
    return tr("export_chat_header", export.lang, when=when(export.exported_at), questions=questions)


def role_label(message: ChatMessage, lang: str) -> str:
    """'Question' or 'Answer', with the time it was asked or given."""
    key = N_("export_question") if message.role == "user" else N_("export_answer")
    return f"{tr(key, lang)} · {when(message.created_at)}"


def place(source: Source, lang: str) -> str:
    """Where a passage is: its page (or slide, sheet) and heading path, '' when neither."""
    loc = source.location
    page = loc.label or (tr("export_page", lang, page=loc.page) if loc.page else "")
    return " — ".join(part for part in (page, loc.heading) if part)


def passage(source: Source, passages: Mapping[int, str]) -> str:
    """The passage's whole text when it is still readable, else the kept snippet."""
    if not source.remote_kb and source.chunk_id in passages:
        return passages[source.chunk_id]
    return source.snippet

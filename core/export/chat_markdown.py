"""A chat as Markdown: each question and answer, then the answer's sources and passages."""

from __future__ import annotations

from core.export.chat_parts import ChatExport, header, passage, place, role_label, title_of
from core.i18n import tr


def _quoted(text: str) -> list[str]:
    """A passage as a Markdown quote, blank lines kept inside the quote."""
    return [f"> {line}".rstrip() for line in text.strip().splitlines()] or [">"]


def chat_markdown(export: ChatExport) -> str:
    """The whole chat as one Markdown document (UTF-8 text, ending with a newline)."""
    lang = export.lang
    lines = [f"# {title_of(export)}", "", f"_{header(export)}_", ""]
    for message in export.messages:
        lines += ["---", "", f"### {role_label(message, lang)}", "", message.text.strip(), ""]
        if not message.sources:
            continue
        lines += [f"**{tr('export_sources', lang)}**", ""]
        for source in message.sources:
            where = place(source, lang)
            lines.append(
                f"{source.number}. **{source.document}**" + (f", {where}" if where else "")
            )
            lines += ["", *(f"   {q}" for q in _quoted(passage(source, export.passages))), ""]
    return "\n".join(lines).rstrip() + "\n"

"""`konspekt assistant` and `konspekt templates`: a KB's instructions, saved questions."""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from rich.table import Table
from rich.text import Text

from cli.console import console
from cli.context import CliError, Context
from cli.text import N_, t
from core import Assistant, fill_template


def _number(option: str, value: str | None, kind: type[int] | type[float], lang: str) -> object:
    """`value` as a number, None for "default", ... (Ellipsis) when the option was not given."""
    if value is None:
        return ...
    if value.strip().lower() in ("default", "по умолчанию"):
        return None
    try:
        return kind(value)
    except ValueError:
        raise CliError(t("assistant_bad_number", lang, option=option, value=value)) from None


def _read(path: str, lang: str) -> str:
    """A UTF-8 text file, or a CliError naming it."""
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(t("assistant_prompt_unreadable", lang, path=path, detail=exc)) from None


def _changed(ctx: Context, current: Assistant) -> Assistant | None:
    """The assistant with the options given applied, or None when none was given."""
    args, lang = ctx.args, ctx.lang
    changes: dict[str, object] = {}
    if args.prompt_file is not None:
        changes["instructions"] = _read(args.prompt_file, lang)
    if args.prompt is not None:
        changes["instructions"] = args.prompt
    if args.description is not None:
        changes["description"] = args.description
    numbers = (
        ("temperature", "--temperature", float),
        ("answer_tokens", "--answer-tokens", int),
        ("passages", "--passages", int),
    )
    for name, option, kind in numbers:
        value = _number(option, getattr(args, name), kind, lang)
        if value is not ...:
            changes[name] = value
    return replace(current, **changes) if changes else None  # type: ignore[arg-type]


def cmd_assistant(ctx: Context) -> int:
    """Show a KB's assistant; with options, change it first (write access to the KB)."""
    engine, lang, session = ctx.engine, ctx.lang, ctx.session
    assistant = engine.assistants.get(session, ctx.args.kb)
    changed = _changed(ctx, assistant)
    if changed is not None:
        assistant = engine.assistants.save(session, changed)
        console.print(t("assistant_saved", lang), style="green")
    settings = engine.settings

    def shown(value: object, default: object) -> str:
        return t("assistant_default", lang, value=default) if value is None else str(value)

    rows = (
        (N_("assistant_kb"), assistant.kb),
        (N_("assistant_description"), assistant.description or t("assistant_none", lang)),
        (N_("assistant_temperature"), shown(assistant.temperature, settings.temperature)),
        (N_("assistant_answer_tokens"), shown(assistant.answer_tokens, settings.max_answer_tokens)),
        (N_("assistant_passages"), shown(assistant.passages, settings.sources)),
        (N_("assistant_can_edit"), t("yes", lang) if assistant.can_edit else t("no", lang)),
    )
    for key, value in rows:
        label = t(key, lang)
        console.print(f"[bold]{label}:[/bold] ", end="")
        console.print(value, markup=False)
    label = t("assistant_instructions", lang)
    console.print(f"[bold]{label}:[/bold]")
    console.print(assistant.instructions or t("assistant_none", lang), markup=False)
    console.print(t("assistant_rule", lang), style="dim")
    return 0


def cmd_templates(ctx: Context) -> int:
    """Templates list|add|remove."""
    engine, args, lang, session = ctx.engine, ctx.args, ctx.lang, ctx.session
    if args.action == "add":
        text = args.text
        if args.file is not None:
            text = _read(args.file, lang)
        if not text:
            raise CliError(t("templates_text_needed", lang))
        made = engine.templates.add(session, args.name or "", text, kb=args.kb)
        console.print(t("templates_added", lang, name=made.name), markup=False)
        return 0
    if args.action == "remove":
        found = engine.templates.named(session, args.name or "", args.kb)
        engine.templates.remove(session, found.id)
        console.print(t("templates_removed", lang, name=found.name), markup=False)
        return 0
    templates = engine.templates.visible(session, args.kb)
    if not templates:
        console.print(t("templates_none", lang))
        return 0
    table = Table()
    for key in (N_("templates_col_name"), N_("templates_col_text"), N_("templates_col_where")):
        table.add_column(t(key, lang))
    for item in templates:
        where = item.kb if item.kb is not None else t("templates_personal", lang)
        table.add_row(Text(item.name), Text(item.text), Text(where))
    console.print(table)
    return 0


def templated_question(ctx: Context) -> str:
    """`ask`'s question: typed, or a template filled from its --set NAME=VALUE pairs."""
    args, lang = ctx.args, ctx.lang
    if not args.template:
        if not args.question:
            raise CliError(t("templates_question_needed", lang))
        return str(args.question)
    values: dict[str, str] = {}
    for pair in args.set or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(t("templates_bad_set", lang, value=pair))
        values[name.strip()] = value
    found = ctx.engine.templates.named(ctx.session, args.template, args.kb)
    return fill_template(found.text, values)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `assistant` and `templates` to the parser."""
    p = sub.add_parser("assistant", help="a knowledge base's instructions and answer settings")
    p.add_argument("kb", help="the knowledge base")
    p.add_argument("--prompt-file", help="instructions (tone, answer language) from a file")
    p.add_argument("--prompt", help="instructions as text ('' clears them)")
    p.add_argument("--description", help="one line shown in the knowledge-base picker")
    p.add_argument("--temperature", help="0 to 1.5, or 'default'")
    p.add_argument("--answer-tokens", dest="answer_tokens", help="16 to 4096, or 'default'")
    p.add_argument("--passages", help="passages per answer, 1 to 12, or 'default'")
    p.set_defaults(func=cmd_assistant)
    p = sub.add_parser("templates", help="saved questions with {placeholders}")
    p.add_argument("action", nargs="?", default="list", choices=["list", "add", "remove"])
    p.add_argument("name", nargs="?")
    p.add_argument("text", nargs="?", help="for add: the question, e.g. 'Summarise {document}'")
    p.add_argument("--file", help="for add: the question from a file")
    p.add_argument("--kb", help="shared with this knowledge base (its editors), or only it")
    p.set_defaults(func=cmd_templates)

"""`konspekt settings [show | set NAME VALUE | unset NAME]`: the settings and IT's locks."""

from __future__ import annotations

import argparse
from dataclasses import MISSING, fields
from typing import Any

from rich.markup import escape
from rich.table import Table

from cli.console import console
from cli.context import CliError, Context
from cli.text import N_, t
from core import SettingLocked, Settings, parse_setting

HIDDEN = frozenset({"ldap_bind_password"})
"""Settings whose value is never printed (only whether it is set)."""
NEVER = ("updates", "telemetry")
"""What IT may state in a policy but this build does not have."""


def shown(name: str, value: object, lang: str) -> str:
    """A setting's value as a person reads it."""
    if name in HIDDEN:
        return t("setting_hidden", lang) if value else ""
    if value is None:
        return t("setting_automatic", lang)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k} = {v}" for k, v in value.items())
    return str(value)


def cmd_show(args: argparse.Namespace, lang: str) -> int:
    """Every setting with its value, and which IT locked or preset (needs no login)."""
    overrides = {"key_store": args.key_store} if args.key_store else {}
    settings = Settings.load(args.data_dir, **overrides)
    policy = settings.policy
    if policy.source:
        locked, presets = ", ".join(policy.locked) or "—", ", ".join(policy.defaults) or "—"
        console.print(
            escape(t("policy_in_force", lang, source=policy.source, locked=locked, presets=presets))
        )
    else:
        console.print(t("policy_none", lang))
    table = Table()
    for col in (N_("col_setting"), N_("col_setting_value"), N_("col_setting_origin")):
        table.add_column(t(col, lang))
    for f in fields(settings):
        if f.name == "policy":
            continue
        origin = ""
        if policy.locks(f.name):
            origin = t("setting_locked_by", lang, source=policy.source)
        elif f.name in policy.defaults:
            origin = t("setting_preset_by", lang, source=policy.source)
        value = shown(f.name, getattr(settings, f.name), lang)
        table.add_row(f.name, escape(value), escape(origin))
    for name in NEVER:
        origin = t("setting_locked_by", lang, source=policy.source) if policy.locks(name) else ""
        table.add_row(name, t("setting_never", lang), escape(origin))
    console.print(table)
    return 0


def cmd_set(ctx: Context) -> int:
    """Set (or with `unset`, return to its default) one installation setting (admins)."""
    engine, args, lang = ctx.engine, ctx.args, ctx.lang
    settings, name = engine.settings, args.name
    if args.action == "set":
        value = parse_setting(name, args.value)
    else:
        value = _default(settings, name, lang)
    if settings.locked_by(name):  # said before any login: no one may change it
        raise SettingLocked(name, settings.locked_by(name))
    engine.system.apply_settings(ctx.session, settings.with_changes(**{name: value}))
    if getattr(engine.settings, name) != value:  # fixed for the engine's life
        toml = settings.data_dir / "konspekt.toml"
        raise CliError(t("setting_fixed", lang, name=name, path=toml))
    console.print(escape(t("setting_saved", lang, name=name, value=shown(name, value, lang))))
    return 0


def _default(settings: Settings, name: str, lang: str) -> Any:
    """IT's preset for `name`, else the built-in default."""
    if name in settings.policy.defaults:
        return settings.policy.defaults[name]
    for f in fields(settings):
        if f.name == name and f.default_factory is not MISSING:
            return f.default_factory()
        if f.name == name and f.default is not MISSING:
            return f.default
        if f.name == name:  # the data folder: chosen before anything is read
            raise CliError(t("setting_fixed", lang, name=name, path="konspekt.toml"))
    return parse_setting(name, "")  # not a setting: refused with its message


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `settings` to the parser."""
    p = sub.add_parser(
        "settings", help="show every setting and what IT's policy locks; set or unset one"
    )
    p.set_defaults(standalone=cmd_show)
    actions = p.add_subparsers(dest="action")
    actions.add_parser("show", help="every setting, its value and who set it (no login)")
    one = actions.add_parser("set", help="change an installation setting (administrators)")
    one.add_argument("name")
    one.add_argument("value", help="text as typed; numbers, true/false, ['a', 'b'] as TOML")
    one.set_defaults(func=cmd_set, standalone=None)
    one = actions.add_parser("unset", help="return a setting to its default (administrators)")
    one.add_argument("name")
    one.set_defaults(func=cmd_set, standalone=None)

r"""The machine-wide IT policy: settings IT presets, or locks, for every user of a computer.

IT writes a TOML file (`/etc/konspekt/policy.toml`, `%ProgramData%\Konspekt\policy.toml`,
`/Library/Application Support/Konspekt/policy.toml`) or, on Windows, Group Policy values
under `HKLM\Software\Policies\Konspekt` (packaging/windows/policy/konspekt.admx).
`[locked]` values win over everything a user or an administrator sets; `[defaults]` are
presets a user may change. A policy that cannot be used as written is a `PolicyInvalid`
naming the file and line: the app refuses to start rather than ignore IT's intent.
docs/policy.md is the IT guide.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType, NoneType, UnionType
from typing import Any, get_args, get_origin

from core.errors import PolicyInvalid

POLICY_ENV = "KONSPEKT_POLICY"
"""A policy file to use instead of the platform's ('' = none): tests, portable installs."""
REGISTRY_KEY = r"HKLM\Software\Policies\Konspekt"
"""Group Policy's values: the locked settings; its subkey `Defaults` holds presets."""
TABLES = ("locked", "defaults")
EXTRA_KEYS = ("updates", "telemetry")
"""Accepted so IT can state them, but only as false: Konspekt has neither."""
CHOICES: dict[str, tuple[str, ...]] = {
    "key_store": ("auto", "keyring", "passphrase", "env", "file"),
    "fusion_method": ("weighted", "rrf", "keyword", "vector"),
}
"""Settings with a closed set of values: a typo is refused, not discovered at first use."""

Schema = Mapping[str, Any]
"""Each setting a policy may set, with its type (`core.settings.setting_types()`): passed
down by the settings, which sit above this module."""


def _frozen(values: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(values or {}))


@dataclass(frozen=True, slots=True)
class Policy:
    """What IT decided for this computer; the empty policy (no `source`) decides nothing."""

    source: str = ""
    """The file's path or the registry key ('a + b' when both exist); '' for none."""
    locked: Mapping[str, Any] = field(default_factory=_frozen)
    """Forced values, already of the settings' types; they win over everything."""
    defaults: Mapping[str, Any] = field(default_factory=_frozen)
    """Presets that replace the built-in defaults; a user's own value wins over them."""

    def locks(self, name: str) -> bool:
        """Whether IT fixed the setting `name`."""
        return name in self.locked

    @property
    def locked_settings(self) -> dict[str, Any]:
        """The locked values that are settings (without `updates` / `telemetry`)."""
        return {k: v for k, v in self.locked.items() if k not in EXTRA_KEYS}

    @property
    def default_settings(self) -> dict[str, Any]:
        """The presets that are settings (without `updates` / `telemetry`)."""
        return {k: v for k, v in self.defaults.items() if k not in EXTRA_KEYS}


NO_POLICY = Policy()


def policy_path() -> Path | None:
    """The policy file this process reads (it may not exist), or None when turned off."""
    chosen = os.environ.get(POLICY_ENV)
    if chosen is not None:
        return Path(chosen) if chosen else None
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(base) / "Konspekt" / "policy.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Konspekt/policy.toml")
    return Path("/etc/konspekt/policy.toml")


def load_policy(schema: Schema) -> Policy:
    """This computer's policy: its file, and on Windows Group Policy's values over it.

    Raises:
        PolicyInvalid: the file or the registry holds something unusable (never ignored).
    """
    path = policy_path()
    exists = path is not None and path.exists()
    policy = read_policy_file(path, schema) if path is not None and exists else NO_POLICY
    if sys.platform == "win32":  # Group Policy applies whatever KONSPEKT_POLICY says
        policy = merged(policy, _registry_policy(schema))
    return policy


def read_policy_file(path: Path, schema: Schema) -> Policy:
    """Parse and check a policy file.

    Raises:
        PolicyInvalid: unreadable, not TOML, a table other than [locked] / [defaults],
            an unknown setting or a value of the wrong type; it names the line.
    """
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise PolicyInvalid("unreadable", source, detail=exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise PolicyInvalid("not_utf8", source) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        # tomllib says "(at end of document)" for a file that stops too early: its last line
        line = int(found.group(1)) if found else max(len(text.splitlines()), 1)
        detail = re.sub(r" \(at (line \d+, column \d+|end of document)\)$", "", str(exc))
        raise PolicyInvalid("syntax", source, line=line, detail=detail) from None
    tables: dict[str, dict[str, Any]] = {name: {} for name in TABLES}
    for name, table in data.items():
        if name not in TABLES or not isinstance(table, dict):
            raise PolicyInvalid("table", source, line=line_of(text, "", name), name=name)
        for key, value in table.items():
            try:
                tables[name][key] = checked_value(key, value, schema)
            except ValueProblem as problem:
                line = line_of(text, name, key)
                raise PolicyInvalid(problem.kind, source, line=line, **problem.params) from None
    return Policy(source, _frozen(tables["locked"]), _frozen(tables["defaults"]))


def policy_from_registry(
    values: Mapping[str, object],
    source: str = REGISTRY_KEY,
    defaults: Mapping[str, object] | None = None,
    *,
    schema: Schema,
) -> Policy:
    """A policy from Group Policy's registry values (a pure function: tested on Linux too).

    `values` are the key's values (locked settings), `defaults` its `Defaults` subkey's.
    REG_DWORD 0 / 1 is false / true for switches and a number for numbers; REG_SZ is text,
    or for a number or list a TOML value ('0.5', '["a", "b"]'); REG_MULTI_SZ is a list.

    Raises:
        PolicyInvalid: naming the registry value that is unusable.
    """
    tables: dict[str, dict[str, Any]] = {"locked": {}, "defaults": {}}
    for table, found in (("locked", values), ("defaults", defaults or {})):
        for name, raw in found.items():
            try:
                value = _from_registry(schema.get(name), name, raw)
                tables[table][name] = checked_value(name, value, schema)
            except ValueProblem as problem:
                raise PolicyInvalid(
                    problem.kind, source, line=0, value=name, **problem.params
                ) from None
    if not tables["locked"] and not tables["defaults"]:
        return NO_POLICY
    return Policy(source, _frozen(tables["locked"]), _frozen(tables["defaults"]))


def merged(base: Policy, over: Policy) -> Policy:
    """`over`'s values on top of `base`'s (Group Policy over the file)."""
    if not over.source:
        return base
    if not base.source:
        return over
    return Policy(
        f"{base.source} + {over.source}",
        _frozen({**base.locked, **over.locked}),
        _frozen({**base.defaults, **over.defaults}),
    )


def checked_value(name: str, value: object, schema: Schema) -> Any:
    """`value` converted to the setting `name`'s type (a str path becomes a Path).

    Raises:
        ValueProblem: an unknown setting, a wrong type or a value outside its choices.
    """
    if name in EXTRA_KEYS:
        if value is True:
            raise ValueProblem("always_on", name=name)
        if value is not False:
            raise ValueProblem("wrong_type", name=name, expected="bool")
        return False
    hint = schema.get(name)
    if hint is None:
        raise ValueProblem("unknown_key", name=name)
    converted = _coerce(value, hint)
    if converted is _WRONG:
        raise ValueProblem("wrong_type", name=name, expected=type_name(hint))
    if name in CHOICES and converted not in CHOICES[name]:
        raise ValueProblem("bad_choice", name=name, choices=", ".join(CHOICES[name]))
    return converted


def type_name(hint: Any) -> str:
    """The kind of value a type asks for: 'bool', 'int', 'float', 'str', 'path', 'list', 'table'."""
    args = [a for a in get_args(hint) if a is not NoneType]
    if isinstance(hint, UnionType) and len(args) == 1:
        return type_name(args[0])
    origin = get_origin(hint)
    if origin is tuple:
        return "list"
    if origin is dict:
        return "table"
    names = {bool: "bool", int: "int", float: "float", str: "str", Path: "path"}
    return names.get(hint, "str")


_WRONG = object()


def _coerce(value: object, hint: Any) -> Any:
    """`value` as `hint` asks, or _WRONG (bool is never taken for a number)."""
    kind = type_name(hint)
    optional = isinstance(hint, UnionType) and NoneType in get_args(hint)
    if kind == "bool":
        return value if isinstance(value, bool) else _WRONG
    if kind == "int":
        return value if isinstance(value, int) and not isinstance(value, bool) else _WRONG
    if kind == "float":
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return _WRONG
    if kind == "path":
        if not isinstance(value, str):
            return _WRONG
        return Path(value).expanduser() if value or not optional else None
    if kind == "list":
        items = [value] if isinstance(value, str) else value  # one item may be written bare
        if isinstance(items, list | tuple) and all(isinstance(v, str) for v in items):
            return tuple(items)
        return _WRONG
    if kind == "table":
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return {str(k): v for k, v in value.items()}
        return _WRONG
    return value if isinstance(value, str) else _WRONG


def _from_registry(hint: Any, name: str, raw: object) -> object:
    """A registry value as the TOML file would hold it (`hint`: the setting's type)."""
    kind = "bool" if name in EXTRA_KEYS else type_name(hint) if hint is not None else "str"
    if kind == "bool" and isinstance(raw, int) and not isinstance(raw, bool):
        return {0: False, 1: True}.get(raw, raw)
    if kind in ("str", "path") or not isinstance(raw, str):
        return raw
    try:
        return tomllib.loads(f"value = {raw}")["value"]
    except tomllib.TOMLDecodeError:
        return raw  # refused by the type check, with the expected type named


def line_of(text: str, table: str, key: str) -> int:
    """The line (1-based) where `key` is set in `[table]` ('' = before any table), or 0.

    A key that is a table itself (`[locked.ldap_group_roles]`) is found at its header.
    """
    current = ""
    header = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?")
    wanted = re.compile(r"^\s*(?:\"|')?" + re.escape(key) + r"(?:\"|')?\s*[=.]")
    for number, line in enumerate(text.splitlines(), start=1):
        found = header.match(line)
        if found:
            current = found.group(1).replace(" ", "").replace('"', "")
            if current in (f"{table}.{key}" if table else key,):
                return number
            continue
        if current == table and wanted.match(line):
            return number
    return 0


class ValueProblem(Exception):
    """What is wrong with one value, before its place is known.

    `kind` names a `policy_<kind>` message; the policy adds its file and line, a command
    line its argument.
    """

    def __init__(self, kind: str, **params: str) -> None:
        super().__init__(kind)
        self.kind, self.params = kind, params


def _registry_policy(schema: Schema) -> Policy:
    r"""Group Policy's values under HKLM\Software\Policies\Konspekt (Windows only)."""
    if sys.platform != "win32":
        return NO_POLICY
    import winreg

    def values(subkey: str) -> dict[str, object]:
        path = r"Software\Policies\Konspekt" + subkey
        try:
            key = winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path)
        except FileNotFoundError:
            return {}
        except OSError as exc:
            detail = exc.strerror or str(exc)
            raise PolicyInvalid("unreadable", REGISTRY_KEY, detail=detail) from None
        found: dict[str, object] = {}
        with key:
            index = 0
            while True:
                try:
                    name, data, _kind = winreg.EnumValue(key, index)
                except OSError:  # no more values
                    return found
                found[name] = data
                index += 1

    return policy_from_registry(values(""), REGISTRY_KEY, values(r"\Defaults"), schema=schema)

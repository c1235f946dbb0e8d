"""The list of models people can get (models/manifest.toml): read, checked, looked up."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import InvalidInput
from core.settings import APP_ROOT

MANIFEST_ENV = "KONSPEKT_MODELS_MANIFEST"
"""An environment variable naming another manifest (tests, a company's own list)."""
ROLES = ("answer", "embedder", "reranker")
CLASSES = ("gpu", "cpu", "demo")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_REQUIRED = ("name", "title", "role", "file", "size", "sha256", "licence", "url")


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One model file the manifest offers, with the figures the hardware advice uses."""

    name: str
    title: str
    role: str
    file: str
    size: int
    sha256: str
    licence: str
    url: str
    """Where `pull` downloads it; '' when a Python package ships it (`package`)."""
    package: str = ""
    model_class: str = ""
    """Answer models: 'gpu', 'cpu' or 'demo'."""
    params_b: float = 0.0
    ram_gb: float = 0.0
    vram_gb: float = 0.0
    prompt_tps_core: float = 0.0
    """Prompt tokens read per second per CPU core (AVX2, Q4): see core/llm/hardware.py."""
    prompt_tps_gpu: float = 0.0
    """Prompt tokens read per second with every layer on a mid-range GPU."""

    @property
    def packaged(self) -> bool:
        """Whether the file ships inside a Python package (nothing to download)."""
        return bool(self.package)

    @property
    def size_gb(self) -> float:
        """The size in (decimal) gigabytes, as download pages show it."""
        return self.size / 1e9


def manifest_path() -> Path:
    """KONSPEKT_MODELS_MANIFEST if set, else models/manifest.toml beside the app."""
    override = os.environ.get(MANIFEST_ENV)
    return Path(override) if override else APP_ROOT / "models" / "manifest.toml"


def load_manifest(path: Path | None = None) -> tuple[ModelEntry, ...]:
    """The entries of `path` (default: `manifest_path()`), in file order.

    Raises:
        InvalidInput: the file is missing, not TOML, or an entry is incomplete or wrong;
            the message names the file and the line.
    """
    path = path or manifest_path()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise InvalidInput("manifest_unreadable", path=str(path), detail=exc.strerror) from None
    except tomllib.TOMLDecodeError as exc:
        raise _invalid(path, _decode_error_line(str(exc)), str(exc)) from None
    tables = data.get("model", [])
    if not isinstance(tables, list):
        raise _invalid(path, 1, "no [[model]] list")
    lines = _table_lines(text)
    entries: list[ModelEntry] = []
    for i, table in enumerate(tables):
        line = lines[i] if i < len(lines) else 1
        try:
            entries.append(_entry(table))
        except ValueError as exc:
            raise _invalid(path, line, str(exc)) from None
    names = [e.name for e in entries]
    for i, name in enumerate(names):
        if name in names[:i]:
            line = lines[i] if i < len(lines) else 1
            raise _invalid(path, line, f"the name {name!r} is used twice")
    return tuple(entries)


def find_entry(entries: tuple[ModelEntry, ...], name: str) -> ModelEntry:
    """The entry called `name` (or whose file is `name`); InvalidInput naming the known ones."""
    for entry in entries:
        if name in (entry.name, entry.file):
            return entry
    known = ", ".join(e.name for e in entries)
    raise InvalidInput("model_unknown", name=name, known=known)


def _entry(table: dict[str, Any]) -> ModelEntry:
    missing = [key for key in _REQUIRED if key not in table]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    name = table["name"]
    if not isinstance(table["size"], int) or table["size"] <= 0:
        raise ValueError(f"{name}: size must be a positive number of bytes")
    sha = str(table["sha256"])
    if sha and not _SHA256.match(sha):
        raise ValueError(f"{name}: sha256 must be 64 lowercase hex digits")
    if table["role"] not in ROLES:
        raise ValueError(f"{name}: role must be one of {', '.join(ROLES)}")
    model_class = str(table.get("class", ""))
    if table["role"] == "answer" and model_class not in CLASSES:
        raise ValueError(f"{name}: an answer model needs class = {' | '.join(CLASSES)}")
    if not table["url"] and not table.get("package"):
        raise ValueError(f"{name}: give a url or the package that ships it")
    if "/" in table["file"] or "\\" in table["file"] or table["file"].startswith("."):
        raise ValueError(f"{name}: file must be a plain file name")
    try:
        return ModelEntry(
            name=str(name),
            title=str(table["title"]),
            role=str(table["role"]),
            file=str(table["file"]),
            size=int(table["size"]),
            sha256=sha,
            licence=str(table["licence"]),
            url=str(table["url"]),
            package=str(table.get("package", "")),
            model_class=model_class,
            params_b=float(table.get("params_b", 0.0)),
            ram_gb=float(table.get("ram_gb", 0.0)),
            vram_gb=float(table.get("vram_gb", 0.0)),
            prompt_tps_core=float(table.get("prompt_tps_core", 0.0)),
            prompt_tps_gpu=float(table.get("prompt_tps_gpu", 0.0)),
        )
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: {exc}") from None


def _invalid(path: Path, line: int, detail: str) -> InvalidInput:
    return InvalidInput("manifest_invalid", path=str(path), line=line, detail=detail)


def _table_lines(text: str) -> list[int]:
    """The line number of each [[model]] header, in order."""
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[model]]"]


def _decode_error_line(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1

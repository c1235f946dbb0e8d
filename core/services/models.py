"""The models people can get: list, pull, import, verify and choose, before any account exists.

Model files are files, not data: none of this needs the database, a login or an open
engine, so `konspekt models pull` works on a fresh install and the desktop's first run
can offer a download before the first account is made. Only choosing the model once
data exists is an installation setting, which goes through `SystemService.apply_settings`
(admins; a policy may lock it) — `use` takes that as its `apply` argument.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import InvalidInput, ModelFileRejected, ModelMissing, SettingLocked
from core.llm.catalog import resolve_model
from core.llm.download import (
    PART_SUFFIX,
    Transfer,
    TransferStage,
    copy_verified,
    download,
    file_sha256,
)
from core.llm.hardware import Hardware, ModelOption, advise, detect
from core.llm.manifest import ModelEntry, find_entry, load_manifest
from core.settings import Settings

VERIFIED_SUFFIX = ".verified"
"""A note beside a model file: its hash matched, at this size and modification time."""


@dataclass(frozen=True, slots=True)
class ModelState:
    """A manifest entry and where this installation stands with it."""

    entry: ModelEntry
    path: Path | None
    """The installed file (None: not here)."""
    verified: bool
    """Its SHA-256 matched the manifest when it was installed or last verified, and it
    has not changed since (size and modification time)."""
    active: bool
    """The answer model `ask` uses now."""
    partial: int = 0
    """Bytes of an interrupted download kept for resuming."""

    @property
    def installed(self) -> bool:
        """Whether the file is here with the manifest's size."""
        return self.path is not None


@dataclass(frozen=True, slots=True)
class FileCheck:
    """One model file hashed and compared with the manifest."""

    path: Path
    entry: ModelEntry | None
    """The manifest entry it was compared with (None: the manifest does not list it)."""
    sha256: str
    ok: bool
    """Size and hash match `entry` (False for files the manifest does not list)."""


class ModelLibrary:
    """Model files under `<data dir>/models/`, checked against models/manifest.toml."""

    def __init__(self, settings: Settings, manifest: Path | None = None) -> None:
        self.settings = settings
        self._manifest = manifest

    @property
    def folder(self) -> Path:
        """Where pulled and imported models go."""
        return self.settings.data_dir / "models"

    def entries(self) -> tuple[ModelEntry, ...]:
        """The manifest's entries (InvalidInput naming the file and line if it is bad)."""
        return load_manifest(self._manifest)

    def entry(self, name: str) -> ModelEntry:
        """The entry called `name` (InvalidInput listing the known names)."""
        return find_entry(self.entries(), name)

    def installed_path(self, entry: ModelEntry) -> Path | None:
        """Where `entry`'s file is, with the right size (None: not installed)."""
        for candidate in self._places(entry):
            if candidate.is_file() and candidate.stat().st_size == entry.size:
                return candidate
        return None

    def list(self) -> tuple[ModelState, ...]:
        """Every manifest entry with its installed, verified and active state."""
        try:
            active: Path | None = resolve_model(self.settings).path
        except ModelMissing:
            active = None
        states = []
        for entry in self.entries():
            path = self.installed_path(entry)
            part = self.folder / (entry.file + PART_SUFFIX)
            partial = part.stat().st_size if part.is_file() else 0
            verified = path is not None and _noted(path, entry.sha256)
            is_active = path is not None and active is not None and _same(path, active)
            states.append(ModelState(entry, path, verified, is_active, partial))
        return tuple(states)

    def pull(self, name: str, cancel: threading.Event | None = None) -> Iterator[Transfer]:
        """Download `name` into the models folder, resuming a kept part; verified.

        Raises:
            InvalidInput: unknown name, a packaged model, or no hash to check against.
            DownloadFailed: network, server or full disk (the part is kept).
            ModelFileRejected: the download has the wrong hash or size (removed).
        """
        entry = self.entry(name)
        if entry.packaged:
            raise InvalidInput("model_packaged", name=entry.name, package=entry.package)
        if not entry.sha256:
            raise InvalidInput("model_no_hash", name=entry.name)
        dest = self.folder / entry.file
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for step in download(entry.name, entry.url, dest, entry.size, entry.sha256, cancel):
            if step.stage is TransferStage.DONE:
                self._note(dest, entry.sha256)
            yield step

    def import_file(
        self, source: Path, name: str | None = None, cancel: threading.Event | None = None
    ) -> Iterator[Transfer]:
        """Copy a model file brought on a USB stick into the models folder, verified.

        The manifest entry is `name`, else the one with the same file name, else the one
        with the same size. A file the manifest does not list is refused (`use PATH`
        chooses any GGUF without checking it).
        """
        if not source.is_file():
            raise ModelFileRejected("model_file_missing", path=str(source))
        entry = self.entry(name) if name else self._match(source)
        if not entry.sha256:
            raise InvalidInput("model_no_hash", name=entry.name)
        dest = self.folder / entry.file
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        for step in copy_verified(entry.name, source, dest, entry.size, entry.sha256, cancel):
            if step.stage is TransferStage.DONE:
                self._note(dest, entry.sha256)
            yield step

    def verify_file(self, path: Path, cancel: threading.Event | None = None) -> FileCheck:
        """Hash `path` and compare it with its manifest entry (by file name, else size).

        A file that does not match is reported, never deleted: it may be the only copy.
        """
        entry = self._entry_for(path)
        digest = file_sha256(path, cancel)
        ok = (
            entry is not None
            and path.stat().st_size == entry.size
            and bool(entry.sha256)
            and digest == entry.sha256
        )
        if ok and entry is not None:
            self._note(path, entry.sha256)
        return FileCheck(path, entry, digest, ok)

    def verify(self, cancel: threading.Event | None = None) -> tuple[FileCheck, ...]:
        """Check every installed manifest model and every other GGUF in the models folder."""
        found = [p for entry in self.entries() for p in self._places(entry) if p.is_file()]
        if self.folder.is_dir():
            found += sorted(self.folder.glob("*.gguf"))
        unique: dict[Path, Path] = {}  # one check per file, however many names lead to it
        for path in found:
            unique.setdefault(path.resolve(), path)
        return tuple(self.verify_file(path, cancel) for path in unique.values())

    def target(self, name_or_path: str) -> Path:
        """The answer model file `name_or_path` means: an installed entry, or a GGUF path."""
        path = Path(name_or_path).expanduser()
        if path.suffix == ".gguf" and (path.is_file() or "/" in name_or_path):
            if not path.is_file():
                raise ModelFileRejected("model_file_missing", path=str(path))
            return path.resolve()
        entry = self.entry(name_or_path)
        if entry.role != "answer":
            raise InvalidInput("model_not_answer", name=entry.name, role=entry.role)
        installed = self.installed_path(entry)
        if installed is None:
            raise InvalidInput("model_not_installed", name=entry.name, folder=str(self.folder))
        return installed.resolve()

    def use(self, name_or_path: str, apply: Callable[[Settings], None] | None = None) -> Settings:
        """Make `name_or_path` the answer model (`model_path`); the new settings.

        `apply` saves them: a shell with an open engine passes
        `lambda s: engine.system.apply_settings(session, s)` (admins, audited, policy
        enforced, the model reloaded); without one (no data yet) they are saved to
        konspekt.toml directly.
        """
        target = self.target(name_or_path)
        locked_by = self.settings.locked_by("model_path")
        if locked_by and target != self.settings.model_path:
            raise SettingLocked("model_path", locked_by)  # before any data, apply is not there
        settings = self.settings.with_changes(model_path=target)
        if apply is None:
            settings.save()
        else:
            apply(settings)
        self.settings = settings
        return settings

    def hardware(self) -> Hardware:
        """This machine's cores, memory, CPU features and GPUs."""
        return detect()

    def advice(self, hardware: Hardware | None = None) -> tuple[ModelOption, ...]:
        """The answer models with their expected first-token wait here, one advised."""
        return advise(self.entries(), hardware or self.hardware())

    def _note(self, path: Path, sha256: str) -> None:
        """Remember that `path` was verified, for files in our own models folder only.

        A package's folder or the application's own `models/` is left untouched.
        """
        if _same(path.parent, self.folder):
            _write_note(path, sha256)

    def _match(self, source: Path) -> ModelEntry:
        entry = self._entry_for(source)
        if entry is None:
            raise ModelFileRejected("import_unmatched", path=str(source))
        return entry

    def _entry_for(self, path: Path) -> ModelEntry | None:
        """The manifest entry with `path`'s file name, else with its size (None: neither)."""
        entries = self.entries()
        by_name = next((e for e in entries if e.file == path.name), None)
        size = path.stat().st_size
        return by_name or next((e for e in entries if e.size == size), None)

    def _places(self, entry: ModelEntry) -> tuple[Path, ...]:
        if entry.packaged:
            spec = importlib.util.find_spec(entry.package)
            if spec is None or not spec.submodule_search_locations:
                return ()
            return (Path(next(iter(spec.submodule_search_locations))) / entry.file,)
        return tuple(folder / entry.file for folder in self.settings.models_dirs)


def _write_note(path: Path, sha256: str) -> None:
    """Best effort: without the note, `list` just shows the file as not yet verified."""
    stat = path.stat()
    record = {"sha256": sha256, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    with contextlib.suppress(OSError):  # the note only saves a re-hash; verify() still works
        path.with_name(path.name + VERIFIED_SUFFIX).write_text(json.dumps(record))


def _noted(path: Path, sha256: str) -> bool:
    try:
        record = json.loads(path.with_name(path.name + VERIFIED_SUFFIX).read_text())
        stat = path.stat()
    except (OSError, ValueError):
        return False
    return bool(sha256) and record == {
        "sha256": sha256,
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
    }


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False

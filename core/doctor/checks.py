"""`konspekt doctor`: what is installed and whether this computer can run Konspekt.

Every check works before the first run — no data folder, no account, no key — because
IT runs it right after installing. Nothing here writes anything but one temporary file
in the data folder (removed at once) to prove it is writable.
"""

from __future__ import annotations

import os
import shutil
import struct
import tempfile
from pathlib import Path

from core.doctor.build import build_checks
from core.doctor.check import Check, CheckStatus, gigabytes
from core.errors import KnownError
from core.i18n import N_, tr
from core.llm.catalog import ModelChoice, resolve_model
from core.search.embedder import embedder_files
from core.search.gguf_header import check_reranker
from core.search.reranker import find_reranker
from core.security.keychain import backend_name
from core.security.keystore import ENV_VAR, recorded_backend
from core.services.models import ModelLibrary
from core.settings import Settings

GGUF_MAGIC = b"GGUF"
MIN_FREE = 10 * 10**9
"""Below this much free space the data folder gets a warning (an index grows with it)."""
MODEL_MARGIN = 2 * 10**9
"""Free space wanted beside the model file (a second copy while `models pull` verifies)."""


def run_checks(settings: Settings, lang: str = "en") -> list[Check]:
    """Every check of the installation, in the order they are shown; nothing is changed."""
    checks = build_checks(settings, lang)
    model_checks, model_size = answer_model_checks(settings, lang)
    return [
        policy_check(settings, lang),
        *checks,
        *model_checks,
        embedder_check(settings, lang),
        *reranker_checks(settings, lang),
        keychain_check(settings, lang),
        data_folder_check(settings.data_dir, lang),
        free_space_check(settings.data_dir, model_size, lang),
    ]


def policy_check(settings: Settings, lang: str) -> Check:
    """The machine policy IT installed: where it is read from and what it locks or presets."""
    policy = settings.policy
    if not policy.source:
        return Check("policy", CheckStatus.OK, tr("doctor_policy_none", lang))
    locked = ", ".join(sorted(policy.locked)) or "—"
    presets = ", ".join(sorted(policy.defaults)) or "—"
    detail = tr("doctor_policy", lang, source=policy.source, locked=locked, presets=presets)
    return Check("policy", CheckStatus.OK, detail)


def answer_model_checks(settings: Settings, lang: str) -> tuple[list[Check], int]:
    """The answer model (a demo fallback warns) and its file; also its size in bytes."""
    try:
        choice = resolve_model(settings)
    except KnownError as exc:
        return [Check("answer_model", CheckStatus.FAIL, exc.user_message(lang))], 0
    size = choice.path.stat().st_size
    return [
        model_choice_check(choice, settings, lang),
        model_verified(choice.path, settings, lang),
    ], size


def model_choice_check(choice: ModelChoice, settings: Settings, lang: str) -> Check:
    """Which model answers; the small demo model is never mistaken for a real one."""
    detail = f"{choice.path} ({gigabytes(choice.path.stat().st_size)})"
    if choice.is_demo:
        detail += " · " + tr("doctor_demo_model", lang, models_dir=settings.models_dirs[0])
        return Check("answer_model", CheckStatus.WARN, detail)
    return Check("answer_model", CheckStatus.OK, detail)


def model_verified(path: Path, settings: Settings, lang: str = "en") -> Check:
    """Whether the model file is intact: a GGUF header, then its sha256 against the manifest.

    The whole file is hashed (seconds per GB): doctor is where IT proves what was copied.
    A file the manifest does not list (an organisation's own model) is a warning, since
    nothing can vouch for it.
    """
    try:
        with path.open("rb") as fh:
            header = fh.read(8)
        size = path.stat().st_size
    except OSError as exc:
        detail = tr("doctor_model_unreadable", lang, path=path, detail=exc.strerror or exc)
        return Check("model_verified", CheckStatus.FAIL, detail)
    if len(header) < 8 or header[:4] != GGUF_MAGIC:
        return Check("model_verified", CheckStatus.FAIL, tr("doctor_not_gguf", lang, path=path))
    version = struct.unpack("<I", header[4:8])[0]
    detail = tr("doctor_gguf", lang, version=version, size=gigabytes(size))
    try:
        found = ModelLibrary(settings).verify_file(path)
    except (KnownError, OSError) as exc:  # a broken manifest, a file gone while hashing
        problem = exc.user_message(lang) if isinstance(exc, KnownError) else str(exc)
        return Check("model_verified", CheckStatus.WARN, f"{detail} · {problem}")
    if found.entry is None:
        unlisted = tr("doctor_model_unlisted", lang, sha256=found.sha256)
        return Check("model_verified", CheckStatus.WARN, f"{detail} · {unlisted}")
    if not found.ok:
        wrong = tr("doctor_model_mismatch", lang, name=found.entry.name)
        return Check("model_verified", CheckStatus.FAIL, f"{detail} · {wrong}")
    matches = tr("doctor_model_matches", lang, name=found.entry.name)
    return Check("model_verified", CheckStatus.OK, f"{detail} · {matches}")


def embedder_check(settings: Settings, lang: str) -> Check:
    """The embedding model's files are where the embedder will load them from."""
    try:
        files = embedder_files(settings.embedder, settings.models_dirs)
    except KnownError as exc:
        return Check("embedder", CheckStatus.FAIL, exc.user_message(lang))
    size = sum(f.stat().st_size for f in files)
    return Check("embedder", CheckStatus.OK, f"{settings.embedder}: {files[0]} ({gigabytes(size)})")


def reranker_checks(settings: Settings, lang: str) -> list[Check]:
    """The cross-encoder in models/reranker when one is provisioned (none is fine: skipped)."""
    found = find_reranker(settings.models_dirs) if settings.rerank else None
    if found is None:
        return []
    if found.suffix == ".gguf":
        try:
            check_reranker(found)
        except KnownError as exc:
            return [Check("reranker", CheckStatus.FAIL, exc.user_message(lang))]
    model = found / "model.onnx" if found.is_dir() else found
    return [Check("reranker", CheckStatus.OK, f"{found} ({gigabytes(model.stat().st_size)})")]


def keychain_check(settings: Settings, lang: str) -> Check:
    """Whether the database key can be kept (and found) where the settings say."""
    keychain = backend_name()
    recorded = recorded_backend(settings.data_dir)
    if recorded is not None:  # set up already: the key is where the record says
        if recorded == "keyring" and keychain is None:
            return Check("keychain", CheckStatus.FAIL, tr("doctor_keychain_gone", lang))
        if recorded == "env" and not os.environ.get(ENV_VAR):
            return Check("keychain", CheckStatus.FAIL, tr("doctor_key_env_gone", lang, var=ENV_VAR))
        detail = tr("doctor_key_recorded", lang, backend=recorded)
        return Check("keychain", CheckStatus.OK, f"{keychain or '—'} · {detail}")
    store = settings.key_store
    if store == "auto" and os.environ.get(ENV_VAR):
        return Check("keychain", CheckStatus.OK, tr("doctor_key_env", lang, var=ENV_VAR))
    if keychain is not None:
        return Check("keychain", CheckStatus.OK, keychain)
    if store == "keyring":
        return Check("keychain", CheckStatus.FAIL, tr("doctor_keychain_missing", lang))
    if store == "auto":
        return Check("keychain", CheckStatus.WARN, tr("doctor_keychain_missing", lang))
    return Check("keychain", CheckStatus.OK, tr("doctor_keychain_unneeded", lang, store=store))


def existing_ancestor(folder: Path) -> Path:
    """`folder` or the nearest folder above it that exists (what the first run creates in)."""
    at = folder
    while not at.exists() and at.parent != at:
        at = at.parent
    return at


def data_folder_check(folder: Path, lang: str) -> Check:
    """The data folder (or, before the first run, where it will be made) takes new files."""
    at = existing_ancestor(folder)
    if not at.is_dir():
        detail = tr("doctor_data_not_folder", lang, folder=folder, path=at)
        return Check("data_folder", CheckStatus.FAIL, detail)
    try:
        fd, probe = tempfile.mkstemp(prefix=".konspekt-doctor-", dir=at)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        detail = tr("doctor_data_unwritable", lang, path=at, detail=exc.strerror or exc)
        return Check("data_folder", CheckStatus.FAIL, detail)
    if at != folder:
        return Check("data_folder", CheckStatus.OK, tr("doctor_data_new", lang, folder=folder))
    set_up = (folder / "konspekt.db").exists()
    key = N_("doctor_data_set_up") if set_up else N_("doctor_data_empty")
    return Check("data_folder", CheckStatus.OK, tr(key, lang, folder=folder))


def free_space_check(folder: Path, model_size: int, lang: str) -> Check:
    """Free space where the data goes: under 10 GB, or under the model + 2 GB, warns."""
    at = existing_ancestor(folder)
    if not at.is_dir():
        detail = tr("doctor_data_not_folder", lang, folder=folder, path=at)
        return Check("free_space", CheckStatus.FAIL, detail)
    free = shutil.disk_usage(at).free
    wanted = max(MIN_FREE, model_size + MODEL_MARGIN)
    detail = tr("doctor_free", lang, free=gigabytes(free), path=at)
    if free < wanted:
        detail += " · " + tr("doctor_free_low", lang, wanted=gigabytes(wanted))
        return Check("free_space", CheckStatus.WARN, detail)
    return Check("free_space", CheckStatus.OK, detail)

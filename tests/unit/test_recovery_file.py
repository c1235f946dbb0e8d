"""The recovery code written with --recovery-file is readable by its owner only."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from cli.accounts import show_recovery_code

CODE = "ABCDE-FGHIJ-KLMNO-PQRST-UVWXY-Z2345-6789A-BCDEF"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_an_existing_world_readable_file_becomes_private(tmp_path: Path) -> None:
    target = tmp_path / "recovery.txt"
    target.write_text("old notes\n")
    target.chmod(0o644)
    show_recovery_code(CODE, "en", target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() == CODE + "\n"
    assert [p.name for p in tmp_path.iterdir()] == ["recovery.txt"], "no temp file left"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_symlink_planted_at_the_path_is_replaced_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "public.txt"
    elsewhere.write_text("")
    elsewhere.chmod(0o644)
    target = tmp_path / "recovery.txt"
    target.symlink_to(elsewhere)
    show_recovery_code(CODE, "en", target)
    assert elsewhere.read_text() == ""
    assert not target.is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

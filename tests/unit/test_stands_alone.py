"""The repository stands alone: nothing it tracks reaches for files beside the clone."""

from __future__ import annotations

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
OUTSIDE = ("../shared", "/work/shared", "/work/main")
"""Where an earlier layout kept the corpus and the design notes, and the lead's checkout."""


def test_no_tracked_file_points_outside_the_repository() -> None:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    offenders = []
    for name in filter(None, tracked):
        path = REPO / name.decode()
        if path == Path(__file__).resolve() or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary files (PDFs, .qm, images)
        offenders += [f"{name.decode()}: {o}" for o in OUTSIDE if o in text]
    assert offenders == []


def test_the_test_corpus_is_inside_the_repository() -> None:
    corpus = REPO / "tests" / "corpus"
    licences = [p for p in corpus.rglob("*") if p.name.upper().startswith(("LICENSE", "COPYRIGHT"))]
    assert (corpus / "README.md").is_file()
    assert licences, "each source's licence travels with its files"

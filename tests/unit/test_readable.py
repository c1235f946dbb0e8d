"""What people wrote is never taken for a dump: the dev set, code, logs, other scripts."""

import json
from pathlib import Path

import pytest

from core.ingest.document import Block, BlockKind
from core.ingest.readable import unreadable_reason

REPO = Path(__file__).resolve().parents[2]
EVAL = REPO / "tests" / "corpus" / "eval" / "debian-faq-dev"


def judged(text: str) -> str:
    return unreadable_reason([Block(BlockKind.TEXT, text)])


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_passage_of_the_dev_set_is_readable(lang: str) -> None:
    lines = (EVAL / f"corpus.{lang}.jsonl").read_text(encoding="utf-8").splitlines()
    refused = [row["_id"] for row in map(json.loads, lines) if judged(row["text"])]
    assert refused == []


def test_code_logs_and_other_scripts_are_readable() -> None:
    assert judged((REPO / "core" / "ingest" / "readable.py").read_text()) == ""
    log = "\n".join(
        f"2026-01-0{i % 9} 12:00:0{i % 9} ERROR connection refused host=10.0.0.{i} retry={i}"
        for i in range(300)
    )
    assert judged(log) == ""
    assert judged("本手册介绍如何安装和配置系统。请在开始之前阅读安全说明。" * 20) == ""


def test_a_table_of_figures_is_data_not_noise() -> None:
    rows = tuple(",".join(str(i * j) for j in range(8)) for i in range(400))
    assert unreadable_reason([Block(BlockKind.TABLE, header="a,b,c", rows=rows)]) == ""


def test_short_text_is_not_judged() -> None:
    assert judged("x7Gq9 2b0F") == ""

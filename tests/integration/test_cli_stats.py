"""`konspekt stats` as an administrator types it, and refused to a member (subprocesses)."""

from __future__ import annotations

import csv
import time
from pathlib import Path

from core import AnswerStats, Engine, Location, Role, Settings, Source
from core.analytics.records import AnswerRecord, record
from tests.cli_run import konspekt
from tests.identity import admin_session, user_session


def make_store(folder: Path) -> Path:
    """An admin, a member "mel", and three answers' figures (one found nothing)."""
    settings = Settings.load(folder, key_store="file", password_hash_ms=5)
    with Engine(settings) as engine:
        admin = admin_session(engine)
        mel = user_session(engine, admin, "mel", Role.MEMBER)
        passage = Source(1, "manual.pdf", "manual.pdf", Location(1, "p. 1", ""), "…", 1)
        for grounded in (True, True, False):
            stats = AnswerStats(first_token_ms=800.0, tokens_per_s=12.0, grounded=grounded)
            given = (passage,) if grounded else ()
            record(engine.context.db, AnswerRecord(time.time(), mel.user.id, (), stats, given))
    return folder


def test_stats_prints_the_figures_and_writes_csv_for_admins(tmp_path: Path) -> None:
    data = make_store(tmp_path / "data")
    shown = konspekt(data, "--lang", "en", "stats", "--days", "7")
    assert shown.returncode == 0, shown.stderr
    assert "Questions: 3" in shown.stdout
    assert "Not found: 1 (33 %)" in shown.stdout
    assert "800 ms" in shown.stdout
    assert "mel" in shown.stdout
    russian = konspekt(data, "--lang", "ru", "stats")
    assert "Вопросов: 3" in russian.stdout
    written = konspekt(data, "--lang", "en", "stats", "--csv", str(tmp_path / "csv"))
    assert written.returncode == 0, written.stderr
    assert "8 CSV files written" in written.stdout
    rows = list(csv.reader((tmp_path / "csv" / "questions_per_user.csv").open(encoding="utf-8")))
    assert rows[1][1:] == ["mel", "3", "1", "0", "0"]
    assert not list((tmp_path / "csv").glob("*.part"))


def test_stats_is_refused_to_members_and_bad_periods(tmp_path: Path) -> None:
    data = make_store(tmp_path / "data")
    refused = konspekt(data, "--lang", "en", "stats", user="mel")
    assert refused.returncode != 0
    assert "Only an administrator" in refused.stdout + refused.stderr
    bad = konspekt(data, "--lang", "en", "stats", "--days", "0")
    assert bad.returncode == 2
    assert "--days must be a whole number" in bad.stderr

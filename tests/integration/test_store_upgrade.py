"""Opening a store that an older version wrote: the upgrade reports its progress and stops.

A store made before m016 rebuilds its keyword index from every chunk when it opens (minutes
at a million chunks): shells show how far it is, and stopping it rolls it back whole.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core import Engine, OpeningStopped, Settings, UpgradeProgress
from core.ingest.chunking import ChunkDraft
from core.store import migrations
from core.store.database import Database
from core.store.keywords import query_terms
from core.store.library import Library, NewDocument
from tests.cli_run import konspekt
from tests.old_store import QUERY, as_before_m016, fill, old_store


def test_the_upgrade_reports_each_batch_and_ends_with_the_same_index(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb_ids, before = old_store(settings)
    monkeypatch.setattr(migrations, "BATCH", 150)
    heard: list[UpgradeProgress] = []
    with Engine(settings, on_upgrade=heard.append) as engine:
        after = engine.context.library.keyword_search(query_terms(QUERY), kb_ids, 20)
    assert after == before
    assert [(p.step, p.done, p.total) for p in heard] == [
        ("m016_keyword_postings", done, 400) for done in (0, 150, 300, 400)
    ]
    with Engine(settings, on_upgrade=heard.append):
        pass
    assert len(heard) == 4  # upgraded once: the next start reports nothing


def test_stopping_rolls_the_upgrade_back_and_the_next_start_does_it(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb_ids, before = old_store(settings)
    monkeypatch.setattr(migrations, "BATCH", 100)
    cancel = threading.Event()
    heard: list[UpgradeProgress] = []

    def stop_half_way(progress: UpgradeProgress) -> None:
        heard.append(progress)
        if progress.done >= 200:
            cancel.set()

    with pytest.raises(OpeningStopped) as stopped:
        Engine(settings, on_upgrade=stop_half_way, cancel=cancel)
    assert [p.done for p in heard] == [0, 100, 200]  # stopped at the next batch
    assert str(settings.db_path) in stopped.value.user_message("ru")
    assert "обновлени" in stopped.value.user_message("ru")
    # Nothing of it stayed: the next start upgrades from the first chunk, to the same index.
    again: list[UpgradeProgress] = []
    with Engine(settings, on_upgrade=again.append) as engine:
        after = engine.context.library.keyword_search(query_terms(QUERY), kb_ids, 20)
    assert [p.done for p in again] == [0, 100, 200, 300, 400]
    assert after == before


def test_a_new_or_current_store_reports_nothing_and_opens_despite_a_stop(
    settings: Settings,
) -> None:
    cancel, heard = threading.Event(), []
    cancel.set()
    with Engine(settings, on_upgrade=heard.append, cancel=cancel) as engine:  # first run
        fill(engine, 40)
    with Engine(settings, on_upgrade=heard.append, cancel=cancel):  # nothing to upgrade
        pass
    assert heard == []


def test_a_failing_listener_rolls_back_and_closes_the_file(tmp_path: Path) -> None:
    key = bytes(32)
    db = Database(tmp_path / "k.db", key)
    library = Library(db)
    with db.write() as con:
        con.execute("INSERT INTO knowledge_bases (id, name, created_at) VALUES (1, 'kb', 0)")
    first = library.reserve_chunk_ids(3)
    drafts = tuple(
        (first + i, ChunkDraft(i, "kernel printer", "", None, "", 0, 14, 3)) for i in range(3)
    )
    library.save_documents([NewDocument(1, "a", "a", "txt", "a", 1, 1, "e5", drafts)])
    as_before_m016(db)
    db.close()

    def broken(step: str, done: int, total: int) -> None:
        raise RuntimeError("listener failed")

    with pytest.raises(RuntimeError, match="listener failed"):
        Database(tmp_path / "k.db", key, broken)
    db = Database(tmp_path / "k.db", key)  # no half-built index was left: it is built whole
    assert [r[0] for r in Library(db).keyword_search(["kernel"], [1], 5)] == [
        first,
        first + 1,
        first + 2,
    ]
    db.close()


def test_the_command_line_upgrades_an_old_store_on_its_way(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path / "data", key_store="file", password_hash_ms=5)
    old_store(settings)
    shown = konspekt(settings.data_dir, "--lang", "ru", "docs", "--kb", "Manuals")
    assert shown.returncode == 0, shown.stderr
    assert "d9" in shown.stdout
    heard: list[UpgradeProgress] = []
    with Engine(settings, on_upgrade=heard.append):
        pass
    assert heard == []  # the command did the upgrade

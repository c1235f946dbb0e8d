"""Two false alarms the crash campaign found: a stale keyword-index check, a rekey in the log."""

import os
import shutil
from pathlib import Path

import pytest

from core import WrongKey
from core.store.database import Database


def _terms(db: Database, rowid: int) -> None:
    with db.write() as con:  # one transaction, one keyword-index segment
        con.execute(
            "INSERT INTO chunk_terms (rowid, terms) VALUES (?, ?)", (rowid, f"alpha beta w{rowid}")
        )


def test_integrity_check_after_the_writer_merged_keyword_segments_finds_nothing(
    tmp_path: Path,
) -> None:
    db = Database(tmp_path / "k.db", os.urandom(32))
    for rowid in range(1, 13):
        _terms(db, rowid)
    assert db.integrity_errors() == []
    with db.write() as con:
        con.execute("DELETE FROM chunk_terms WHERE rowid IN (3, 5)")
    for rowid in range(13, 17):
        _terms(db, rowid)  # FTS5 merges segments the previous check had read
    assert db.integrity_errors() == []
    db.close()


def test_rekey_leaves_no_page_under_the_old_key(tmp_path: Path) -> None:
    old, new = os.urandom(32), os.urandom(32)
    db = Database(tmp_path / "k.db", old)
    for rowid in range(1, 30):
        _terms(db, rowid)
    db.rekey(new)
    assert db.integrity_errors() == []
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy2(tmp_path / "k.db", copy / "k.db")  # the main file alone, as a crash leaves it
    db.close()
    with pytest.raises(WrongKey):
        Database(copy / "k.db", old)
    reopened = Database(copy / "k.db", new)
    assert reopened.query("SELECT count(*) FROM chunk_terms")[0][0] == 29
    reopened.close()

"""A false alarm the crash campaign found: a rekey left in the write-ahead log."""

import os
import shutil
from pathlib import Path

import pytest

from core import WrongKey
from core.store.database import Database


def _row(db: Database, n: int) -> None:
    with db.write() as con:
        con.execute("INSERT INTO settings (key, value) VALUES (?, ?)", (f"k{n}", "v" * 500))


def test_rekey_leaves_no_page_under_the_old_key(tmp_path: Path) -> None:
    old, new = os.urandom(32), os.urandom(32)
    db = Database(tmp_path / "k.db", old)
    for n in range(1, 30):
        _row(db, n)
    db.rekey(new)
    assert db.integrity_errors() == []
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy2(tmp_path / "k.db", copy / "k.db")  # the main file alone, as a crash leaves it
    db.close()
    with pytest.raises(WrongKey):
        Database(copy / "k.db", old)
    reopened = Database(copy / "k.db", new)
    assert reopened.query("SELECT count(*) FROM settings WHERE key LIKE 'k%'")[0][0] == 29
    reopened.close()

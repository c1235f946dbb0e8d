"""The SQLCipher database: the only module that imports sqlcipher3.

One writer at a time (a lock around BEGIN IMMEDIATE … COMMIT), one read connection
per thread, WAL so readers never wait for the writer.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeAlias

import sqlcipher3.dbapi2 as sqlcipher

from core.errors import DatabaseCorrupt, DatabaseNewer, WrongKey
from core.store.migrations import MIGRATIONS, Progress, apply_migrations
from core.store.sql import Connection, Params, Row

_Raw: TypeAlias = Any
"""A sqlcipher3 connection (no type hints; it follows sqlite3.Connection)."""
DatabaseError = sqlcipher.DatabaseError
IntegrityError = sqlcipher.IntegrityError
log = logging.getLogger(__name__)


__all__ = ["Connection", "Database", "DatabaseError", "IntegrityError", "Row", "cipher_version"]


CACHE_KIB = 64 * 1024
"""Page cache of each connection (SQLite's default is 2 MiB), filled only as pages are read.

Each page read into it is decrypted once: at 1M chunks a keyword search read the same
index pages again on every query, 77-85 ms with the default cache against 22-25 ms with
this one (FTS5 then; docs/retrieval.md, "Search latency")."""

HEAP_LIMIT_MIB = 256
"""SQLCipher's memory for the whole process (its own copy of SQLite, not the standard
library's): past it, connections recycle their least recently used pages instead of
growing. A server keeps one read connection per worker thread, each allowed `CACHE_KIB`;
six connections that each read a 150 MB table held 399 MiB without it, 130 MiB with a
128 MiB limit. A desktop's few connections stay under it."""


class Database:
    """An open, unlocked, migrated SQLCipher file."""

    def __init__(self, path: Path, key: bytes, progress: Progress | None = None) -> None:
        """Open (creating) `path` under `key` and bring its schema up to date.

        `progress` hears how far a long migration has come (`apply_migrations`); when it
        raises, the upgrade is rolled back, the file closed and the exception passed on.
        """
        self.path = path
        self._key_pragma = f"PRAGMA key = \"x'{key.hex()}'\""
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[_Raw] = []
        self._readers_lock = threading.Lock()
        self._generation = 0  # bumped by rekey: thread-local readers reconnect
        self._closed = False
        path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = self._connect()
        self._check_version_and_migrate(progress)

    def _connect(self) -> _Raw:
        con = sqlcipher.connect(
            str(self.path), check_same_thread=False, isolation_level=None, timeout=30
        )
        try:
            con.execute("PRAGMA cipher_log_level = NONE")
            con.execute(self._key_pragma)
            # A wrong key fails on the first statement that reads a page.
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            con.close()
            if "not a database" in str(exc):
                raise WrongKey("wrong_key", path=str(self.path)) from None
            raise DatabaseCorrupt("db_corrupt", path=str(self.path), detail=str(exc)) from exc
        con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = NORMAL")
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA busy_timeout = 30000")
        con.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        con.execute(f"PRAGMA soft_heap_limit = {HEAP_LIMIT_MIB * 2**20}")  # process-wide
        return con

    def _check_version_and_migrate(self, progress: Progress | None) -> None:
        try:
            self._migrate(progress)
        except sqlcipher.DatabaseError as exc:  # a damaged page met on the way in
            self._writer.close()
            raise DatabaseCorrupt("db_corrupt", path=str(self.path), detail=str(exc)) from exc
        except BaseException:
            self._writer.close()
            raise

    def _migrate(self, progress: Progress | None) -> None:
        found = int(self._writer.execute("PRAGMA user_version").fetchone()[0])
        if found > len(MIGRATIONS):
            raise DatabaseNewer("db_newer", path=str(self.path), found=found, known=len(MIGRATIONS))
        with self.write() as con:
            apply_migrations(con, progress)
            con.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: commits on success, rolls back on any exception."""
        with self._write_lock:
            con = self._writer
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            try:
                con.execute("COMMIT")
            except BaseException:  # e.g. a damaged page met while committing
                with contextlib.suppress(sqlcipher.Error):
                    con.execute("ROLLBACK")
                raise

    def read(self) -> Connection:
        """This thread's read connection (sees every committed transaction)."""
        con: _Raw | None = getattr(self._local, "con", None)
        if con is None or self._local.generation != self._generation:
            con = self._connect()
            self._local.con, self._local.generation = con, self._generation
            with self._readers_lock:
                self._readers.append(con)
        reader: Connection = con
        return reader

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        """Run a read-only statement on this thread's connection."""
        return self.read().execute(sql, params).fetchall()

    def rekey(self, key: bytes) -> None:
        """Re-encrypt the whole file under `key` (atomic: old key or new, never a mix).

        In WAL mode the re-encrypted pages land in the write-ahead log and the main file
        keeps every page under the old key until a checkpoint: whoever had the old key
        could still read that file, and its integrity check fails (found by the crash
        campaign, `python -m bench crash`). So the log is folded in before returning.
        """
        with self._write_lock:
            self._writer.execute(f"PRAGMA rekey = \"x'{key.hex()}'\"")
            self._key_pragma = f"PRAGMA key = \"x'{key.hex()}'\""
            with self._readers_lock:
                for con in self._readers:
                    con.close()
                self._readers.clear()
                self._generation += 1
            self._fold_wal()

    def fold_wal(self) -> None:
        """Copy the write-ahead log into the main file and empty it (after an interrupted rekey)."""
        with self._write_lock:
            self._fold_wal()

    def _fold_wal(self) -> None:
        busy, _, _ = self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:  # another process reads an older snapshot: it folds at its own close
            log.warning("the write-ahead log could not be folded in: the database is busy")

    def snapshot(self, target: Path) -> None:
        """Write a consistent copy of the database to `target`, encrypted with the same key.

        SQLite's online backup in one step: writers may go on; the copy is the state of
        one moment. `target` must not exist.
        """
        source = self._connect()
        copy = sqlcipher.connect(str(target), isolation_level=None)
        try:
            copy.execute("PRAGMA cipher_log_level = NONE")
            copy.execute(self._key_pragma)
            source.backup(copy)
        finally:
            copy.close()
            source.close()

    def optimize(self) -> None:
        """Let SQLite refresh its planner statistics, and fold the write-ahead log in."""
        with self._write_lock:
            self._writer.execute("PRAGMA optimize")
            self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_errors(self) -> list[str]:
        """Problems found by SQLCipher's HMAC check and SQLite's quick_check.

        Checked on a connection of its own: FTS5's part of quick_check (before m017 dropped
        that index) trusted the structure the connection read at its previous check, so a
        long-lived reader reported corruption after the writer's segment merges (found by
        the crash campaign, `python -m bench crash`). A fresh connection trusts nothing.
        """
        try:
            con = self._connect()
        except DatabaseCorrupt as exc:
            return [str(exc)]
        problems: list[str] = []
        try:
            for pragma in ("cipher_integrity_check", "quick_check"):
                try:
                    rows = con.execute(f"PRAGMA {pragma}")
                    problems += [str(r[0]) for r in rows if r[0] != "ok"]
                except (sqlcipher.DatabaseError, MemoryError) as exc:  # too damaged to walk
                    problems.append(f"{pragma}: {exc or type(exc).__name__}")
        finally:
            con.close()
        return problems

    def close(self) -> None:
        """Close every connection; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        with self._readers_lock:
            for con in self._readers:
                con.close()
            self._readers.clear()
        with self._write_lock:
            with contextlib.suppress(sqlcipher.Error, MemoryError):  # closing a damaged file
                self._writer.execute("PRAGMA optimize")
            self._writer.close()


def cipher_version() -> str:
    """The SQLCipher library's version and crypto provider, e.g. '4.19.0 community (openssl)'.

    '' when the module is plain SQLite underneath: such a build would store everything
    unencrypted, so `konspekt doctor` fails on it.
    """
    con = sqlcipher.connect(":memory:")
    try:
        row = con.execute("PRAGMA cipher_version").fetchone()
        if not row or not row[0]:
            return ""
        con.execute("PRAGMA key = 'doctor'")  # the provider is known once a key is set
        provider = con.execute("PRAGMA cipher_provider").fetchone()
    finally:
        con.close()
    return f"{row[0]} ({provider[0]})" if provider and provider[0] else str(row[0])

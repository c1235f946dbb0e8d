"""Maintenance and backups: compaction, checks, encrypted backups, restore.

Maintenance runs on the scheduler when it is due (by default daily, a couple of minutes
after start, never in the busy first moments): LanceDB compaction and old-version
cleanup, `PRAGMA optimize` and a WAL checkpoint, SQLCipher's HMAC check and
SQLite's quick_check, stray encrypted originals pruned, then a backup with rotation.
Every task is timed and logged in the encrypted database; admins read the log.
"""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from core.errors import DatabaseCorrupt, KeyMissing, KnownError
from core.i18n import N_, N_plural
from core.identity import Session
from core.security import audit, keystore
from core.security.access import Permission
from core.security.recovery import key_from_code
from core.services.context import Context
from core.services.keys import recover
from core.settings import Settings
from core.store import backup
from core.store.database import Database, DatabaseError
from core.store.instance import FolderLock
from core.types import MaintenanceResult, Restored

log = logging.getLogger(__name__)

UPKEEP_CHECK_S = 3600.0
"""How often the scheduler asks whether maintenance or a backup is due."""
UPKEEP_FIRST_S = 120.0
"""The first check after start waits this long (start-up is busy enough)."""
DATA_PARTS = ("konspekt.db", "vectors", "blobs")
"""What a backup holds and a restore replaces (keys, models, caches stay)."""
_DB_SIDE_FILES = ("konspekt.db-wal", "konspekt.db-shm")

_DONE = {  # a task's result, filled from what its work returned ("count": plural forms)
    "vectors": N_plural("upkeep_vectors"),
    "database": N_("upkeep_database"),
    "integrity": N_("upkeep_integrity"),
    "files": N_plural("upkeep_files"),
    "backup": N_("upkeep_backup"),
}


class UpkeepService:
    """Maintenance and backups (admins), and their hourly check on the scheduler."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()

    # Background ---------------------------------------------------------------------------
    def start(self) -> None:
        """Check every hour whether maintenance or a backup is due."""
        self._ctx.scheduler.every(
            "upkeep", UPKEEP_CHECK_S, self._upkeep_if_due, first_delay_s=UPKEEP_FIRST_S
        )

    def stop(self) -> None:
        """Nothing to stop: a task under way finishes (the scheduler waits for it)."""

    def _upkeep_if_due(self) -> None:
        now = self._ctx.clock()
        every = self._ctx.settings.maintenance_every_hours * 3600
        if every > 0 and now - self._last("integrity") >= every:
            self._maintain()
        every = self._ctx.settings.backup_every_hours * 3600
        if every > 0 and now - self._last("backup") >= every:
            self._backup_now(self._ctx.settings.backup_folder)

    def _last(self, task: str) -> float:
        rows = self._ctx.db.query(
            "SELECT max(started_at) FROM maintenance_log WHERE task = ?", (task,)
        )
        return float(rows[0][0] or 0.0)

    # Tasks -----------------------------------------------------------------------------
    def _timed(self, task: str, work: Callable[[], dict[str, object]]) -> MaintenanceResult:
        started, clock = self._ctx.clock(), time.perf_counter()
        try:
            key, params, ok = _DONE[task], work(), True
        except KnownError as exc:  # a failed task is logged and reported, never raised
            log.error("maintenance task %s failed: %s", task, exc.key)
            key, params, ok = exc.key, dict(exc.params), False
        except Exception as exc:
            log.error("maintenance task %s failed: %s", task, type(exc).__name__)
            key, params, ok = N_("upkeep_failed"), {"error": type(exc).__name__}, False
        values = tuple((k, str(v)[:1000]) for k, v in params.items())
        result = MaintenanceResult(task, started, time.perf_counter() - clock, ok, key, values)
        detail = json.dumps({"key": key, "params": dict(values)}, ensure_ascii=False)
        try:
            with self._ctx.db.write() as con:
                con.execute(
                    "INSERT INTO maintenance_log (task, started_at, seconds, ok, detail) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (task, result.started_at, result.seconds, int(ok), detail),
                )
                con.execute(  # keep a year of daily runs
                    "DELETE FROM maintenance_log WHERE id NOT IN "
                    "(SELECT id FROM maintenance_log ORDER BY id DESC LIMIT 2000)"
                )
        except (DatabaseError, MemoryError):  # a damaged database may refuse the log line
            log.error("could not log maintenance task %s (database damaged)", task)
        return result

    def _compact_vectors(self) -> dict[str, object]:
        vectors = self._ctx.index.open().vectors
        with self._ctx.locks.everything():
            vectors.compact()
            vectors.ensure_index()
            return {"count": vectors.count()}

    def _optimize_database(self) -> dict[str, object]:
        self._ctx.replica.compact_log()
        self._ctx.db.optimize()
        return {"size": f"{self._ctx.settings.db_path.stat().st_size / 2**20:.1f}"}

    def _check_integrity(self) -> dict[str, object]:
        problems = self._ctx.db.integrity_errors()
        if problems:
            raise DatabaseCorrupt(
                "db_corrupt", path=str(self._ctx.settings.db_path), detail="; ".join(problems[:5])
            )
        return {}

    def _prune_files(self) -> dict[str, object]:
        with self._ctx.locks.everything():
            return {"count": self._ctx.blobs.prune(self._ctx.library.blob_ids())}

    def _maintain(self) -> list[MaintenanceResult]:
        with self._lock:
            return [
                self._timed("vectors", self._compact_vectors),
                self._timed("database", self._optimize_database),
                self._timed("integrity", self._check_integrity),
                self._timed("files", self._prune_files),
            ]

    def _backup_now(self, folder: Path) -> MaintenanceResult:
        made: list[backup.BackupFile] = []

        def work() -> dict[str, object]:
            made.append(self._write_backup(folder))
            removed = backup.rotate(folder, self._ctx.settings.backup_keep)
            size = f"{made[0].size / 2**20:.1f}"
            return {"path": made[0].path, "size": size, "removed": len(removed)}

        with self._lock:
            return self._timed("backup", work)

    def _write_backup(self, folder: Path) -> backup.BackupFile:
        """Snapshot the database and seal it with the vectors and originals, frozen."""
        self._ctx.index.open()  # the vector table exists and matches the database
        staging = self._ctx.settings.data_dir / ".backup-staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(mode=0o700)
        try:
            with self._ctx.locks.everything():  # no document changes while the parts are copied
                self._ctx.db.snapshot(staging / "konspekt.db")
                members = [("konspekt.db", staging / "konspekt.db")]
                members += [(name, self._ctx.settings.data_dir / name) for name in DATA_PARTS[1:]]
                members.append(("konspekt.toml", self._ctx.settings.data_dir / "konspekt.toml"))
                return backup.write_backup(folder, self._ctx.key, members)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    # Operations -------------------------------------------------------------------------
    def maintain(self, session: Session) -> list[MaintenanceResult]:
        """Compact, optimize, check and prune now (admins); each task's outcome."""
        actor = self._ctx.admin(session, Permission.MAINTAIN)
        results = self._maintain()
        try:
            with self._ctx.db.write() as con:
                audit.record(con, actor, "maintenance", ok=all(r.ok for r in results))
        except (DatabaseError, MemoryError):
            log.error("could not audit the maintenance run (database damaged)")
        return results

    def backup(self, session: Session, folder: Path | str | None = None) -> MaintenanceResult:
        """Write an encrypted backup now (admins) and rotate old ones in that folder.

        `folder` defaults to the configured backup folder. The result's detail names the
        file; a failure is reported in the result, with nothing half-written left.
        """
        actor = self._ctx.admin(session, Permission.MAINTAIN)
        target = self._backup_target(folder)
        result = self._backup_now(target)
        with self._ctx.db.write() as con:
            audit.record(con, actor, "backup", str(target), ok=result.ok)
        return result

    def backups(self, session: Session, folder: Path | str | None = None) -> list[Path]:
        """Backups in `folder` (the configured one by default), newest first (admins)."""
        self._ctx.admin(session, Permission.MAINTAIN)
        return [b.path for b in backup.backups_in(self._backup_target(folder))]

    def _backup_target(self, folder: Path | str | None) -> Path:
        """`folder` as an absolute path, or the configured backup folder."""
        return Path(folder).expanduser().absolute() if folder else self._ctx.settings.backup_folder

    def log(self, session: Session, limit: int = 100) -> list[MaintenanceResult]:
        """The latest maintenance and backup runs, newest first (admins)."""
        self._ctx.admin(session, Permission.MAINTAIN)
        rows = self._ctx.db.query(
            "SELECT task, started_at, seconds, ok, detail FROM maintenance_log "
            "ORDER BY id DESC LIMIT ?",
            (limit,),
        )
        results = []
        for task, started, seconds, ok, detail in rows:
            found = json.loads(detail) if detail.startswith("{") else {}
            params = tuple(found.get("params", {}).items())
            results.append(
                MaintenanceResult(task, started, seconds, bool(ok), found.get("key", ""), params)
            )
        return results


def restore(
    settings: Settings,
    file: Path | str,
    *,
    recovery_code: str | None = None,
    key_store: str = "auto",
    passphrase: str | None = None,
) -> Restored:
    """Replace the data with a backup's; every Konspekt using the folder must be closed.

    The backup opens with the key it was made under: the current database key, or
    the recovery code that was current then (after which the data is re-keyed and a
    new code returned). A wrong key, a damaged file or a running app changes nothing;
    the replaced data is moved aside, never deleted.
    """
    path = Path(file).expanduser().absolute()
    if recovery_code:
        key = key_from_code(recovery_code)
    else:
        store = keystore.load(settings.data_dir, settings.key_file)
        if store is None:
            raise KeyMissing("restore_needs_code", path=str(path))
        key = store.candidates(passphrase)[0]
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = FolderLock(settings.data_dir)
    if not lock.take_alone():
        raise KnownError("restore_in_use", path=str(settings.data_dir))
    unpacked = settings.data_dir / ".restore-staging"
    try:
        shutil.rmtree(unpacked, ignore_errors=True)
        backup.unpack_backup(path, key, unpacked)
        _verify(unpacked / "konspekt.db", key)
        names = [*DATA_PARTS, *_DB_SIDE_FILES]
        if not (settings.data_dir / "konspekt.toml").exists():
            names.append("konspekt.toml")  # settings come back only where there are none
        previous = backup.swap_in(settings.data_dir, unpacked, names)
        _audit_restore(settings.db_path, key, path, previous)
    finally:
        shutil.rmtree(unpacked, ignore_errors=True)
        lock.release()
    code = ""
    if recovery_code:
        code = recover(settings, recovery_code, key_store=key_store, passphrase=passphrase)
    return Restored(previous, code)


def _audit_restore(db_path: Path, key: bytes, file: Path, previous: Path) -> None:
    """Record the restore in the restored database (its own log did not see it)."""
    db = Database(db_path, key)
    try:
        audit.bind(db, key)
        with db.write() as con:
            audit.record(
                con, None, "restore", file.name, actor_name="restore", previous=previous.name
            )
    finally:
        db.close()


def _verify(db_path: Path, key: bytes) -> None:
    """Open the unpacked database and check it before it replaces anything."""
    if not db_path.exists():
        raise KnownError("backup_damaged", detail="no database inside")
    db = Database(db_path, key)
    try:
        problems = db.integrity_errors()
    finally:
        db.close()
    if problems:
        raise KnownError("backup_damaged", detail="; ".join(problems[:3]))

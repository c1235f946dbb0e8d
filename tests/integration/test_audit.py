"""The audit log records security events, is admin-only and detects tampering."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from core import Engine, Role, Session, Settings
from tests.fakes import FakeEmbedder
from tests.identity import PASSWORD, admin_session, user_session

GENESIS = "0" * 64
_COLUMNS = "id, at, actor_id, actor, action, target, detail"


@pytest.fixture
def embedder() -> FakeEmbedder:
    """The audit log is not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


def _sha256_chain(engine: Engine, from_id: int, edit: dict[int, str] | None = None) -> None:
    """Re-chain rows from `from_id` on with plain SHA-256, as the unkeyed log did.

    What someone who can write the decrypted database, but lacks the audit secret, could
    do to make an edited row verify under the old scheme.
    """
    edit = edit or {}
    rows = engine.context.db.query(
        f"SELECT {_COLUMNS}, prev_hash FROM audit_log WHERE id >= ? ORDER BY id", (from_id,)
    )
    prev = rows[0][7] if from_id > 1 else GENESIS
    with engine.context.db.write() as con:
        for row_id, at, actor_id, actor, action, target, detail, _ in rows:
            detail = edit.get(row_id, detail)
            body = json.dumps(
                [row_id, repr(at), actor_id, actor, action, target, detail],
                ensure_ascii=False,
                separators=(",", ":"),
            )
            digest = hashlib.sha256((prev + body).encode("utf-8")).hexdigest()
            con.execute(
                "UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE id = ?",
                (detail, prev, digest, row_id),
            )
            prev = digest


def test_security_events_are_recorded(engine: Engine, admin: Session, tmp_path: Path) -> None:
    bob = user_session(engine, admin, "bob", Role.EDITOR)
    note = tmp_path / "n.txt"
    note.write_text("Quarterly figures are due on Friday.")
    list(engine.documents.ingest(bob, [note], kb="Finance"))
    engine.kbs.share(bob, "Finance", user="admin")
    engine.documents.delete(bob, engine.documents.all(bob, "Finance")[0].id)
    engine.kbs.delete(bob, "Finance")
    engine.accounts.set_role(admin, "bob", Role.MEMBER)
    actions = [e.action for e in reversed(engine.audit.entries(admin))]
    for expected in (
        "setup",
        "login_ok",
        "user_registered",
        "user_approved",
        "kb_created",
        "ingest",
        "kb_shared",
        "document_deleted",
        "kb_deleted",
        "role_changed",
    ):
        assert expected in actions, expected
    ingest = engine.audit.entries(admin, action="ingest")[0]
    assert dict(ingest.detail)["indexed"] == 1
    assert "Quarterly" not in str(engine.audit.entries(admin))  # names and counts, never text
    check = engine.audit.verify(admin)
    assert check.ok
    assert check.entries == len(engine.audit.entries(admin, limit=10_000))


def test_editing_a_row_breaks_the_chain(engine: Engine, admin: Session) -> None:
    user_session(engine, admin, "bob", Role.MEMBER)
    engine.identity.login("bob", PASSWORD)
    assert engine.audit.verify(admin).ok
    target = engine.audit.entries(admin, action="user_approved")[0]
    with engine.context.db.write() as con:  # someone with the key edits the database directly
        con.execute(
            'UPDATE audit_log SET detail = \'{"role": "admin"}\' WHERE id = ?', (target.id,)
        )
    check = engine.audit.verify(admin)
    assert not check.ok
    assert check.first_bad_id == target.id


def test_deleting_a_row_breaks_the_chain(engine: Engine, admin: Session) -> None:
    user_session(engine, admin, "bob", Role.MEMBER)
    victim = engine.audit.entries(admin, action="user_registered")[0]
    with engine.context.db.write() as con:
        con.execute("DELETE FROM audit_log WHERE id = ?", (victim.id,))
    assert engine.audit.verify(admin).first_bad_id == victim.id + 1


def test_a_row_rehashed_with_plain_sha256_fails_verification(
    engine: Engine, admin: Session
) -> None:
    user_session(engine, admin, "bob", Role.MEMBER)
    target = engine.audit.entries(admin, action="user_approved")[0]
    _sha256_chain(engine, target.id, edit={target.id: '{"role": "admin"}'})
    check = engine.audit.verify(admin)
    assert not check.ok
    assert check.first_bad_id == target.id


def test_an_unkeyed_chain_from_before_is_rechained_on_open(settings: Settings) -> None:
    with Engine(settings) as engine:
        admin = admin_session(engine)
        user_session(engine, admin, "bob", Role.MEMBER)
        _sha256_chain(engine, 1)  # the log as the previous version wrote it
        with engine.context.db.write() as con:
            con.execute("DELETE FROM settings WHERE key = 'audit_secret'")
        legacy = {r[0]: r[1] for r in engine.context.db.query("SELECT id, hash FROM audit_log")}
    with Engine(settings) as engine:
        admin = admin_session(engine)
        check = engine.audit.verify(admin)
        assert check.ok
        assert check.entries == len(legacy) + 1  # and this login
        rows = engine.context.db.query("SELECT id, hash FROM audit_log")
        assert all(legacy[i] != h for i, h in rows if i in legacy), "now keyed"


def test_a_restore_is_recorded_in_the_restored_log(settings: Settings, e5: object) -> None:
    with Engine(settings, embedder=e5) as engine:  # type: ignore[arg-type]
        admin = admin_session(engine)
        made = Path(engine.upkeep.backup(admin).value("path"))
        engine.kbs.create(admin, "After the backup")
    restored = Engine.restore(settings, made)
    with Engine(settings, embedder=e5) as engine:  # type: ignore[arg-type]
        admin = admin_session(engine)
        [entry] = engine.audit.entries(admin, action="restore")
        assert entry.target == made.name
        assert dict(entry.detail)["previous"] == restored.previous.name
        assert engine.audit.verify(admin).ok

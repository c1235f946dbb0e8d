"""The audit log records security events, is admin-only and detects tampering."""

from __future__ import annotations

from pathlib import Path

from core import Engine, Role, Session
from tests.identity import PASSWORD, user_session


def test_security_events_are_recorded(engine: Engine, admin: Session, tmp_path: Path) -> None:
    bob = user_session(engine, admin, "bob", Role.EDITOR)
    note = tmp_path / "n.txt"
    note.write_text("Quarterly figures are due on Friday.")
    list(engine.ingest(bob, [note], kb="Finance"))
    engine.share_knowledge_base(bob, "Finance", user="admin")
    engine.delete_document(bob, engine.documents(bob, "Finance")[0].id)
    engine.delete_knowledge_base(bob, "Finance")
    engine.set_role(admin, "bob", Role.MEMBER)
    actions = [e.action for e in reversed(engine.audit_log(admin))]
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
    ingest = engine.audit_log(admin, action="ingest")[0]
    assert dict(ingest.detail)["indexed"] == 1
    assert "Quarterly" not in str(engine.audit_log(admin))  # names and counts, never text
    check = engine.verify_audit(admin)
    assert check.ok
    assert check.entries == len(engine.audit_log(admin, limit=10_000))


def test_editing_a_row_breaks_the_chain(engine: Engine, admin: Session) -> None:
    user_session(engine, admin, "bob", Role.MEMBER)
    engine.login("bob", PASSWORD)
    assert engine.verify_audit(admin).ok
    target = engine.audit_log(admin, action="user_approved")[0]
    with engine._db.write() as con:  # someone with the key edits the database directly
        con.execute(
            'UPDATE audit_log SET detail = \'{"role": "admin"}\' WHERE id = ?', (target.id,)
        )
    check = engine.verify_audit(admin)
    assert not check.ok
    assert check.first_bad_id == target.id


def test_deleting_a_row_breaks_the_chain(engine: Engine, admin: Session) -> None:
    user_session(engine, admin, "bob", Role.MEMBER)
    victim = engine.audit_log(admin, action="user_registered")[0]
    with engine._db.write() as con:
        con.execute("DELETE FROM audit_log WHERE id = ?", (victim.id,))
    assert engine.verify_audit(admin).first_bad_id == victim.id + 1

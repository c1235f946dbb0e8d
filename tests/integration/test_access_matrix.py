"""The RBAC matrix: every Engine operation × role × knowledge-base sharing × owner or not.

Each case builds a small real world (SQLCipher, LanceDB, the e5 embedder): an editor
"olga" owns a knowledge base with one document, shared with the acting user in one of
four ways — or the acting user owns the knowledge base. The operation must succeed or
raise PermissionDenied with a message naming the reason, as the rules say.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import (
    Access,
    Engine,
    InvalidInput,
    PermissionDenied,
    Role,
    Session,
    Settings,
    Sources,
    Visibility,
)
from core.llm.generator import Generator
from tests.identity import admin_session, user_session

RELATIONS = ("owner", "private", "shared-read", "shared-write", "public")
SECRET = "The vault combination is written on the blue index card."


@dataclass
class World:
    engine: Engine
    actor: Session
    kb: str
    doc_id: int
    tmp: Path


def _world(
    settings: Settings, e5: object, model: Path, tmp: Path, role: Role, relation: str
) -> World:
    generator = Generator(model, n_ctx=1024, n_threads=1)
    engine = Engine(
        settings.with_changes(max_answer_tokens=4),
        embedder=e5,  # type: ignore[arg-type]
        generator=generator,
    )
    admin = admin_session(engine)
    actor = admin if role is Role.ADMIN else user_session(engine, admin, "actor", role)
    note = tmp / "note.txt"
    note.write_text(SECRET)
    if relation == "owner":
        # Members own only their private uploads space; editors and admins create KBs.
        kb = "~actor" if role is Role.MEMBER else "Actor's KB"
        list(engine.ingest(actor, [note], kb=None if role is Role.MEMBER else kb))
        doc_id = engine.documents(actor, kb)[0].id
        return World(engine, actor, kb, doc_id, tmp)
    olga = user_session(engine, admin, "olga", Role.EDITOR)
    kb = "Olga's KB"
    list(engine.ingest(olga, [note], kb=kb))
    doc_id = engine.documents(olga, kb)[0].id
    if relation in ("shared-read", "shared-write"):
        access = Access.WRITE if relation == "shared-write" else Access.READ
        engine.share_knowledge_base(olga, kb, user=actor.user.username, access=access)
    elif relation == "public":
        engine.set_visibility(olga, kb, Visibility.PUBLIC)
    return World(engine, actor, kb, doc_id, tmp)


def _second_file(w: World) -> list[Path]:
    extra = w.tmp / "extra.txt"
    extra.write_text("The cafeteria serves borscht on Mondays.")
    return [extra]


def _cited(w: World) -> list[str]:
    events = list(w.engine.ask(w.actor, "Where is the vault combination written?", kb=w.kb))
    sources = next(e for e in events if isinstance(e, Sources))
    return [s.snippet for s in sources.items]


OPERATIONS: dict[str, Callable[[World], object]] = {
    "search": lambda w: [h.text for h in w.engine.search(w.actor, "vault combination", kb=w.kb)],
    "ask": _cited,
    "documents": lambda w: w.engine.documents(w.actor, w.kb),
    "document_file": lambda w: w.engine.document_file(w.actor, w.doc_id),
    "ingest": lambda w: list(w.engine.ingest(w.actor, _second_file(w), kb=w.kb)),
    "delete_document": lambda w: w.engine.delete_document(w.actor, w.doc_id),
    "rename": lambda w: w.engine.rename_knowledge_base(w.actor, w.kb, "Renamed"),
    "share": lambda w: (
        w.engine.share_knowledge_base(w.actor, w.kb, user="admin")
        if w.actor.user.username != "admin"
        else w.engine.share_knowledge_base(w.actor, w.kb, group="everyone")
    ),
    "make_private": lambda w: w.engine.set_visibility(w.actor, w.kb, Visibility.PRIVATE),
    "make_public": lambda w: w.engine.set_visibility(w.actor, w.kb, Visibility.PUBLIC),
    "delete_kb": lambda w: w.engine.delete_knowledge_base(w.actor, w.kb),
}
READ = {"search", "ask", "documents", "document_file"}
# What a permitted read returns: proof it really reached the document.
READ_RESULT: dict[str, Callable[[object], bool]] = {
    "search": lambda texts: SECRET in texts,  # type: ignore[operator]
    "ask": lambda snippets: SECRET in snippets,  # type: ignore[operator]
    "documents": lambda docs: [d.name for d in docs] == ["note.txt"],  # type: ignore[attr-defined]
    "document_file": lambda named: named == ("note.txt", SECRET.encode()),
}
WRITE = {"ingest", "delete_document"}


def expected(op: str, role: Role, relation: str) -> str:
    """'ok', 'denied' or 'invalid' by the documented rules."""
    reads = relation in ("owner", "shared-read", "shared-write", "public")
    writes = relation in ("owner", "shared-write")
    owns = relation == "owner"
    if op in READ:
        return "ok" if reads else "denied"
    if op in WRITE:
        return "ok" if writes else "denied"
    if op == "delete_kb":
        return "ok" if owns or role is Role.ADMIN else "denied"
    if op == "make_public":
        return "ok" if owns and role is not Role.MEMBER else "denied"
    if op == "rename" and owns and role is Role.MEMBER:
        return "invalid"  # a personal space keeps its name
    return "ok" if owns else "denied"


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("op", list(OPERATIONS))
def test_operation_on_a_knowledge_base(
    op: str,
    role: Role,
    relation: str,
    settings: Settings,
    e5: object,
    tiny_model: Path,
    tmp_path: Path,
) -> None:
    world = _world(settings, e5, tiny_model, tmp_path, role, relation)
    with world.engine:
        if op == "share" and role is Role.ADMIN:
            world.engine.create_group(world.actor, "everyone")
        outcome = expected(op, role, relation)
        if outcome == "ok":
            result = OPERATIONS[op](world)
            assert op not in READ or READ_RESULT[op](result), result
            return
        error = PermissionDenied if outcome == "denied" else InvalidInput
        with pytest.raises(error) as info:
            OPERATIONS[op](world)
        assert info.value.user_message("en").strip()
        assert info.value.user_message("ru") != info.value.user_message("en")


ROLE_OPERATIONS: dict[str, Callable[[Engine, Session], object]] = {
    "users": lambda e, s: e.users(s),
    "approve_user": lambda e, s: e.approve_user(s, "newcomer"),
    "set_role": lambda e, s: e.set_role(s, "newcomer", Role.EDITOR),
    "disable_user": lambda e, s: e.set_user_enabled(s, "newcomer", False),
    "reset_password": lambda e, s: e.reset_password(s, "newcomer"),
    "create_invite": lambda e, s: e.create_invite(s),
    "create_group": lambda e, s: e.create_group(s, "Sales"),
    "audit_log": lambda e, s: e.audit_log(s),
    "verify_audit": lambda e, s: e.verify_audit(s),
    "rotate_key": lambda e, s: e.rotate_key(s),
    "all_knowledge_bases": lambda e, s: e.all_knowledge_bases(s),
    "create_knowledge_base": lambda e, s: e.create_knowledge_base(s, "Policies"),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("op", list(ROLE_OPERATIONS))
def test_role_operation(op: str, role: Role, settings: Settings) -> None:
    with Engine(settings) as engine:
        admin = admin_session(engine)
        actor = admin if role is Role.ADMIN else user_session(engine, admin, "actor", role)
        engine.register("newcomer", "newcomer password")
        allowed = role is Role.ADMIN or (op == "create_knowledge_base" and role is Role.EDITOR)
        if allowed:
            ROLE_OPERATIONS[op](engine, actor)
            return
        with pytest.raises(PermissionDenied) as info:
            ROLE_OPERATIONS[op](engine, actor)
        assert role.value in info.value.user_message("en")


def test_sessions_act_only_for_their_own_account(settings: Settings) -> None:
    """Every operation reads the role from the database, not from the Session object."""
    with Engine(settings) as engine:
        admin = admin_session(engine)
        mel = user_session(engine, admin, "mel", Role.MEMBER)
        forged = Session(mel.token, admin.user)  # a shell cannot upgrade a session
        with pytest.raises(PermissionDenied):
            engine.users(forged)
        engine.set_role(admin, "mel", Role.ADMIN)
        assert len(engine.users(mel)) == 2  # a role change applies at once

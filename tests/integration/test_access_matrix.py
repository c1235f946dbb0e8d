"""The RBAC matrix: every Engine operation × role × knowledge-base sharing × owner or not.

Each case builds a small real world (SQLCipher, LanceDB, the tiny llama; the embedder is
`tests.fakes.FakeEmbedder`, as access does not depend on ranking): an editor "olga" owns a
knowledge base with one document, shared with the acting user in one of five ways — or the
acting user owns the knowledge base. The operation must succeed and take effect, or raise
PermissionDenied with a message naming the reason, as the rules say.
Every public Engine method is either in a matrix here or listed, with the reason, in
NOT_IN_MATRIX: a new method fails `test_every_engine_operation_is_in_the_matrix`.
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
    NotFound,
    PageImage,
    PermissionDenied,
    Role,
    Session,
    Settings,
    Sources,
    Visibility,
)
from core.llm.generator import Generator
from tests.documents import make_pdf
from tests.fakes import FakeEmbedder
from tests.identity import admin_session, user_session


@pytest.fixture
def embedder() -> FakeEmbedder:
    """Access rules are not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


RELATIONS = ("owner", "private", "shared-read", "shared-write", "group-read", "public")
SECRET = "The vault combination is written on the blue index card."


@dataclass
class World:
    engine: Engine
    actor: Session
    owner: Session
    kb: str
    doc_id: int
    tmp: Path
    watch_id: int


def _document(tmp: Path, pdf: bool) -> Path:
    if pdf:  # render_page needs a PDF; its text is checked through the page image
        return make_pdf(tmp / "note.pdf")
    note = tmp / "note.txt"
    note.write_text(SECRET)
    return note


def _watched(engine: Engine, owner: Session, kb: str, tmp: Path) -> int:
    folder = tmp / "watched"
    folder.mkdir()
    (folder / "watched.txt").write_text("The watched folder holds the boiler manual.")
    return engine.watch_folder(owner, folder, kb).id


def _world(
    settings: Settings,
    embedder: FakeEmbedder,
    model: Path,
    tmp: Path,
    role: Role,
    relation: str,
    pdf: bool = False,
) -> World:
    generator = Generator(model, n_ctx=1024, n_threads=1)
    engine = Engine(
        settings.with_changes(max_answer_tokens=4),
        embedder=embedder,
        generator=generator,
    )
    admin = admin_session(engine)
    actor = admin if role is Role.ADMIN else user_session(engine, admin, "actor", role)
    note = _document(tmp, pdf)
    if relation == "owner":
        # Members own only their private uploads space; editors and admins create KBs.
        kb = "~actor" if role is Role.MEMBER else "Actor's KB"
        list(engine.ingest(actor, [note], kb=None if role is Role.MEMBER else kb))
        doc_id = engine.documents(actor, kb)[0].id
        watch = _watched(engine, actor, kb, tmp)
        return World(engine, actor, actor, kb, doc_id, tmp, watch)
    olga = user_session(engine, admin, "olga", Role.EDITOR)
    kb = "Olga's KB"
    list(engine.ingest(olga, [note], kb=kb))
    doc_id = engine.documents(olga, kb)[0].id
    if relation in ("shared-read", "shared-write"):
        access = Access.WRITE if relation == "shared-write" else Access.READ
        engine.share_knowledge_base(olga, kb, user=actor.user.username, access=access)
    elif relation == "group-read":
        engine.create_group(admin, "Readers")
        engine.set_group_member(admin, "Readers", actor.user.username, True)
        engine.share_knowledge_base(olga, kb, group="Readers")
    elif relation == "public":
        engine.set_visibility(olga, kb, Visibility.PUBLIC)
    return World(engine, actor, olga, kb, doc_id, tmp, _watched(engine, olga, kb, tmp))


def _second_file(w: World) -> list[Path]:
    extra = w.tmp / "extra.txt"
    extra.write_text("The cafeteria serves borscht on Mondays.")
    return [extra]


def _cited(w: World) -> list[str]:
    events = list(w.engine.ask(w.actor, "Where is the vault combination written?", kb=w.kb))
    sources = next(e for e in events if isinstance(e, Sources))
    return [s.snippet for s in sources.items]


def _share_target(w: World) -> dict[str, str]:
    if w.actor.user.username != "admin":
        return {"user": "admin"}
    return {"group": "everyone"}


def _unshare(w: World) -> object:
    """The owner shares, then unshares; anyone else tries to revoke their own access."""
    if w.owner is not w.actor:
        return w.engine.unshare_knowledge_base(w.actor, w.kb, user=w.actor.user.username)
    w.engine.share_knowledge_base(w.actor, w.kb, **_share_target(w))
    return w.engine.unshare_knowledge_base(w.actor, w.kb, **_share_target(w))


def _watch_another(w: World) -> object:
    folder = w.tmp / "another"
    folder.mkdir()
    return w.engine.watch_folder(w.actor, folder, w.kb)


def _watch_ids(w: World) -> set[int]:
    return {f.id for f in w.engine.watched_folders(w.owner, w.kb)}


OPERATIONS: dict[str, Callable[[World], object]] = {
    "search": lambda w: [h.text for h in w.engine.search(w.actor, "vault combination", kb=w.kb)],
    "ask": _cited,
    "documents": lambda w: w.engine.documents(w.actor, w.kb),
    "document_file": lambda w: w.engine.document_file(w.actor, w.doc_id),
    "document_passages": lambda w: w.engine.document_passages(w.actor, w.doc_id),
    "render_page": lambda w: w.engine.render_page(w.actor, w.doc_id, 2, width=200),
    "watched_folders": lambda w: w.engine.watched_folders(w.actor, w.kb),
    "ingest": lambda w: list(w.engine.ingest(w.actor, _second_file(w), kb=w.kb)),
    "delete_document": lambda w: w.engine.delete_document(w.actor, w.doc_id),
    "watch_folder": _watch_another,
    "scan_watched": lambda w: w.engine.scan_watched(w.actor, w.watch_id),
    "unwatch_folder": lambda w: w.engine.unwatch_folder(w.actor, w.watch_id),
    "rename": lambda w: w.engine.rename_knowledge_base(w.actor, w.kb, "Renamed"),
    "share": lambda w: w.engine.share_knowledge_base(w.actor, w.kb, **_share_target(w)),
    "unshare": _unshare,
    "make_private": lambda w: w.engine.set_visibility(w.actor, w.kb, Visibility.PRIVATE),
    "make_public": lambda w: w.engine.set_visibility(w.actor, w.kb, Visibility.PUBLIC),
    "delete_kb": lambda w: w.engine.delete_knowledge_base(w.actor, w.kb),
}
READ = {"search", "ask", "documents", "document_file", "document_passages"}
READ |= {"render_page", "watched_folders"}
WRITE = {"ingest", "delete_document", "watch_folder", "scan_watched", "unwatch_folder"}


def _names(w: World) -> set[str]:
    return {d.name for d in w.engine.documents(w.owner, w.kb)}


# Proof that a permitted call reached the document or took effect (seen by the owner).
EFFECT: dict[str, Callable[[World, object], bool]] = {
    "search": lambda w, texts: SECRET in texts,  # type: ignore[operator]
    "ask": lambda w, snippets: SECRET in snippets,  # type: ignore[operator]
    "documents": lambda w, docs: [d.name for d in docs] == ["note.txt"],  # type: ignore[attr-defined]
    "document_file": lambda w, named: named == ("note.txt", SECRET.encode()),
    "document_passages": lambda w, passages: [p.text for p in passages] == [SECRET],  # type: ignore[attr-defined]
    "render_page": lambda w, image: (
        isinstance(image, PageImage)
        and (image.page, image.width) == (2, 200)
        and len(set(image.rgb)) > 1
    ),  # not a blank page
    "watched_folders": lambda w, found: [f.id for f in found] == [w.watch_id],  # type: ignore[attr-defined]
    "ingest": lambda w, _: _names(w) == {"note.txt", "extra.txt"},
    "delete_document": lambda w, _: _names(w) == set(),
    "watch_folder": lambda w, made: made.id in _watch_ids(w) and len(_watch_ids(w)) == 2,  # type: ignore[attr-defined]
    "scan_watched": lambda w, _: "watched.txt" in _names(w),
    "unwatch_folder": lambda w, _: _watch_ids(w) == set(),
    "rename": lambda w, _: "Renamed" in {k.name for k in w.engine.knowledge_bases(w.owner)},
    "share": lambda w, kb: len(kb.grants) == 1,  # type: ignore[attr-defined]
    "unshare": lambda w, kb: kb.grants == (),  # type: ignore[attr-defined]
    "make_private": lambda w, kb: kb.visibility is Visibility.PRIVATE,  # type: ignore[attr-defined]
    "make_public": lambda w, kb: kb.visibility is Visibility.PUBLIC,  # type: ignore[attr-defined]
    # A member's personal space comes back empty at once; any other KB is gone.
    "delete_kb": lambda w, _: all(
        k.name != w.kb or (k.personal and k.documents == 0)
        for k in w.engine.knowledge_bases(w.owner)
    ),
}


def expected(op: str, role: Role, relation: str) -> str:
    """'ok', 'denied', 'invalid' or 'missing' by the documented rules."""
    reads = relation in ("owner", "shared-read", "shared-write", "group-read", "public")
    writes = relation in ("owner", "shared-write")
    owns = relation == "owner"
    if op in ("scan_watched", "unwatch_folder") and not reads and role is not Role.ADMIN:
        return "missing"  # another user's private watch does not exist for them
    if op == "unwatch_folder" and role is Role.ADMIN:
        return "ok"  # admins offboard: they may stop any watch (it reads nothing)
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


ERRORS = {"denied": PermissionDenied, "invalid": InvalidInput, "missing": NotFound}


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("op", list(OPERATIONS))
def test_operation_on_a_knowledge_base(
    op: str,
    role: Role,
    relation: str,
    settings: Settings,
    embedder: FakeEmbedder,
    tiny_model: Path,
    tmp_path: Path,
) -> None:
    pdf = op == "render_page"
    world = _world(settings, embedder, tiny_model, tmp_path, role, relation, pdf)
    with world.engine:
        if op in ("share", "unshare") and role is Role.ADMIN:
            world.engine.create_group(world.actor, "everyone")
        outcome = expected(op, role, relation)
        if outcome == "ok":
            result = OPERATIONS[op](world)
            assert EFFECT[op](world, result), result
            return
        with pytest.raises(ERRORS[outcome]) as info:
            OPERATIONS[op](world)
        assert info.value.user_message("en").strip()
        assert info.value.user_message("ru") != info.value.user_message("en")


ROLE_OPERATIONS: dict[str, Callable[[Engine, Session], object]] = {
    "users": lambda e, s: e.users(s),
    "approve_user": lambda e, s: e.approve_user(s, "newcomer"),
    "set_role": lambda e, s: e.set_role(s, "olga", Role.ADMIN),
    "disable_user": lambda e, s: e.set_user_enabled(s, "olga", False),
    "reset_password": lambda e, s: e.reset_password(s, "olga"),
    "create_invite": lambda e, s: e.create_invite(s),
    "create_group": lambda e, s: e.create_group(s, "Sales"),
    "set_group_member": lambda e, s: e.set_group_member(s, "Staff", "olga", True),
    "groups": lambda e, s: e.groups(s),
    "audit_log": lambda e, s: e.audit_log(s),
    "verify_audit": lambda e, s: e.verify_audit(s),
    "rotate_key": lambda e, s: e.rotate_key(s),
    "all_knowledge_bases": lambda e, s: e.all_knowledge_bases(s),
    "create_knowledge_base": lambda e, s: e.create_knowledge_base(s, "Policies"),
    "run_maintenance": lambda e, s: e.run_maintenance(s),
    "maintenance_log": lambda e, s: e.maintenance_log(s),
    "backup": lambda e, s: e.backup(s, e.settings.data_dir.parent / "backups"),
    "backups": lambda e, s: e.backups(s, e.settings.data_dir.parent / "backups"),
}
ANYONE = {"groups"}


def _olga(e: Engine, admin: Session) -> object:
    return next(u for u in e.users(admin) if u.username == "olga")


# Proof that a permitted call took effect, checked through the admin's own session.
ROLE_EFFECT: dict[str, Callable[[Engine, Session, object], bool]] = {
    "users": lambda e, a, users: {u.username for u in users} >= {"admin", "olga"},  # type: ignore[attr-defined]
    "approve_user": lambda e, a, _: any(
        u.username == "newcomer" and u.status.value == "active" for u in e.users(a)
    ),
    "set_role": lambda e, a, _: _olga(e, a).role is Role.ADMIN,  # type: ignore[attr-defined]
    "disable_user": lambda e, a, _: _olga(e, a).status.value == "disabled",  # type: ignore[attr-defined]
    "reset_password": lambda e, a, temporary: bool(e.login("olga", temporary)),  # type: ignore[arg-type]
    "create_invite": lambda e, a, code: (
        e.register("invited", "invited password", invite=str(code)).status.value == "active"
    ),
    "create_group": lambda e, a, _: "Sales" in {g.name for g in e.groups(a)},
    "set_group_member": lambda e, a, _: (
        "olga" in next(g for g in e.groups(a) if g.name == "Staff").members
    ),
    "groups": lambda e, a, groups: [g.name for g in groups] == ["Staff"],  # type: ignore[attr-defined]
    "audit_log": lambda e, a, entries: len(entries) > 0,  # type: ignore[arg-type]
    "verify_audit": lambda e, a, check: check.ok,  # type: ignore[attr-defined]
    "rotate_key": lambda e, a, code: len(str(code)) > 20,
    "all_knowledge_bases": lambda e, a, kbs: "Olga's KB" in {k.name for k in kbs},  # type: ignore[attr-defined]
    "create_knowledge_base": lambda e, a, kb: kb.name == "Policies",  # type: ignore[attr-defined]
    "run_maintenance": lambda e, a, results: (
        all(r.ok for r in results)  # type: ignore[attr-defined]
        and len(e.maintenance_log(a)) == len(results)
    ),  # type: ignore[arg-type]
    "maintenance_log": lambda e, a, log: log == [],
    "backup": lambda e, a, result: (
        result.ok and len(e.backups(a, e.settings.data_dir.parent / "backups")) == 1
    ),  # type: ignore[attr-defined]
    "backups": lambda e, a, found: found == [],
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("op", list(ROLE_OPERATIONS))
def test_role_operation(op: str, role: Role, settings: Settings, embedder: FakeEmbedder) -> None:
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        actor = admin if role is Role.ADMIN else user_session(engine, admin, "actor", role)
        olga = user_session(engine, admin, "olga", Role.EDITOR)
        engine.create_knowledge_base(olga, "Olga's KB")
        engine.create_group(admin, "Staff")
        engine.register("newcomer", "newcomer password")
        allowed = role is Role.ADMIN or op in ANYONE
        allowed |= op == "create_knowledge_base" and role is Role.EDITOR
        if allowed:
            result = ROLE_OPERATIONS[op](engine, actor)
            assert ROLE_EFFECT[op](engine, admin, result), result
            return
        with pytest.raises(PermissionDenied) as info:
            ROLE_OPERATIONS[op](engine, actor)
        assert role.value in info.value.user_message("en")


# Public Engine methods outside both matrices, each with why.
NOT_IN_MATRIX = {
    # No data: facts about the installation or the build.
    "data_exists": "static; whether a database file exists",
    "keychain": "static; the OS keychain's name",
    "gpu_available": "static; a build capability",
    "model_choice": "which model file is configured",
    # Lifecycle of the engine itself, not of anyone's data.
    "close": "lifecycle",
    "load_model": "lifecycle",
    "warm_up": "lifecycle",
    "start_background": "lifecycle",
    "stop_background": "lifecycle",
    "pending_jobs": "a count of queued summary jobs",
    "run_pending_jobs": "runs each job for its own user (tests/integration/test_summaries.py)",
    "apply_settings": "installation settings (tests/integration/test_installation_settings.py)",
    # Getting a session, and the acting user's own account.
    "needs_setup": "before any account exists",
    "setup": "first run only (tests/integration/test_accounts.py)",
    "register": "creates a pending account (tests/integration/test_accounts.py)",
    "login": "tests/integration/test_accounts.py",
    "logout": "ends the caller's own session",
    "lock": "the caller's own session",
    "keep_alive": "the caller's own session; returns nothing",
    "unlock": "the caller's own session, with its password",
    "change_password": "the caller's own password",
    "current_user": "the caller's own account",
    "recover": "static; needs the recovery code (tests/integration/test_keys.py)",
    "restore": "static; the backup opens only with its key or recovery code, and only "
    "`backup` (admins, above) writes one (tests/integration/test_backup.py)",
    # The caller's own items: ids of other users' chats and summaries are refused.
    "knowledge_bases": "the caller's visible KBs (tests/integration/test_leak.py)",
    "status": "the caller's own KB counts",
    "create_chat": "own chats (tests/integration/test_chats.py)",
    "chats": "own chats (test_chats_are_private_even_to_admins)",
    "rename_chat": "own chats (test_chats_are_private_even_to_admins)",
    "delete_chat": "own chats (test_chats_are_private_even_to_admins)",
    "chat_messages": "own chats (test_chats_are_private_even_to_admins)",
    "clear_chat": "own chats (tests/integration/test_summaries.py)",
    "summaries": "own summaries (test_summaries_are_private_and_can_be_pinned_and_deleted)",
    "delete_summary": "own summaries (test_summaries_are_private_and_can_be_pinned_and_deleted)",
    "pin_summary": "own summaries (test_summaries_are_private_and_can_be_pinned_and_deleted)",
    "welcome_summary": "own summaries (tests/integration/test_summaries.py)",
}
MATRIX_NAMES = {
    "ask": "ask",
    "search": "search",
    "rename": "rename_knowledge_base",
    "share": "share_knowledge_base",
    "unshare": "unshare_knowledge_base",
    "make_private": "set_visibility",
    "make_public": "set_visibility",
    "delete_kb": "delete_knowledge_base",
    "disable_user": "set_user_enabled",
}


def test_every_engine_operation_is_in_the_matrix() -> None:
    """A new public method must join a matrix or NOT_IN_MATRIX with its reason."""
    public = {n for n in dir(Engine) if not n.startswith("_") and callable(getattr(Engine, n))}
    covered = {MATRIX_NAMES.get(op, op) for op in [*OPERATIONS, *ROLE_OPERATIONS]}
    assert covered <= public, covered - public
    assert public - covered - set(NOT_IN_MATRIX) == set()
    assert not covered & set(NOT_IN_MATRIX)


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

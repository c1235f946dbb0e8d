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
    Assistant,
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
    return engine.watches.add(owner, folder, kb).id


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
        list(engine.documents.ingest(actor, [note], kb=None if role is Role.MEMBER else kb))
        doc_id = engine.documents.all(actor, kb)[0].id
        watch = _watched(engine, actor, kb, tmp)
        return World(engine, actor, actor, kb, doc_id, tmp, watch)
    olga = user_session(engine, admin, "olga", Role.EDITOR)
    kb = "Olga's KB"
    list(engine.documents.ingest(olga, [note], kb=kb))
    doc_id = engine.documents.all(olga, kb)[0].id
    if relation in ("shared-read", "shared-write"):
        access = Access.WRITE if relation == "shared-write" else Access.READ
        engine.kbs.share(olga, kb, user=actor.user.username, access=access)
    elif relation == "group-read":
        engine.accounts.create_group(admin, "Readers")
        engine.accounts.set_group_member(admin, "Readers", actor.user.username, True)
        engine.kbs.share(olga, kb, group="Readers")
    elif relation == "public":
        engine.kbs.set_visibility(olga, kb, Visibility.PUBLIC)
    return World(engine, actor, olga, kb, doc_id, tmp, _watched(engine, olga, kb, tmp))


def _second_file(w: World) -> list[Path]:
    extra = w.tmp / "extra.txt"
    extra.write_text("The cafeteria serves borscht on Mondays.")
    return [extra]


def _cited(w: World) -> list[str]:
    events = list(w.engine.answers.ask(w.actor, "Where is the vault combination written?", kb=w.kb))
    sources = next(e for e in events if isinstance(e, Sources))
    return [s.snippet for s in sources.items]


def _share_target(w: World) -> dict[str, str]:
    if w.actor.user.username != "admin":
        return {"user": "admin"}
    return {"group": "everyone"}


def _unshare(w: World) -> object:
    """The owner shares, then unshares; anyone else tries to revoke their own access."""
    if w.owner is not w.actor:
        return w.engine.kbs.unshare(w.actor, w.kb, user=w.actor.user.username)
    w.engine.kbs.share(w.actor, w.kb, **_share_target(w))
    return w.engine.kbs.unshare(w.actor, w.kb, **_share_target(w))


def _watch_another(w: World) -> object:
    folder = w.tmp / "another"
    folder.mkdir()
    return w.engine.watches.add(w.actor, folder, w.kb)


def _watch_ids(w: World) -> set[int]:
    return {f.id for f in w.engine.watches.all(w.owner, w.kb)}


def _read_assistant(w: World) -> object:
    """The owner gives the KB instructions; the actor reads them."""
    w.engine.assistants.save(w.owner, Assistant(w.kb, "Answer formally.", temperature=0.3))
    return w.engine.assistants.get(w.actor, w.kb)


def _shared_template(w: World) -> int:
    return w.engine.templates.add(w.owner, "Summary", "Summarise {document}", kb=w.kb).id


def _kb_templates(w: World) -> object:
    _shared_template(w)
    return w.engine.templates.visible(w.actor, kb=w.kb)


def _edit_kb_template(w: World) -> object:
    return w.engine.templates.update(w.actor, _shared_template(w), "Brief", "Brief {document}")


def _remove_kb_template(w: World) -> object:
    template = _shared_template(w)
    w.engine.templates.remove(w.actor, template)
    return template


def _owner_templates(w: World) -> list[str]:
    return [t.name for t in w.engine.templates.visible(w.owner, kb=w.kb) if t.kb == w.kb]


OPERATIONS: dict[str, Callable[[World], object]] = {
    "search": lambda w: [
        h.text for h in w.engine.answers.search(w.actor, "vault combination", kb=w.kb)
    ],
    "ask": _cited,
    "documents": lambda w: w.engine.documents.all(w.actor, w.kb),
    "document_file": lambda w: w.engine.documents.original(w.actor, w.doc_id),
    "document_passages": lambda w: w.engine.documents.passages(w.actor, w.doc_id),
    "render_page": lambda w: w.engine.documents.render_page(w.actor, w.doc_id, 2, width=200),
    "watched_folders": lambda w: w.engine.watches.all(w.actor, w.kb),
    "ingest": lambda w: list(w.engine.documents.ingest(w.actor, _second_file(w), kb=w.kb)),
    "delete_document": lambda w: w.engine.documents.delete(w.actor, w.doc_id),
    "watch_folder": _watch_another,
    "scan_watched": lambda w: w.engine.watches.scan(w.actor, w.watch_id),
    "unwatch_folder": lambda w: w.engine.watches.remove(w.actor, w.watch_id),
    "rename": lambda w: w.engine.kbs.rename(w.actor, w.kb, "Renamed"),
    "share": lambda w: w.engine.kbs.share(w.actor, w.kb, **_share_target(w)),
    "unshare": _unshare,
    "make_private": lambda w: w.engine.kbs.set_visibility(w.actor, w.kb, Visibility.PRIVATE),
    "make_public": lambda w: w.engine.kbs.set_visibility(w.actor, w.kb, Visibility.PUBLIC),
    "delete_kb": lambda w: w.engine.kbs.delete(w.actor, w.kb),
    "sync_changes": lambda w: w.engine.sync.changes(w.actor, _kb_id(w), 0, 10),
    "sync_export": lambda w: w.engine.sync.export(w.actor, _kb_id(w), [w.doc_id]),
    "assistant": _read_assistant,
    "set_assistant": lambda w: w.engine.assistants.save(w.actor, Assistant(w.kb, "Be brief.")),
    "kb_templates": _kb_templates,
    "add_kb_template": lambda w: w.engine.templates.add(w.actor, "Mine", "Explain {x}", kb=w.kb),
    "edit_kb_template": _edit_kb_template,
    "remove_kb_template": _remove_kb_template,
    "export_bundle": lambda w: list(
        w.engine.bundles.export(w.actor, w.kb, w.tmp / "kb.kbundle", "seven sealed ferries")
    ),
}
READ = {"search", "ask", "documents", "document_file", "document_passages"}
READ |= {"render_page", "watched_folders", "sync_changes", "sync_export"}
READ |= {"assistant", "kb_templates"}


def _kb_id(w: World) -> int:
    """The world's knowledge base by id (what a desktop's copy knows it by)."""
    return next(k.id for k in w.engine.kbs.visible(w.owner) if k.name == w.kb)


WRITE = {"ingest", "delete_document", "watch_folder", "scan_watched", "unwatch_folder"}
WRITE |= {"set_assistant", "add_kb_template", "edit_kb_template", "remove_kb_template"}
WRITE |= {"export_bundle"}  # a KB's editors decide where all of it may go


def _names(w: World) -> set[str]:
    return {d.name for d in w.engine.documents.all(w.owner, w.kb)}


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
    "sync_changes": lambda w, log: [c["document"] for c in log["changes"]] == [w.doc_id],  # type: ignore[index]
    "sync_export": lambda w, sent: [c[1] for c in sent["documents"][0]["chunks"]] == [SECRET],  # type: ignore[index]
    "ingest": lambda w, _: _names(w) == {"note.txt", "extra.txt"},
    "delete_document": lambda w, _: _names(w) == set(),
    "watch_folder": lambda w, made: made.id in _watch_ids(w) and len(_watch_ids(w)) == 2,  # type: ignore[attr-defined]
    "scan_watched": lambda w, _: "watched.txt" in _names(w),
    "unwatch_folder": lambda w, _: _watch_ids(w) == set(),
    "rename": lambda w, _: "Renamed" in {k.name for k in w.engine.kbs.visible(w.owner)},
    "share": lambda w, kb: len(kb.grants) == 1,  # type: ignore[attr-defined]
    "unshare": lambda w, kb: kb.grants == (),  # type: ignore[attr-defined]
    "make_private": lambda w, kb: kb.visibility is Visibility.PRIVATE,  # type: ignore[attr-defined]
    "make_public": lambda w, kb: kb.visibility is Visibility.PUBLIC,  # type: ignore[attr-defined]
    # A member's personal space comes back empty at once; any other KB is gone.
    "assistant": lambda w, a: (a.instructions, a.temperature) == ("Answer formally.", 0.3),  # type: ignore[attr-defined]
    "set_assistant": lambda w, _: (
        w.engine.assistants.get(w.owner, w.kb).instructions == "Be brief."
    ),
    "kb_templates": lambda w, found: [t.name for t in found] == ["Summary"],  # type: ignore[attr-defined]
    "add_kb_template": lambda w, _: _owner_templates(w) == ["Mine"],
    "edit_kb_template": lambda w, _: _owner_templates(w) == ["Brief"],
    "remove_kb_template": lambda w, _: _owner_templates(w) == [],
    "export_bundle": lambda w, events: (
        events[-1].report.documents == 1 and (w.tmp / "kb.kbundle").stat().st_size > 0  # type: ignore[index]
    ),
    "delete_kb": lambda w, _: all(
        k.name != w.kb or (k.personal and k.documents == 0) for k in w.engine.kbs.visible(w.owner)
    ),
}


def expected(op: str, role: Role, relation: str) -> str:
    """'ok', 'denied', 'invalid' or 'missing' by the documented rules."""
    reads = relation in ("owner", "shared-read", "shared-write", "group-read", "public")
    writes = relation in ("owner", "shared-write")
    owns = relation == "owner"
    if op in ("scan_watched", "unwatch_folder") and not reads and role is not Role.ADMIN:
        return "missing"  # another user's private watch does not exist for them
    if op in ("edit_kb_template", "remove_kb_template") and not reads:
        return "missing"  # a KB's templates do not exist for those who cannot read it
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
            world.engine.accounts.create_group(world.actor, "everyone")
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
    "users": lambda e, s: e.accounts.users(s),
    "approve_user": lambda e, s: e.accounts.approve_user(s, "newcomer"),
    "set_role": lambda e, s: e.accounts.set_role(s, "olga", Role.ADMIN),
    "disable_user": lambda e, s: e.accounts.set_user_enabled(s, "olga", False),
    "reset_password": lambda e, s: e.accounts.reset_password(s, "olga"),
    "create_invite": lambda e, s: e.accounts.create_invite(s),
    "set_token_quota": lambda e, s: e.accounts.set_token_quota(s, "olga", 5000),
    "token_usage_of_another": lambda e, s: e.accounts.token_usage(s, "olga"),
    "create_group": lambda e, s: e.accounts.create_group(s, "Sales"),
    "set_group_member": lambda e, s: e.accounts.set_group_member(s, "Staff", "olga", True),
    "groups": lambda e, s: e.accounts.groups(s),
    "audit_log": lambda e, s: e.audit.entries(s),
    "verify_audit": lambda e, s: e.audit.verify(s),
    "rotate_key": lambda e, s: e.keys.rotate(s),
    "all_knowledge_bases": lambda e, s: e.kbs.every(s),
    "create_knowledge_base": lambda e, s: e.kbs.create(s, "Policies"),
    "run_maintenance": lambda e, s: e.upkeep.maintain(s),
    "maintenance_log": lambda e, s: e.upkeep.log(s),
    "backup": lambda e, s: e.upkeep.backup(s, e.settings.data_dir.parent / "backups"),
    "backups": lambda e, s: e.upkeep.backups(s, e.settings.data_dir.parent / "backups"),
    "usage": lambda e, s: e.analytics.usage(s, 7),
    "usage_csv": lambda e, s: e.analytics.export_csv(s, e.settings.data_dir.parent / "usage"),
}
ANYONE = {"groups"}


def _olga(e: Engine, admin: Session) -> object:
    return next(u for u in e.accounts.users(admin) if u.username == "olga")


# Proof that a permitted call took effect, checked through the admin's own session.
ROLE_EFFECT: dict[str, Callable[[Engine, Session, object], bool]] = {
    "users": lambda e, a, users: {u.username for u in users} >= {"admin", "olga"},  # type: ignore[attr-defined]
    "approve_user": lambda e, a, _: any(
        u.username == "newcomer" and u.status.value == "active" for u in e.accounts.users(a)
    ),
    "set_role": lambda e, a, _: _olga(e, a).role is Role.ADMIN,  # type: ignore[attr-defined]
    "disable_user": lambda e, a, _: _olga(e, a).status.value == "disabled",  # type: ignore[attr-defined]
    "reset_password": lambda e, a, temporary: bool(e.identity.login("olga", temporary)),  # type: ignore[arg-type]
    "create_invite": lambda e, a, code: (
        e.identity.register("invited", "invited password", invite=str(code)).status.value
        == "active"
    ),
    "set_token_quota": lambda e, a, _: e.accounts.token_usage(a, "olga").limit == 5000,
    "token_usage_of_another": lambda e, a, usage: usage.used == 0,  # type: ignore[attr-defined]
    "create_group": lambda e, a, _: "Sales" in {g.name for g in e.accounts.groups(a)},
    "set_group_member": lambda e, a, _: (
        "olga" in next(g for g in e.accounts.groups(a) if g.name == "Staff").members
    ),
    "groups": lambda e, a, groups: [g.name for g in groups] == ["Staff"],  # type: ignore[attr-defined]
    "audit_log": lambda e, a, entries: len(entries) > 0,  # type: ignore[arg-type]
    "verify_audit": lambda e, a, check: check.ok,  # type: ignore[attr-defined]
    "rotate_key": lambda e, a, code: len(str(code)) > 20,
    "all_knowledge_bases": lambda e, a, kbs: "Olga's KB" in {k.name for k in kbs},  # type: ignore[attr-defined]
    "create_knowledge_base": lambda e, a, kb: kb.name == "Policies",  # type: ignore[attr-defined]
    "run_maintenance": lambda e, a, results: (
        all(r.ok for r in results)  # type: ignore[attr-defined]
        and len(e.upkeep.log(a)) == len(results)
    ),  # type: ignore[arg-type]
    "maintenance_log": lambda e, a, log: log == [],
    "backup": lambda e, a, result: (
        result.ok and len(e.upkeep.backups(a, e.settings.data_dir.parent / "backups")) == 1
    ),  # type: ignore[attr-defined]
    "backups": lambda e, a, found: found == [],
    "usage": lambda e, a, report: report.days == 7 and len(report.per_day) == 7,  # type: ignore[attr-defined]
    "usage_csv": lambda e, a, files: sorted(f.name for f in files)[0] == "failed_documents.csv",  # type: ignore[attr-defined]
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("op", list(ROLE_OPERATIONS))
def test_role_operation(op: str, role: Role, settings: Settings, embedder: FakeEmbedder) -> None:
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        actor = admin if role is Role.ADMIN else user_session(engine, admin, "actor", role)
        olga = user_session(engine, admin, "olga", Role.EDITOR)
        engine.kbs.create(olga, "Olga's KB")
        engine.accounts.create_group(admin, "Staff")
        engine.identity.register("newcomer", "newcomer password")
        allowed = role is Role.ADMIN or op in ANYONE
        allowed |= op == "create_knowledge_base" and role is Role.EDITOR
        if allowed:
            result = ROLE_OPERATIONS[op](engine, actor)
            assert ROLE_EFFECT[op](engine, admin, result), result
            return
        with pytest.raises(PermissionDenied) as info:
            ROLE_OPERATIONS[op](engine, actor)
        assert role.value in info.value.user_message("en")


# Public operations outside both matrices ("service.method", or "Engine.x"), each with why.
NOT_IN_MATRIX = {
    # No data: facts about the installation or the build.
    "Engine.data_exists": "static; whether a database file exists",
    "Engine.keychain": "static; the OS keychain's name",
    "Engine.gpu_available": "static; a build capability",
    "system.model_choice": "which model file is configured",
    # Lifecycle of the engine itself, not of anyone's data.
    "Engine.close": "lifecycle",
    "Engine.start_background": "lifecycle",
    "Engine.stop_background": "lifecycle",
    "system.load_model": "lifecycle",
    "system.warm_up": "lifecycle",
    "watches.start": "lifecycle (Engine.start_background)",
    "watches.stop": "lifecycle (Engine.stop_background)",
    "upkeep.start": "lifecycle (Engine.start_background)",
    "upkeep.stop": "lifecycle (Engine.stop_background)",
    "sync.start": "lifecycle (Engine.start_background)",
    "sync.stop": "lifecycle (Engine.stop_background)",
    # A desktop's own joined servers: every row is the caller's, and what a server
    # sends is what it lets the caller read (tests/server/test_sync*.py).
    "remotes.identify": "a server's certificate fingerprint; nothing is sent",
    "remotes.connect": "joins for the caller with their server account (test_sync.py)",
    "remotes.servers": "the caller's own servers (test_sync.py)",
    "remotes.disconnect": "the caller's own servers",
    "remotes.refresh": "the server's list for the caller's key (test_sync.py matrix)",
    "remotes.keep_copy": "KBs the caller reads: their own server rows (test_sync.py)",
    "remotes.publish": "the server checks the caller may create KBs (test_sync.py)",
    "remotes.render_page": "the caller's server rows; the server checks (test_sync_copies)",
    "remotes.passages": "the caller's server rows; the server checks (test_sync_copies)",
    "remotes.copy_of": "the caller's server rows (test_sync_copies.py)",
    "sync.run": "the caller's own servers and copies (test_sync.py matrix across sync)",
    "memory.pending_jobs": "a count of queued summary jobs",
    "memory.run_pending_jobs": "runs each job for its own user (test_summaries.py)",
    "system.apply_settings": "installation settings (test_installation_settings.py)",
    # Getting a session, and the acting user's own account.
    "identity.needs_setup": "before any account exists",
    "identity.setup": "first run only (tests/integration/test_accounts.py)",
    "identity.register": "creates a pending account (tests/integration/test_accounts.py)",
    "identity.login": "tests/integration/test_accounts.py",
    "identity.session": "the token's own session (tests/integration/test_sessions.py)",
    "identity.logout": "ends the caller's own session",
    "identity.lock": "the caller's own session",
    "identity.keep_alive": "the caller's own session; returns nothing",
    "identity.unlock": "the caller's own session, with its password",
    "identity.change_password": "the caller's own password",
    "identity.current_user": "the caller's own account",
    "identity.create_api_key": "a key for the caller itself (tests/integration/test_api_keys.py)",
    "identity.api_keys": "own keys; everyone's for admins (test_api_keys.py)",
    "identity.revoke_api_key": "own keys; anyone's for admins (test_api_keys.py)",
    "identity.key_session": "the key's own user (tests/integration/test_api_keys.py)",
    "identity.bearer": "session or key_session by the token's form (tests/server/)",
    "system.server_certificate": "the server process's own TLS certificate (tests/server/)",
    "Engine.recover": "static; needs the recovery code (tests/integration/test_keys.py)",
    "Engine.restore": "static; the backup opens only with its key or recovery code, and only "
    "`backup` (admins, above) writes one (tests/integration/test_backup.py)",
    # The caller's own items: ids of other users' chats and summaries are refused.
    "kbs.visible": "the caller's visible KBs (tests/integration/test_leak.py)",
    "system.status": "the caller's own KB counts",
    "chats.create": "own chats (tests/integration/test_chats.py)",
    "chats.all": "own chats (test_chats_are_private_even_to_admins)",
    "chats.rename": "own chats (test_chats_are_private_even_to_admins)",
    "chats.delete": "own chats (test_chats_are_private_even_to_admins)",
    "chats.messages": "own chats (test_chats_are_private_even_to_admins)",
    "chats.clear": "own chats (tests/integration/test_summaries.py)",
    "memory.summaries": "own summaries (test_summaries_are_private_and_can_be_pinned_and_deleted)",
    "memory.delete_summary": "own summaries (test_summaries_are_private_and_can_be_pinned_...)",
    "memory.pin_summary": "own summaries (test_summaries_are_private_and_can_be_pinned_...)",
    "memory.welcome_summary": "own summaries (tests/integration/test_summaries.py)",
    "templates.named": "templates.visible by name (tests/integration/test_templates.py)",
    "answers.translate": "the caller's own text; reads no document (test_query_translation.py)",
    "exports.chat": "own chats only (tests/integration/test_chat_export.py)",
    "exports.render_chat": "own chats only (tests/integration/test_chat_export.py)",
    "bundles.import_": "makes a new KB: the right to create one (tests/integration/test_bundle.py)",
    "feedback.rate": "own answers (test_feedback_on_others_answers_is_not_found)",
    "feedback.get": "own answers (test_feedback_on_others_answers_is_not_found)",
    "feedback.remove": "own answers (test_feedback_on_others_answers_is_not_found)",
}
MATRIX_NAMES = {
    "search": "answers.search",
    "ask": "answers.ask",
    "documents": "documents.all",
    "document_file": "documents.original",
    "document_passages": "documents.passages",
    "render_page": "documents.render_page",
    "watched_folders": "watches.all",
    "ingest": "documents.ingest",
    "delete_document": "documents.delete",
    "watch_folder": "watches.add",
    "scan_watched": "watches.scan",
    "unwatch_folder": "watches.remove",
    "rename": "kbs.rename",
    "share": "kbs.share",
    "unshare": "kbs.unshare",
    "make_private": "kbs.set_visibility",
    "make_public": "kbs.set_visibility",
    "delete_kb": "kbs.delete",
    "sync_changes": "sync.changes",
    "sync_export": "sync.export",
    "assistant": "assistants.get",
    "set_assistant": "assistants.save",
    "kb_templates": "templates.visible",
    "add_kb_template": "templates.add",
    "edit_kb_template": "templates.update",
    "remove_kb_template": "templates.remove",
    "export_bundle": "bundles.export",
    "users": "accounts.users",
    "approve_user": "accounts.approve_user",
    "set_role": "accounts.set_role",
    "disable_user": "accounts.set_user_enabled",
    "reset_password": "accounts.reset_password",
    "create_invite": "accounts.create_invite",
    "set_token_quota": "accounts.set_token_quota",
    "token_usage_of_another": "accounts.token_usage",
    "create_group": "accounts.create_group",
    "set_group_member": "accounts.set_group_member",
    "groups": "accounts.groups",
    "audit_log": "audit.entries",
    "verify_audit": "audit.verify",
    "rotate_key": "keys.rotate",
    "all_knowledge_bases": "kbs.every",
    "create_knowledge_base": "kbs.create",
    "run_maintenance": "upkeep.maintain",
    "maintenance_log": "upkeep.log",
    "backup": "upkeep.backup",
    "backups": "upkeep.backups",
    "usage": "analytics.usage",
    "usage_csv": "analytics.export_csv",
}


def _public(owner: object) -> set[str]:
    return {n for n in dir(owner) if not n.startswith("_") and callable(getattr(owner, n))}


def test_every_engine_operation_is_in_the_matrix(settings: Settings) -> None:
    """A new public operation must join a matrix or NOT_IN_MATRIX with its reason.

    Operations are the Engine's own methods and those of every service it exposes.
    """
    with Engine(settings) as engine:
        services = {
            name: part
            for name, part in vars(engine).items()
            if type(part).__name__.endswith("Service") and not name.startswith("_")
        }
        public = {f"Engine.{n}" for n in _public(Engine)}
        public |= {f"{name}.{m}" for name, part in services.items() for m in _public(part)}
    assert len(services) >= 12, sorted(services)
    covered = {MATRIX_NAMES[op] for op in [*OPERATIONS, *ROLE_OPERATIONS]}
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
            engine.accounts.users(forged)
        engine.accounts.set_role(admin, "mel", Role.ADMIN)
        assert len(engine.accounts.users(mel)) == 2  # a role change applies at once


@pytest.mark.parametrize("role", list(Role))
def test_feedback_is_its_authors_and_usage_is_counts_only(
    role: Role, settings: Settings, embedder: FakeEmbedder, tiny_model: Path, tmp_path: Path
) -> None:
    """Each role rates only its own answers; admins read aggregates and never the text."""
    world = _world(settings, embedder, tiny_model, tmp_path, role, "public")
    e, actor = world.engine, world.actor
    with e:
        admin = admin_session(e)
        chat = e.chats.create(actor, "Vault")
        list(e.answers.ask(actor, "Where is the vault combination written?", chat=chat.id))
        answer = e.chats.messages(actor, chat.id)[-1].id
        e.feedback.rate(actor, answer, -1, "the blue index card is in drawer nine")
        assert e.feedback.get(world.owner, answer) is None  # the KB's owner reads nothing
        with pytest.raises(NotFound):
            e.feedback.rate(world.owner, answer, 1)
        if role is not Role.ADMIN:
            with pytest.raises(PermissionDenied):
                e.analytics.usage(actor)
            assert e.feedback.get(admin, answer) is None  # nor does an admin
        report = e.analytics.usage(admin, 1)
        assert (report.questions, report.thumbs_down) == (1, 1)
        text = repr(report)
        for secret in ("Where is the vault", "drawer nine", SECRET):
            assert secret not in text

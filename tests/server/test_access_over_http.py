"""The core's RBAC matrix again, through HTTP: every KB, document and admin route × role.

The expected outcome of each case is the core matrix's own (`expected`, `ANYONE` from
tests/integration/test_access_matrix.py), so the shell can neither widen nor narrow the
rules. A refused call must answer 403 (404 where a route looks a name up among what the
caller can see) with only the error body; and no response, refused or not, may carry the
marker sentence of a knowledge base its caller cannot read. A route in the OpenAPI
document that is in neither matrix nor NOT_IN_MATRIX fails
`test_every_route_is_in_the_http_matrix`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from core import Role, Settings
from tests.integration.test_access_matrix import ANYONE, expected
from tests.server.conftest import quick_settings
from tests.server.http_world import BYSTANDER, PDF_TEXT, RELATIONS, Place, World
from tests.server.running import RunningServer

READABLE = ("owner", "shared-read", "shared-write", "group-read", "public")
QUESTION = "Where is the vault code written?"


@pytest.fixture(scope="module")
def server_settings(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> Settings:
    """Four-token answers: the matrix needs the status and the sources, not prose."""
    return quick_settings(
        tmp_path_factory.mktemp("access"),
        model_path=tiny_model,
        max_answer_tokens=4,
        server_grace_seconds=1.0,
    )


@pytest.fixture(scope="module")
def world(server: RunningServer, tmp_path_factory: pytest.TempPathFactory) -> World:
    return World(server.engine, tmp_path_factory.mktemp("access-files"))


@dataclass(frozen=True)
class Reply:
    status: int
    text: str
    content_type: str


def _reply(response: httpx.Response) -> Reply:
    return Reply(response.status_code, response.text, response.headers.get("content-type", ""))


def _kb(p: Place) -> str:
    return quote(p.kb, safe="")


def _kb_id(w: World, p: Place) -> int:
    """The knowledge base's id (what a desktop's copy names it by)."""
    return next(k.id for k in w.engine.kbs.visible(p.owner) if k.name == p.kb)


def _streamed(http: httpx.Client, method: str, url: str, body: object) -> Reply:
    with http.stream(method, url, json=body) as response:
        response.read()
        return _reply(response)


def _completion(http: httpx.Client, w: World, p: Place) -> Reply:
    body = {"model": f"konspekt/{p.kb}", "messages": [{"role": "user", "content": QUESTION}]}
    return _reply(http.post("/v1/chat/completions", json=body))


def _unshare(http: httpx.Client, w: World, p: Place) -> Reply:
    """The owner shares, then unshares; anyone else tries to revoke their own access."""
    if p.relation != "owner":
        return _reply(http.delete(f"/api/kbs/{_kb(p)}/shares?user={p.actor.user.username}"))
    http.post(f"/api/kbs/{_kb(p)}/shares", json={"user": BYSTANDER}).raise_for_status()
    return _reply(http.delete(f"/api/kbs/{_kb(p)}/shares?user={BYSTANDER}"))


Call = Callable[[httpx.Client, World, Place], Reply]


@dataclass(frozen=True)
class Case:
    """An HTTP route, the core operation whose rule it follows, the call and its effect."""

    route: str
    core_op: str | None  # None: a listing, always allowed, showing only readable KBs
    call: Call
    effect: Callable[[World, Place, Reply], bool]
    changes_world: bool = False
    refused_status: int = 403


def _listed(names: Callable[[object], set[str]]) -> Callable[[World, Place, Reply], bool]:
    return lambda w, p, r: (p.kb in names(json.loads(r.text))) == (p.relation in READABLE)


def _grants(r: Reply) -> list[object]:
    grants: list[object] = json.loads(r.text)["grants"]
    return grants


KB_CASES: dict[str, Case] = {
    "list_kbs": Case(
        "GET /api/kbs",
        None,
        lambda http, w, p: _reply(http.get("/api/kbs")),
        _listed(lambda kbs: {k["name"] for k in kbs}),  # type: ignore[attr-defined]
    ),
    "models": Case(
        "GET /v1/models",
        None,
        lambda http, w, p: _reply(http.get("/v1/models")),
        _listed(lambda m: {d["id"].removeprefix("konspekt/") for d in m["data"]}),  # type: ignore[index]
    ),
    "status": Case(
        "GET /api/status",
        None,
        lambda http, w, p: _reply(http.get("/api/status")),
        _listed(lambda s: {k["name"] for k in s["knowledge_bases"]}),  # type: ignore[index]
    ),
    "documents": Case(
        "GET /api/kbs/{kb}/documents",
        "documents",
        lambda http, w, p: _reply(http.get(f"/api/kbs/{_kb(p)}/documents")),
        lambda w, p, r: {d["id"] for d in json.loads(r.text)} == {p.doc_id, p.pdf_id},
    ),
    "search": Case(
        "POST /api/search",
        "search",
        lambda http, w, p: _reply(
            http.post("/api/search", json={"query": "vault code index card", "kb": p.kb})
        ),
        lambda w, p, r: p.marker in r.text,
    ),
    "answers": Case(
        "POST /api/answers",
        "ask",
        lambda http, w, p: _streamed(
            http, "POST", "/api/answers", {"question": QUESTION, "kb": p.kb}
        ),
        lambda w, p, r: r.content_type.startswith("text/event-stream") and p.marker in r.text,
    ),
    "completions": Case(
        "POST /v1/chat/completions",
        "ask",
        _completion,
        lambda w, p, r: p.marker in r.text,
        refused_status=404,  # a model the caller cannot read is a model that does not exist
    ),
    "original": Case(
        "GET /api/documents/{document_id}/original",
        "document_file",
        lambda http, w, p: _reply(http.get(f"/api/documents/{p.doc_id}/original")),
        lambda w, p, r: r.text == p.marker,
    ),
    "passages": Case(
        "GET /api/documents/{document_id}/passages",
        "document_passages",
        lambda http, w, p: _reply(http.get(f"/api/documents/{p.doc_id}/passages")),
        lambda w, p, r: [x["text"] for x in json.loads(r.text)] == [p.marker],
    ),
    "page": Case(
        "GET /api/documents/{document_id}/pages/{page}",
        "render_page",
        lambda http, w, p: _reply(http.get(f"/api/documents/{p.pdf_id}/pages/2?width=200")),
        lambda w, p, r: r.content_type == "image/png",
    ),
    "sync_changes": Case(
        "GET /api/sync/kbs/{kb_id}",
        "sync_changes",
        lambda http, w, p: _reply(http.get(f"/api/sync/kbs/{_kb_id(w, p)}")),
        lambda w, p, r: p.doc_id in {c["document"] for c in json.loads(r.text)["changes"]},
    ),
    "sync_documents": Case(
        "POST /api/sync/kbs/{kb_id}/documents",
        "sync_export",
        lambda http, w, p: _reply(
            http.post(f"/api/sync/kbs/{_kb_id(w, p)}/documents", json={"ids": [p.doc_id]})
        ),
        lambda w, p, r: p.marker in r.text,
    ),
    "upload": Case(
        "PUT /api/kbs/{kb}/documents/{filename}",
        "ingest",
        lambda http, w, p: _reply(
            http.put(f"/api/kbs/{_kb(p)}/documents/extra.txt?wait=true", content=b"Borscht.")
        ),
        lambda w, p, r: any(n.endswith("extra.txt") for n in w.names(p)),
        changes_world=True,
    ),
    "delete_document": Case(
        "DELETE /api/documents/{document_id}",
        "delete_document",
        lambda http, w, p: _reply(http.delete(f"/api/documents/{p.doc_id}")),
        lambda w, p, r: w.names(p) == set(),
        changes_world=True,
    ),
    "rename": Case(
        "PATCH /api/kbs/{kb}",
        "rename",
        lambda http, w, p: _reply(http.patch(f"/api/kbs/{_kb(p)}", json={"name": p.kb + " bis"})),
        lambda w, p, r: json.loads(r.text)["name"] == p.kb + " bis",
        changes_world=True,
    ),
    "make_private": Case(
        "PATCH /api/kbs/{kb}",
        "make_private",
        lambda http, w, p: _reply(http.patch(f"/api/kbs/{_kb(p)}", json={"visibility": "private"})),
        lambda w, p, r: json.loads(r.text)["visibility"] == "private",
        changes_world=True,
    ),
    "make_public": Case(
        "PATCH /api/kbs/{kb}",
        "make_public",
        lambda http, w, p: _reply(http.patch(f"/api/kbs/{_kb(p)}", json={"visibility": "public"})),
        lambda w, p, r: json.loads(r.text)["visibility"] == "public",
        changes_world=True,
    ),
    "share": Case(
        "POST /api/kbs/{kb}/shares",
        "share",
        lambda http, w, p: _reply(http.post(f"/api/kbs/{_kb(p)}/shares", json={"user": BYSTANDER})),
        lambda w, p, r: len(_grants(r)) == 1,
        changes_world=True,
    ),
    "unshare": Case(
        "DELETE /api/kbs/{kb}/shares",
        "unshare",
        _unshare,
        lambda w, p, r: _grants(r) == [],
        changes_world=True,
    ),
    "delete_kb": Case(
        "DELETE /api/kbs/{kb}",
        "delete_kb",
        lambda http, w, p: _reply(http.delete(f"/api/kbs/{_kb(p)}")),
        lambda w, p, r: all(
            k.name != p.kb or (k.personal and k.documents == 0)
            for k in w.engine.kbs.visible(p.owner)
        ),
        changes_world=True,
    ),
}

STATUS = {"ok": range(200, 300), "invalid": range(400, 401)}


def _unreadable_markers(w: World, p: Place) -> set[str]:
    """Markers of the world's knowledge bases that `p.actor` may not read."""
    me = p.actor.user.id
    return {
        q.marker
        for q in w.places.values()
        if not (
            q.relation in ("public", "group-read")
            or (q.actor.user.id == me and q.relation in READABLE)
        )
    }


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("case", list(KB_CASES))
def test_kb_route(
    case: str, role: Role, relation: str, server: RunningServer, world: World
) -> None:
    spec = KB_CASES[case]
    outcome = "ok" if spec.core_op is None else expected(spec.core_op, role, relation)
    place = world.places[role, relation]
    if spec.changes_world and outcome == "ok":
        place = world.place(role, relation)  # a fresh one, so the shared world stays put
    with server.client(place.actor.token) as http:
        reply = spec.call(http, world, place)
    leaked = [m for m in _unreadable_markers(world, place) if m in reply.text]
    assert leaked == [], reply.text[:500]
    if outcome == "ok":
        assert reply.status in STATUS["ok"], reply.text[:500]
        assert spec.effect(world, place, reply), reply.text[:500]
        return
    wanted = 400 if outcome == "invalid" else spec.refused_status
    assert reply.status == wanted, reply.text[:500]
    assert set(json.loads(reply.text)) == {"error"}, reply.text[:500]
    assert not any(s in reply.text for s in (place.marker, *PDF_TEXT)), reply.text[:500]


@dataclass(frozen=True)
class RoleCase:
    """An admin (or role-gated) route, the core operation whose rule it follows, the call."""

    route: str
    core_op: str | None  # None: no core matrix entry; admins only
    call: Callable[[httpx.Client, World, Role], httpx.Response]


def _group(w: World) -> str:
    name = w.unique("group")
    w.engine.accounts.create_group(w.admin, name)
    return name


ROLE_CASES: dict[str, RoleCase] = {
    "users": RoleCase("GET /api/admin/users", "users", lambda h, w, r: h.get("/api/admin/users")),
    "approve": RoleCase(
        "POST /api/admin/users/{username}/approve",
        "approve_user",
        lambda h, w, r: h.post(
            f"/api/admin/users/{w.user(r, 'pending', pending=True)}/approve",
            json={"role": "member"},
        ),
    ),
    "set_role": RoleCase(
        "PUT /api/admin/users/{username}/role",
        "set_role",
        lambda h, w, r: h.put(
            f"/api/admin/users/{w.user(r, 'target')}/role", json={"role": "admin"}
        ),
    ),
    "disable": RoleCase(
        "PUT /api/admin/users/{username}/enabled",
        "disable_user",
        lambda h, w, r: h.put(
            f"/api/admin/users/{w.user(r, 'target')}/enabled", json={"enabled": False}
        ),
    ),
    "reset_password": RoleCase(
        "POST /api/admin/users/{username}/password-reset",
        "reset_password",
        lambda h, w, r: h.post(f"/api/admin/users/{w.user(r, 'target')}/password-reset"),
    ),
    "invite": RoleCase(
        "POST /api/admin/invites",
        "create_invite",
        lambda h, w, r: h.post("/api/admin/invites", json={"role": "member", "days": 1}),
    ),
    "groups": RoleCase(
        "GET /api/admin/groups", "groups", lambda h, w, r: h.get("/api/admin/groups")
    ),
    "create_group": RoleCase(
        "POST /api/admin/groups",
        "create_group",
        lambda h, w, r: h.post("/api/admin/groups", json={"name": w.unique("Sales")}),
    ),
    "add_member": RoleCase(
        "PUT /api/admin/groups/{group}/members/{username}",
        "set_group_member",
        lambda h, w, r: h.put(f"/api/admin/groups/{_group(w)}/members/{w.user(r, 'target')}"),
    ),
    "remove_member": RoleCase(
        "DELETE /api/admin/groups/{group}/members/{username}",
        "set_group_member",
        lambda h, w, r: h.delete(f"/api/admin/groups/{_group(w)}/members/{w.user(r, 'target')}"),
    ),
    "audit": RoleCase(
        "GET /api/admin/audit", "audit_log", lambda h, w, r: h.get("/api/admin/audit")
    ),
    "verify_audit": RoleCase(
        "GET /api/admin/audit/verify",
        "verify_audit",
        lambda h, w, r: h.get("/api/admin/audit/verify"),
    ),
    "every_key": RoleCase("GET /api/admin/keys", None, lambda h, w, r: h.get("/api/admin/keys")),
    "set_quota": RoleCase(
        "PUT /api/admin/users/{username}/quota",
        "set_token_quota",
        lambda h, w, r: h.put(
            f"/api/admin/users/{w.user(r, 'target')}/quota", json={"tokens_per_day": 5000}
        ),
    ),
    "usage_of_another": RoleCase(
        "GET /api/admin/users/{username}/usage",
        "token_usage_of_another",
        lambda h, w, r: h.get(f"/api/admin/users/{w.user(r, 'target')}/usage"),
    ),
    "create_kb": RoleCase(
        "POST /api/kbs",
        "create_knowledge_base",
        lambda h, w, r: h.post("/api/kbs", json={"name": w.unique("Policies ")}),
    ),
}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("case", list(ROLE_CASES))
def test_role_route(case: str, role: Role, server: RunningServer, world: World) -> None:
    spec = ROLE_CASES[case]
    allowed = role is Role.ADMIN or spec.core_op in ANYONE
    allowed |= spec.core_op == "create_knowledge_base" and role is Role.EDITOR
    actor = world.places[role, "owner"].actor
    with server.client(actor.token) as http:
        response = spec.call(http, world, role)
    if allowed:
        assert response.is_success, response.text[:500]
        return
    assert response.status_code == 403, response.text[:500]
    assert set(response.json()) == {"error"}
    assert response.json()["error"]["code"] == "permission_denied"


# Routes outside both matrices, each with why: the caller's own account, items and jobs.
NOT_IN_MATRIX = {
    "GET /health": "no login, reveals nothing (test_basics.py)",
    "POST /api/login": "getting a session (test_basics.py)",
    "POST /api/register": "a pending account (test_basics.py, conftest.make_user)",
    "POST /api/logout": "the caller's own session (test_basics.py)",
    "GET /api/me": "the caller's own account",
    "GET /api/me/usage": "the caller's own tokens (test_limits.py)",
    "POST /api/unlock": "the caller's own session, with its password",
    "POST /api/password": "the caller's own password",
    "GET /api/keys": "own keys (test_basics.py)",
    "POST /api/keys": "a key acting as the caller (test_basics.py)",
    "DELETE /api/keys/{key_id}": "own keys; anyone's for admins (integration/test_api_keys.py)",
    "GET /api/ingests/{job_id}": "own jobs (test_someone_elses_indexing_job_is_not_found)",
    "GET /api/ingests/{job_id}/events": "own jobs (test_someone_elses_indexing_job_is_not_found)",
    "POST /api/ingests/{job_id}/cancel": "own jobs (test_someone_elses_indexing_job_is_not_found)",
    "GET /api/answers/{answer_id}/events": "own answers (test_answers.py)",
    "POST /api/answers/{answer_id}/stop": "own answers (test_answers.py)",
    "GET /api/chats": "own chats (integration/test_chats.py)",
    "POST /api/chats": "own chats",
    "PATCH /api/chats/{chat_id}": "own chats (test_chats_are_private_even_to_admins)",
    "DELETE /api/chats/{chat_id}": "own chats (test_chats_are_private_even_to_admins)",
    "GET /api/chats/{chat_id}/messages": "own chats (test_chats_are_private_even_to_admins)",
    "POST /api/chats/{chat_id}/clear": "own chats (integration/test_summaries.py)",
    "GET /api/summaries": "own summaries (integration/test_summaries.py)",
    "GET /api/summaries/welcome": "own summaries (integration/test_summaries.py)",
    "POST /api/summaries/{summary_id}/pin": "own summaries (integration/test_summaries.py)",
    "DELETE /api/summaries/{summary_id}": "own summaries (integration/test_summaries.py)",
}


def _routes(server: RunningServer) -> Iterator[str]:
    with server.client() as http:
        spec = http.get("/openapi.json").json()
    for path, operations in spec["paths"].items():
        for method in operations:
            yield f"{method.upper()} {path}"


def test_every_route_is_in_the_http_matrix(server: RunningServer) -> None:
    """A new route must join a matrix here or NOT_IN_MATRIX with its reason."""
    covered = {c.route for c in KB_CASES.values()} | {c.route for c in ROLE_CASES.values()}
    routes = set(_routes(server))
    assert covered <= routes, covered - routes
    assert routes - covered - set(NOT_IN_MATRIX) == set()
    assert set(NOT_IN_MATRIX) <= routes, set(NOT_IN_MATRIX) - routes
    assert not covered & set(NOT_IN_MATRIX)


def test_someone_elses_indexing_job_is_not_found(server: RunningServer, world: World) -> None:
    owner = world.place(Role.EDITOR, "owner")
    other = world.places[Role.ADMIN, "owner"].actor
    with server.client(owner.actor.token) as http:
        started = http.put(f"/api/kbs/{_kb(owner)}/documents/later.txt", content=b"Later.")
    assert started.status_code == 202, started.text
    job = started.json()["id"]
    with server.client(other.token) as http:
        replies = [
            http.get(f"/api/ingests/{job}"),
            http.get(f"/api/ingests/{job}/events"),
            http.post(f"/api/ingests/{job}/cancel"),
        ]
    assert [r.status_code for r in replies] == [404, 404, 404]
    with server.client(owner.actor.token) as http:
        assert http.get(f"/api/ingests/{job}").status_code == 200

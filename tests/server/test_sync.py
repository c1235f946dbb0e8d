"""Desktops join a real team server over TLS and keep copies of its knowledge bases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core import (
    AuthenticationFailed,
    CertificateChanged,
    Engine,
    KnowledgeBase,
    Offline,
    PermissionDenied,
    Role,
    ServerRefused,
    ServerUnreachable,
    Session,
    Sources,
    SyncStage,
    Token,
    Visibility,
)
from core.services.mirrors import Mirrors
from tests.fakes import FakeEmbedder
from tests.identity import admin_session
from tests.server.conftest import quick_settings
from tests.server.running import RunningServer, running
from tests.server.sync_world import (
    assert_same_copy,
    copy_state,
    desktop,
    ingest,
    join,
    server_user,
    write,
)

HANDBOOK = "Handbook"
QUESTION = "How are hotel costs reimbursed per night?"


@pytest.fixture
def server(tmp_path: Path, tiny_model: Path) -> Iterator[RunningServer]:
    """A fresh server per test (these tests change its documents and shares)."""
    settings = quick_settings(tmp_path / "srv", model_path=tiny_model, max_answer_tokens=16)
    with Engine(settings, embedder=FakeEmbedder(), keep_sessions=True) as engine:
        admin = admin_session(engine)
        engine.kbs.create(admin, HANDBOOK)
        docs = tmp_path / "docs"
        paths = [
            write(docs, f"policy{i}.txt", f"Policy {i}: the office opens at {8 + i} o'clock.")
            for i in range(5)
        ]
        ingest(engine, admin, paths, HANDBOOK)
        with running(engine) as live:
            yield live


def _mirror(engine: Engine, session: Session, name: str = HANDBOOK) -> KnowledgeBase:
    """The local row standing for the server's knowledge base `name`."""
    return next(kb for kb in engine.kbs.visible(session) if kb.remote and kb.remote.name == name)


def _keep_copy(engine: Engine, session: Session, server: RunningServer) -> KnowledgeBase:
    """Join as the server's admin and keep a synced copy of the Handbook."""
    join(engine, session, server, "admin")
    kb = _mirror(engine, session)
    engine.remotes.keep_copy(session, kb.name, True)
    _sync(engine, session)
    return kb


def _sync(engine: Engine, session: Session) -> list[object]:
    return list(engine.sync.run(session))


def test_two_desktops_follow_changes_and_deletions(
    server: RunningServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second desktop fetches every original on its own (as for large files)."""
    srv = server.engine
    admin = admin_session(srv)
    server_user(server, "mia", Role.MEMBER)
    srv.kbs.share(admin, HANDBOOK, user="mia")
    desktops = [desktop(tmp_path / f"desk{i}") for i in range(2)]
    try:
        for n, (engine, session) in enumerate(desktops):
            if n == 1:  # no original small enough to travel inside the export
                monkeypatch.setattr("core.services.sync.INLINE_ORIGINAL_MAX", -1)
            join(engine, session, server, "mia")
            kbs = [kb for kb in engine.kbs.visible(session) if kb.remote is not None]
            assert sorted(kb.remote.name for kb in kbs if kb.remote) == [HANDBOOK, "~mia"]
            kbs = [kb for kb in kbs if kb.remote and kb.remote.name == HANDBOOK]
            engine.remotes.keep_copy(session, kbs[0].name, True)
            events = _sync(engine, session)
            finished = [e for e in events if e.stage is SyncStage.FINISHED]
            assert finished
            assert finished[-1].report
            assert finished[-1].report.added == 5
        # on the server: one document changes, one is deleted
        docs = tmp_path / "docs"
        write(docs, "policy0.txt", "Policy 0: the office now opens at noon.")
        ingest(srv, admin, [docs / "policy0.txt"], HANDBOOK)
        gone = next(d for d in srv.documents.all(admin, HANDBOOK) if d.name == "policy1.txt")
        srv.documents.delete(admin, gone.id)
        assert srv.context.replica.compact_log() == 2  # superseded entries go; no copy notices
        states = []
        for engine, session in desktops:
            report = _sync(engine, session)[-1].report
            assert report is not None
            assert (report.changed, report.removed) == (1, 1)
            kb_id = _mirror(engine, session).id
            states.append(copy_state(engine, kb_id))
            texts = [r[5] for r in states[-1]]
            assert any("noon" in t for t in texts)
            assert not any("Policy 1:" in t for t in texts)
        assert_same_copy(states[0], states[1])
        originals = [
            sorted(
                engine.documents.original(session, d.id)
                for d in engine.documents.all(session, _mirror(engine, session).name)
            )
            for engine, session in desktops
        ]
        assert originals[0] == originals[1]
        assert any(b"noon" in data for _, data in originals[0])  # the changed file, as it is now
        # nothing changed: nothing is fetched again
        engine, session = desktops[0]
        report = _sync(engine, session)[-1].report
        assert report is not None
        assert (report.added, report.changed, report.removed) == (0, 0, 0)
    finally:
        for engine, _ in desktops:
            engine.close()


def test_revoked_share_removes_the_copy_and_private_kbs_never_arrive(
    server: RunningServer, tmp_path: Path
) -> None:
    srv = server.engine
    admin = admin_session(srv)
    owner = server_user(server, "olga", Role.EDITOR)
    server_user(server, "mia", Role.MEMBER)
    srv.kbs.create(owner, "Olga private")
    ingest(srv, owner, [write(tmp_path / "o", "secret.txt", "Olga's salary is 7")], "Olga private")
    srv.kbs.share(admin, HANDBOOK, user="mia")
    engine, session = desktop(tmp_path / "desk")
    try:
        join(engine, session, server, "mia")
        names = [kb.remote.name for kb in engine.kbs.visible(session) if kb.remote]
        assert sorted(names) == [HANDBOOK, "~mia"]  # never Olga's private one
        engine.remotes.keep_copy(
            session, next(k.name for k in engine.kbs.visible(session) if k.remote), True
        )
        _sync(engine, session)
        assert engine.context.db.query("SELECT count(*) FROM documents")[0][0] == 5
        srv.kbs.unshare(admin, HANDBOOK, user="mia")
        events = _sync(engine, session)
        assert any(e.report is not None and e.report.dropped for e in events)
        assert [kb.remote.name for kb in engine.kbs.visible(session) if kb.remote] == ["~mia"]
        assert engine.context.db.query("SELECT count(*) FROM documents")[0][0] == 0
        assert engine.context.db.query("SELECT count(*) FROM chunks")[0][0] == 0
        hits = engine.context.index.open().vectors.all_ids()
        assert not hits
    finally:
        engine.close()


def test_changed_certificate_and_wrong_preset_fingerprint_are_refused(
    server: RunningServer, tmp_path: Path
) -> None:
    server_user(server, "mia", Role.MEMBER)
    wrong = "AB:" * 31 + "CD"
    engine, session = desktop(
        tmp_path / "desk", team_server_url=server.url, team_server_fingerprint=wrong
    )
    try:
        assert not engine.remotes.identify(server.url).pinned
        with pytest.raises(CertificateChanged) as refused:
            engine.remotes.connect(
                session, server.url, "mia", "correct horse battery", server.fingerprint
            )
        assert server.fingerprint in str(refused.value)
        assert wrong in str(refused.value)
        assert engine.remotes.servers(session) == []
    finally:
        engine.close()
    engine, session = desktop(tmp_path / "desk2")
    try:
        join(engine, session, server, "mia")
        # the server's certificate is replaced: the desktop refuses before sending anything
        with engine.context.db.write() as con:
            con.execute("UPDATE remotes SET fingerprint = ?", (wrong,))
        with pytest.raises(CertificateChanged) as changed:
            _sync(engine, session)
        assert server.fingerprint in str(changed.value)
        assert wrong in str(changed.value)
    finally:
        engine.close()


def test_offline_answers_come_from_the_copy_and_sync_catches_up(
    tmp_path: Path, tiny_model: Path
) -> None:
    settings = quick_settings(tmp_path / "srv", model_path=tiny_model, max_answer_tokens=16)
    engine, session = desktop(tmp_path / "desk", model_path=tiny_model, max_answer_tokens=16)
    try:
        with Engine(settings, embedder=FakeEmbedder(), keep_sessions=True) as srv:
            admin = admin_session(srv)
            srv.kbs.create(admin, HANDBOOK)
            ingest(
                srv,
                admin,
                [
                    write(
                        tmp_path / "d",
                        "hours.txt",
                        "Hotel costs are reimbursed up to 120 euros per night.",
                    )
                ],
                HANDBOOK,
            )
            with running(srv) as live:
                join(engine, session, live, "admin")
                kb = _mirror(engine, session)
                online = list(engine.answers.ask(session, QUESTION, kb.name))
                assert not any(isinstance(e, Offline) for e in online)
                sources = next(e for e in online if isinstance(e, Sources))
                assert sources.items
                assert all(s.remote_kb == kb.id for s in sources.items)
                engine.remotes.keep_copy(session, kb.name, True)
                _sync(engine, session)
            # the server is gone
            events = list(engine.answers.ask(session, QUESTION, kb.name))
            assert isinstance(events[0], Offline)
            assert "Offline" in events[0].message("en")
            assert "Нет связи" in events[0].message("ru")
            assert any(isinstance(e, Token) for e in events)
            offline_sources = next(e for e in events if isinstance(e, Sources))
            assert offline_sources.items
            assert offline_sources.items[0].remote_kb == 0
            with pytest.raises(ServerUnreachable):
                _sync(engine, session)
            # the server is back with a new document: the copy catches up
            ingest(srv, admin, [write(tmp_path / "d", "lunch.txt", "Lunch is at one.")], HANDBOOK)
            with running(srv) as live:
                # the same server on another port: point the desktop there
                with engine.context.db.write() as con:
                    con.execute("UPDATE remotes SET url = ?", (live.url,))
                report = _sync(engine, session)[-1].report
                assert report is not None
                assert report.added == 1
    finally:
        engine.close()


def test_a_member_cannot_publish(server: RunningServer, tmp_path: Path) -> None:
    server_user(server, "mia", Role.MEMBER)
    engine, session = desktop(tmp_path / "desk")
    try:
        join(engine, session, server, "mia")
        engine.kbs.create(session, "Mine")
        ingest(engine, session, [write(tmp_path / "m", "a.txt", "Alpha beta.")], "Mine")
        with pytest.raises(PermissionDenied):
            list(engine.remotes.publish(session, "Mine", server.url))
    finally:
        engine.close()


def test_what_each_user_receives_is_what_the_server_lets_them_read(
    server: RunningServer, tmp_path: Path
) -> None:
    """The access matrix across sync: private, shared with a user or a group, public."""
    srv = server.engine
    admin = admin_session(srv)
    olga = server_user(server, "olga", Role.EDITOR)
    server_user(server, "mia", Role.MEMBER)
    server_user(server, "ivan", Role.MEMBER)
    srv.accounts.create_group(admin, "sales")
    srv.accounts.set_group_member(admin, "sales", "ivan", True)
    for name in ("Olga private", "Olga to mia", "Olga to sales", "Olga public"):
        srv.kbs.create(olga, name)
        ingest(srv, olga, [write(tmp_path / name, "n.txt", f"{name} notes")], name)
    srv.kbs.share(olga, "Olga to mia", user="mia")
    srv.kbs.share(olga, "Olga to sales", group="sales")
    srv.kbs.set_visibility(olga, "Olga public", Visibility.PUBLIC)
    expected = {
        "mia": {"Olga to mia", "Olga public", "~mia"},
        "ivan": {"Olga to sales", "Olga public", "~ivan"},
        "olga": {"Olga private", "Olga to mia", "Olga to sales", "Olga public", "~olga"},
    }
    ids = {kb.name: kb.id for kb in srv.kbs.every(admin)}
    for user, names in expected.items():
        engine, session = desktop(tmp_path / f"desk-{user}")
        try:
            join(engine, session, server, user)
            for kb in engine.kbs.visible(session):
                if kb.remote is not None:
                    engine.remotes.keep_copy(session, kb.name, True)
            _sync(engine, session)
            held = {kb.remote.name for kb in engine.kbs.visible(session) if kb.remote}
            assert held == names, user
            texts = {r[0] for r in engine.context.db.query("SELECT text FROM chunks")}
            assert texts == {f"{n} notes" for n in names if not n.startswith("~")}, user
            # asking the server directly for what the user may not read is refused
            remote = engine.context.replica.remotes()[0]
            with Mirrors(engine.context).client(remote) as client:
                for name in ids.keys() - names - {HANDBOOK}:
                    with pytest.raises(PermissionDenied):
                        client.get(f"/api/sync/kbs/{ids[name]}")
                    with pytest.raises(PermissionDenied):
                        client.post(f"/api/sync/kbs/{ids[name]}/documents", {"ids": [1]})
        finally:
            engine.close()


def test_a_removed_documents_id_given_to_a_new_one_does_not_keep_the_old_text(
    server: RunningServer, tmp_path: Path
) -> None:
    """SQLite reuses the highest row id: the log's latest entry for it is the new file."""
    srv = server.engine
    admin = admin_session(srv)
    engine, session = desktop(tmp_path / "desk")
    try:
        _keep_copy(engine, session, server)
        last = max(srv.documents.all(admin, HANDBOOK), key=lambda d: d.id)
        srv.documents.delete(admin, last.id)
        ingest(srv, admin, [write(tmp_path / "new", "memo.txt", "A memo about parking.")], HANDBOOK)
        memo = next(d for d in srv.documents.all(admin, HANDBOOK) if d.name == "memo.txt")
        assert memo.id == last.id  # the case this test is about
        _sync(engine, session)
        rows = engine.context.db.query(
            "SELECT origin_id, name FROM documents WHERE kb_id = ?", (_mirror(engine, session).id,)
        )
        names = sorted(r[1] for r in rows)
        assert "memo.txt" in names
        assert last.name not in names
        assert len({r[0] for r in rows}) == len(rows) == 5
    finally:
        engine.close()


def test_a_rename_on_the_server_is_followed_and_copies_are_read_only(
    server: RunningServer, tmp_path: Path
) -> None:
    srv = server.engine
    admin = admin_session(srv)
    engine, session = desktop(tmp_path / "desk")
    try:
        join(engine, session, server, "admin")
        local = _mirror(engine, session)
        assert local.name == f"{HANDBOOK} (127.0.0.1)"
        assert not local.can_write
        assert not local.can_manage
        with pytest.raises(PermissionDenied):
            list(
                engine.documents.ingest(session, [write(tmp_path / "x", "x.txt", "x")], local.name)
            )
        with pytest.raises(PermissionDenied):
            engine.kbs.rename(session, local.name, "Mine now")
        srv.kbs.rename(admin, HANDBOOK, "Staff handbook")
        engine.remotes.refresh(session)
        renamed = _mirror(engine, session, "Staff handbook")
        assert (renamed.id, renamed.name) == (local.id, "Staff handbook (127.0.0.1)")
    finally:
        engine.close()


def test_a_wrong_password_and_a_revoked_key_are_the_servers_not_this_computers(
    server: RunningServer, tmp_path: Path
) -> None:
    srv = server.engine
    mia = server_user(server, "mia", Role.MEMBER)
    engine, session = desktop(tmp_path / "desk")
    try:
        with pytest.raises(AuthenticationFailed) as refused:
            engine.remotes.connect(session, server.url, "mia", "wrong password", server.fingerprint)
        assert "did not accept" in refused.value.user_message("en")
        join(engine, session, server, "mia")
        [key] = srv.identity.api_keys(mia)
        srv.identity.revoke_api_key(mia, key.id)
        with pytest.raises(ServerRefused) as revoked:
            _sync(engine, session)
        assert revoked.value.key == "server_login_needed"
        assert engine.kbs.visible(session)  # this computer's session goes on
        assert [s.url for s in engine.remotes.servers(session)] == [server.url]
        engine.remotes.disconnect(session, server.url)
        assert engine.remotes.servers(session) == []
        assert not [kb for kb in engine.kbs.visible(session) if kb.remote]
    finally:
        engine.close()


def test_a_server_restored_to_an_older_version_is_copied_again_from_scratch(
    server: RunningServer, tmp_path: Path
) -> None:
    """A copy ahead of the server's log (a restored backup) cannot trust what it holds."""
    engine, session = desktop(tmp_path / "desk")
    try:
        kb = _keep_copy(engine, session, server)
        before = copy_state(engine, kb.id)
        with engine.context.db.write() as con:  # as if the server had been further along
            con.execute("UPDATE kb_mirrors SET version = version + 100")
            con.execute("UPDATE documents SET content_hash = 'stale' WHERE origin_id > 0")
        report = _sync(engine, session)[-1].report
        assert report is not None
        assert report.added == 5
        assert_same_copy(copy_state(engine, kb.id), before)
    finally:
        engine.close()

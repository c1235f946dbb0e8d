"""What a desktop keeps of a team server: encrypted copies, its key, chats, pages, Stop."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import NEW_CHAT, ChatStarted, Done, Engine, Queued, Sources, SyncStage, Token
from tests.documents import SENTENCES, make_all
from tests.fakes import FakeEmbedder
from tests.identity import PASSWORD, admin_session
from tests.keyring_memory import InMemoryKeyring
from tests.server.conftest import quick_settings
from tests.server.running import RunningServer, running
from tests.server.sync_world import desktop, desktop_settings, join

KB = "Filings"
QUESTION = "How are hotel costs reimbursed per night?"
HOTEL = "Hotel costs are reimbursed up to 120 euros per night. " * 3


class OtherEmbedder(FakeEmbedder):
    """The same vectors under another name: a desktop whose embedder differs."""

    name = "fake-other-space"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> Iterator[RunningServer]:
    """A server with every document kind of tests.documents and a travel note."""
    folder = tmp_path_factory.mktemp("copies")
    settings = quick_settings(folder, model_path=tiny_model, max_answer_tokens=48)
    with Engine(settings, embedder=FakeEmbedder(), keep_sessions=True) as engine:
        admin = admin_session(engine)
        engine.kbs.create(admin, KB)
        docs = make_all(folder / "docs")
        travel = folder / "docs" / "travel.txt"
        travel.write_text(HOTEL, encoding="utf-8")
        report = list(engine.documents.ingest(admin, [*docs.values(), travel], KB))[-1].report
        assert report is not None
        assert report.failed == 0
        with running(engine) as live:
            yield live


def _copy(engine: Engine, server: RunningServer) -> str:
    session = engine.identity.login("admin", PASSWORD)
    join(engine, session, server, "admin")
    kb = next(k for k in engine.kbs.visible(session) if k.remote and k.remote.name == KB)
    engine.remotes.keep_copy(session, kb.name, True)
    events = list(engine.sync.run(session))
    assert events[-1].stage is SyncStage.FINISHED
    return kb.name


def test_the_copy_the_chat_and_the_key_stay_off_disk(
    server: RunningServer, tmp_path: Path, memory_keychain: InMemoryKeyring
) -> None:
    engine, session = desktop(tmp_path / "desk")
    kb = _copy(engine, server)
    [secret] = [v for (_, k), v in memory_keychain.secrets.items() if k.startswith("team-server:")]
    assert secret.startswith("ksk_")  # the server's API key sits in the keychain...
    assert engine.context.db.query("SELECT stored_key FROM remotes")[0][0] == ""  # ...only
    chat = engine.chats.create(session, "Travel rules for the marmalade trip")
    events = list(engine.answers.ask(session, QUESTION, kb, chat=chat.id))
    answer = "".join(e.text for e in events if isinstance(e, Token))
    kept = engine.chats.messages(session, chat.id)
    assert [m.role for m in kept] == ["user", "assistant"]
    assert kept[1].text == answer
    sources = next(e for e in events if isinstance(e, Sources)).items
    assert sources
    assert kept[1].sources[0].remote_kb == sources[0].remote_kb != 0
    needles = [s for s in SENTENCES.values() if len(s) > 15]
    needles += [secret, PASSWORD, "Travel rules for the marmalade trip", QUESTION, HOTEL[:40]]
    data_dir = engine.settings.data_dir
    engine.close()
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.parent.parent.name == "blobs" for p in files)  # originals were copied
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            for raw in (needle.encode(), needle.encode("utf-16-le"), needle.lower().encode()):
                assert raw not in data, f"{needle!r} in plaintext in {path}"


def test_another_embedder_re_embeds_and_says_so(server: RunningServer, tmp_path: Path) -> None:
    settings = desktop_settings(tmp_path / "desk")
    with Engine(settings, embedder=OtherEmbedder()) as engine:
        session = admin_session(engine)
        join(engine, session, server, "admin")
        kb = next(k for k in engine.kbs.visible(session) if k.remote and k.remote.name == KB)
        engine.remotes.keep_copy(session, kb.name, True)
        report = list(engine.sync.run(session, kb.name))[-1].report
        assert report is not None
        assert report.re_embedded
        assert report.added >= 6
        hits = engine.answers.search(session, SENTENCES["docx"], kb.name)
        assert hits
        assert hits[0].text.startswith(SENTENCES["docx"][:20])
        count = engine.context.db.query("SELECT count(*) FROM chunks")[0][0]
        assert len(engine.context.index.open().vectors.all_ids()) == count


def test_cited_pages_open_through_the_server_and_from_the_copy(
    server: RunningServer, tmp_path: Path
) -> None:
    engine, session = desktop(tmp_path / "desk")
    try:
        kb = _copy(engine, server)
        pdf = next(
            d
            for d in server.engine.documents.all(admin_session(server.engine), KB)
            if d.kind == "pdf"
        )
        local = next(k for k in engine.kbs.visible(session) if k.name == kb)
        image = engine.documents.render_page(session, pdf.id, 1, 300, remote_kb=local.id)
        assert image.width == 300
        assert len(image.rgb) == image.width * image.height * 3
        remote_text = engine.documents.passages(session, pdf.id, remote_kb=local.id)
        assert any(SENTENCES["pdf1"][:20] in p.text for p in remote_text)
        copy_id = engine.remotes.copy_of(session, local.id, pdf.id)
        assert engine.documents.passages(session, copy_id)[0].text == remote_text[0].text
        same = engine.documents.render_page(session, copy_id, 1, 300)
        assert same.rgb == image.rgb  # the server's rendering and this computer's agree
    finally:
        engine.close()


def test_stop_stops_the_servers_generation(server: RunningServer, tmp_path: Path) -> None:
    engine, session = desktop(tmp_path / "desk")
    try:
        join(engine, session, server, "admin")
        kb = next(k for k in engine.kbs.visible(session) if k.remote and k.remote.name == KB)
        cancel = threading.Event()
        tokens = 0
        events = []
        for event in engine.answers.ask(session, QUESTION, kb.name, cancel):
            events.append(event)
            if isinstance(event, Token):
                tokens += 1
                cancel.set()  # Stop after the first piece
        done = events[-1]
        assert isinstance(done, Done)
        assert done.stats.cancelled
        assert tokens < 48
        assert not any(isinstance(e, Queued) for e in events)
        deadline = time.monotonic() + 10
        while server.jobs.running("answer") and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.jobs.running("answer") == 0  # the server's generation ended
    finally:
        engine.close()


def test_a_chat_about_a_server_kb_continues_its_conversation_there(
    server: RunningServer, tmp_path: Path
) -> None:
    engine, session = desktop(tmp_path / "desk")
    srv_admin = admin_session(server.engine)
    try:
        join(engine, session, server, "admin")
        kb = next(k for k in engine.kbs.visible(session) if k.remote and k.remote.name == KB)
        before = {c.id for c in server.engine.chats.all(srv_admin)}
        first = list(engine.answers.ask(session, QUESTION, kb.name, chat=NEW_CHAT))
        chat = next(e.chat for e in first if isinstance(e, ChatStarted))
        second = list(engine.answers.ask(session, "And per week?", kb.name, chat=chat.id))
        done = second[-1]
        assert isinstance(done, Done)
        assert done.stats.history_turns >= 1  # the server saw the first turn
        [made] = [c for c in server.engine.chats.all(srv_admin) if c.id not in before]
        assert len(server.engine.chats.messages(srv_admin, made.id)) == 4
        assert len(engine.chats.messages(session, chat.id)) == 4  # and this computer keeps it
        engine.chats.clear(session, chat.id)  # a cleared chat starts a new talk there
        list(engine.answers.ask(session, QUESTION, kb.name, chat=chat.id))
        assert len(server.engine.chats.messages(srv_admin, made.id)) == 4
        assert len({c.id for c in server.engine.chats.all(srv_admin)} - before) == 2
    finally:
        engine.close()

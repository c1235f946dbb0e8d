"""Answers over SSE: sources, resume after a dropped connection, stop, the queued event."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from core import Role, Settings, Token
from tests.identity import admin_session
from tests.server.conftest import make_user, quick_settings
from tests.server.running import RunningServer
from tests.server.sse_client import Received, events

HANDBOOK = b"# Hotels\n\nHotel costs are reimbursed up to 150 euros per night.\n"
QUESTION = {"question": "How are hotel costs reimbursed per night?", "kb": "handbook"}


@pytest.fixture(scope="module")
def server_settings(tmp_path_factory: pytest.TempPathFactory, tiny_model: Path) -> Settings:
    """Long answers (the tiny model writes ~1,000 tokens/s), so a stop lands mid-answer."""
    return quick_settings(
        tmp_path_factory.mktemp("answers"),
        model_path=tiny_model,
        max_answer_tokens=1000,
        sources=2,
        server_grace_seconds=1.0,
    )


@pytest.fixture(scope="module", autouse=True)
def handbook(server: RunningServer, admin_token: str) -> None:
    with server.client(admin_token) as http:
        http.post("/api/kbs", json={"name": "handbook"}).raise_for_status()
        done = http.put("/api/kbs/handbook/documents/travel.md?wait=true", content=HANDBOOK)
    assert done.status_code == 200, done.text
    assert done.json()["indexed"] == 1


def _ask(server: RunningServer, token: str, **extra: object) -> list[Received]:
    with (
        server.client(token) as http,
        http.stream("POST", "/api/answers", json={**QUESTION, **extra}) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        return list(events(response))


def test_an_answer_streams_tokens_then_sources_then_stats(
    server: RunningServer, admin_token: str
) -> None:
    received = _ask(server, admin_token, chat="new")
    names = [e.name for e in received]
    assert names[0] == "chat"
    assert names[-2:] == ["sources", "done"]
    assert set(names[1:-2]) == {"token"}
    assert [e.id for e in received] == list(range(1, len(received) + 1))
    sources = received[-2].data["items"]
    assert sources
    assert sources[0]["document"] == "travel.md"
    assert received[-1].data["completion_tokens"] > 0


def test_a_dropped_stream_resumes_from_last_event_id_without_loss(
    server: RunningServer, admin_token: str
) -> None:
    with server.client(admin_token) as http:
        with http.stream("POST", "/api/answers", json={**QUESTION, "chat": "new"}) as response:
            job_id = response.headers["X-Job-Id"]
            first: list[Received] = []
            for event in events(response):
                first.append(event)
                if len(first) == 3:
                    break  # the connection drops here
        resumed_headers = {"Last-Event-ID": str(first[-1].id)}
        with http.stream("GET", f"/api/answers/{job_id}/events", headers=resumed_headers) as again:
            rest = list(events(again))
        chat_id = first[0].data["id"]
        kept = http.get(f"/api/chats/{chat_id}/messages").json()
    whole = first + rest
    assert [e.id for e in whole] == list(range(1, len(whole) + 1))
    assert whole[-1].name == "done"
    assert not whole[-1].data["cancelled"]  # it went on while nobody listened
    text = "".join(e.data["text"] for e in whole if e.name == "token")
    assert kept[-1]["role"] == "assistant"
    assert kept[-1]["text"] == text


def test_stop_ends_generation_inside_llama_cpp_and_frees_the_model(
    server: RunningServer, admin_token: str
) -> None:
    with server.client(admin_token) as http:
        with http.stream("POST", "/api/answers", json=QUESTION) as response:
            job_id = response.headers["X-Job-Id"]
            for event in events(response):
                if event.name == "token":
                    break
            assert http.post(f"/api/answers/{job_id}/stop").status_code == 204
            assert server.engine.context.model.waiting() == 0
        with http.stream("GET", f"/api/answers/{job_id}/events") as again:
            stopped = list(events(again))
    done = stopped[-1]
    assert done.name == "done"
    assert done.data["cancelled"]
    assert done.data["completion_tokens"] < 1000
    after = _ask(server, admin_token)  # the next question finds the model free: no queue
    assert "queued" not in [e.name for e in after]
    assert after[-1].name == "done"


def test_another_users_answer_cannot_be_read_or_stopped(
    server: RunningServer, admin_token: str
) -> None:
    other = make_user(server, admin_token, "snoop", Role.EDITOR)
    with (
        server.client(admin_token) as http,
        http.stream("POST", "/api/answers", json=QUESTION) as response,
    ):
        job_id = response.headers["X-Job-Id"]
        list(events(response))
    with server.client(other) as http:
        assert http.get(f"/api/answers/{job_id}/events").status_code == 404
        assert http.post(f"/api/answers/{job_id}/stop").status_code == 404


def test_asking_a_knowledge_base_one_cannot_read_is_an_http_error_not_a_stream(
    server: RunningServer, admin_token: str
) -> None:
    member = make_user(server, admin_token, "outsider", Role.MEMBER)
    with server.client(member) as http:
        response = http.post("/api/answers", json=QUESTION)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def _first_token_at(server: RunningServer, token: str, when: dict[str, float], key: str) -> None:
    with server.client(token) as http, http.stream("POST", "/api/answers", json=QUESTION) as r:
        for event in events(r):
            if event.name == "token" and key not in when:
                when[key] = time.monotonic()


def test_a_waiting_caller_is_told_its_place_in_line(
    server: RunningServer, admin_token: str
) -> None:
    waiter = make_user(server, admin_token, "waiter", Role.EDITOR)
    with server.client(admin_token) as http:
        http.post("/api/kbs/handbook/shares", json={"user": "waiter"}).raise_for_status()
    # An answer read in this process holds the model for as long as its next token is not
    # asked for (however loaded the machine), so the waiter is certain to wait.
    engine = server.engine
    holding = engine.answers.ask(admin_session(engine), QUESTION["question"], "handbook")
    next(e for e in holding if isinstance(e, Token))
    received = []
    with server.client(waiter) as other, other.stream("POST", "/api/answers", json=QUESTION) as r:
        for event in events(r):
            received.append(event)
            if event.name == "queued":
                holding.close()  # the model is free: the waiter goes next
    assert received[0].name == "queued"
    assert received[0].data == {"position": 1}
    assert received[-1].name == "done"


def test_one_users_ten_questions_do_not_starve_anothers_one(
    server: RunningServer, admin_token: str
) -> None:
    """A asks ten at once, then B one: B's answer starts after at most two of A's."""
    busy = make_user(server, admin_token, "busy", Role.EDITOR)
    once = make_user(server, admin_token, "once", Role.EDITOR)
    with server.client(admin_token) as http:
        for name in ("busy", "once"):
            http.post("/api/kbs/handbook/shares", json={"user": name}).raise_for_status()
    when: dict[str, float] = {}
    threads = [
        threading.Thread(target=_first_token_at, args=(server, busy, when, f"a{n}"))
        for n in range(10)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while server.engine.context.model.admission.waiting() < 9 and time.monotonic() < deadline:
        time.sleep(0.01)  # A's ten are in: one answering, nine waiting
    b = threading.Thread(target=_first_token_at, args=(server, once, when, "b"))
    b.start()
    for thread in [*threads, b]:
        thread.join(120)
    assert len(when) == 11
    before_b = sum(1 for key, at in when.items() if key != "b" and at < when["b"])
    assert before_b <= 2, sorted(when, key=when.__getitem__)


def test_a_full_line_answers_503_with_retry_after(server: RunningServer, admin_token: str) -> None:
    late = make_user(server, admin_token, "late", Role.EDITOR)
    with server.client(admin_token) as http:
        http.post("/api/kbs/handbook/shares", json={"user": "late"}).raise_for_status()
    context = server.engine.context
    settings = context.settings
    context.settings = replace(settings, queue_limit=0)  # nobody may wait (re-read per question)
    try:
        with (
            server.client(admin_token) as http,
            http.stream("POST", "/api/answers", json=QUESTION) as holding,
        ):
            for event in events(holding):
                if event.name == "token":
                    break  # the model is busy with this answer now
            with server.client(late) as other:
                refused = other.post("/api/answers", json=QUESTION)
    finally:
        context.settings = settings
    assert refused.status_code == 503
    assert refused.json()["error"]["code"] == "busy"
    assert int(refused.headers["Retry-After"]) >= 1

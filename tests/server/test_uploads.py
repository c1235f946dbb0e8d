"""Uploads over HTTP: progress that streams, bad files named in 4xx, bombs refused, no leaks."""

from __future__ import annotations

import logging
import time

import pytest

from core import Role
from tests.documents import zip_bytes
from tests.server.conftest import make_user
from tests.server.running import RunningServer
from tests.server.sse_client import events

SECRET = "The quarterly bonus pool is 41,977 euros."


@pytest.fixture(scope="module", autouse=True)
def team_kb(server: RunningServer, admin_token: str) -> None:
    with server.client(admin_token) as http:
        http.post("/api/kbs", json={"name": "team"}).raise_for_status()


def test_an_upload_is_a_job_whose_progress_streams(server: RunningServer, admin_token: str) -> None:
    with server.client(admin_token) as http:
        started = http.put("/api/kbs/team/documents/notes.md", content=b"# Notes\n\nBoats.\n")
        assert started.status_code == 202
        job = started.json()
        with http.stream("GET", job["events"]) as stream:
            progress = [e.data for e in events(stream)]
        listed = http.get("/api/kbs/team/documents").json()
    assert progress[0]["stage"] == "scanned"
    assert progress[-1]["stage"] == "finished"
    assert progress[-1]["report"]["indexed"] == 1
    assert [d["name"] for d in listed] == ["notes.md"]
    assert listed[0]["status"] == "indexed"


def test_a_corrupt_file_is_422_naming_it(server: RunningServer, admin_token: str) -> None:
    with server.client(admin_token, **{"Accept-Language": "ru"}) as http:
        response = http.put(
            "/api/kbs/team/documents/broken.pdf?wait=true", content=b"%PDF-1.7 junk"
        )
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "file_rejected"
    assert "broken.pdf" in body["error"]["message"]
    assert body["failures"][0]["source"] == "upload:broken.pdf"


def test_an_empty_upload_is_400(server: RunningServer, admin_token: str) -> None:
    with server.client(admin_token) as http:
        response = http.put("/api/kbs/team/documents/empty.txt", content=b"")
    assert response.status_code == 400
    assert "empty.txt" in response.json()["error"]["message"]


def test_a_zip_bomb_is_refused_and_nothing_else_is_touched(
    server: RunningServer, admin_token: str
) -> None:
    bomb = zip_bytes({"zeros.txt": b"0" * (50 * 2**20)})
    with server.client(admin_token) as http:
        before = http.get("/api/kbs/team/documents").json()
        response = http.put("/api/kbs/team/documents/bomb.zip?wait=true", content=bomb)
        after = http.get("/api/kbs/team/documents").json()
    assert response.status_code == 422
    assert response.json()["error"]["key"] == "zip_unsafe"
    assert "bomb.zip" in response.json()["error"]["message"]
    assert response.json()["failures"] == [
        {"source": "upload:bomb.zip", "message": response.json()["error"]["message"]}
    ]
    kept = {d["name"]: d["status"] for d in after}
    assert {d["name"]: d["status"] for d in before}.items() <= kept.items()
    assert kept.get("upload:bomb.zip", "failed") == "failed"  # listed as failed, or not at all


def test_an_upload_over_the_limit_is_413(server: RunningServer, admin_token: str) -> None:
    with server.client(admin_token) as http:
        response = http.put("/api/kbs/team/documents/big.txt", content=b"x" * (3 * 2**20))
    assert response.status_code == 413


def test_an_editor_cannot_upload_into_a_knowledge_base_shared_read_only(
    server: RunningServer, admin_token: str
) -> None:
    reader = make_user(server, admin_token, "reader", Role.EDITOR)
    with server.client(admin_token) as http:
        http.post(
            "/api/kbs/team/shares", json={"user": "reader", "access": "read"}
        ).raise_for_status()
    with server.client(reader) as http:
        response = http.put("/api/kbs/team/documents/x.md", content=b"# X\n\nText.\n")
    assert response.status_code == 403


def test_nothing_of_a_document_or_a_question_reaches_the_logs(
    server: RunningServer, admin_token: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with server.client(admin_token) as http:
        http.put(
            "/api/kbs/team/documents/bonus.md?wait=true", content=f"# Pay\n\n{SECRET}\n".encode()
        )
        http.post("/api/search", json={"query": "quarterly bonus pool 41,977", "kb": "team"})
        with http.stream(
            "POST", "/api/answers", json={"question": "How big is the quarterly bonus pool?"}
        ) as r:
            list(events(r))
    client_side = ("httpx", "httpcore")  # the test's own HTTP client logs its URLs

    def server_side() -> str:
        return "\n".join(
            f"{r.name} {r.getMessage()}"
            for r in caplog.records
            if not r.name.startswith(client_side)
        )

    # A streamed answer's access line is written once the server's handler returns, which
    # can be a moment after the client has read the last event.
    deadline = time.monotonic() + 10
    while "POST /api/answers" not in (text := server_side()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "POST /api/answers 200" in text  # the access log ran, with the route template
    assert "PUT /api/kbs/{kb}/documents/{filename} 200" in text
    assert "41,977" not in text
    assert "bonus" not in text.lower()

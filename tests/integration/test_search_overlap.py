"""A search's keyword step runs beside its query embedding, and gives the same results."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core import Engine, Fusion, Session
from core.search.embedder import Embedder


class _HeldEmbedder:
    """The real embedder, whose query embedding first waits for `release` (or a minute)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.release = threading.Event()
        self.waited: list[bool] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def embed_query(self, text: str) -> object:
        self.waited.append(self.release.wait(60))
        return self.inner.embed_query(text)


@pytest.fixture
def embedder(e5: Embedder) -> _HeldEmbedder:
    held = _HeldEmbedder(e5)
    held.release.set()  # ingest and set-up are not held
    return held


def test_the_keyword_step_runs_while_the_query_is_embedded(
    engine: Engine,
    admin: Session,
    embedder: _HeldEmbedder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, text in (
        ("valve.txt", "The relief valve is checked every spring by the night crew."),
        ("pump.txt", "The feed pump is oiled each month; its seals are replaced yearly."),
    ):
        (tmp_path / name).write_text(text)
    list(engine.documents.ingest(admin, [tmp_path / "valve.txt", tmp_path / "pump.txt"]))
    expected = [h.chunk_id for h in engine.answers.search(admin, "relief valve")]
    library = engine.context.library
    keyword_search = library.keyword_search
    seen_on: list[str] = []

    def keyword_search_then_release(*args: object) -> object:
        seen_on.append(threading.current_thread().name)
        embedder.release.set()  # run one after the other, the embedding would wait a minute
        return keyword_search(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(library, "keyword_search", keyword_search_then_release)
    embedder.release.clear()
    hits = engine.answers.search(admin, "relief valve")
    assert embedder.waited[-1], "the keyword step waited for the query embedding"
    assert seen_on
    assert seen_on[0].startswith("konspekt-keywords")
    assert [h.chunk_id for h in hits] == expected
    assert hits[0].source.endswith("valve.txt")
    assert hits[0].keyword_rank == 1


def test_a_vector_only_search_runs_no_keyword_step(
    engine: Engine, admin: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "valve.txt").write_text("The relief valve is checked every spring.")
    list(engine.documents.ingest(admin, [tmp_path / "valve.txt"]))
    library = engine.context.library

    def no_keywords(*args: object) -> object:
        raise AssertionError("a vector-only search asked FTS5")

    monkeypatch.setattr(library, "keyword_search", no_keywords)
    hits = engine.answers.search(admin, "relief valve", fusion=Fusion("vector"))
    assert hits
    assert hits[0].keyword_rank == 0
    assert hits[0].vector_score > 0.5

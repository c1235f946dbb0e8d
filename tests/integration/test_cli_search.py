"""`konspekt search` prints ranks and similarity, never a raw keyword (BM25) score."""

from __future__ import annotations

from pathlib import Path

from core import Engine, Settings
from core.search.embedder import Embedder
from tests.identity import ADMIN, PASSWORD
from tests.integration.test_cli_upkeep import konspekt


def test_search_prints_ranks_and_similarity_only(e5: Embedder, tmp_path: Path) -> None:
    settings = Settings.load(tmp_path / "data", key_store="file", password_hash_ms=5)
    (tmp_path / "ferry.txt").write_text("The ferry leaves the northern pier at noon.")
    (tmp_path / "bus.txt").write_text("The bus to the airport leaves every hour.")
    with Engine(settings, embedder=e5) as engine:
        admin = engine.identity.setup(ADMIN, PASSWORD).session
        list(
            engine.documents.ingest(
                admin, [tmp_path / "ferry.txt", tmp_path / "bus.txt"], kb="Travel"
            )
        )
        [best, *_] = engine.answers.search(admin, "ferry pier", kb="Travel")
    shown = konspekt(tmp_path / "data", "search", "ferry pier", "--kb", "Travel")
    assert shown.returncode == 0, shown.stderr
    assert "words #1" in shown.stdout
    assert f"meaning {best.vector_score:.2f}" in shown.stdout
    assert "kw " not in shown.stdout  # the raw BM25 value once printed here

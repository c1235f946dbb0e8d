"""The real embedders: multilingual E5 and the fastembed ONNX backend."""

from pathlib import Path

import numpy as np

from core import Engine, IngestStage, Settings
from core.search.embedder import E5Embedder, create_embedder
from tests.identity import admin_session


def test_e5_puts_a_russian_question_near_its_english_answer(e5: E5Embedder) -> None:
    passages = e5.embed_passages(
        [
            "To install a package, run apt-get install followed by the package name.",
            "The cafeteria is open from nine to five.",
        ]
    )
    query = e5.embed_query("Как установить пакет?")
    scores = passages @ query
    assert scores[0] > scores[1]
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)


def test_fastembed_onnx_backend_runs_the_packaged_minilm(tmp_path: Path) -> None:
    model = create_embedder("minilm", tmp_path, threads=1)
    vectors = model.embed_passages(["A dog runs in the park.", "Quarterly tax report."])
    query = model.embed_query("puppy playing outside")
    assert vectors.shape == (2, 384)
    assert (vectors @ query)[0] > (vectors @ query)[1]
    assert model.count_tokens("hello world") == 2


def test_changing_the_embedder_reindexes_documents(
    settings: Settings, e5: E5Embedder, tmp_path: Path
) -> None:
    note = tmp_path / "note.txt"
    note.write_text("The boiler room key hangs by the north door.")
    with Engine(settings, embedder=e5) as engine:
        list(engine.documents.ingest(admin_session(engine), [note]))
    with Engine(settings.with_changes(embedder="minilm")) as engine:
        admin = admin_session(engine)
        events = list(engine.documents.ingest(admin, [note]))
        stages = [e.stage for e in events]
        assert IngestStage.INDEXED in stages
        assert IngestStage.SKIPPED not in stages
        assert engine.answers.search(admin, "boiler key")[0].document == "note.txt"

"""Retrieval models run by llama.cpp from GGUF files: an embedder and a cross-encoder reranker.

bge-m3 and bge-reranker-v2-m3 cannot be fetched here, so tiny generated GGUFs of the same
architecture (BERT graph, XLM-R unigram vocabulary, RANK pooling + classification head for
the reranker) go through the real llama.cpp code paths.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from core import Engine, Settings
from core.doctor.check import CheckStatus
from core.doctor.checks import embedder_check, reranker_checks
from core.errors import ModelMissing
from core.search.embedder import create_embedder
from core.search.gguf_encoder import GgufEmbedder, GgufReranker
from tests.identity import admin_session
from tests.tiny_bert_gguf import write_tiny_bert


@pytest.fixture(scope="session")
def bert_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the tiny embedder and reranker GGUFs, written once per session."""
    folder = tmp_path_factory.mktemp("bert")
    write_tiny_bert(folder / "tiny-bge.gguf")
    write_tiny_bert(folder / "tiny-bge-reranker.gguf", favourite="violet")
    return folder


@pytest.fixture(scope="session")
def gguf_embedder(bert_dir: Path) -> GgufEmbedder:
    """The tiny embedder, loaded once."""
    return GgufEmbedder(bert_dir / "tiny-bge.gguf", threads=1)


def test_the_gguf_embedder_returns_unit_vectors_of_the_files_width(
    gguf_embedder: GgufEmbedder,
) -> None:
    texts = ["The kernel package is installed.", "Договор хранится у юриста.", "The kernel..."]
    vectors = gguf_embedder.embed_passages([*texts, texts[0]])
    assert vectors.shape == (4, 64) == (4, gguf_embedder.dim)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[3], atol=1e-5)
    assert vectors[0] @ vectors[1] < 0.99
    assert vectors[0] @ vectors[2] < 0.99
    query = gguf_embedder.embed_query(texts[1])  # no 'query: ' prefix, unlike E5
    assert query.shape == (64,)
    assert np.allclose(query, vectors[1], atol=1e-3)


def test_the_gguf_embedder_counts_russian_and_english_tokens(
    gguf_embedder: GgufEmbedder,
) -> None:
    assert gguf_embedder.count_tokens("debian package") == 2  # two whole pieces, no <s> </s>
    assert gguf_embedder.count_tokens("пакет установка") == 2
    assert gguf_embedder.count_tokens("пакетов") == 3  # ▁пакет + о + в
    assert gguf_embedder.count_tokens("") == 0


def test_the_embedders_name_follows_the_file(bert_dir: Path, tmp_path: Path) -> None:
    other = write_tiny_bert(tmp_path / "tiny-bge.gguf", seed=1)
    first = create_embedder("gguf:tiny-bge.gguf", tmp_path, 1, (bert_dir,))
    second = create_embedder(f"gguf:{other}", tmp_path, 1)
    assert first.name.startswith("gguf-tiny-bge-")
    assert first.name != second.name  # same file name, other weights: the index re-embeds
    assert first.name == GgufEmbedder(bert_dir / "tiny-bge.gguf").name


def test_an_engine_with_a_gguf_embedder_ingests_and_finds(
    settings: Settings, bert_dir: Path, tmp_path: Path
) -> None:
    models = settings.models_dirs[0]
    models.mkdir(parents=True)
    shutil.copy(bert_dir / "tiny-bge.gguf", models / "tiny-bge.gguf")
    docs = tmp_path / "docs"
    docs.mkdir()
    boiler, contract = "The boiler key hangs by the north door.", "Договор аренды лежит в сейфе."
    (docs / "boiler.txt").write_text(boiler)
    (docs / "contract.txt").write_text(contract)
    with Engine(settings.with_changes(embedder="gguf:tiny-bge.gguf")) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [docs]))
        index = engine.context.index.open()
        assert index.embedder.name.startswith("gguf-tiny-bge-")
        assert index.embedder.dim == 64
        # random weights: a passage's own text is the one query sure to land on its vector
        assert engine.answers.search(admin, boiler)[0].document == "boiler.txt"
        assert engine.answers.search(admin, contract)[0].document == "contract.txt"


def test_the_gguf_reranker_scores_pairs_by_its_classification_head(bert_dir: Path) -> None:
    reranker = GgufReranker(bert_dir / "tiny-bge-reranker.gguf", threads=1)
    passages = ["grey stone", "violet violet stone", "violet", "камень борщ"]
    scores = reranker.scores("which stone?", passages)
    assert scores[1] > scores[2] > scores[0]
    assert abs(scores[0] - scores[3]) < 0.05  # neither holds the word the head reads
    alone = [reranker.scores("which stone?", [p])[0] for p in passages]
    assert np.allclose(scores, alone, atol=1e-4)  # batching pairs changes nothing
    assert reranker.scores("which stone?", []) == []


def test_text_longer_than_the_context_is_cut_not_refused(
    gguf_embedder: GgufEmbedder, bert_dir: Path
) -> None:
    long = "debian package " * 1000  # 2,000 tokens; the tiny models' context is 512
    assert gguf_embedder.embed_passages([long, "kernel"]).shape == (2, 64)
    reranker = GgufReranker(bert_dir / "tiny-bge-reranker.gguf", threads=1)
    scores = reranker.scores(long, [long, "violet " + long, "grey stone"])
    assert scores[1] > scores[0]  # the cut keeps the passage's start
    assert all(np.isfinite(scores))


def test_a_provisioned_gguf_reranker_reorders_search(
    settings: Settings, bert_dir: Path, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "menu.txt").write_text("Borscht. The canteen serves borscht; borscht every day.")
    (docs / "garden.txt").write_text("The path has violet pebbles by the borscht stand.")
    folder = settings.models_dirs[0] / "reranker"
    folder.mkdir(parents=True)
    shutil.copy(bert_dir / "tiny-bge-reranker.gguf", folder / "bge-reranker-v2-m3.gguf")
    embedder = f"gguf:{bert_dir / 'tiny-bge.gguf'}"
    with Engine(settings.with_changes(embedder=embedder)) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [docs]))
        found = [h.document for h in engine.answers.search(admin, "borscht", limit=2)]
        assert isinstance(engine.context.index.open().retriever.reranker, GgufReranker)
    assert found == ["garden.txt", "menu.txt"]


def _truncated(source: Path, target: Path, keep: int) -> Path:
    target.write_bytes(source.read_bytes()[:keep])
    return target


@pytest.mark.parametrize("cut", ["header", "tensors"])
def test_a_truncated_gguf_is_refused_naming_the_file(
    bert_dir: Path, tmp_path: Path, cut: str
) -> None:
    source = bert_dir / "tiny-bge.gguf"
    keep = 2000 if cut == "header" else source.stat().st_size - 100
    broken = _truncated(source, tmp_path / "bge-m3.gguf", keep)
    with pytest.raises(ModelMissing) as caught:
        GgufEmbedder(broken)
    assert caught.value.key == "gguf_file_unreadable"
    assert str(broken) in caught.value.user_message("en")
    assert "повреждён" in caught.value.user_message("ru")


def test_garbage_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    garbage = tmp_path / "bge-reranker-v2-m3.gguf"
    garbage.write_bytes(b"GGUF" + np.random.default_rng(0).bytes(4096))
    with pytest.raises(ModelMissing, match=r"bge-reranker-v2-m3\.gguf") as caught:
        GgufReranker(garbage)
    assert caught.value.key == "gguf_file_unreadable"
    with pytest.raises(ModelMissing) as missing:
        create_embedder("gguf:bge-m3.gguf", tmp_path, 1, (tmp_path / "models",))
    assert missing.value.key == "gguf_file_missing"
    assert str(tmp_path / "models" / "bge-m3.gguf") in missing.value.user_message("ru")


def test_a_gguf_of_the_wrong_kind_is_refused(tiny_model: Path, bert_dir: Path) -> None:
    with pytest.raises(ModelMissing) as llama:
        GgufEmbedder(tiny_model)
    assert llama.value.key == "gguf_not_embedder"
    assert "'llama'" in llama.value.user_message("en")
    assert "«llama»" in llama.value.user_message("ru")
    with pytest.raises(ModelMissing) as reranker:
        GgufEmbedder(bert_dir / "tiny-bge-reranker.gguf")
    assert reranker.value.key == "gguf_not_embedder"
    with pytest.raises(ModelMissing) as embedder:
        GgufReranker(bert_dir / "tiny-bge.gguf")  # no classification head, CLS pooling
    assert embedder.value.key == "gguf_not_reranker"
    assert "bge-reranker-v2-m3" in embedder.value.user_message("ru")


def test_doctor_checks_a_gguf_embedder_without_loading_it(
    settings: Settings, bert_dir: Path, tiny_model: Path
) -> None:
    good = embedder_check(settings.with_changes(embedder=f"gguf:{bert_dir}/tiny-bge.gguf"), "en")
    assert good.status is CheckStatus.OK
    assert "tiny-bge.gguf" in good.detail
    wrong = embedder_check(settings.with_changes(embedder=f"gguf:{tiny_model}"), "ru")
    assert wrong.status is CheckStatus.FAIL
    assert str(tiny_model) in wrong.detail
    assert "эмбеддингов" in wrong.detail


def test_doctor_checks_a_provisioned_gguf_reranker(settings: Settings, bert_dir: Path) -> None:
    assert reranker_checks(settings, "en") == []  # none provisioned: nothing to check
    folder = settings.models_dirs[0] / "reranker"
    folder.mkdir(parents=True)
    shutil.copy(bert_dir / "tiny-bge-reranker.gguf", folder / "bge-reranker-v2-m3.gguf")
    (good,) = reranker_checks(settings, "en")
    assert good.status is CheckStatus.OK
    _truncated(bert_dir / "tiny-bge-reranker.gguf", folder / "bge-reranker-v2-m3.gguf", 3000)
    (broken,) = reranker_checks(settings, "ru")
    assert broken.status is CheckStatus.FAIL
    assert "bge-reranker-v2-m3.gguf" in broken.detail
    assert "повреждён" in broken.detail

"""The optional cross-encoder stage: used when provisioned, skipped cleanly when not.

No cross-encoder ships offline, so the test builds a tiny ONNX one: it scores a pair by
how often a chosen token occurs in it. Real enough to prove the stage re-orders results.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import onnx
from onnx import TensorProto, helper
from tokenizers import Tokenizer

from core import Engine, Settings
from core.search.embedder import ONNX_FILES, minilm_folder
from core.search.reranker import Reranker
from tests.identity import admin_session


def build_cross_encoder(folder: Path, favourite: str) -> Path:
    """model.onnx scoring pairs by the count of `favourite`'s token, + tokenizer files."""
    assembled = minilm_folder(folder.parent / "minilm")
    folder.mkdir(parents=True)
    for name in ONNX_FILES[1:]:  # the tokenizer files; model.onnx is built below
        shutil.copy(assembled / name, folder / name)
    token_id = Tokenizer.from_file(str(folder / "tokenizer.json")).token_to_id(favourite)
    assert token_id is not None
    graph = helper.make_graph(
        [
            helper.make_node("Equal", ["input_ids", "favourite"], ["hit"]),
            helper.make_node("Cast", ["hit"], ["hits"], to=TensorProto.FLOAT),
            helper.make_node("ReduceSum", ["hits", "axis"], ["logits"], keepdims=1),
        ],
        "favourite-token-cross-encoder",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", 1])],
        [
            helper.make_tensor("favourite", TensorProto.INT64, [], [token_id]),
            helper.make_tensor("axis", TensorProto.INT64, [1], [1]),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(folder / "model.onnx"))
    return folder


def test_the_tiny_cross_encoder_scores_its_token(tmp_path: Path) -> None:
    reranker = Reranker(build_cross_encoder(tmp_path / "reranker", "violet"), threads=1)
    scores = reranker.scores("which stone?", ["grey stone", "violet violet stone", "violet"])
    assert scores[1] > scores[2] > scores[0]


def test_a_provisioned_reranker_reorders_and_none_is_skipped(
    settings: Settings, e5: object, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "menu.txt").write_text("Borscht. The canteen serves borscht; borscht every day.")
    (docs / "garden.txt").write_text("Violet pebbles line the path to the borscht stand.")
    with Engine(settings, embedder=e5) as engine:  # type: ignore[arg-type]
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [docs]))
        plain = [h.document for h in engine.answers.search(admin, "borscht", limit=2)]
    assert plain[0] == "menu.txt"  # fused ranking: keywords and vectors agree
    build_cross_encoder(settings.models_dirs[0] / "reranker", "violet")
    with Engine(settings, embedder=e5) as engine:  # type: ignore[arg-type]
        admin = admin_session(engine)
        reranked = [h.document for h in engine.answers.search(admin, "borscht", limit=2)]
        assert engine.context.index.open().retriever.reranker is not None
    assert reranked == ["garden.txt", "menu.txt"]
    with Engine(settings.with_changes(rerank=False), embedder=e5) as engine:  # type: ignore[arg-type]
        admin = admin_session(engine)
        assert [h.document for h in engine.answers.search(admin, "borscht", limit=2)] == plain

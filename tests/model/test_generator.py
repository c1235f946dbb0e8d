"""llama.cpp generation: chat template, streaming, cancel inside the model, the lock."""

import threading
from pathlib import Path

import pytest

from core.llm.generator import Generator


@pytest.fixture(scope="module")
def tiny(tiny_model: Path) -> Generator:
    return Generator(tiny_model, n_ctx=512, n_threads=1)


def test_chat_template_comes_from_the_gguf(tiny: Generator) -> None:
    prompt = tiny.render([{"role": "user", "content": "hello"}])
    assert prompt.text == "<|im_start|>user\nhello<|im_end|>\n<|im_start|>assistant\n"


def test_stream_yields_pieces_up_to_max_tokens(tiny: Generator) -> None:
    prompt = tiny.render([{"role": "user", "content": "debian package"}])
    pieces = list(tiny.stream(prompt, max_tokens=12, temperature=0.0, top_p=1.0))
    assert 0 < len(pieces) <= 12


def test_cancel_stops_generation_before_the_next_token(tiny: Generator) -> None:
    prompt = tiny.render([{"role": "user", "content": "system file"}])
    cancel = threading.Event()
    pieces = []
    for piece in tiny.stream(prompt, max_tokens=400, temperature=0.0, top_p=1.0, cancel=cancel):
        pieces.append(piece)
        if len(pieces) == 3:
            cancel.set()
    assert len(pieces) == 3


def test_stop_strings_end_the_answer_and_are_not_shown() -> None:
    from core.llm.generator import StopFilter

    f = StopFilter(("<|im_end|>",))
    out = [f.feed(p) for p in ("Hello", " wor", "ld<|im", "_end|>tail")]
    assert "".join(o[0] for o in out) == "Hello world"
    assert out[-1][1] is True


def test_abandoned_stream_releases_the_model_lock(tiny: Generator) -> None:
    prompt = tiny.render([{"role": "user", "content": "x"}])
    stream = tiny.stream(prompt, max_tokens=50, temperature=0.0, top_p=1.0)
    next(stream)
    stream.close()
    assert list(tiny.stream(prompt, max_tokens=3, temperature=0.0, top_p=1.0))


def test_unloadable_model_is_a_clear_error(tmp_path: Path) -> None:
    from core import ModelMissing

    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ModelMissing, match=r"broken\.gguf"):
        Generator(bad, n_ctx=256, n_threads=1)

"""Text nobody can ask about is refused with its reason, and a huge one by its token count."""

import base64
import random
from pathlib import Path

from core import Engine, IngestStage
from tests.identity import admin_session


def _failures(engine: Engine, *paths: Path) -> dict[str, str]:
    session = admin_session(engine)
    events = list(engine.documents.ingest(session, list(paths)))
    report = events[-1].report
    assert report is not None
    failed = {Path(e.source).name: e for e in events if e.stage is IngestStage.FAILED}
    for event in failed.values():  # every reason names its file, in both languages
        assert Path(event.source).name in event.error("en")
        assert Path(event.source).name in event.error("ru")
    return {name: str(event.error_key) for name, event in failed.items()}


def test_repeats_dumps_and_noise_fail_alone_as_no_readable_text(
    settings, e5, tmp_path: Path, corpus: Path
) -> None:
    noise = random.Random(16).randbytes(40_000)
    files = {
        "repeated.txt": "a" * 30_000,
        "dump.txt": base64.encodebytes(noise).decode(),
        "hexdump.txt": noise.hex(),
        "noise.txt": _printable(noise).decode("cp1251"),  # bytes that pass as Cyrillic text
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    faq = corpus / "debian-faq/ru/basic-defs.ru.html"
    with Engine(settings, embedder=e5) as engine:
        failed = _failures(engine, *(tmp_path / n for n in files), faq)
        indexed = [d.name for d in engine.documents.all(admin_session(engine))]
    assert failed == {
        "repeated.txt": "file_unreadable_repeated",
        "dump.txt": "file_unreadable_encoded",
        "hexdump.txt": "file_unreadable_encoded",
        "noise.txt": "file_unreadable_no_words",
    }
    assert "basic-defs.ru.html" in indexed, "a real document beside them is indexed"


def _printable(data: bytes) -> bytes:
    """The bytes a text sniffer lets through: no control characters, no C1 range."""
    return bytes(b for b in data if 0x20 <= b < 0x7F or b >= 0xC0)


def test_a_file_over_the_token_budget_is_refused_with_its_size(
    settings, e5, tmp_path: Path, corpus: Path
) -> None:
    faq = corpus / "debian-faq/en/basic-defs.en.html"  # ~3,000 tokens of prose
    huge = tmp_path / "huge.txt"  # far over: refused before it is even tokenized
    huge.write_text("The delivery date is set in clause four. " * 2_000, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text("The delivery date is set in clause four of the contract.\n" * 5)
    with Engine(settings.with_changes(max_file_tokens=1_000), embedder=e5) as engine:
        session = admin_session(engine)
        events = list(engine.documents.ingest(session, [faq, huge, small]))
    failed = {Path(e.source).name: e for e in events if e.stage is IngestStage.FAILED}
    assert {n: e.error_key for n, e in failed.items()} == {
        "basic-defs.en.html": "file_too_many_tokens",
        "huge.txt": "file_too_many_tokens",
    }
    message = failed["basic-defs.en.html"].error("en")
    assert "over the limit of 1\u202f000 per file (max_file_tokens)" in message
    assert "max_file_tokens" in failed["huge.txt"].error("ru")
    report = events[-1].report
    assert report is not None
    assert report.indexed == 1, "the small file beside them is indexed"

"""The Debian FAQ (HTML + PDF, English + Russian) through the whole product."""

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core import Done, Engine, IngestStage, Settings, Sources, Token
from tests.conftest import REPO
from tests.identity import ADMIN, PASSWORD, admin_session


@pytest.fixture(scope="module")
def faq(tmp_path_factory: pytest.TempPathFactory, corpus: Path, e5) -> Iterator[Engine]:
    """The whole FAQ ingested once for this module (the slow part: ~180k tokens to embed)."""
    root = tmp_path_factory.mktemp("faq")
    for lang in ("en", "ru"):
        shutil.copytree(
            corpus / "debian-faq" / lang,
            root / "docs" / lang,
            ignore=shutil.ignore_patterns("*.txt"),
        )
    (root / "data").mkdir()
    # Short answers keep the suite fast; the CLI test reads this file too.
    (root / "data" / "konspekt.toml").write_text("max_answer_tokens = 120\nn_ctx = 4096\n")
    # A key file (not the test keychain), so the CLI subprocess can open the store too.
    settings = Settings.load(root / "data", n_threads=1, key_store="file", password_hash_ms=5)
    assert settings.max_answer_tokens == 120
    engine = Engine(settings, embedder=e5)
    started = time.perf_counter()
    events = list(engine.documents.ingest(admin_session(engine), [root / "docs"], kb="Debian FAQ"))
    report = events[-1].report
    assert report is not None
    assert report.failed == 0
    assert report.indexed == 36
    print(f"\nFAQ ingest: {report.chunks} chunks in {time.perf_counter() - started:.0f} s")
    yield engine
    engine.close()


def _answer(engine: Engine, question: str) -> tuple[str, Sources, Done]:
    events = list(engine.answers.ask(admin_session(engine), question, kb="Debian FAQ"))
    text = "".join(e.text for e in events if isinstance(e, Token))
    return text, events[-2], events[-1]  # type: ignore[return-value]


def test_english_question_cites_the_package_tools_chapter(faq: Engine) -> None:
    text, sources, done = _answer(faq, "What tools does Debian provide to manage packages?")
    assert text.strip()
    top = sources.items[0]
    assert "pkgtools" in top.source or "package management tools" in top.location.heading.lower()
    assert done.stats.grounded
    assert done.stats.completion_tokens > 0


def test_russian_question_finds_the_russian_chapter(faq: Engine) -> None:
    hits = faq.answers.search(
        admin_session(faq),
        "Какие инструменты есть в Debian для управления пакетами?",
        kb="Debian FAQ",
        limit=3,
    )
    assert any(
        "pkgtools.ru" in h.source or "управления пакетами" in h.location.heading.lower()
        for h in hits
    )


def test_pdf_hits_carry_page_and_chapter(faq: Engine) -> None:
    hits = faq.answers.search(
        admin_session(faq), "How do I report a bug in Debian?", kb="Debian FAQ", limit=10
    )
    pdf = [h for h in hits if h.source.endswith(".pdf")]
    assert pdf, "no PDF passage among the top 10"
    assert pdf[0].location.label.startswith("p. ")
    assert pdf[0].location.heading


def test_reingest_skips_everything(faq: Engine, tmp_path: Path) -> None:
    docs = Path(faq.documents.all(admin_session(faq), "Debian FAQ")[0].source).parents[1]
    events = list(faq.documents.ingest(admin_session(faq), [docs], kb="Debian FAQ"))
    assert events[-1].report is not None
    assert events[-1].report.skipped == 36
    assert not [e for e in events if e.stage is IngestStage.INDEXED]


def test_no_sentence_of_the_corpus_is_stored_in_plaintext(faq: Engine, corpus: Path) -> None:
    needles = _sentences(corpus / "debian-faq" / "ru" / "debian-faq.ru.txt", 5)
    needles += _sentences(corpus / "debian-faq" / "en" / "debian-faq.en.txt", 5)
    stored = [
        n
        for n in needles
        if faq.context.db.query("SELECT count(*) FROM chunks WHERE text LIKE ?", (f"%{n}%",))[0][0]
    ]
    assert len(stored) >= len(needles) // 2, "the needles must really be indexed"
    hits = _grep(faq.settings.data_dir, needles)
    assert hits == [], hits


def test_cli_ask_streams_and_lists_sources(faq: Engine) -> None:
    env = {
        **os.environ,
        "KONSPEKT_DATA_DIR": str(faq.settings.data_dir),
        "KONSPEKT_USER": ADMIN,
        "KONSPEKT_PASSWORD": PASSWORD,
        "KONSPEKT_LANG": "en",
        "KONSPEKT_THREADS": "1",
        "COLUMNS": "120",
    }
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "ask",
            "What tools does Debian provide to manage packages?",
            "--kb",
            "Debian FAQ",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "Sources" in out.stdout
    assert "[1]" in out.stdout
    assert "demo model" in out.stderr


def _sentences(path: Path, count: int) -> list[str]:
    lines = [" ".join(line.split()) for line in path.read_text(encoding="utf-8").splitlines()]
    long_lines = [line[:48] for line in lines if 60 < len(line) < 120 and "http" not in line]
    step = max(1, len(long_lines) // count)
    return long_lines[::step][:count]


def _grep(folder: Path, needles: list[str]) -> list[str]:
    found = []
    encoded = [(n, n.encode("utf-8")) for n in needles]
    encoded += [(n, n.encode("utf-16-le")) for n in needles]
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path}: {n[:40]}" for n, raw in encoded if raw in data]
    return found

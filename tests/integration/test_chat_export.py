"""A chat leaves as Markdown or PDF with every answer's sources, for its owner only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from core import Engine, FeatureDisabled, InvalidInput, NotFound, Role, Session, Settings, Token
from core.llm.generator import Generator
from core.search.embedder import Embedder
from tests.documents import SENTENCES, make_txt_cp1251
from tests.identity import admin_session, user_session

QUESTION = "Кто подписал договор поставки?"


@pytest.fixture
def world(
    settings: Settings, e5: Embedder, tiny_model: Path, tmp_path: Path
) -> Iterator[tuple[Engine, Session, int, str]]:
    """Bob's chat: a Russian question about a Russian document, answered by llama.cpp."""
    engine = Engine(
        settings.with_changes(max_answer_tokens=8),
        embedder=e5,
        generator=Generator(tiny_model, n_ctx=1024, n_threads=1),
    )
    with engine:
        admin = admin_session(engine)
        bob = user_session(engine, admin, "bob", Role.EDITOR)
        (tmp_path / "docs").mkdir()
        doc = make_txt_cp1251(tmp_path / "docs" / "протокол.txt")
        list(engine.documents.ingest(bob, [doc], kb="Договоры"))
        chat = engine.chats.create(bob)
        events = list(engine.answers.ask(bob, QUESTION, chat=chat.id))
        answer = "".join(e.text for e in events if isinstance(e, Token))
        yield engine, bob, chat.id, answer


def _pdf_text(path: Path) -> str:
    pdf = pdfium.PdfDocument(str(path))
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_markdown_holds_the_question_the_answer_and_each_source_with_its_passage(
    world: tuple[Engine, Session, int, str], tmp_path: Path
) -> None:
    engine, bob, chat_id, answer = world
    (tmp_path / "out").mkdir()
    path = engine.exports.chat(bob, chat_id, tmp_path / "out" / "чат.md", "md", "ru")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {QUESTION}\n")  # titled by its first question
    assert "### Вопрос" in text
    assert f"\n{QUESTION}\n" in text
    assert "### Ответ" in text
    assert answer.strip() in text
    assert "**Источники**" in text
    assert "1. **протокол.txt**" in text
    assert f"> {SENTENCES['txt_ru']}" in text  # the whole passage, quoted
    assert [p.name for p in path.parent.iterdir()] == ["чат.md"]  # no partial file left


def test_the_pdf_reads_back_in_cyrillic_with_the_answer_and_its_passage(
    world: tuple[Engine, Session, int, str], tmp_path: Path
) -> None:
    engine, bob, chat_id, answer = world
    path = engine.exports.chat(bob, chat_id, tmp_path / "чат.pdf", "pdf", "ru")
    assert path.read_bytes().startswith(b"%PDF-")
    text = _pdf_text(path)
    assert QUESTION in text
    assert "Ответ" in text
    assert "Источники" in text
    assert SENTENCES["txt_ru"] in text
    words = [w for w in answer.split() if w.isprintable() and w.isalpha() and len(w) > 3]
    assert all(w in text for w in words)  # what llama.cpp printed, as far as it is words


def test_the_pdf_in_english_names_pages_and_keeps_markup_as_text(
    world: tuple[Engine, Session, int, str], tmp_path: Path
) -> None:
    engine, bob, _, _ = world
    chat = engine.chats.create(bob, "Tags <b>&</b> ampersands")
    path = engine.exports.chat(bob, chat.id, tmp_path / "tags.pdf", "pdf", "en")
    text = _pdf_text(path)
    assert "Tags <b>&</b> ampersands" in text  # shown as written, never interpreted
    assert "questions: 0" in text


def test_another_user_cannot_export_someone_elses_chat(
    world: tuple[Engine, Session, int, str], tmp_path: Path
) -> None:
    engine, _, chat_id, _ = world
    admin = admin_session(engine)
    for fmt in ("md", "pdf"):
        with pytest.raises(NotFound):
            engine.exports.chat(admin, chat_id, tmp_path / f"stolen.{fmt}", fmt)
    assert not list(tmp_path.glob("stolen*"))
    assert not list(tmp_path.glob(".stolen*"))


def test_an_unknown_format_is_refused_by_name(
    world: tuple[Engine, Session, int, str], tmp_path: Path
) -> None:
    engine, bob, chat_id, _ = world
    with pytest.raises(InvalidInput, match="'docx'"):
        engine.exports.chat(bob, chat_id, tmp_path / "chat.docx", "docx")


def test_a_policy_that_forbids_export_refuses_it_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text("[locked]\nallow_export = false\n", encoding="utf-8")
    monkeypatch.setenv("KONSPEKT_POLICY", str(policy))
    settings = Settings.load(tmp_path / "data", password_hash_ms=5)
    with Engine(settings) as engine:
        admin = admin_session(engine)
        chat = engine.chats.create(admin, "Plans")
        for fmt in ("md", "pdf"):
            with pytest.raises(FeatureDisabled) as info:
                engine.exports.chat(admin, chat.id, tmp_path / f"plans.{fmt}", fmt)
            assert str(policy) in info.value.user_message("en")
            assert str(policy) in info.value.user_message("ru")
    assert not list(tmp_path.glob("*plans*"))

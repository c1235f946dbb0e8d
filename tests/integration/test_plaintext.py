"""Nothing a user indexed, typed or was given may sit in plaintext under the data dir."""

import random
import tempfile
from pathlib import Path

import pytest

from core import Assistant, Engine, Role, Session, Settings
from core.llm.generator import Generator
from core.search.embedder import Embedder
from tests.documents import SENTENCES, make_all
from tests.identity import PASSWORD, user_session


def test_nothing_sensitive_appears_in_plaintext(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    bob = user_session(engine, admin, "bob.secretive", Role.EDITOR)
    list(
        engine.documents.ingest(bob, [make_all(tmp_path / "docs")["pdf"].parent], kb="Bob's notes")
    )
    assert engine.answers.search(bob, SENTENCES["docx"])  # the text is really indexed...
    name, original = engine.documents.original(bob, engine.documents.all(bob, "Bob's notes")[0].id)
    assert original == (tmp_path / "docs" / name).read_bytes()  # kept for open-at-page...
    chat = engine.chats.create(bob, "Quarterly marmalade review")
    list(engine.answers.ask(bob, "Who counts the violet pebbles at the lighthouse?", chat=chat.id))
    engine.chats.clear(bob, chat.id)  # the conversation goes into a queued summary job...
    assert engine.memory.pending_jobs() == 1
    engine.memory.run_pending_jobs()  # ...and the model's summary into the summaries table
    [summary] = engine.memory.summaries(bob)
    list(engine.answers.ask(bob, "Who counts the violet pebbles at the lighthouse?", chat=chat.id))
    kb_prompt = Assistant("Bob's notes", "Speak like a tangerine auditor.", "Citrus ledger notes")
    engine.assistants.save(bob, kb_prompt)
    engine.templates.add(bob, "Pomegranate drill", "Recount the {pomegranate inventory}")
    answer = engine.chats.messages(bob, chat.id)[-1].id
    engine.feedback.rate(bob, answer, -1, "Wrong: the clerk Pyotr Ilyich counts them weekly")
    temporary = engine.accounts.reset_password(admin, "bob.secretive")
    invite = engine.accounts.create_invite(admin)
    needles = [s for s in SENTENCES.values() if len(s) > 15]
    needles += [SENTENCES["docx"].split()[2], "marmalade", "turnips", "Договор", "поставки"]
    needles += [PASSWORD, temporary, invite, "bob.secretive", "Bob's notes"]
    needles += ["Quarterly marmalade review", "Who counts the violet pebbles"]
    needles += ["tangerine auditor", "Citrus ledger", "Pomegranate drill", "pomegranate inventory"]
    needles += ["Pyotr Ilyich counts them weekly"]  # a feedback comment
    needles += [line.strip() for line in summary.text.splitlines() if len(line.strip()) > 20][:3]
    data_dir = engine.settings.data_dir
    engine.close()  # flush the WAL too
    files = [p for p in data_dir.rglob("*") if p.is_file()]
    assert any(p.parent.parent.name == "blobs" for p in files)
    for path in files:
        data = path.read_bytes()
        for needle in needles:  # ...but nothing is readable on disk, in any encoding used
            for raw in (
                needle.encode("utf-8"),
                needle.encode("utf-16-le"),
                needle.lower().encode("utf-8"),
            ):
                assert raw not in data, f"{needle!r} in plaintext in {path}"


def _phrases(text: str) -> list[str]:
    """Every run of three words (at least 14 characters) of a stored passage."""
    words = text.split()
    runs = (" ".join(words[i : i + 3]) for i in range(len(words) - 2))
    return [r for r in runs if len(r) >= 14]


def test_hundreds_of_stored_phrases_the_code_and_the_answers_stay_off_disk(
    settings: Settings, e5: Embedder, tiny_model: Path, tmp_path: Path
) -> None:
    rng = random.Random(12)
    words = [f"{rng.choice('bcdfgklmnprstvz')}{w}" for w in ("arvel", "ostin", "umbrik", "elvan")]
    lines = [
        f"Ledger {i}: {rng.choice(words)} owes {i * 37} to {rng.choice(words)}." for i in range(150)
    ]
    docs = make_all(tmp_path / "docs")
    (tmp_path / "docs" / "ledger-of-quarrels.txt").write_text("\n\n".join(lines))
    engine = Engine(
        settings.with_changes(max_answer_tokens=24),
        embedder=e5,
        generator=Generator(tiny_model, n_ctx=1024, n_threads=1),
    )
    with engine:
        setup = engine.identity.setup("admin", PASSWORD)
        who = setup.session
        list(engine.documents.ingest(who, [tmp_path / "docs"], kb="Quarrels"))
        documents = engine.documents.all(who, "Quarrels")
        passages = [p.text for d in documents for p in engine.documents.passages(who, d.id)]
        chat = engine.chats.create(who, "Ledger questions")
        list(engine.answers.ask(who, "Who owes money in the ledger?", chat=chat.id))
        answer = [m.text for m in engine.chats.messages(who, chat.id) if m.role == "assistant"]
    needles = sorted({p for text in passages for p in _phrases(text)})
    assert len(needles) > 300  # hundreds, read back from the stored chunks
    needles += [setup.recovery_code, *(d.name for d in documents)]
    needles += ["Office chairs", "Novosibirsk", "Turnips", "Carrots"]  # table cells
    needles += [a for a in answer if len(a) >= 12]
    assert answer
    assert {d.name for d in documents} >= {p.name for p in docs.values()}
    blobs = [p.read_bytes() for p in settings.data_dir.rglob("*") if p.is_file()]
    for needle in needles:
        for raw in (needle.encode("utf-8"), needle.encode("utf-16-le")):
            assert not any(raw in data for data in blobs), needle


def test_exports_leave_plaintext_only_in_the_files_the_user_chose(
    settings: Settings,
    e5: Embedder,
    tiny_model: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chat (Markdown, PDF) and a bundle written, a bundle imported.

    The exports are plaintext by the user's choice (the bundle excepted: encrypted); the
    temporary folder stays empty and the data folder holds no plaintext either.
    """
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", None)  # gettempdir() reads TMPDIR again
    docs = make_all(tmp_path / "docs")
    out = tmp_path / "chosen"
    out.mkdir()
    engine = Engine(
        settings.with_changes(max_answer_tokens=8),
        embedder=e5,
        generator=Generator(tiny_model, n_ctx=1024, n_threads=1),
    )
    with engine:
        who = engine.identity.setup("admin", PASSWORD).session
        list(engine.documents.ingest(who, [docs["pdf"], docs["txt"]], kb="Ledger of ferries"))
        chat = engine.chats.create(who, "Ferry schedule review")
        list(engine.answers.ask(who, "Who counts the violet pebbles?", chat=chat.id))
        engine.exports.chat(who, chat.id, out / "chat.md", "md")
        engine.exports.chat(who, chat.id, out / "chat.pdf", "pdf")
        list(engine.bundles.export(who, "Ledger of ferries", out / "kb.kbundle", "ferry words"))
        list(engine.bundles.import_(who, out / "kb.kbundle", "ferry words"))
    assert SENTENCES["pdf1"] in (out / "chat.md").read_text(encoding="utf-8")  # the user's copy
    assert sorted(p.name for p in out.iterdir()) == ["chat.md", "chat.pdf", "kb.kbundle"]
    assert list(temp.rglob("*")) == []  # nothing went through a temporary folder
    needles = [SENTENCES["pdf1"], SENTENCES["pdf2"], SENTENCES["txt_ru"], "Ferry schedule review"]
    needles += ["Ledger of ferries", "ferry words", "Who counts the violet pebbles"]
    scanned = [out / "kb.kbundle", *(p for p in settings.data_dir.rglob("*") if p.is_file())]
    for path in scanned:
        data = path.read_bytes()
        for needle in needles:
            for raw in (needle.encode("utf-8"), needle.encode("utf-16-le")):
                assert raw not in data, f"{needle!r} in plaintext in {path}"

"""A knowledge base travels as an encrypted bundle: whole, the same answers, or not at all."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core import (
    Assistant,
    BundleProgress,
    BundleStage,
    Engine,
    FeatureDisabled,
    InvalidInput,
    KnownError,
    PermissionDenied,
    Role,
    Session,
    Settings,
    Sources,
)
from core.export import bundle_format
from core.llm.generator import Generator
from core.search.embedder import Embedder
from tests.documents import SENTENCES, make_pdf, make_txt_cp1251
from tests.fakes import FakeEmbedder
from tests.identity import admin_session, user_session

PASSPHRASE = "seven sealed ferries"
QUESTION = "What does the lighthouse keeper count?"
ASSISTANT = Assistant("Handbook", "", "The harbour handbook", 0.2, None, 6)
"""Stored values equal to the installation's settings: the answers compared stay the same."""


def _engine(root: Path, e5: object, tiny_model: Path, **changes: object) -> Engine:
    settings = Settings.load(
        root, n_threads=1, embed_threads=1, n_ctx=2048, password_hash_ms=5, max_answer_tokens=4
    )
    return Engine(
        settings.with_changes(**changes),
        embedder=e5,  # type: ignore[arg-type]
        generator=Generator(tiny_model, n_ctx=1024, n_threads=1),
    )


@pytest.fixture(autouse=True)
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """4 KiB segments instead of 1 MiB, so these small bundles span many.

    A byte flipped in a late segment is then met after documents were already read
    (their originals stored), which the import must undo.
    """
    monkeypatch.setattr(bundle_format, "SEGMENT", 4096)


@pytest.fixture
def exported(
    tmp_path: Path, e5: Embedder, tiny_model: Path
) -> tuple[Path, list[tuple[str, str, str]]]:
    """A bundle of 'Handbook' (a PDF and a Russian text) and the sources asking it gives."""
    docs = tmp_path / "docs"
    docs.mkdir()
    with _engine(tmp_path / "one", e5, tiny_model) as engine:
        admin = admin_session(engine)
        list(
            engine.documents.ingest(
                admin,
                [make_pdf(docs / "handbook.pdf"), make_txt_cp1251(docs / "ru.txt")],
                kb="Handbook",
            )
        )
        engine.assistants.save(admin, ASSISTANT)
        sources = _sources(engine, admin, "Handbook")
        events = list(engine.bundles.export(admin, "Handbook", tmp_path / "hb.kbundle", PASSPHRASE))
    report = events[-1].report
    assert report is not None
    assert (report.documents, report.cancelled) == (2, False)
    assert [e.stage for e in events[:-1]] == [BundleStage.DOCUMENT] * 2
    return tmp_path / "hb.kbundle", sources


def _sources(engine: Engine, who: Session, kb: str) -> list[tuple[str, str, str]]:
    (found,) = [e for e in engine.answers.ask(who, QUESTION, kb=kb) if isinstance(e, Sources)]
    return [(s.document, s.location.label, s.snippet) for s in found.items]


def _left_behind(engine: Engine) -> tuple[int, int, int]:
    """(documents, vectors, blob files) held by this installation."""
    documents = engine.context.db.query("SELECT count(*) FROM documents")[0][0]
    vectors = engine.context.index.open().vectors.count()
    blobs = [p for p in (engine.settings.data_dir / "blobs").rglob("*") if p.is_file()]
    return int(documents), vectors, len(blobs)


def test_an_imported_bundle_answers_the_same_question_with_the_same_sources(
    exported: tuple[Path, list[tuple[str, str, str]]],
    tmp_path: Path,
    e5: Embedder,
    tiny_model: Path,
) -> None:
    bundle, sources = exported
    assert sources
    assert any(SENTENCES["pdf1"][:30] in s[2] for s in sources)
    with _engine(tmp_path / "two", e5, tiny_model) as engine:
        admin = admin_session(engine)
        events = list(engine.bundles.import_(admin, bundle, PASSPHRASE))
        report = events[-1].report
        assert report is not None
        assert (report.kb, report.documents, report.re_embedded) == ("Handbook", 2, False)
        assert not any(e.stage is BundleStage.EMBEDDING for e in events)  # same embedder
        assert _sources(engine, admin, "Handbook") == sources
        assistant = engine.assistants.get(admin, "Handbook")  # the assistant came too
        assert assistant.description == ASSISTANT.description
        assert (assistant.temperature, assistant.answer_tokens, assistant.passages) == (
            0.2,
            None,
            6,
        )
        names = {d.name for d in engine.documents.all(admin, "Handbook")}
        assert names == {"handbook.pdf", "ru.txt"}
        pdf = next(d for d in engine.documents.all(admin, "Handbook") if d.name == "handbook.pdf")
        _, original = engine.documents.original(admin, pdf.id)  # the original came too
        assert original == (tmp_path / "docs" / "handbook.pdf").read_bytes()
        assert engine.answers.search(admin, "Кто подписал договор поставки?", kb="Handbook")
        again = list(engine.bundles.import_(admin, bundle, PASSPHRASE))[-1].report
        assert again is not None
        assert again.kb == "Handbook (2)"  # the name was taken: imported beside it


def test_the_assistants_instructions_travel_with_the_bundle(
    tmp_path: Path, e5: Embedder, tiny_model: Path
) -> None:
    (tmp_path / "note.txt").write_text(SENTENCES["docx"])
    wanted = Assistant("Notes", "Answer like a ship's log: short lines.", "", 0.4, 64, 3)
    with _engine(tmp_path / "one", e5, tiny_model) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [tmp_path / "note.txt"], kb="Notes"))
        engine.assistants.save(admin, wanted)
        list(engine.bundles.export(admin, "Notes", tmp_path / "n.kbundle", PASSPHRASE))
    with _engine(tmp_path / "two", e5, tiny_model) as engine:
        admin = admin_session(engine)
        list(engine.bundles.import_(admin, tmp_path / "n.kbundle", PASSPHRASE))
        got = engine.assistants.get(admin, "Notes")
    assert (got.instructions, got.temperature, got.answer_tokens, got.passages) == (
        wanted.instructions,
        0.4,
        64,
        3,
    )


def test_a_wrong_passphrase_is_refused_and_imports_nothing(
    exported: tuple[Path, list[tuple[str, str, str]]],
    tmp_path: Path,
    e5: Embedder,
    tiny_model: Path,
) -> None:
    bundle, _ = exported
    with _engine(tmp_path / "two", e5, tiny_model) as engine:
        admin = admin_session(engine)
        with pytest.raises(InvalidInput) as info:
            list(engine.bundles.import_(admin, bundle, "seven sealed ferrets"))
        assert "Wrong passphrase" in str(info.value)
        assert "Неверный пароль" in info.value.user_message("ru")
        assert [kb.name for kb in engine.kbs.visible(admin) if not kb.personal] == []
        assert _left_behind(engine) == (0, 0, 0)


@pytest.mark.parametrize("where", [0.5, -20, 13], ids=["middle", "last-segment", "header"])
def test_a_flipped_byte_anywhere_is_refused_and_leaves_nothing_behind(
    exported: tuple[Path, list[tuple[str, str, str]]],
    tmp_path: Path,
    e5: Embedder,
    tiny_model: Path,
    where: float,
) -> None:
    bundle, _ = exported
    data = bytearray(bundle.read_bytes())
    at = int(len(data) * where) if isinstance(where, float) else int(where) % len(data)
    data[at] ^= 0x01
    tampered = tmp_path / "tampered.kbundle"
    tampered.write_bytes(bytes(data))
    with _engine(tmp_path / "two", e5, tiny_model) as engine:
        admin = admin_session(engine)
        seen: list[BundleProgress] = []
        with pytest.raises(KnownError) as info:
            seen.extend(engine.bundles.import_(admin, tampered, PASSPHRASE))
        assert info.value.key in {"bundle_damaged", "bundle_wrong_passphrase"}
        assert "Nothing was imported" in str(info.value)
        if where == -20:  # met after a document (its original stored) was read
            assert any(e.stage is BundleStage.DOCUMENT for e in seen)
        assert [kb.name for kb in engine.kbs.visible(admin) if not kb.personal] == []
        assert _left_behind(engine) == (0, 0, 0)


def test_a_cut_off_bundle_is_refused(
    exported: tuple[Path, list[tuple[str, str, str]]],
    tmp_path: Path,
    e5: Embedder,
    tiny_model: Path,
) -> None:
    bundle, _ = exported
    cut = tmp_path / "cut.kbundle"
    cut.write_bytes(bundle.read_bytes()[:-100])
    with _engine(tmp_path / "two", e5, tiny_model) as engine:
        admin = admin_session(engine)
        with pytest.raises(KnownError, match="damaged, cut off or was altered"):
            list(engine.bundles.import_(admin, cut, PASSPHRASE))
        assert _left_behind(engine) == (0, 0, 0)


def test_another_embedder_re_embeds_with_progress_and_a_cancel_imports_nothing(
    exported: tuple[Path, list[tuple[str, str, str]]], tmp_path: Path, tiny_model: Path
) -> None:
    bundle, _ = exported
    with _engine(tmp_path / "two", FakeEmbedder(), tiny_model) as engine:
        admin = admin_session(engine)
        cancel = threading.Event()
        seen: list[BundleProgress] = []
        for event in engine.bundles.import_(admin, bundle, PASSPHRASE, cancel):
            seen.append(event)
            if event.stage is BundleStage.EMBEDDING:
                cancel.set()
        assert seen[-1].report is not None
        assert seen[-1].report.cancelled
        assert [kb.name for kb in engine.kbs.visible(admin) if not kb.personal] == []
        assert _left_behind(engine) == (0, 0, 0)
        events = list(engine.bundles.import_(admin, bundle, PASSPHRASE))
        report = events[-1].report
        assert report is not None
        assert (report.documents, report.re_embedded) == (2, True)
        assert any(e.stage is BundleStage.EMBEDDING and e.file_chunks for e in events)
        hits = engine.answers.search(admin, "lighthouse keeper violet pebbles", kb="Handbook")
        assert hits[0].text.find(SENTENCES["pdf1"][:30]) >= 0


def test_only_editors_export_only_creators_import_and_the_policy_can_forbid_both(
    exported: tuple[Path, list[tuple[str, str, str]]],
    tmp_path: Path,
    e5: Embedder,
    tiny_model: Path,
) -> None:
    bundle, _ = exported
    with _engine(tmp_path / "two", e5, tiny_model) as engine:
        admin = admin_session(engine)
        list(engine.bundles.import_(admin, bundle, PASSPHRASE))
        engine.kbs.share(admin, "Handbook", user=_member(engine, admin))
        member = engine.identity.login("mira", "correct horse battery")
        with pytest.raises(PermissionDenied):  # she reads it, but may not take it away
            list(engine.bundles.export(member, "Handbook", tmp_path / "m.kbundle", PASSPHRASE))
        with pytest.raises(PermissionDenied):
            list(engine.bundles.import_(member, bundle, PASSPHRASE))
        with pytest.raises(InvalidInput):
            list(engine.bundles.export(admin, "Handbook", tmp_path / "s.kbundle", "short"))
        engine.system.apply_settings(admin, engine.settings.with_changes(allow_export=False))
        with pytest.raises(FeatureDisabled):
            list(engine.bundles.export(admin, "Handbook", tmp_path / "a.kbundle", PASSPHRASE))
        with pytest.raises(FeatureDisabled):
            list(engine.bundles.import_(admin, bundle, PASSPHRASE))
    assert not [p.name for p in tmp_path.iterdir() if p.suffix == ".kbundle" and p != bundle]
    assert not list(tmp_path.glob(".*.part"))


def _member(engine: Engine, admin: Session) -> str:
    user_session(engine, admin, "mira", Role.MEMBER)
    return "mira"


def test_a_cancelled_export_leaves_no_file(tmp_path: Path, e5: Embedder, tiny_model: Path) -> None:
    (tmp_path / "docs").mkdir()
    with _engine(tmp_path / "one", e5, tiny_model) as engine:
        admin = admin_session(engine)
        list(engine.documents.ingest(admin, [make_pdf(tmp_path / "docs" / "a.pdf")], kb="Notes"))
        cancel = threading.Event()
        cancel.set()
        events = list(
            engine.bundles.export(admin, "Notes", tmp_path / "n.kbundle", PASSPHRASE, cancel)
        )
    assert events[-1].report is not None
    assert events[-1].report.cancelled
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "one"]

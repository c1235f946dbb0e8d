"""Question templates and KB assistants kept in the encrypted store: privacy, limits, listing."""

from __future__ import annotations

import pytest

from core import (
    Assistant,
    Engine,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Role,
    Session,
    fill_template,
)
from tests.fakes import FakeEmbedder
from tests.identity import admin_session, user_session


@pytest.fixture
def embedder() -> FakeEmbedder:
    """Templates are not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


@pytest.fixture
def people(engine: Engine) -> tuple[Session, Session, Session]:
    """An admin, an editor "olga" owning "Contracts" shared read-only with member "mel"."""
    admin = admin_session(engine)
    olga = user_session(engine, admin, "olga", Role.EDITOR)
    mel = user_session(engine, admin, "mel", Role.MEMBER)
    engine.kbs.create(olga, "Contracts")
    engine.kbs.share(olga, "Contracts", user="mel")
    return admin, olga, mel


def test_a_member_sees_no_one_elses_personal_templates(
    engine: Engine, people: tuple[Session, Session, Session]
) -> None:
    admin, olga, mel = people
    mine = engine.templates.add(olga, "Summary", "Summarise {document}")
    engine.templates.add(admin, "Audit", "Who changed {thing}?")
    assert [t.name for t in engine.templates.visible(mel)] == []
    assert [t.name for t in engine.templates.visible(admin)] == ["Audit"], "admins included"
    with pytest.raises(NotFound):
        engine.templates.update(mel, mine.id, "Mine now", "x")
    with pytest.raises(NotFound):
        engine.templates.remove(admin, mine.id)
    assert [t.name for t in engine.templates.visible(olga)] == ["Summary"]


def test_a_member_uses_a_kbs_shared_templates_but_cannot_change_them(
    engine: Engine, people: tuple[Session, Session, Session]
) -> None:
    _admin, olga, mel = people
    shared = engine.templates.add(
        olga, "Compare", "Compare clause {n} in {document A} and {document B}", kb="Contracts"
    )
    engine.templates.add(mel, "Mine", "Explain {term}")
    seen = engine.templates.visible(mel)
    assert [(t.name, t.kb, t.can_edit) for t in seen] == [
        ("Mine", None, True),
        ("Compare", "Contracts", False),
    ]
    assert seen[1].fields == ("n", "document A", "document B")
    with pytest.raises(PermissionDenied) as refused:
        engine.templates.remove(mel, shared.id)
    assert "Contracts" in refused.value.user_message("ru")
    with pytest.raises(PermissionDenied):
        engine.templates.add(mel, "Sneaky", "x", kb="Contracts")
    engine.kbs.unshare(olga, "Contracts", user="mel")
    assert [t.name for t in engine.templates.visible(mel)] == ["Mine"], "revoked at once"


def test_named_finds_a_template_and_fill_makes_the_question(
    engine: Engine, people: tuple[Session, Session, Session]
) -> None:
    _admin, olga, _mel = people
    engine.templates.add(olga, "Summary", "Summarise {document}, then {{quote}} it")
    template = engine.templates.named(olga, "summary")
    assert fill_template(template.text, {"document": "lease.pdf"}) == (
        "Summarise lease.pdf, then {quote} it"
    )
    with pytest.raises(NotFound):
        engine.templates.named(olga, "Nothing like it")


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("", "Summarise {document}", "template_name_invalid"),
        ("Broken", "Summarise {document", "template_brace_unclosed"),
        ("Empty", "   ", "template_text_invalid"),
    ],
)
def test_a_bad_template_is_refused_and_nothing_is_stored(
    engine: Engine, people: tuple[Session, Session, Session], name: str, text: str, key: str
) -> None:
    _admin, olga, _mel = people
    with pytest.raises(InvalidInput) as refused:
        engine.templates.add(olga, name, text)
    assert refused.value.key == key
    assert engine.templates.visible(olga) == []


def test_a_taken_name_is_refused_in_the_same_place_only(
    engine: Engine, people: tuple[Session, Session, Session]
) -> None:
    _admin, olga, _mel = people
    engine.templates.add(olga, "Summary", "a {x}")
    with pytest.raises(InvalidInput, match="already"):
        engine.templates.add(olga, "SUMMARY", "b")
    engine.templates.add(olga, "Summary", "c", kb="Contracts")  # another place: fine
    assert len(engine.templates.visible(olga)) == 2


def test_the_assistant_is_kept_and_its_description_shows_in_the_kb_list(
    engine: Engine, people: tuple[Session, Session, Session]
) -> None:
    _admin, olga, mel = people
    saved = engine.assistants.save(
        olga,
        Assistant(
            "Contracts", "  Answer formally.  ", "Leases\nand NDAs", 0.7, 300, 3, can_edit=False
        ),
    )
    assert saved == Assistant("Contracts", "Answer formally.", "Leases and NDAs", 0.7, 300, 3, True)
    read = engine.assistants.get(mel, "Contracts")
    assert (read.instructions, read.passages, read.can_edit) == ("Answer formally.", 3, False)
    kb = next(k for k in engine.kbs.visible(mel) if k.name == "Contracts")
    assert kb.description == "Leases and NDAs"
    with pytest.raises(PermissionDenied):
        engine.assistants.save(mel, read)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"temperature": 1.6}, "assistant_temperature_range"),
        ({"temperature": float("nan")}, "assistant_temperature_range"),
        ({"answer_tokens": 5000}, "assistant_answer_tokens_range"),
        ({"passages": 0}, "assistant_passages_range"),
        ({"passages": 13}, "assistant_passages_range"),
        ({"instructions": "x" * 4001}, "assistant_instructions_long"),
        ({"description": "x" * 201}, "assistant_description_long"),
    ],
)
def test_an_out_of_range_assistant_is_refused_in_both_languages(
    engine: Engine, people: tuple[Session, Session, Session], change: dict[str, object], key: str
) -> None:
    _admin, olga, _mel = people
    with pytest.raises(InvalidInput) as refused:
        engine.assistants.save(olga, Assistant("Contracts", **change))  # type: ignore[arg-type]
    assert refused.value.key == key
    assert refused.value.user_message("ru") != refused.value.user_message("en")
    assert engine.assistants.get(olga, "Contracts") == Assistant("Contracts", can_edit=True)


def test_a_deleted_kb_takes_its_assistant_and_templates_along(
    engine: Engine, people: tuple[Session, Session, Session]
) -> None:
    _admin, olga, _mel = people
    engine.assistants.save(olga, Assistant("Contracts", "Be brief."))
    engine.templates.add(olga, "Summary", "Summarise {document}", kb="Contracts")
    engine.kbs.delete(olga, "Contracts")
    engine.kbs.create(olga, "Contracts")
    assert engine.assistants.get(olga, "Contracts").instructions == ""
    assert engine.templates.visible(olga) == []

"""User B never retrieves or cites user A's private chunks, and revocation is immediate."""

from __future__ import annotations

from pathlib import Path

import pytest

from core import Engine, PermissionDenied, Role, Session, Settings, Sources
from core.llm.generator import Generator
from tests.identity import admin_session, user_session

PRIVATE = "Project Nightingale launches on the ninth of March from hangar four."
PUBLIC = "The cafeteria serves borscht on Mondays and pancakes on Fridays."


@pytest.fixture
def world(
    settings: Settings, e5: object, tiny_model: Path, tmp_path: Path
) -> tuple[Engine, Session, Session, Session]:
    engine = Engine(
        settings.with_changes(max_answer_tokens=4),
        embedder=e5,  # type: ignore[arg-type]
        generator=Generator(tiny_model, n_ctx=1024, n_threads=1),
    )
    admin = admin_session(engine)
    alice = user_session(engine, admin, "alice", Role.EDITOR)
    bob = user_session(engine, admin, "bob", Role.MEMBER)
    (tmp_path / "secret.txt").write_text(PRIVATE)
    (tmp_path / "menu.txt").write_text(PUBLIC)
    list(engine.documents.ingest(alice, [tmp_path / "secret.txt"], kb="Launch plans"))
    list(engine.documents.ingest(alice, [tmp_path / "secret.txt"]))  # alice's private uploads too
    list(engine.documents.ingest(bob, [tmp_path / "menu.txt"]))
    return engine, admin, alice, bob


def _everything_seen(engine: Engine, who: Session) -> str:
    """All text a user can get at through search and answers, over every KB."""
    seen = [
        h.text
        for h in engine.answers.search(who, "When does Project Nightingale launch?", limit=50)
    ]
    for event in engine.answers.ask(who, "When does Project Nightingale launch from the hangar?"):
        if isinstance(event, Sources):
            seen += [s.snippet for s in event.items]
    return "\n".join(seen)


def test_private_chunks_never_reach_other_users(
    world: tuple[Engine, Session, Session, Session],
) -> None:
    engine, admin, alice, bob = world
    with engine:
        assert "Nightingale" in _everything_seen(engine, alice)
        for other in (bob, admin):  # admins manage accounts, not other people's documents
            assert "Nightingale" not in _everything_seen(engine, other)
            with pytest.raises(PermissionDenied):
                engine.documents.all(other, "Launch plans")
            with pytest.raises(PermissionDenied):
                engine.documents.all(other, "~alice")
            with pytest.raises(PermissionDenied):
                engine.answers.search(other, "Nightingale", kb="~alice")
        secret_id = engine.documents.all(alice, "Launch plans")[0].id
        with pytest.raises(PermissionDenied):
            engine.documents.original(bob, secret_id)
        assert any("borscht" in h.text for h in engine.answers.search(bob, "borscht on Mondays"))


def test_sharing_and_revoking_take_effect_on_the_next_query(
    world: tuple[Engine, Session, Session, Session],
) -> None:
    engine, admin, alice, bob = world
    with engine:
        engine.kbs.share(alice, "Launch plans", user="bob")
        assert "Nightingale" in _everything_seen(engine, bob)
        engine.kbs.unshare(alice, "Launch plans", user="bob")
        assert "Nightingale" not in _everything_seen(engine, bob)
        engine.accounts.create_group(admin, "Launch team")
        engine.accounts.set_group_member(admin, "Launch team", "bob", True)
        engine.kbs.share(alice, "Launch plans", group="Launch team")
        assert "Nightingale" in _everything_seen(engine, bob)
        engine.accounts.set_group_member(admin, "Launch team", "bob", False)
        assert "Nightingale" not in _everything_seen(engine, bob)

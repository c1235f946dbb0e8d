"""Other users' knowledge bases neither starve nor show through a reader's search results."""

from __future__ import annotations

from dataclasses import astuple
from pathlib import Path

from core import Engine, Fusion, Role, Session
from core.store import postings
from core.store.keywords import query_terms
from tests.identity import user_session

OWN = "The vault combination is kept on a card in the second drawer."
QUERY = "Where is the vault combination written down?"


def _near_duplicates(folder: Path, count: int, template: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"copy-{i:03}.txt").write_text(template.format(i=i))
    return folder


def test_other_users_near_duplicates_do_not_starve_a_small_search(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    """The KB filter is inside both queries: top-k is taken among readable chunks only."""
    alice = user_session(engine, admin, "alice", Role.EDITOR)
    bob = user_session(engine, admin, "bob", Role.EDITOR)
    (tmp_path / "own.txt").write_text(OWN)
    list(engine.documents.ingest(alice, [tmp_path / "own.txt"], kb="Alice's safe"))
    copies = _near_duplicates(
        tmp_path / "copies",
        200,
        "Where is the vault combination written down? The vault combination is written "
        "down on the blue index card number {i}.",
    )
    list(engine.documents.ingest(bob, [copies], kb="Bob's copies"))
    assert len(engine.documents.all(bob, "Bob's copies")) == 200
    for fusion in (Fusion("keyword"), Fusion("vector"), None):
        hits = engine.answers.search(alice, QUERY, limit=5, fusion=fusion)
        assert [h.text for h in hits] == [OWN], fusion
    # The copies really outrank Alice's passage on both sides: had the filter run after
    # taking the best 50 (the candidate depth), her search would have come back empty.
    engine.kbs.share(alice, "Alice's safe", user="bob")
    seen = [
        h.document for h in engine.answers.search(bob, QUERY, limit=50, fusion=Fusion("vector"))
    ]
    assert len(seen) == 50
    assert "own.txt" not in seen
    [own] = engine.answers.search(alice, QUERY, limit=5)
    every_kb = [r[0] for r in engine.context.db.query("SELECT id FROM knowledge_bases")]
    unfiltered = postings.search(  # under the facade: the keyword index over every KB
        engine.context.db.read(), query_terms(QUERY), every_kb, 50
    )
    assert len(unfiltered) == 50
    assert own.chunk_id not in {cid for cid, _ in unfiltered}


def test_search_results_do_not_change_when_another_kb_grows(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    """Keyword statistics span every KB; nothing derived from their raw values is exposed."""
    alice = user_session(engine, admin, "alice", Role.EDITOR)
    bob = user_session(engine, admin, "bob", Role.MEMBER)
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "short.txt").write_text("The zeppelin hangar opens at dawn.")
    (notes / "long.txt").write_text(
        "Maintenance of the zeppelin envelope takes a week, the gondola two days, and the "
        "engines are inspected by the crew of the northern hangar every spring."
    )
    (notes / "other.txt").write_text("The canteen serves soup on Tuesdays.")
    list(engine.documents.ingest(alice, [notes], kb="Airship notes"))

    def seen() -> list[tuple[object, ...]]:
        return [
            astuple(h) for h in engine.answers.search(alice, "zeppelin hangar", kb="Airship notes")
        ]

    before = seen()
    assert len(before) == 3
    list(
        engine.documents.ingest(bob, [_near_duplicates(tmp_path / "bob", 40, "Zeppelin memo {i}.")])
    )
    assert engine.answers.search(bob, "zeppelin", limit=50)  # Bob's chunks hold the word
    assert seen() == before

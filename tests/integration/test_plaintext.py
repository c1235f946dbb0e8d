"""Nothing a user indexed, typed or was given may sit in plaintext under the data dir."""

from pathlib import Path

from core import Engine, Role, Session
from tests.documents import SENTENCES, make_all
from tests.identity import PASSWORD, user_session


def test_nothing_sensitive_appears_in_plaintext(
    engine: Engine, admin: Session, tmp_path: Path
) -> None:
    bob = user_session(engine, admin, "bob.secretive", Role.EDITOR)
    list(engine.ingest(bob, [make_all(tmp_path / "docs")["pdf"].parent], kb="Bob's notes"))
    assert engine.search(bob, SENTENCES["docx"])  # the text is really indexed...
    name, original = engine.document_file(bob, engine.documents(bob, "Bob's notes")[0].id)
    assert original == (tmp_path / "docs" / name).read_bytes()  # kept for open-at-page...
    chat = engine.create_chat(bob, "Quarterly marmalade review")
    list(engine.ask(bob, "Who counts the violet pebbles at the lighthouse?", chat=chat.id))
    engine.clear_chat(bob, chat.id)  # the conversation goes into a queued summary job...
    assert engine.pending_jobs() == 1
    engine.run_pending_jobs()  # ...and the model's summary into the summaries table
    [summary] = engine.summaries(bob)
    list(engine.ask(bob, "Who counts the violet pebbles at the lighthouse?", chat=chat.id))
    temporary = engine.reset_password(admin, "bob.secretive")
    invite = engine.create_invite(admin)
    needles = [s for s in SENTENCES.values() if len(s) > 15]
    needles += [SENTENCES["docx"].split()[2], "marmalade", "turnips", "Договор", "поставки"]
    needles += [PASSWORD, temporary, invite, "bob.secretive", "Bob's notes"]
    needles += ["Quarterly marmalade review", "Who counts the violet pebbles"]
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

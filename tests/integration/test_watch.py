"""Watched folders on the real pipeline: scans follow the folder, events trigger scans."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core import (
    Engine,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Role,
    Session,
    Settings,
    WatchState,
)
from core.services import watches
from tests.fakes import FakeEmbedder
from tests.identity import admin_session, user_session


@pytest.fixture
def embedder() -> FakeEmbedder:
    """Watches are not about retrieval: the instant fake instead of loading e5."""
    return FakeEmbedder()


def names(engine: Engine, who: Session, kb: str = "Team") -> set[str]:
    return {d.name for d in engine.documents.all(who, kb)}


def wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "alpha.md").write_text("# Alpha\n\nThe lighthouse keeper counts ships.\n")
    (inbox / "sub" / "beta.txt").write_text("The archive closes at six on Fridays.\n")
    return inbox


def test_one_scan_follows_added_changed_deleted_and_renamed_files(
    engine: Engine, folder: Path
) -> None:
    admin = admin_session(engine)
    engine.kbs.create(admin, "Team")
    watched = engine.watches.add(admin, folder, "Team")
    assert (watched.state, watched.kb, watched.path) == (WatchState.WAITING, "Team", str(folder))
    [first] = engine.watches.scan(admin)
    assert (first.state, first.indexed) == (WatchState.OK, 2)
    assert names(engine, admin) == {"alpha.md", "beta.txt"}

    (folder / "gamma.md").write_text("# Gamma\n\nNew pumps arrive in March.\n")
    (folder / "alpha.md").write_text("# Alpha\n\nThe keeper now counts gulls.\n")
    (folder / "sub" / "beta.txt").unlink()
    (folder / "old.txt").write_text("Renamed notes about the harbour crane.\n")
    engine.watches.scan(admin, watched.id)
    (folder / "old.txt").rename(folder / "sub" / "new.txt")
    [after] = engine.watches.scan(admin, watched.id)

    assert names(engine, admin) == {"alpha.md", "gamma.md", "new.txt"}
    assert (after.indexed, after.removed) == (1, 1), "the renamed file: one in, one out"
    hits = engine.answers.search(admin, "gulls", "Team")
    assert hits
    assert hits[0].document == "alpha.md", "the changed file was re-indexed"
    assert not [
        h for h in engine.answers.search(admin, "archive Fridays", "Team") if "beta" in h.document
    ]


def test_a_missing_folder_is_reported_and_its_documents_are_kept(
    engine: Engine, folder: Path
) -> None:
    admin = admin_session(engine)
    engine.kbs.create(admin, "Team")
    watched = engine.watches.add(admin, folder, "Team")
    engine.watches.scan(admin)
    folder.rename(folder.with_name("unmounted"))
    [gone] = engine.watches.scan(admin, watched.id)
    assert gone.state is WatchState.ERROR
    assert str(folder) in gone.error()
    assert "не подключена" in gone.error("ru")
    assert names(engine, admin) == {"alpha.md", "beta.txt"}, "not taken as 'all deleted'"
    folder.with_name("unmounted").rename(folder)
    [back] = engine.watches.scan(admin, watched.id)
    assert (back.state, back.error_key) == (WatchState.OK, "")


def test_file_events_trigger_a_scan_in_the_background(
    engine: Engine, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one end-to-end run: real watchdog events, the real scheduler, a real debounce."""
    monkeypatch.setattr(watches, "SCAN_DELAY_S", 0.2)  # 2 s of quiet is for people
    admin = admin_session(engine)
    engine.kbs.create(admin, "Team")
    engine.watches.add(admin, folder, "Team")
    engine.start_background()
    assert wait_for(lambda: names(engine, admin) == {"alpha.md", "beta.txt"})
    assert engine.watches.all(admin)[0].live
    (folder / "sub" / "delta.md").write_text("# Delta\n\nThe ferry leaves at noon.\n")
    assert wait_for(lambda: "delta.md" in names(engine, admin)), "an event, not the rescan"
    (folder / "alpha.md").unlink()
    assert wait_for(lambda: "alpha.md" not in names(engine, admin))
    engine.stop_background()
    assert not engine.watches.all(admin)[0].live


def test_watching_needs_write_access_and_others_do_not_see_private_watches(
    engine: Engine, folder: Path, tmp_path: Path
) -> None:
    admin = admin_session(engine)
    engine.kbs.create(admin, "Team")
    reader = user_session(engine, admin, "rita", Role.MEMBER)
    with pytest.raises((PermissionDenied, NotFound)):
        engine.watches.add(reader, folder, "Team")
    watched = engine.watches.add(admin, folder, "Team")
    assert engine.watches.all(reader) == []
    with pytest.raises(NotFound):
        engine.watches.remove(reader, watched.id)
    with pytest.raises(InvalidInput):
        engine.watches.add(admin, folder, "Team")  # already watched
    with pytest.raises(InvalidInput):
        engine.watches.add(admin, tmp_path / "nowhere", "Team")
    engine.watches.remove(admin, watched.id)
    assert engine.watches.all(admin) == []


def test_a_disabled_owner_stops_the_scans_and_watches_survive_a_restart(
    settings: Settings, embedder: FakeEmbedder, folder: Path
) -> None:
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        editor = user_session(engine, admin, "eddie", Role.EDITOR)
        watched = engine.watches.add(editor, folder)
        engine.watches.scan(editor)
    with Engine(settings, embedder=embedder) as engine:
        admin = admin_session(engine)
        [kept] = engine.watches.all(admin) or [None]
        assert kept is None, "an admin does not see a private KB's folders"
        engine.accounts.set_user_enabled(admin, "eddie", False)
        assert engine.watches._scan(watched.id).state is WatchState.ERROR  # what the rescan runs
        engine.accounts.set_user_enabled(admin, "eddie", True)
        eddie = engine.identity.login("eddie", "correct horse battery")
        [again] = engine.watches.all(eddie)
        assert (again.id, again.owner) == (watched.id, "eddie")
        assert "disabled" in again.error()

"""A team server and desktops that join it, for the sync tests: real engines, real TLS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from core import Engine, Role, Session, Settings
from tests.fakes import FakeEmbedder
from tests.identity import PASSWORD, admin_session, user_session
from tests.server.conftest import quick_settings
from tests.server.running import RunningServer


def desktop(folder: Path, **changes: Any) -> tuple[Engine, Session]:
    """A desktop's engine in `folder` with its first admin logged in."""
    engine = Engine(desktop_settings(folder, **changes), embedder=FakeEmbedder())
    return engine, admin_session(engine)


def desktop_settings(folder: Path, **changes: Any) -> Settings:
    """A desktop's settings: no background sync (tests sync on demand)."""
    return quick_settings(folder, sync_minutes=0, **changes)


def join(engine: Engine, session: Session, server: RunningServer, username: str) -> None:
    """Join `server` as `username`, trusting the fingerprint it presents."""
    seen = engine.remotes.identify(server.url)
    assert seen.fingerprint == server.fingerprint
    engine.remotes.connect(session, server.url, username, PASSWORD, seen.fingerprint)


def server_user(server: RunningServer, name: str, role: Role = Role.MEMBER) -> Session:
    """A user of the server's engine, made directly in its core."""
    engine = server.engine
    return user_session(engine, admin_session_of(engine), name, role)


def admin_session_of(engine: Engine) -> Session:
    """The server admin's session (logging in again each time is cheap here)."""
    return admin_session(engine)


def write(folder: Path, name: str, text: str) -> Path:
    """A text file with `text` in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest(engine: Engine, session: Session, paths: list[Path], kb: str) -> None:
    """Index `paths` into `kb` and insist every file was indexed."""
    events = list(engine.documents.ingest(session, paths, kb))
    report = events[-1].report
    assert report is not None
    assert report.failed == 0, [e.message for e in events]


def copy_state(engine: Engine, kb_id: int) -> list[tuple[Any, ...]]:
    """What a copy holds, independent of local ids: documents, chunks and vectors."""
    ctx = engine.context
    rows = ctx.db.query(
        "SELECT d.origin_id, d.origin_version, d.source, d.content_hash, c.ordinal, c.text, c.id "
        "FROM documents d JOIN chunks c ON c.document_id = d.id WHERE d.kb_id = ? "
        "ORDER BY d.origin_id, c.ordinal",
        (kb_id,),
    )
    vectors = ctx.index.open().vectors.vectors_of([r[6] for r in rows])
    return [(*r[:6], tuple(float(x) for x in vectors[r[6]])) for r in rows]


VECTOR_TOLERANCE = 1e-5
"""float32 noise: each desktop rotates vectors under its own secret, and reading them
back un-rotated differs in the last bits. A wrong vector is off by ~1e-2."""


def assert_same_copy(got: list[tuple[Any, ...]], want: list[tuple[Any, ...]]) -> None:
    """Two copies (`copy_state`) hold the same rows exactly and the same vectors."""
    assert [r[:6] for r in got] == [r[:6] for r in want]
    got_vectors = np.array([r[6] for r in got])
    want_vectors = np.array([r[6] for r in want])
    assert got_vectors.shape == want_vectors.shape
    assert float(np.abs(got_vectors - want_vectors).max(initial=0.0)) <= VECTOR_TOLERANCE

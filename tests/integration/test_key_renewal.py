"""`key rotate` renews the secret behind the originals' key and the vector rotation too."""

from __future__ import annotations

from pathlib import Path

import lancedb
import numpy as np
import pytest

from core import Engine, KnownError, Settings
from core.store import library as library_module
from core.store.blobs import BlobStore
from tests.documents import make_all
from tests.identity import PASSWORD, admin_session

QUESTION = "What does the lighthouse keeper count?"


def _tables(settings: Settings) -> dict[str, np.ndarray]:
    """Each LanceDB table's stored vectors, ordered by chunk id."""
    db = lancedb.connect(str(settings.vectors_dir))
    found = {}
    for name in db.list_tables().tables:
        table = db.open_table(name).to_arrow().sort_by("id")
        found[name] = np.asarray(table.column("vector").to_pylist(), dtype=np.float32)
    return found


def _blob_files(settings: Settings) -> set[str]:
    return {p.name for p in (settings.data_dir / "blobs").glob("*/*")}


@pytest.fixture
def filled(engine: Engine, tmp_path: Path) -> Engine:
    admin = admin_session(engine)
    list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"].parent], kb="Team"))
    return engine


def test_rotate_key_re_encrypts_originals_and_re_rotates_vectors(
    filled: Engine, settings: Settings
) -> None:
    engine = filled
    admin = admin_session(engine)
    before_hits = [
        (h.chunk_id, round(h.vector_score, 4)) for h in engine.answers.search(admin, QUESTION)
    ]
    docs = engine.documents.all(admin, "Team")
    originals = {d.id: engine.documents.original(admin, d.id) for d in docs}
    old_secret, old_blobs = engine.context.secret, _blob_files(settings)
    [(old_table, old_vectors)] = _tables(settings).items()

    engine.keys.rotate(admin)

    assert engine.context.secret != old_secret
    new_blobs = _blob_files(settings)
    assert new_blobs
    assert not new_blobs & old_blobs, "every original is under new names"
    assert {d.id: engine.documents.original(admin, d.id) for d in docs} == originals
    stale = BlobStore(settings.data_dir / "blobs", old_secret)
    for blob_id in new_blobs:
        with pytest.raises(KnownError, match="damaged"):
            stale.get(blob_id)  # the old secret opens none of them
    after_hits = [
        (h.chunk_id, round(h.vector_score, 4)) for h in engine.answers.search(admin, QUESTION)
    ]
    assert after_hits == before_hits, "same answers: distances are unchanged"
    [(new_table, new_vectors)] = _tables(settings).items()
    assert new_table != old_table, "the old generation's table is gone"
    assert new_vectors.shape == old_vectors.shape
    assert not np.allclose(new_vectors, old_vectors, atol=1e-3)
    np.testing.assert_allclose(
        new_vectors @ new_vectors.T, old_vectors @ old_vectors.T, atol=1e-4
    )  # the same vectors under another rotation
    assert engine.audit.entries(admin, action="data_secret_renewed")


def test_an_interrupted_renewal_keeps_the_old_secret_and_cleans_up_at_the_next_start(
    filled: Engine,
    settings: Settings,
    e5,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    engine = filled
    admin = admin_session(engine)
    docs = engine.documents.all(admin, "Team")
    originals = {d.id: engine.documents.original(admin, d.id) for d in docs}
    hits = [h.chunk_id for h in engine.answers.search(admin, QUESTION)]
    old_blobs, old_tables = _blob_files(settings), set(_tables(settings))

    def crash(*_: object) -> None:
        raise OSError("power cut before the commit")

    monkeypatch.setattr(library_module.Library, "renew_data_secret", crash)
    with pytest.raises(OSError, match="power cut"):
        engine.keys.rotate(admin)
    assert len(_tables(settings)) == 2, "the next generation was written beside the old one"
    engine.close()
    monkeypatch.undo()

    with Engine(settings, embedder=e5) as reopened:
        admin = admin_session(reopened)
        assert [h.chunk_id for h in reopened.answers.search(admin, QUESTION)] == hits
        assert {d.id: reopened.documents.original(admin, d.id) for d in docs} == originals
        assert set(_tables(settings)) == old_tables, "the uncommitted generation is dropped"
        assert _blob_files(settings) == old_blobs, "the uncommitted originals are pruned"


def test_recovering_with_the_code_renews_the_data_secret_too(
    settings: Settings,
    e5,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    with Engine(settings, embedder=e5) as engine:
        code = engine.identity.setup("admin", PASSWORD).recovery_code
        admin = engine.identity.login("admin", PASSWORD)
        list(engine.documents.ingest(admin, [make_all(tmp_path / "docs")["pdf"].parent], kb="Team"))
        docs = engine.documents.all(admin, "Team")
        originals = {d.id: engine.documents.original(admin, d.id) for d in docs}
        hits = [h.chunk_id for h in engine.answers.search(admin, QUESTION)]
        old_secret, old_blobs = engine.context.secret, _blob_files(settings)
    Engine.recover(settings, code, key_store="file")
    with Engine(settings, embedder=e5) as engine:
        admin = engine.identity.login("admin", PASSWORD)
        assert engine.context.secret != old_secret
        assert not _blob_files(settings) & old_blobs
        assert {d.id: engine.documents.original(admin, d.id) for d in docs} == originals
        assert [h.chunk_id for h in engine.answers.search(admin, QUESTION)] == hits
        [entry] = engine.audit.entries(admin, action="key_recovered")
        assert dict(entry.detail)["originals"] == len(old_blobs)

"""Original files as AES-GCM blobs: round trip, tamper detection, opaque names."""

import os
from pathlib import Path

import pytest

from core import KnownError
from core.store import blobs
from core.store.blobs import BlobStore


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> BlobStore:
    monkeypatch.setattr(blobs, "SEGMENT", 1024)  # several segments from a small file
    return BlobStore(tmp_path / "blobs", os.urandom(32))


def test_round_trip_over_several_segments(store: BlobStore) -> None:
    data = os.urandom(5000)
    blob_id = store.put(data)
    assert store.get(blob_id) == data
    assert store.put(data) == blob_id  # identical content is stored once
    raw = next(store.folder.glob("*/*")).read_bytes()
    assert data[:64] not in raw


def test_flipped_byte_is_detected(store: BlobStore) -> None:
    blob_id = store.put(b"quarterly figures " * 200)
    path = next(store.folder.glob("*/*"))
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(KnownError, match="damaged"):
        store.get(blob_id)


def test_cut_off_last_segment_is_detected(store: BlobStore) -> None:
    blob_id = store.put(os.urandom(3000))
    path = next(store.folder.glob("*/*"))
    raw = path.read_bytes()
    first_size = int.from_bytes(raw[4:8], "big")
    path.write_bytes(raw[: 8 + first_size])  # only the first segment remains
    with pytest.raises(KnownError, match="damaged"):
        store.get(blob_id)


def test_names_reveal_nothing_without_the_secret(tmp_path: Path) -> None:
    data = b"same file"
    a = BlobStore(tmp_path / "a", os.urandom(32)).put(data)
    b = BlobStore(tmp_path / "b", os.urandom(32)).put(data)
    assert a != b


def test_prune_keeps_only_referenced_blobs(store: BlobStore) -> None:
    keep, drop = store.put(b"keep me"), store.put(b"drop me")
    store.settle([keep, drop])  # the ingest that stored them has committed
    assert store.prune({keep}) == 1
    assert store.get(keep) == b"keep me"
    with pytest.raises(KnownError):
        store.get(drop)


def test_prune_leaves_what_a_running_ingest_stored_until_it_settles(store: BlobStore) -> None:
    """Another knowledge base's ingest or delete prunes meanwhile: nothing fresh goes."""
    fresh = store.put(b"stored, its document row not committed yet")
    twice = store.put(b"the same file in two ingests at once")
    store.put(b"the same file in two ingests at once")
    assert store.prune(set()) == 0
    store.settle([fresh, twice])
    assert store.prune(set()) == 1  # `twice` is still held by the second ingest
    assert store.get(twice)
    store.settle([twice])
    assert store.prune(set()) == 1

"""The bundle container: records come back as written, and any change to the file is refused."""

from __future__ import annotations

import io
import json
import struct

import pytest

from core.errors import InvalidInput, KnownError
from core.export import bundle_format
from core.export.bundle_format import MAGIC, BundleDamaged, BundleReader, BundleWriter

PASSPHRASE = "quiet harbour nights"


def _bundle(records: list[tuple[bytes, bytes]]) -> bytes:
    out = io.BytesIO()
    writer = BundleWriter(out, PASSPHRASE)
    for kind, payload in records:
        writer.record(kind, payload)
    writer.finish()
    return out.getvalue()


def _read(data: bytes, passphrase: str = PASSPHRASE) -> list[tuple[bytes, bytes]]:
    return list(BundleReader(io.BytesIO(data), passphrase, "test.kbundle").records())


@pytest.fixture(autouse=True)
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """64-byte segments, so a few records span many of them; scrypt at a token cost.

    The cost is recorded in each bundle's header, so readers follow the writer's.
    """
    monkeypatch.setattr(bundle_format, "SEGMENT", 64)
    monkeypatch.setattr(bundle_format, "SCRYPT_N", 16)


RECORDS = [(b"K", b'{"name": "x"}'), (b"O", bytes(range(256)) * 3), (b"E", b"{}")]


def test_records_come_back_in_order_across_segments() -> None:
    assert _read(_bundle(RECORDS)) == RECORDS


def test_the_plaintext_is_nowhere_in_the_file() -> None:
    secret = "Договор поставки подписан".encode()
    assert secret not in _bundle([(b"D", secret)])


def test_a_wrong_passphrase_is_named_as_such() -> None:
    with pytest.raises(InvalidInput, match="Wrong passphrase"):
        _read(_bundle(RECORDS), "quiet harbour days")


def test_a_short_passphrase_is_refused_before_anything_is_written() -> None:
    out = io.BytesIO()
    with pytest.raises(InvalidInput, match="at least 8"):
        BundleWriter(out, "short")
    assert out.getvalue() == b""


def test_every_single_flipped_byte_is_refused() -> None:
    data = _bundle(RECORDS)
    for at in range(len(data)):
        changed = bytearray(data)
        changed[at] ^= 0x80
        with pytest.raises(KnownError):  # damaged, or (in the check) a wrong passphrase
            _read(bytes(changed))


def _segments(data: bytes) -> tuple[bytes, list[bytes]]:
    (size,) = struct.unpack(">H", data[len(MAGIC) : len(MAGIC) + 2])
    start = len(MAGIC) + 2 + size
    head, rest, parts = data[:start], data[start:], []
    while rest:
        (n,) = struct.unpack(">I", rest[:4])
        parts.append(rest[: 4 + n])
        rest = rest[4 + n :]
    return head, parts


def test_dropped_swapped_or_trailing_segments_are_refused() -> None:
    head, parts = _segments(_bundle(RECORDS))
    assert len(parts) > 3
    for changed in (
        head + b"".join(parts[:-1]),  # the last one cut off
        head + b"".join([parts[1], parts[0], *parts[2:]]),  # two swapped
        head + b"".join(parts[:2] + parts[3:]),  # one dropped
        head + b"".join(parts) + parts[-1],  # one added after the end
    ):
        with pytest.raises(BundleDamaged, match="damaged, cut off or was altered"):
            _read(changed)


def test_a_newer_format_asks_for_an_update_and_a_stranger_file_is_named() -> None:
    head, parts = _segments(_bundle(RECORDS))
    header = json.loads(head[len(MAGIC) + 2 :])
    header["format"] = 99
    raw = json.dumps(header).encode()
    newer = MAGIC + struct.pack(">H", len(raw)) + raw + b"".join(parts)
    with pytest.raises(KnownError, match="newer Konspekt"):
        _read(newer)
    with pytest.raises(BundleDamaged, match="not a Konspekt knowledge-base bundle"):
        _read(b"%PDF-1.7 not a bundle at all")


@pytest.mark.parametrize(
    "kdf", [{"n": 1 << 22}, {"n": 1000}, {"r": 64}, {"n": 1 << 20, "r": 8}], ids=str
)
def test_a_header_asking_for_a_ruinous_or_broken_cost_is_refused_before_deriving(
    kdf: dict[str, int],
) -> None:
    head, parts = _segments(_bundle(RECORDS))
    header = json.loads(head[len(MAGIC) + 2 :])
    header["kdf"].update(kdf)
    raw = json.dumps(header).encode()
    with pytest.raises(BundleDamaged):
        _read(MAGIC + struct.pack(">H", len(raw)) + raw + b"".join(parts))

"""Nothing a user indexed may sit in plaintext anywhere under the data dir."""

from pathlib import Path

from core import Engine
from tests.documents import SENTENCES, make_all


def test_known_sentences_never_appear_in_plaintext(engine: Engine, tmp_path: Path) -> None:
    list(engine.ingest([make_all(tmp_path / "docs")["pdf"].parent]))
    assert engine.search(SENTENCES["docx"])  # the text is really indexed...
    needles = [s for s in SENTENCES.values() if len(s) > 15]
    needles += [SENTENCES["docx"].split()[2], "marmalade", "turnips", "Договор", "поставки"]
    data_dir = engine.settings.data_dir
    engine.close()  # flush the WAL too
    for path in data_dir.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for needle in needles:  # ...but never readable on disk, in any encoding used
            for raw in (
                needle.encode("utf-8"),
                needle.encode("utf-16-le"),
                needle.lower().encode("utf-8"),
            ):
                assert raw not in data, f"{needle!r} in plaintext in {path}"

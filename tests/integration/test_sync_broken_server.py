"""A server that sends a malformed export gets a clear error; the copy is left as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core import Engine, ServerRefused, Settings
from core.sync.pull import Pull
from tests.fakes import FakeEmbedder
from tests.identity import admin_session


class BrokenServer:
    """Lists one added document, then sends it with vectors of the wrong size."""

    url = "https://broken.example:8443"
    bytes_received = 0

    def get(self, path: str, **params: Any) -> Any:
        change = {"version": 1, "document": 7, "change": "added"}
        return {
            "log": "1:0",
            "since": params["since"],
            "version": 1,
            "more": False,
            "changes": [change],
        }

    def post(self, path: str, body: Any) -> Any:
        chunk = [0, "Some text", "", None, "", 0, 9, 2]
        document = {
            "id": 7, "version": 1, "source": "a.txt", "name": "a.txt", "kind": "txt",
            "content_hash": "x", "size": 9, "pages": 0, "chunks": [chunk],
            "vectors": "AAAA", "original": "U29tZSB0ZXh0",
        }  # fmt: skip
        return {"embedder": FakeEmbedder.name, "dim": FakeEmbedder.dim, "documents": [document]}


def test_a_malformed_export_is_refused_by_name_and_nothing_is_written(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path / "desk", password_hash_ms=5)
    with Engine(settings, embedder=FakeEmbedder()) as engine:
        admin = admin_session(engine)
        ctx = engine.context
        with ctx.db.write() as con:
            remote = ctx.replica.add_remote(con, admin.user.id, BrokenServer.url, "AB", "a", 0.0)
            con.execute(
                "INSERT INTO knowledge_bases (name, created_at, owner_id) VALUES ('K', 0, ?)",
                (admin.user.id,),
            )
            kb_id = con.execute("SELECT id FROM knowledge_bases WHERE name = 'K'").fetchone()[0]
            ctx.replica.add_mirror(con, kb_id, remote, 3, "K")
        mirror = ctx.replica.mirror(kb_id)
        assert mirror is not None
        index = ctx.index.open()
        pull = Pull(
            BrokenServer(), ctx.replica, ctx.library, index.vectors, index.embedder, ctx.blobs
        )  # type: ignore[arg-type]
        with pytest.raises(ServerRefused) as refused:
            list(pull.run(mirror, "K", None))
        assert "cannot read" in refused.value.user_message("en")
        assert BrokenServer.url in refused.value.user_message("ru")
        assert ctx.db.query("SELECT count(*) FROM documents")[0][0] == 0
        assert index.vectors.all_ids() == set()
        assert ctx.replica.mirror(kb_id).version == 0  # type: ignore[union-attr]

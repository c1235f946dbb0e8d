"""Indexing files into one knowledge base, for a user already checked, audited.

Shared by the document service (a user's upload) and the watch service (a folder scanned
as the account that added it); neither shell reaches it directly.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from core.identity import User
from core.ingest.chunking import Chunker
from core.ingest.pipeline import IngestRun
from core.security import audit
from core.services.context import Context
from core.types import IngestProgress, KnowledgeBase, Upload


class Ingestor:
    """Runs ingests; one at a time per knowledge base, any number across them."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def run(
        self,
        user: User,
        target: KnowledgeBase,
        paths: Sequence[Path | Upload],
        cancel: threading.Event | None,
        *,
        audit_unchanged: bool = True,
    ) -> Iterator[IngestProgress]:
        """Ingest `paths` into `target` for `user` (checked by the caller), audited.

        Without `audit_unchanged`, a run that changed nothing leaves no audit entry (the
        periodic rescans of watched folders).
        """
        ctx = self._ctx
        index = ctx.index.open()
        chunker = Chunker(index.embedder.count_tokens, ctx.settings.chunk_tokens)
        run = IngestRun(
            ctx.library,
            index.vectors,
            index.embedder,
            ctx.parser,
            chunker,
            ctx.settings.max_file_mb * 2**20,
            ctx.blobs,
            ctx.settings.max_file_tokens,
            ctx.settings.own_data,
        )
        with ctx.locks.kb(target.id):
            for event in run.run(paths, target.id, cancel):
                r = event.report
                changed = r is not None and (r.indexed or r.removed or r.failed or r.cancelled)
                if r is not None and (changed or audit_unchanged):
                    with ctx.db.write() as con:
                        audit.record(
                            con,
                            user,
                            "ingest",
                            target.name,
                            indexed=r.indexed,
                            skipped=r.skipped,
                            failed=r.failed,
                            removed=r.removed,
                            cancelled=r.cancelled,
                        )
                yield event

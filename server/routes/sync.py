"""What desktops need to keep copies: a knowledge base's change log and its documents.

`GET /api/sync/kbs/{kb}?since=V` lists each document's latest change after version V
(added / changed / removed), oldest first; `POST /api/sync/kbs/{kb}/documents` sends up
to 64 of them with chunks and vectors (float32, base64), gzip-compressed when the client
accepts it. Originals come from `/api/documents/{id}/original`. Only knowledge bases the
caller may read are served (`engine.sync`).
"""

from __future__ import annotations

import gzip
import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from server.deps import ROW_ID_MAX, Acting, EngineDep, RowId

router = APIRouter(prefix="/api/sync", tags=["sync"])
Id = Annotated[int, Field(ge=1, le=ROW_ID_MAX)]
GZIP_MIN_BYTES = 1024


class Wanted(BaseModel):
    """Documents a copy lacks, by id."""

    ids: list[Id] = Field(min_length=1, max_length=64)


@router.get("/kbs/{kb_id}")
def changes(
    kb_id: RowId,
    session: Acting,
    engine: EngineDep,
    since: Annotated[int, Query(ge=0, le=ROW_ID_MAX)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 2000,
) -> dict[str, Any]:
    """The change log after `since`: `version` is the latest; `more` asks for another page."""
    return engine.sync.changes(session, kb_id, since, limit)


@router.post("/kbs/{kb_id}/documents", response_class=Response)
def documents(
    kb_id: RowId, body: Wanted, request: Request, session: Acting, engine: EngineDep
) -> Response:
    """Documents with chunks and unrotated vectors (`embedder` names their space)."""
    data = json.dumps(engine.sync.export(session, kb_id, body.ids)).encode()
    if len(data) >= GZIP_MIN_BYTES and "gzip" in request.headers.get("accept-encoding", ""):
        return Response(
            gzip.compress(data, 6),
            media_type="application/json",
            headers={"Content-Encoding": "gzip", "Vary": "Accept-Encoding"},
        )
    return Response(data, media_type="application/json")

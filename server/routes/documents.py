"""Documents: upload (an indexing job whose progress streams), list, delete, open, render."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from core import Document, Engine, IngestReport, IngestStage, Passage, Session, Upload
from server import png
from server.deps import Acting, EngineDep, JobsDep, RowId
from server.errors import error_body, http_error
from server.jobs import Job, Produce
from server.language import language
from server.sse import event_stream, last_event_id

router = APIRouter(prefix="/api", tags=["documents"])
KIND = "ingest"


class IngestJob(BaseModel):
    """An indexing run in progress: follow `events` for its progress."""

    id: str
    events: str
    finished: bool


def _progress(engine: Engine, session: Session, upload: Upload, kb: str | None) -> Produce:
    """The job body: the core's ingest of one upload, as `progress` events."""

    def produce(cancel: threading.Event) -> Iterator[tuple[str, dict[str, Any]]]:
        for event in engine.documents.ingest(session, [upload], kb, cancel):
            data = jsonable_encoder(dataclasses.replace(event, error_params=()))
            if event.stage is IngestStage.FAILED:
                data["error"] = {"en": event.error("en"), "ru": event.error("ru")}
            yield ("progress", data)

    return produce


def _job(job_id: str, finished: bool) -> IngestJob:
    return IngestJob(id=job_id, events=f"/api/ingests/{job_id}/events", finished=finished)


@router.put(
    "/kbs/{kb}/documents/{filename}",
    status_code=status.HTTP_202_ACCEPTED,
    responses={200: {"model": IngestReport}, 422: {"description": "every file failed"}},
)
async def upload(
    kb: str,
    filename: str,
    request: Request,
    session: Acting,
    engine: EngineDep,
    jobs: JobsDep,
    wait: bool = False,
) -> Any:
    """Index one file or a zip sent as the request body into `kb` (`~` for one's own).

    The body is held in memory, never written to disk in plaintext. Answers 202 with the
    job, whose events stream the progress, each bad file failing alone with its reason.
    With `wait=true` it answers when indexing is done: 200 with the totals, or 422
    naming the file and the reason when nothing could be indexed.
    """
    data = await request.body()
    if not data:
        return http_error(request, 400, "http_empty_upload", name=filename)
    produce = _progress(engine, session, Upload(filename, data), None if kb == "~" else kb)
    job = await run_in_threadpool(jobs.start_checked, session.user.id, KIND, produce)
    if not wait:
        return _job(job.id, job.finished.is_set())
    await run_in_threadpool(job.finished.wait)
    return _outcome(job, language(request))


def _outcome(job: Job, lang: str) -> Any:
    """The totals of a finished upload, or 422 with the failures when nothing was indexed."""
    events = [e.data for e in job.since(0) if e.name == "progress"]
    if job.failure is not None:
        raise job.failure
    report = events[-1]["report"] if events and events[-1]["report"] else {}
    failed = [e for e in events if e["stage"] == IngestStage.FAILED.value]
    if failed and not report.get("indexed") and not report.get("skipped"):
        first = failed[0]
        body = error_body("file_rejected", first["error"][lang], first["error_key"])
        body["failures"] = [{"source": e["source"], "message": e["error"][lang]} for e in failed]
        return JSONResponse(body, status.HTTP_422_UNPROCESSABLE_CONTENT)
    return JSONResponse(report, status.HTTP_200_OK)


@router.get("/ingests/{job_id}")
def ingest_job(job_id: str, session: Acting, jobs: JobsDep) -> IngestJob:
    """Whether an indexing job has finished."""
    job = jobs.owned(job_id, session.user.id, KIND)
    return _job(job.id, job.finished.is_set())


@router.get("/ingests/{job_id}/events", response_class=StreamingResponse)
def ingest_events(job_id: str, request: Request, session: Acting, jobs: JobsDep) -> Response:
    """Server-sent `progress` events (resumable with Last-Event-ID)."""
    job = jobs.owned(job_id, session.user.id, KIND)
    return event_stream(request, job, last_event_id(request), language(request))


@router.post("/ingests/{job_id}/cancel", status_code=status.HTTP_204_NO_CONTENT)
def cancel_ingest(job_id: str, session: Acting, jobs: JobsDep) -> Response:
    """Stop after the current file; files done so far stay indexed."""
    job = jobs.owned(job_id, session.user.id, KIND)
    job.cancel.set()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/kbs/{kb}/documents")
def documents(kb: str, session: Acting, engine: EngineDep) -> list[Document]:
    """The documents of a knowledge base with their status (`~` for one's own uploads)."""
    return engine.documents.all(session, None if kb == "~" else kb)


@router.delete("/documents/{document_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete(document_id: RowId, session: Acting, engine: EngineDep) -> None:
    """Remove a document, its chunks, vectors and stored original."""
    engine.documents.delete(session, document_id)


@router.get("/documents/{document_id}/original", response_class=Response)
def original(document_id: RowId, session: Acting, engine: EngineDep) -> Response:
    """The original file, to download."""
    name, data = engine.documents.original(session, document_id)
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(data, media_type="application/octet-stream", headers=headers)


@router.get("/documents/{document_id}/passages")
def passages(document_id: RowId, session: Acting, engine: EngineDep) -> list[Passage]:
    """The document's indexed text, chunk by chunk in reading order."""
    return engine.documents.passages(session, document_id)


@router.get("/documents/{document_id}/pages/{page}", response_class=Response)
def page(
    document_id: RowId, page: int, session: Acting, engine: EngineDep, width: int = 900
) -> Response:
    """A page of a PDF as PNG (a cited page, to show beside the answer)."""
    image = engine.documents.render_page(session, document_id, page, width)
    data = png.encode(image.width, image.height, image.rgb)
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})

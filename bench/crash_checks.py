"""What must hold after a kill -9 and a restart: each check returns the problems it found."""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np

from core import DocumentStatus, Engine, KnownError, Session
from core.store import postings

KB = "Team"


def store_problems(engine: Engine) -> list[str]:
    """Integrity, vectors against chunks, keyword rows against chunks, originals, audit."""
    ctx = engine.context  # benchmarks may look under the facade
    problems = [f"integrity: {p}" for p in ctx.db.integrity_errors()]
    chunk_ids = {int(r[0]) for r in ctx.db.query("SELECT id FROM chunks")}
    vector_ids = ctx.index.open().vectors.all_ids()
    if vector_ids - chunk_ids:
        problems.append(f"{len(vector_ids - chunk_ids)} orphan vectors")
    if chunk_ids - vector_ids:
        problems.append(f"{len(chunk_ids - vector_ids)} chunks without a vector")
    keyword_ids = postings.indexed_ids(ctx.db.read())
    if keyword_ids != chunk_ids:
        problems.append(f"keyword index differs from chunks by {len(keyword_ids ^ chunk_ids)}")
    for (doc_id,) in ctx.db.query("SELECT id FROM documents WHERE status = 'indexed'"):
        _, blob_id, name, _ = ctx.library.document_file(int(doc_id))
        try:
            ctx.blobs.get(blob_id)
        except KnownError:
            problems.append(f"original of {name} unreadable")
    return problems


def audit_problems(engine: Engine, admin: Session) -> list[str]:
    """The audit chain verifies under whichever key the store opened with."""
    check = engine.audit.verify(admin)
    return [] if check.ok else [f"audit chain broken at entry {check.first_bad_id}"]


def indexed(engine: Engine, admin: Session) -> dict[str, int]:
    """Indexed sources of the campaign's knowledge base -> document id."""
    docs = engine.documents.all(admin, KB)
    return {d.source: d.id for d in docs if d.status is DocumentStatus.INDEXED}


def commit_problems(
    engine: Engine, admin: Session, committed: list[str], deleted: list[str]
) -> list[str]:
    """Every reported commit is there with the file's current text; every delete is gone."""
    ctx = engine.context
    now = indexed(engine, admin)
    kb_id = ctx.access.for_read(ctx.actor(admin), KB).id
    problems = []
    for source in committed:
        record = ctx.library.document_record(kb_id, source)
        if source not in now or record is None:
            problems.append(f"committed {Path(source).name} lost")
        elif record.content_hash != hashlib.sha256(Path(source).read_bytes()).hexdigest():
            problems.append(f"committed {Path(source).name} holds an older version")
    problems += [f"deleted {Path(s).name} came back" for s in deleted if s in now]
    return problems


def vector_problems(engine: Engine, before: dict[int, np.ndarray]) -> list[str]:
    """Vectors that survived read back as they were (a wrong rotation secret would not)."""
    vectors = engine.context.index.open().vectors
    after = vectors.vectors_of(list(before))
    turned = 0
    for chunk_id, vector in after.items():
        old = before[chunk_id]
        cosine = float(vector @ old / (np.linalg.norm(vector) * np.linalg.norm(old)))
        turned += cosine < 0.999
    return [f"{turned} vectors read back changed"] if turned else []


def key_problems(data_dir: Path, old_key: str, rotated: bool) -> list[str]:
    """After opening, no rotation is left pending, and a reported rotation kept its new key."""
    record = json.loads((data_dir / "keystore.json").read_text(encoding="utf-8"))
    problems = ["a key rotation is still pending"] if "pending" in record else []
    if (data_dir / "konspekt.key.next").exists():
        problems.append("konspekt.key.next left behind")
    if rotated and (data_dir / "konspekt.key").read_text(encoding="ascii") == old_key:
        problems.append("rotation reported but the old key is in force")
    return problems


def process_tree(root: int) -> dict[int, str]:
    """Descendants of `root` (pid -> start time), read from /proc."""
    parents: dict[int, int] = {}
    starts: dict[int, str] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is not None:
            parents[int(entry.name)] = int(stat[1])
            starts[int(entry.name)] = stat[19]
    found: dict[int, str] = {}
    frontier = [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                found[child] = starts[child]
                frontier.append(child)
    return found


def survivors(tree: dict[int, str], wait_s: float = 15.0) -> list[int]:
    """Processes of `tree` still running after up to `wait_s` (zombies count as gone)."""
    deadline = time.monotonic() + wait_s
    while True:
        alive = []
        for pid, start in tree.items():
            stat = _stat(pid)
            if stat is not None and stat[19] == start and stat[0] != "Z":
                alive.append(pid)
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.2)


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat fields after the command name (state first), or None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()

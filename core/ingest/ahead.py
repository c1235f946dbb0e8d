"""Parsing ahead: the next files are parsed on a background thread while this one is embedded.

The thread only waits on the parsing child (isolated.py), which does the CPU work in its
own process, so it takes no interpreter time from the embedding. Checking a file (the
database, reading it) and everything after its parse stay on the ingest thread, in file
order; a file or two are held ahead (`PARSE_AHEAD`, `AHEAD_MAX_BYTES`), so memory stays
bounded.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from types import TracebackType

from core.ingest.document import FileParser, ParsedDocument

PARSE_AHEAD = 2
"""Files held (parsing or parsed) ahead of the one being embedded: enough to keep the
parser busy past a file that needs none, few enough to bound memory."""
AHEAD_MAX_BYTES = 64 * 2**20
"""Bytes of files held ahead past which no further file is read: two large scans (up to
`max_file_mb` each) would otherwise sit in memory beside the one being embedded. The
next file is always read, so a large file never stops the run."""
READ_AHEAD = 16
"""How many places ahead a run checks for files to parse: unchanged files in between are
checked early, so a long run of them does not leave the parser idle."""


@dataclass(frozen=True, slots=True)
class Job:
    """A changed file, read and hashed on the ingest thread, to be parsed."""

    name: str
    display: str
    data: bytes
    digest: str


@dataclass(frozen=True, slots=True)
class Parsing:
    """A file whose parse was handed to the background thread."""

    job: Job
    parsed: Future[ParsedDocument]


Checked = Parsing | Exception | None
"""A file checked before its turn: parsing, refused (raise it at its turn), or nothing to do."""


class ParseAhead:
    """Checks the files of a run in order, parsing the changed ones on one background thread.

    `check(place)` runs on the calling thread and says what the file at `place` needs.
    `close()` (or leaving the `with` block) gives up whatever is queued or under way
    (the child stops mid-file, see IsolatedParser.parse) and joins the thread, so a
    cancelled or abandoned ingest leaves no thread and no busy child behind.
    """

    def __init__(
        self,
        parser: FileParser,
        check: Callable[[int], Job | None],
        count: int,
        cancelled: Callable[[], bool],
    ) -> None:
        self._parser, self._check, self._count = parser, check, count
        self._cancelled = cancelled
        self._closed = threading.Event()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="konspekt-parse-ahead")
        self._checked: dict[int, Checked] = {}
        self._frontier = 0
        """The place of the next file to check."""

    def take(self, place: int) -> Checked:
        """The file at `place` as checked, after handing the next files to the parser."""
        self._frontier = max(self._frontier, place)
        while self._frontier < self._count and (
            self._frontier == place
            or (self._frontier <= place + READ_AHEAD and self._room_ahead(place))
        ):
            self._checked[self._frontier] = self._check_one(self._frontier)
            self._frontier += 1
        for skipped in [p for p in self._checked if p < place]:  # never taken: refused early
            del self._checked[skipped]
        return self._checked.pop(place)

    def close(self) -> None:
        """Give up the files not parsed yet and wait for the thread to end."""
        self._closed.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._checked.clear()

    def __enter__(self) -> ParseAhead:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _check_one(self, place: int) -> Checked:
        try:
            job = self._check(place)
        except Exception as exc:  # the file's own failure, reported at its turn
            return exc
        if job is None:
            return None
        parse = self._parser.parse
        parsed = self._pool.submit(parse, job.name, job.data, job.display, cancelled=self._given_up)
        return Parsing(job, parsed)

    def _room_ahead(self, place: int) -> bool:
        """Whether another file may be read ahead of `place` (by count, then by bytes)."""
        held = [c.job for p, c in self._checked.items() if p > place and isinstance(c, Parsing)]
        return len(held) < PARSE_AHEAD and sum(len(j.data) for j in held) < AHEAD_MAX_BYTES

    def _given_up(self) -> bool:
        return self._closed.is_set() or self._cancelled()

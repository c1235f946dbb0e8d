"""Indexing pace: tokens embedded per second and the time left, from the work done so far.

Time left is measured in bytes of the files still to index over the bytes indexed per
second until now: a folder of mixed files is mostly embedding, and embedding cost follows
the text's length. Files that cost nothing (unchanged, refused) leave the total, so they
neither speed up nor slow down the estimate.
"""

from __future__ import annotations

import time
from collections.abc import Callable

ESTIMATE_AFTER_S = 2.0
"""No time left is promised before this much work: the first batch includes warm-up."""


class Pace:
    """Counts bytes and tokens as a run goes; `rate()` and `seconds_left()` read them."""

    def __init__(self, total_bytes: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.total_bytes = total_bytes
        self.clock = clock
        self.started = clock()
        self.finished_bytes = 0
        """Bytes of the files fully embedded."""
        self.current_bytes = 0.0
        """The embedded share of the file in progress, in bytes."""
        self.tokens = 0

    def drop(self, size: int) -> None:
        """A file that needed no work (unchanged, refused) or failed leaves the total."""
        self.total_bytes -= size
        self.current_bytes = 0.0

    def embedded(self, size: int, share: float, tokens: int) -> None:
        """`share` of a file of `size` bytes is embedded; `tokens` more were embedded."""
        self.current_bytes = size * share
        self.tokens += tokens

    def file_done(self, size: int) -> None:
        """The file in progress is embedded in full."""
        self.finished_bytes += size
        self.current_bytes = 0.0

    def rate(self) -> float:
        """Tokens embedded per second since the run started (0 before the first)."""
        elapsed = self.clock() - self.started
        return self.tokens / elapsed if elapsed > 0 else 0.0

    def seconds_left(self) -> float | None:
        """Estimated seconds to the end, or None while there is too little to go on."""
        elapsed = self.clock() - self.started
        done = self.finished_bytes + self.current_bytes
        if elapsed < ESTIMATE_AFTER_S or done <= 0:
            return None
        return max(0.0, self.total_bytes - done) * elapsed / done

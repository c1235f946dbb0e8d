"""Time to first token and decode speed of one answer."""

from __future__ import annotations

import time

from core.types import AnswerStats


class AnswerTiming:
    """Time to first token and decode speed of one answer."""

    def __init__(self, started: float, retrieval_ms: float) -> None:
        self.started, self.retrieval_ms = started, retrieval_ms
        self.first_at = 0.0

    def token(self) -> None:
        """Note that a token arrived (the first one sets the time to first token)."""
        if not self.first_at:
            self.first_at = time.perf_counter()

    def stats(
        self, *, prompt_tokens: int, completion_tokens: int, model: str, cancelled: bool
    ) -> AnswerStats:
        """The figures of the finished answer."""
        now = time.perf_counter()
        first_ms = (self.first_at - self.started) * 1000 if self.first_at else 0.0
        decode_s = now - self.first_at if self.first_at else 0.0
        # Decode speed after the first token; prompt processing is in first_token_ms.
        tps = (completion_tokens - 1) / decode_s if completion_tokens > 1 and decode_s else 0.0
        return AnswerStats(
            retrieval_ms=self.retrieval_ms,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            first_token_ms=first_ms,
            tokens_per_s=tps,
            total_ms=(now - self.started) * 1000,
            model=model,
            cancelled=cancelled,
        )

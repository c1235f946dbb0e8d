"""An indexing run's pace: tokens per second and an honest estimate of the time left."""

from __future__ import annotations

from core.ingest.pace import Pace
from core.types import IngestProgress, IngestStage


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_time_left_follows_the_bytes_still_to_embed() -> None:
    clock = Clock()
    pace = Pace(4_000, clock)
    assert pace.rate() == 0.0
    assert pace.seconds_left() is None
    clock.now += 1.0
    pace.embedded(1_000, 0.5, 300)
    assert pace.seconds_left() is None  # too early to promise anything
    clock.now += 3.0
    pace.embedded(1_000, 1.0, 300)
    pace.file_done(1_000)
    assert pace.rate() == 150.0  # 600 tokens in 4 s
    assert pace.seconds_left() == 12.0  # 1,000 bytes took 4 s; 3,000 remain


def test_unchanged_and_failed_files_leave_the_total() -> None:
    clock = Clock()
    pace = Pace(4_000, clock)
    pace.drop(2_000)  # unchanged: costs nothing
    clock.now += 4.0
    pace.embedded(1_000, 0.5, 100)
    pace.drop(1_000)  # then failed: its half-done share no longer counts
    assert pace.seconds_left() is None
    pace.embedded(1_000, 0.5, 100)
    assert pace.seconds_left() == 4.0  # 500 bytes in 4 s; 500 remain


def test_pace_reads_in_both_languages() -> None:
    event = IngestProgress(
        IngestStage.EMBEDDING, "a.pdf", tokens_per_second=1240.4, seconds_left=191
    )
    assert event.pace("en") == "1,240 tokens/s, about 3 min 10 s left"
    assert event.pace("ru") == "1\u202f240 токенов/с, осталось около 3 мин 10 с"
    assert IngestProgress(IngestStage.EMBEDDING, tokens_per_second=12.0).pace() == "12 tokens/s"
    assert IngestProgress(IngestStage.EMBEDDING).pace("ru") == ""
    hours = IngestProgress(IngestStage.INDEXED, tokens_per_second=5.0, seconds_left=7_500)
    assert hours.pace("ru") == "5 токенов/с, осталось около 2 ч 5 мин"
    seconds = IngestProgress(IngestStage.INDEXED, tokens_per_second=5.0, seconds_left=44.6)
    assert seconds.pace("en") == "5 tokens/s, about 45 s left"

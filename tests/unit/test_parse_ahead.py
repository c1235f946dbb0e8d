"""ParseAhead holds a bounded number of files ahead, in order, and leaves no thread behind.

The parser here is a fake that records calls (ParseAhead is the code above it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from core.errors import FileRejected
from core.ingest import ahead as ahead_module
from core.ingest.ahead import PARSE_AHEAD, READ_AHEAD, Job, ParseAhead, Parsing
from core.ingest.document import Block, BlockKind, ParseCancelled, ParsedDocument


class GatedParser:
    """Parses a file only once the test opens its gate; gives up when cancelled."""

    def __init__(self) -> None:
        self.gates: dict[str, threading.Event] = {}
        self.order: list[str] = []

    def gate(self, name: str) -> threading.Event:
        return self.gates.setdefault(name, threading.Event())

    def parse(
        self,
        name: str,
        data: bytes,
        display: str,
        cancelled: Callable[[], bool] | None = None,
    ) -> ParsedDocument:
        self.order.append(name)
        while not self.gate(name).wait(0.01):
            if cancelled is not None and cancelled():
                raise ParseCancelled
        return ParsedDocument("text", (Block(BlockKind.TEXT, data.decode()),))

    def warm_up(self) -> None:
        """Nothing to load."""


def _jobs(kinds: str) -> tuple[list[int], Callable[[int], Job | None]]:
    """A run where 'p' is a file to parse, 'u' an unchanged one and 'x' a refused one."""
    checked: list[int] = []

    def check(place: int) -> Job | None:
        checked.append(place)
        if kinds[place] == "x":
            raise FileRejected("file_empty", name=f"f{place}")
        if kinds[place] == "u":
            return None
        return Job(f"f{place}", f"f{place}", f"text {place}".encode(), "digest")

    return checked, check


def test_only_a_bounded_number_of_files_is_read_ahead() -> None:
    checked, check = _jobs("p" * 10)
    with ParseAhead(GatedParser(), check, 10, lambda: False) as ahead:
        ahead.take(0)
        assert checked == list(range(PARSE_AHEAD + 1))
        ahead.take(1)
        assert checked == list(range(PARSE_AHEAD + 2))


def test_large_files_held_ahead_stop_the_reading_by_their_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ahead_module, "AHEAD_MAX_BYTES", 1000)
    sizes = [10, 5000, 10, 10, 10]
    checked: list[int] = []

    def check(place: int) -> Job:
        checked.append(place)
        return Job(f"f{place}", f"f{place}", b"x" * sizes[place], "digest")

    with ParseAhead(GatedParser(), check, len(sizes), lambda: False) as ahead:
        ahead.take(0)
        assert checked == [0, 1]  # f1 alone fills the bytes allowed ahead
        ahead.take(1)
        assert checked == [0, 1, 2, 3]  # small files: the count bounds again
        ahead.take(2)
        assert checked == [0, 1, 2, 3, 4]


def test_unchanged_files_do_not_count_against_the_bound() -> None:
    checked, check = _jobs("puuup" + "p" * 30)
    with ParseAhead(GatedParser(), check, 35, lambda: False) as ahead:
        assert ahead.take(0) is not None
        assert checked == [0, 1, 2, 3, 4, 5]  # two files to parse after the first
        assert ahead.take(1) is None


def test_a_long_run_of_unchanged_files_is_checked_only_so_far_ahead() -> None:
    checked, check = _jobs("p" + "u" * 40)
    with ParseAhead(GatedParser(), check, 41, lambda: False) as ahead:
        ahead.take(0)
        assert checked == list(range(READ_AHEAD + 1))


def test_files_are_parsed_in_order_and_a_refusal_waits_for_its_turn() -> None:
    parser = GatedParser()
    _, check = _jobs("pxp")
    with ParseAhead(parser, check, 3, lambda: False) as ahead:
        first = ahead.take(0)
        for name in ("f0", "f2"):
            parser.gate(name).set()
        assert isinstance(first, Parsing)
        assert first.parsed.result().blocks[0].text == "text 0"
        assert isinstance(ahead.take(1), FileRejected)
        last = ahead.take(2)
        assert isinstance(last, Parsing)
        assert last.parsed.result().blocks[0].text == "text 2"
    assert parser.order == ["f0", "f2"]


@pytest.mark.parametrize("how", ["cancel", "close"])
def test_a_parse_under_way_is_given_up_and_the_thread_ends(how: str) -> None:
    cancel = threading.Event()
    _, check = _jobs("ppp")
    ahead = ParseAhead(GatedParser(), check, 3, cancel.is_set)
    first = ahead.take(0)
    assert isinstance(first, Parsing)
    if how == "cancel":
        cancel.set()
        with pytest.raises(ParseCancelled):
            first.parsed.result()
    ahead.close()
    assert not [t for t in threading.enumerate() if t.name.startswith("konspekt-parse-ahead")]

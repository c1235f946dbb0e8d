"""Reading server-sent events from an httpx stream, as a client would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Received:
    """One event as it came over the wire."""

    id: int
    name: str
    data: Any


def events(response: httpx.Response) -> Iterator[Received]:
    """The events of a text/event-stream response, in order (comments skipped)."""
    fields: dict[str, str] = {}
    for line in response.iter_lines():
        if not line:
            if "data" in fields:
                yield Received(
                    int(fields.get("id", "0")), fields.get("event", ""), json.loads(fields["data"])
                )
            fields = {}
        elif not line.startswith(":"):
            key, _, value = line.partition(":")
            fields[key] = value.removeprefix(" ")

"""A knowledge base's assistant as stored: its limits, and its row read and written.

Below the services so that a bundle (core/export) carries and restores it with the same
checks as the editor's dialog.
"""

from __future__ import annotations

import math
from typing import Any

from core.errors import InvalidInput
from core.i18n import N_
from core.store.database import Connection, Database
from core.types import Assistant

MAX_INSTRUCTIONS = 4000
"""Characters of instructions: room for tone and format, not a second set of documents."""
MAX_DESCRIPTION = 200
TEMPERATURE = (0.0, 1.5)
ANSWER_TOKENS = (16, 4096)
PASSAGES = (1, 12)
FIELDS = ("instructions", "description", "temperature", "answer_tokens", "passages")
"""The stored values, in the order of their columns and of Assistant's fields after `kb`."""


def validated(assistant: Assistant) -> Assistant:
    """`assistant` trimmed and checked against the limits (InvalidInput names the one broken)."""
    instructions = assistant.instructions.strip()
    description = " ".join(assistant.description.split())
    if len(instructions) > MAX_INSTRUCTIONS:
        raise InvalidInput(
            N_("assistant_instructions_long"), length=len(instructions), limit=MAX_INSTRUCTIONS
        )
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            N_("assistant_description_long"), length=len(description), limit=MAX_DESCRIPTION
        )
    temperature = assistant.temperature
    if temperature is not None and not (
        math.isfinite(temperature) and TEMPERATURE[0] <= temperature <= TEMPERATURE[1]
    ):
        raise InvalidInput(
            N_("assistant_temperature_range"),
            value=temperature,
            low=TEMPERATURE[0],
            high=TEMPERATURE[1],
        )
    _in_range(N_("assistant_answer_tokens_range"), assistant.answer_tokens, ANSWER_TOKENS)
    _in_range(N_("assistant_passages_range"), assistant.passages, PASSAGES)
    return Assistant(
        assistant.kb,
        instructions,
        description,
        temperature,
        assistant.answer_tokens,
        assistant.passages,
    )


def _in_range(key: str, value: int | None, bounds: tuple[int, int]) -> None:
    if value is not None and not bounds[0] <= value <= bounds[1]:
        raise InvalidInput(key, value=value, low=bounds[0], high=bounds[1])


def stored(db: Database, kb_id: int) -> dict[str, Any] | None:
    """The KB's stored assistant values by field name, or None if it has none."""
    rows = db.query(f"SELECT {', '.join(FIELDS)} FROM kb_assistants WHERE kb_id = ?", (kb_id,))
    return dict(zip(FIELDS, rows[0], strict=True)) if rows else None


def store(con: Connection, kb_id: int, assistant: Assistant, user_id: int, at: float) -> None:
    """Write the (validated) `assistant` of knowledge base `kb_id`, replacing any."""
    con.execute(
        "INSERT INTO kb_assistants (kb_id, instructions, description, temperature, "
        "answer_tokens, passages, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (kb_id) DO UPDATE SET instructions = excluded.instructions, "
        "description = excluded.description, temperature = excluded.temperature, "
        "answer_tokens = excluded.answer_tokens, passages = excluded.passages, "
        "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        (
            kb_id,
            assistant.instructions,
            assistant.description,
            assistant.temperature,
            assistant.answer_tokens,
            assistant.passages,
            user_id,
            at,
        ),
    )

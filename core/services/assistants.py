"""Each knowledge base's assistant: instructions and answer settings its editors choose."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from core.errors import InvalidInput
from core.identity import Session
from core.security import audit
from core.security.access import AccessControl
from core.services.context import Context
from core.settings import Settings
from core.types import Assistant, KnowledgeBase

MAX_INSTRUCTIONS = 4000
"""Characters of instructions: room for tone and format, not a second set of documents."""
MAX_DESCRIPTION = 200
TEMPERATURE = (0.0, 1.5)
ANSWER_TOKENS = (16, 4096)
PASSAGES = (1, 12)


@dataclass(frozen=True, slots=True)
class Generation:
    """What one answer uses: the KB's instructions and the settings in force."""

    instructions: str
    temperature: float
    answer_tokens: int
    passages: int


class AssistantService:
    """Read (readers of the KB) and change (those who may change the KB) its assistant."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def get(self, session: Session, kb: str) -> Assistant:
        """The assistant of `kb` as the user may see it (every reader of the KB may)."""
        found = self._ctx.access.for_read(self._ctx.actor(session), kb)
        return _load(self._ctx.access, found)

    def save(self, session: Session, assistant: Assistant) -> Assistant:
        """Store `assistant` for its knowledge base (write access to the KB needed).

        Text is trimmed; the description becomes one line. Limits: instructions up to
        MAX_INSTRUCTIONS characters, description up to MAX_DESCRIPTION, temperature in
        TEMPERATURE, answer tokens in ANSWER_TOKENS, passages in PASSAGES (None: default).

        Raises:
            PermissionDenied: the user may read the KB but not change it.
            InvalidInput: a value is out of its range (the message names it).
        """
        user = self._ctx.actor(session)
        kb = self._ctx.access.for_write(user, assistant.kb)
        clean = validated(assistant)
        with self._ctx.db.write() as con:
            con.execute(
                "INSERT INTO kb_assistants (kb_id, instructions, description, temperature, "
                "answer_tokens, passages, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (kb_id) DO UPDATE SET instructions = excluded.instructions, "
                "description = excluded.description, temperature = excluded.temperature, "
                "answer_tokens = excluded.answer_tokens, passages = excluded.passages, "
                "updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                (
                    kb.id,
                    clean.instructions,
                    clean.description,
                    clean.temperature,
                    clean.answer_tokens,
                    clean.passages,
                    user.id,
                    time.time(),
                ),
            )
            audit.record(con, user, "kb_assistant_changed", kb.name)
        return _load(self._ctx.access, kb)


def validated(assistant: Assistant) -> Assistant:
    """`assistant` trimmed and checked against the limits (InvalidInput names the one broken)."""
    instructions = assistant.instructions.strip()
    description = " ".join(assistant.description.split())
    if len(instructions) > MAX_INSTRUCTIONS:
        raise InvalidInput(
            "assistant_instructions_long", length=len(instructions), limit=MAX_INSTRUCTIONS
        )
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            "assistant_description_long", length=len(description), limit=MAX_DESCRIPTION
        )
    temperature = assistant.temperature
    if temperature is not None and not (
        math.isfinite(temperature) and TEMPERATURE[0] <= temperature <= TEMPERATURE[1]
    ):
        raise InvalidInput(
            "assistant_temperature_range",
            value=temperature,
            low=TEMPERATURE[0],
            high=TEMPERATURE[1],
        )
    _in_range("assistant_answer_tokens_range", assistant.answer_tokens, ANSWER_TOKENS)
    _in_range("assistant_passages_range", assistant.passages, PASSAGES)
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


def _load(access: AccessControl, kb: KnowledgeBase) -> Assistant:
    rows = access.db.query(
        "SELECT instructions, description, temperature, answer_tokens, passages "
        "FROM kb_assistants WHERE kb_id = ?",
        (kb.id,),
    )
    can_edit = kb.can_write and kb.remote is None
    if not rows:
        return Assistant(kb.name, can_edit=can_edit)
    r = rows[0]
    return Assistant(kb.name, r[0], r[1], r[2], r[3], r[4], can_edit=can_edit)


def generation(access: AccessControl, settings: Settings, kb_id: int | None) -> Generation:
    """The instructions and settings of an answer in knowledge base `kb_id`.

    The rule: a question asked in one chosen knowledge base uses that KB's assistant,
    each unset value falling back to the installation's setting; a question over every
    KB the user sees (`kb_id` None) uses the installation's settings and no
    instructions, as no one KB's editors speak for the others.
    """
    defaults = Generation("", settings.temperature, settings.max_answer_tokens, settings.sources)
    if kb_id is None:
        return defaults
    rows = access.db.query(
        "SELECT instructions, temperature, answer_tokens, passages FROM kb_assistants "
        "WHERE kb_id = ?",
        (kb_id,),
    )
    if not rows:
        return defaults
    r = rows[0]
    return Generation(
        r[0],
        defaults.temperature if r[1] is None else float(r[1]),
        defaults.answer_tokens if r[2] is None else int(r[2]),
        defaults.passages if r[3] is None else int(r[3]),
    )

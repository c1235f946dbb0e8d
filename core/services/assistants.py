"""Each knowledge base's assistant: instructions and answer settings its editors choose."""

from __future__ import annotations

import time
from dataclasses import dataclass

from core.identity import Session
from core.security import audit
from core.security.access import AccessControl
from core.services.context import Context
from core.settings import Settings
from core.store.assistants import store, stored, validated
from core.types import Assistant, KnowledgeBase


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
        TEMPERATURE, answer tokens in ANSWER_TOKENS, passages in PASSAGES (None: default;
        see core/store/assistants.py).

        Raises:
            PermissionDenied: the user may read the KB but not change it.
            InvalidInput: a value is out of its range (the message names it).
        """
        user = self._ctx.actor(session)
        kb = self._ctx.access.for_write(user, assistant.kb)
        clean = validated(assistant)
        with self._ctx.db.write() as con:
            store(con, kb.id, clean, user.id, time.time())
            audit.record(con, user, "kb_assistant_changed", kb.name)
        return _load(self._ctx.access, kb)


def _load(access: AccessControl, kb: KnowledgeBase) -> Assistant:
    values = stored(access.db, kb.id) or {}
    return Assistant(kb.name, **values, can_edit=kb.can_write and kb.remote is None)


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
    values = stored(access.db, kb_id)
    if values is None:
        return defaults
    return Generation(
        values["instructions"],
        defaults.temperature if values["temperature"] is None else float(values["temperature"]),
        defaults.answer_tokens if values["answer_tokens"] is None else values["answer_tokens"],
        defaults.passages if values["passages"] is None else values["passages"],
    )

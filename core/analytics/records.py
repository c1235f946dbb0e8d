"""One row of figures per answer, without any of its text, for the administrators' usage page.

What is kept: when, who (the user id), which knowledge bases were searched, whether the
answer found nothing, time to first token, decode speed, token counts, how many sources
it was given and which documents it cited. Never the question, the answer or a passage:
those stay in their owner's chat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.store.database import Database
from core.store.sql import Connection
from core.types import AnswerStats, Source


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """The figures of one finished answer."""

    asked_at: float
    user_id: int
    kb_ids: tuple[int, ...]
    stats: AnswerStats
    sources: tuple[Source, ...]
    message_id: int = 0
    """The stored answer (0 outside a chat): its feedback rating is copied here."""

    @property
    def not_found(self) -> bool:
        """Nothing relevant was found: the refusal without the model, or no sources at all."""
        return not self.stats.grounded or not self.sources

    @property
    def cited_documents(self) -> tuple[int, ...]:
        """This installation's documents the answer cites (a team server's are not ours)."""
        return tuple(
            sorted(
                {
                    s.document_id
                    for s in self.sources
                    if s.cited and s.document_id and not s.remote_kb
                }
            )
        )


def record(db: Database, answer: AnswerRecord) -> None:
    """Keep the figures of one answer (kbs and documents deleted meanwhile are skipped)."""
    s = answer.stats
    with db.write() as con:
        (answer_id,) = con.execute(
            "INSERT INTO answer_stats (asked_at, user_id, message_id, not_found, first_token_ms, "
            "tokens_per_s, prompt_tokens, completion_tokens, sources) VALUES "
            "(?, (SELECT id FROM users WHERE id = ?), (SELECT id FROM messages WHERE id = ?), "
            "?, ?, ?, ?, ?, ?) RETURNING id",
            (
                answer.asked_at,
                answer.user_id,
                answer.message_id,
                int(answer.not_found),
                s.first_token_ms,
                s.tokens_per_s,
                s.prompt_tokens,
                s.completion_tokens,
                len(answer.sources),
            ),
        ).fetchone()
        _link(con, "answer_kbs", "kb_id", "knowledge_bases", answer_id, answer.kb_ids)
        _link(
            con, "answer_citations", "document_id", "documents", answer_id, answer.cited_documents
        )


def _link(
    con: Connection, table: str, column: str, target: str, answer_id: int, ids: Iterable[int]
) -> None:
    """Rows joining the answer to `ids` that still exist in `target` (names are constants)."""
    for item in ids:
        con.execute(
            f"INSERT OR IGNORE INTO {table} (answer_id, {column}) "
            f"SELECT ?, id FROM {target} WHERE id = ?",
            (answer_id, item),
        )

"""The usage report administrators read: aggregate counts and averages, never any text."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import tr


@dataclass(frozen=True, slots=True)
class DayCount:
    """A count on one UTC day."""

    day: str
    """YYYY-MM-DD (UTC)."""
    count: int


@dataclass(frozen=True, slots=True)
class UserUsage:
    """How much one account asked, and how it rated the answers."""

    user_id: int
    username: str
    """'' for an account deleted since (its figures are kept without a name)."""
    questions: int
    not_found: int
    thumbs_up: int
    thumbs_down: int


@dataclass(frozen=True, slots=True)
class KbUsage:
    """How many questions searched one knowledge base."""

    kb_id: int
    name: str
    questions: int


@dataclass(frozen=True, slots=True)
class DocumentUsage:
    """A document with how often answers cited it in the period.

    `name` is '' when the administrator may not read the document's knowledge base (a
    private one): its metadata says which knowledge base, not what is in it.
    """

    document_id: int
    name: str
    kb_name: str
    citations: int


@dataclass(frozen=True, slots=True)
class FailedDocument:
    """A document that could not be indexed: the reason's message key and its text."""

    document_id: int
    name: str
    """'' when the administrator may not read its knowledge base."""
    kb_name: str
    error_key: str
    indexed_at: float
    error_params: tuple[tuple[str, object], ...] = ()
    """The reason's details (file names…); empty when its knowledge base is not readable."""

    def error(self, lang: str = "en") -> str:
        """Why it failed, in `lang` (the bare reason key where the details are private)."""
        if not self.name:
            return self.error_key
        return tr(self.error_key, lang, **dict(self.error_params))


@dataclass(frozen=True, slots=True)
class IndexSize:
    """What the index holds and how many bytes it takes on disk."""

    documents: int
    chunks: int
    database_bytes: int
    vectors_bytes: int
    blobs_bytes: int


@dataclass(frozen=True, slots=True)
class UsageReport:
    """Usage and quality over the last `days` days (UTC), for administrators."""

    days: int
    since: float
    until: float
    questions: int
    not_found: int
    thumbs_up: int
    thumbs_down: int
    avg_first_token_ms: float
    """Over answers the model wrote (not the "not found" ones): 0 when there were none."""
    avg_tokens_per_s: float
    per_day: tuple[DayCount, ...]
    """Questions on every day of the period, zero days included (oldest first)."""
    per_user: tuple[UserUsage, ...]
    per_kb: tuple[KbUsage, ...]
    top_cited: tuple[DocumentUsage, ...]
    never_cited: tuple[DocumentUsage, ...]
    """Indexed documents no answer cited in the period."""
    index: IndexSize
    indexed_per_day: tuple[DayCount, ...]
    """Documents (re)indexed on every day of the period (growth of the index)."""
    failed: tuple[FailedDocument, ...]

    @property
    def not_found_rate(self) -> float:
        """Share of questions that found nothing to cite (0..1; 0 with no questions)."""
        return self.not_found / self.questions if self.questions else 0.0

    @property
    def feedback_ratio(self) -> float:
        """Share of 👍 among rated answers (0..1; 0 when none was rated)."""
        rated = self.thumbs_up + self.thumbs_down
        return self.thumbs_up / rated if rated else 0.0

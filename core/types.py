"""Public data of the core: frozen dataclasses that cross the facade."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from pathlib import Path

from core.i18n import tr

WEAK_SUPPORT = 0.3


def _reason(key: str, params: tuple[tuple[str, object], ...], lang: str, short: bool) -> str:
    if not key:
        return ""
    values = dict(params)
    if short and "name" in values:
        values["name"] = re.split(r"[\\/]", str(values["name"]))[-1]
    return tr(key, lang, **values)


def _duration(seconds: float, lang: str) -> str:
    """'45 s', '3 min 10 s', '2 h 5 min', rounded the way an estimate deserves."""
    total = round(seconds)
    if total < 60:
        return tr("duration_seconds", lang, s=total)
    if total < 3600:
        return tr("duration_minutes", lang, m=total // 60, s=total % 60 // 10 * 10)
    return tr("duration_hours", lang, h=total // 3600, m=total % 3600 // 60)


class Visibility(StrEnum):
    """Who sees a knowledge base besides its owner and those it is shared with."""

    PRIVATE = "private"
    PUBLIC = "public"


class Access(StrEnum):
    """What a share grants."""

    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class Grant:
    """A knowledge base shared with one user or group."""

    principal: str
    """'user' or 'group'."""
    name: str
    access: Access


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """A named collection of documents, as seen by the user who asked."""

    id: int
    name: str
    documents: int = 0
    owner: str = ""
    visibility: Visibility = Visibility.PRIVATE
    personal: bool = False
    """The owner's own uploads (named '~username'), private unless shared."""
    can_write: bool = False
    can_manage: bool = False
    grants: tuple[Grant, ...] = ()
    remote: RemoteKb | None = None
    """Set when this stands for a team server's knowledge base (read-only here)."""
    description: str = ""
    """One line from its assistant, shown in pickers ('' when none is set)."""

    @property
    def sharing(self) -> str:
        """'public', 'shared' or 'private', for lists."""
        if self.visibility is Visibility.PUBLIC:
            return "public"
        return "shared" if self.grants else "private"


@dataclass(frozen=True, slots=True)
class Assistant:
    """A knowledge base's own instructions and answer settings (None: the installation's).

    They apply to questions asked in that one knowledge base; a question over several
    (every knowledge base the user sees) uses the installation's settings and no
    instructions. The product's rules on sources always stay above the instructions.
    """

    kb: str
    instructions: str = ""
    """Tone, format and answer-language policy, added below the product's own rules."""
    description: str = ""
    """One line shown in the knowledge-base picker."""
    temperature: float | None = None
    answer_tokens: int | None = None
    """The longest answer, in tokens."""
    passages: int | None = None
    """Passages offered to the model per answer (on a CPU at most `cpu_sources`)."""
    can_edit: bool = False
    """Whether the user who asked may change it (those who may change the KB)."""


@dataclass(frozen=True, slots=True)
class QuestionTemplate:
    """A saved question with `{placeholders}`: the user's own, or shared with a KB."""

    id: int
    name: str
    text: str
    kb: str | None = None
    """The knowledge base it is shared with; None for a personal template."""
    owner: str = ""
    """Who wrote it."""
    can_edit: bool = False
    fields: tuple[str, ...] = ()
    """Its distinct placeholder names in order of first appearance."""


@dataclass(frozen=True, slots=True)
class RemoteKb:
    """A team server's knowledge base as a desktop holds it."""

    server: str
    """The server's address, https://host:port."""
    name: str
    """Its name on the server."""
    keep_copy: bool = False
    """Whether a copy is kept on this computer (synced in the background)."""
    synced_at: float | None = None
    """When the copy last caught up with the server (None: never)."""
    version: int = 0
    """The server's change-log version the copy holds."""


@dataclass(frozen=True, slots=True)
class RemoteServer:
    """A team server a user of this computer joined."""

    id: int
    url: str
    fingerprint: str
    """SHA-256 of the certificate it must present, 'AB:CD:…'."""
    account: str
    """The user's name on the server."""
    added_at: float
    synced_at: float | None = None


@dataclass(frozen=True, slots=True)
class ServerIdentity:
    """What a server presents before anything is sent to it: check it before trusting."""

    url: str
    fingerprint: str
    pinned: bool
    """True when it matches a fingerprint already trusted (joined before, or set by IT)."""


class SyncStage(StrEnum):
    """Where a sync of one knowledge base stands."""

    LISTED = "listed"
    """The server's changes are known: `total` documents to fetch or remove."""
    DOCUMENT = "document"
    """A document was fetched (or removed) and written."""
    FINISHED = "finished"
    """The copy caught up; `report` is set."""


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a sync of one knowledge base did."""

    kb: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    bytes_received: int = 0
    version: int = 0
    re_embedded: bool = False
    """The server's embedder differs from this computer's: vectors were computed here."""
    dropped: bool = False
    """The server no longer lets this user read it: the copy was deleted."""
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """One step of a sync, for progress bars."""

    kb: str
    stage: SyncStage
    done: int = 0
    total: int = 0
    document: str = ""
    report: SyncReport | None = None


class DocumentStatus(StrEnum):
    """Where a document stands in the index."""

    INDEXED = "indexed"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Document:
    """One indexed (or failed) source file."""

    id: int
    kb_id: int
    source: str
    name: str
    kind: str
    status: DocumentStatus
    chunks: int
    pages: int
    error_key: str = ""
    error_params: tuple[tuple[str, object], ...] = ()

    def error(self, lang: str = "en", *, short_name: bool = False) -> str:
        """Why the document failed, in `lang`; empty when it did not."""
        return _reason(self.error_key, self.error_params, lang, short_name)


class WatchState(StrEnum):
    """Where a watched folder's scanning stands."""

    WAITING = "waiting"
    """Added; not scanned yet."""
    SCANNING = "scanning"
    OK = "ok"
    """Last scan finished; the index follows the folder."""
    ERROR = "error"
    """Last scan could not run (folder missing, access lost); see the reason."""


@dataclass(frozen=True, slots=True)
class WatchedFolder:
    """A folder a knowledge base follows: new, changed and deleted files are re-indexed."""

    id: int
    kb_id: int
    kb: str
    path: str
    owner: str
    state: WatchState
    scanned_at: float = 0.0
    """When the last scan finished (0: never)."""
    indexed: int = 0
    """Files (re-)indexed by the last scan."""
    removed: int = 0
    failed: int = 0
    error_key: str = ""
    error_params: tuple[tuple[str, object], ...] = ()
    live: bool = False
    """Whether file-system events are followed now (else only the periodic rescan)."""

    def error(self, lang: str = "en") -> str:
        """Why the last scan could not run, in `lang`; empty when it ran."""
        return _reason(self.error_key, self.error_params, lang, False)


@dataclass(frozen=True, slots=True)
class MaintenanceResult:
    """One maintenance task as it ran: compaction, optimize, integrity check, backup."""

    task: str
    """'vectors', 'database', 'integrity', 'files' or 'backup'."""
    started_at: float
    seconds: float
    ok: bool
    key: str = ""
    params: tuple[tuple[str, object], ...] = ()
    """What it did or found (counts, the backup's path, the problems), as a message."""

    def detail(self, lang: str = "en") -> str:
        """What it did or found, in `lang`."""
        return _reason(self.key, self.params, lang, False)

    def value(self, name: str) -> str:
        """One figure of the detail by name (a backup's 'path'); '' if absent."""
        return str(dict(self.params).get(name, ""))


@dataclass(frozen=True, slots=True)
class Restored:
    """The outcome of a restore."""

    previous: Path
    """The folder the replaced data was moved to (nothing is deleted)."""
    recovery_code: str = ""
    """The new recovery code, when the backup was opened with an old one (shown once)."""


@dataclass(frozen=True, slots=True)
class Location:
    """Where a passage sits inside its document, as a reader would name it."""

    page: int | None = None
    """1-based page for PDFs, slide for PPTX, sheet ordinal for XLSX; None if unpaged."""
    label: str = ""
    """Human label: 'p. 12', 'slide 3', 'sheet Budget'."""
    heading: str = ""
    """The heading path, ' › '-joined, e.g. 'Chapter 3 › 3.2 Licences'."""


@dataclass(frozen=True, slots=True)
class Hit:
    """A retrieved chunk and where it ranked for one search.

    No raw keyword (BM25) score crosses the facade: its statistics span every knowledge
    base, so watching its value change would let a user count another knowledge base's
    chunks containing a word. Only ranks and the query-to-chunk cosine are exposed.
    """

    chunk_id: int
    document_id: int
    document: str
    source: str
    text: str
    location: Location
    rank: int
    """Position in this search's results, 1 for the best."""
    keyword_rank: int
    """Position among this query's keyword matches in the searched knowledge bases
    (1 for the best); 0 when none of the query's words occur in the chunk."""
    vector_score: float
    """Cosine similarity of query and chunk: it depends on these two texts alone."""


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent over the network: held in memory, never written to disk in plaintext.

    It is kept in its knowledge base under `upload:<name>`, so sending a file of the same
    name again replaces it (unchanged content is skipped), as a rescanned folder does.
    """

    name: str
    data: bytes = field(repr=False)


class IngestStage(StrEnum):
    """What an IngestProgress event reports."""

    SCANNED = "scanned"
    EMBEDDING = "embedding"
    """Inside one file: `chunks` of `file_chunks` embedded so far."""
    INDEXED = "indexed"
    SKIPPED = "skipped"
    FAILED = "failed"
    REMOVED = "removed"
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class UpgradeProgress:
    """How far opening has come in upgrading a store that an older version wrote.

    Reported while the engine opens, before and after each batch of a migration that
    reads every chunk (a new keyword index: ~4 minutes at 1M chunks on 2 cores), so a
    shell can show why the start takes long, how far it is, and offer to stop.
    """

    step: str
    """The migration at work (for logs; shells say "upgrading" whatever it is)."""
    done: int
    """Chunks upgraded so far."""
    total: int
    """Chunks to upgrade in this step."""


@dataclass(frozen=True, slots=True)
class IngestProgress:
    """One step of `Engine.ingest`; `done`/`total` drive a progress bar."""

    stage: IngestStage
    source: str = ""
    done: int = 0
    total: int = 0
    chunks: int = 0
    file_chunks: int = 0
    message: str = ""
    error_key: str = ""
    error_params: tuple[tuple[str, str], ...] = ()
    report: IngestReport | None = None
    """Set on the FINISHED event."""
    tokens_per_second: float = 0.0
    """Embedding pace of the run so far (EMBEDDING and INDEXED events)."""
    seconds_left: float | None = None
    """Estimated time to the end of the run; None until there is enough to go on."""

    def pace(self, lang: str = "en") -> str:
        """'1,240 tokens/s, about 3 min 10 s left', or '' before the first batch."""
        if not self.tokens_per_second:
            return ""
        rate = f"{self.tokens_per_second:,.0f}"
        if lang == "ru":
            rate = rate.replace(",", "\u202f")
        if self.seconds_left is None:
            return tr("pace_rate", lang, rate=rate)
        return tr("pace_rate_left", lang, rate=rate, left=_duration(self.seconds_left, lang))

    def error(self, lang: str = "en", *, short_name: bool = False) -> str:
        """The failure reason in `lang`, for FAILED events.

        With `short_name` the file is named without its folder (for a table that already
        shows the full path).
        """
        return _reason(self.error_key, self.error_params, lang, short_name)


@dataclass(frozen=True, slots=True)
class IngestReport:
    """Totals of one ingest run."""

    indexed: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    chunks: int = 0
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class Source:
    """A numbered source given to the model: [n] in the answer maps here."""

    number: int
    document: str
    source: str
    location: Location
    snippet: str
    chunk_id: int
    cited: bool = False
    support: float = 1.0
    """How well the answer's sentences citing this source match it (0..1); see `weak`."""
    document_id: int = 0
    """The document to open (`documents.render_page`, `documents.passages`); 0 if unknown."""
    remote_kb: int = 0
    """Non-zero when `document_id` and `chunk_id` are a team server's: the local id of
    that server's knowledge base, to pass on when opening the document."""

    @property
    def weak(self) -> bool:
        """Cited, but no citing sentence is supported by this source's text."""
        return self.cited and self.support < WEAK_SUPPORT


@dataclass(frozen=True, slots=True)
class Chat:
    """A conversation of one user."""

    id: int
    title: str
    created_at: float
    updated_at: float
    messages: int = 0


@dataclass(frozen=True, slots=True)
class ChatMessage:
    """A question or an answer in a chat; answers keep the sources they were given."""

    id: int
    role: str
    """'user' or 'assistant'."""
    text: str
    created_at: float
    sources: tuple[Source, ...] = ()
    rating: int = 0
    """The owner's feedback on an answer: 1 (👍), -1 (👎) or 0 (none)."""


@dataclass(frozen=True, slots=True)
class AnswerStats:
    """Timing and size figures of one answer."""

    retrieval_ms: float = 0.0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    first_token_ms: float = 0.0
    tokens_per_s: float = 0.0
    total_ms: float = 0.0
    model: str = ""
    cancelled: bool = False
    grounded: bool = True
    """False when nothing relevant was found and the model was not asked."""
    memory_notes: int = 0
    """Notes from earlier sessions offered to the model (marked, never cited)."""
    history_turns: int = 0
    """Earlier turns of the conversation offered to the model."""


@dataclass(frozen=True, slots=True)
class Queued:
    """The answer waits for the model: its place in line (1 = next), sent when it changes.

    Comes before the first Token, only while others hold the model or wait ahead.
    """

    position: int


@dataclass(frozen=True, slots=True)
class Token:
    """A piece of streamed answer text."""

    text: str


@dataclass(frozen=True, slots=True)
class Sources:
    """The sources the answer may cite, sent after the last token."""

    items: tuple[Source, ...] = field(default_factory=tuple)
    unknown_citations: tuple[int, ...] = ()
    """[n] markers in the answer that match no source (the model invented them)."""


@dataclass(frozen=True, slots=True)
class Done:
    """The last event of an answer."""

    stats: AnswerStats
    message_id: int = 0
    """The stored answer's id in its chat (for feedback); 0 when asked outside a chat."""


@dataclass(frozen=True, slots=True)
class ChatStarted:
    """The first event of an answer asked with `chat=NEW_CHAT`: the chat it made."""

    chat: Chat


class NewChat(Enum):
    """`ask(..., chat=NEW_CHAT)`: keep the turn in a new chat the answer creates."""

    NEW = "new"


NEW_CHAT = NewChat.NEW


@dataclass(frozen=True, slots=True)
class Offline:
    """The team server is out of reach: this answer comes from the copy on this computer.

    Comes first, before any other event of the answer.
    """

    server: str
    synced_at: float | None
    """When the copy last caught up (None: never fully)."""

    def message(self, lang: str = "en") -> str:
        """'Offline — answering from the copy synced at 14:02', in `lang`."""
        stamp = time.strftime("%H:%M", time.localtime(self.synced_at)) if self.synced_at else "—"
        return tr("offline_answer", lang, time=stamp)


AnswerEvent = ChatStarted | Offline | Queued | Token | Sources | Done


@dataclass(frozen=True, slots=True)
class Summary:
    """What the model wrote about a finished conversation (at logout or when cleared)."""

    id: int
    created_at: float
    reason: str
    """'logout' or 'clear'."""
    language: str
    text: str
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class PageImage:
    """A rendered PDF page: `height` rows of `width` RGB pixels (3 bytes each)."""

    page: int
    width: int
    height: int
    rgb: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class Passage:
    """One chunk of a document in reading order, for showing a source in context."""

    chunk_id: int
    location: Location
    text: str


@dataclass(frozen=True, slots=True)
class EngineStatus:
    """What the engine runs on, for status screens."""

    data_dir: str
    model: str
    model_is_demo: bool
    embedder: str
    knowledge_bases: tuple[KnowledgeBase, ...]
    documents: int
    chunks: int
    key_store: str = ""
    """Where the database key is kept, e.g. 'keyring (…SecretService.Keyring)'."""


@dataclass(frozen=True, slots=True)
class ServerCertificate:
    """The TLS certificate a team server presents, and how to open its private key."""

    cert_file: Path
    key_file: Path
    key_password: str = field(repr=False)
    """'' for a key file that is not encrypted (a company certificate given as is)."""
    fingerprint: str
    """SHA-256 of the certificate, AA:BB:…: what clients pin on first connect."""
    generated: bool = False
    """Made by Konspekt (self-signed) rather than given."""


@dataclass(frozen=True, slots=True)
class TokenUsage:
    """A user's use of the model today (UTC) and the daily quota an admin set, if any."""

    day: str
    """The UTC date, 'YYYY-MM-DD'."""
    used: int
    """Prompt plus answer tokens of today's answers."""
    limit: int | None
    """Tokens per day (None: no quota)."""


class BundleStage(StrEnum):
    """What a BundleProgress event reports."""

    DOCUMENT = "document"
    """One more document written into the bundle (export) or read from it (import)."""
    EMBEDDING = "embedding"
    """Import into another embedder: `chunks` of `file_chunks` of a document re-embedded."""
    FINISHED = "finished"


@dataclass(frozen=True, slots=True)
class BundleReport:
    """What a knowledge-base bundle export or import did."""

    kb: str
    """The knowledge base's name (on import, the name it got here: 'Name (2)' on a clash)."""
    documents: int = 0
    chunks: int = 0
    re_embedded: bool = False
    """The bundle's vectors came from another embedder: this installation re-embedded."""
    cancelled: bool = False
    """Stopped on request: nothing was imported (or no file written)."""


@dataclass(frozen=True, slots=True)
class BundleProgress:
    """One step of a bundle export or import; `done`/`total` drive a progress bar."""

    stage: BundleStage
    document: str = ""
    done: int = 0
    total: int = 0
    chunks: int = 0
    file_chunks: int = 0
    report: BundleReport | None = None
    """Set on the FINISHED event."""

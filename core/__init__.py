"""Konspekt core: the engine behind every shell. Shells import from here and nothing deeper."""

from core.engine import Engine
from core.errors import (
    CoreError,
    DatabaseCorrupt,
    DatabaseNewer,
    FileRejected,
    KeyMissing,
    KnownError,
    ModelMissing,
    NotFound,
    WrongKey,
)
from core.i18n import system_language, tr
from core.settings import Settings
from core.store.library import DEFAULT_KB
from core.types import (
    AnswerEvent,
    AnswerStats,
    Document,
    DocumentStatus,
    Done,
    EngineStatus,
    Hit,
    IngestProgress,
    IngestReport,
    IngestStage,
    KnowledgeBase,
    Location,
    Source,
    Sources,
    Token,
)

__all__ = [
    "DEFAULT_KB",
    "AnswerEvent",
    "AnswerStats",
    "CoreError",
    "DatabaseCorrupt",
    "DatabaseNewer",
    "Document",
    "DocumentStatus",
    "Done",
    "Engine",
    "EngineStatus",
    "FileRejected",
    "Hit",
    "IngestProgress",
    "IngestReport",
    "IngestStage",
    "KeyMissing",
    "KnowledgeBase",
    "KnownError",
    "Location",
    "ModelMissing",
    "NotFound",
    "Settings",
    "Source",
    "Sources",
    "Token",
    "WrongKey",
    "system_language",
    "tr",
]

"""The installation as a whole: its models, its settings, and what a user's status shows."""

from __future__ import annotations

from dataclasses import replace

from core.errors import ModelMissing
from core.identity import Session
from core.llm.catalog import ModelChoice, resolve_model
from core.llm.generator import Generator
from core.security import audit
from core.security.access import Permission, require
from core.services.context import Context
from core.services.knowledge_bases import KnowledgeBaseService
from core.settings import Settings, settings_changes
from core.types import EngineStatus

FIXED = ("data_dir", "embedder", "key_store", "key_path", "chunk_tokens")
"""Settings fixed for an engine's life (changing them needs a restart)."""
MODEL_FIELDS = {"model_path", "n_ctx", "n_threads", "n_gpu_layers"} | {
    "answer_endpoints",
    "answer_endpoint_parallel",
    "answer_endpoint_model",
    "answer_endpoint_key_env",
}
"""Settings whose change reloads the model."""


class SystemService:
    """Loading the models, installation settings (admins), and the status line."""

    def __init__(self, ctx: Context, kbs: KnowledgeBaseService) -> None:
        self._ctx = ctx
        self._kbs = kbs

    def load_model(self) -> Generator:
        """Load the language model now (it is loaded on first `ask` otherwise)."""
        return self._ctx.model.get()

    def warm_up(self) -> None:
        """Load the embedder and the document parsers now (seconds), not on the first ingest.

        Shells call it on a worker thread after login, beside `load_model`.
        """
        self._ctx.index.open()
        self._ctx.parser.warm_up()

    def model_choice(self) -> ModelChoice:
        """The model `ask` uses (or will load), and whether it is the demo fallback."""
        loaded = self._ctx.model.loaded
        if loaded is not None:
            return self._ctx.loaded_model or ModelChoice(loaded.path, is_demo=False)
        return resolve_model(self._ctx.settings)

    def apply_settings(self, session: Session, settings: Settings) -> None:
        """Save `settings` to konspekt.toml and use them from the next answer on (admins).

        Every field is installation-wide (the model, its context, answers and search for
        everyone), so changing any needs MANAGE_SETTINGS and is audited with old and new
        values; a call that changes nothing is allowed to anyone (the desktop's Settings
        dialog also saves personal preferences, which never pass through here). A changed
        model setting reloads the model. The data folder, key store and embedder are fixed
        for the engine's life (changing them needs a restart).
        """
        ctx = self._ctx
        actor = ctx.actor(session)
        settings = replace(settings, **{name: getattr(ctx.settings, name) for name in FIXED})
        changed = settings_changes(ctx.settings, settings)
        if not changed:
            return
        require(actor, Permission.MANAGE_SETTINGS)
        with ctx.db.write() as con:
            audit.record(con, actor, "settings_changed", ",".join(sorted(changed)), **changed)
            settings.save()  # a failed save rolls the audit entry back
            ctx.settings = settings
        if MODEL_FIELDS & changed.keys() and ctx.model.loaded is not None:
            ctx.model.unload()
            ctx.loaded_model = None

    def status(self, session: Session) -> EngineStatus:
        """Where the data lives, which models run, what the user can see."""
        ctx = self._ctx
        kbs = tuple(self._kbs.visible(session))
        chunks = ctx.library.chunk_count([k.id for k in kbs])
        try:
            choice = self.model_choice()
            model, demo = str(choice.path), choice.is_demo
        except ModelMissing:
            model, demo = "", False
        return EngineStatus(
            str(ctx.settings.data_dir),
            model,
            demo,
            ctx.settings.embedder,
            kbs,
            sum(k.documents for k in kbs),
            chunks,
            ctx.keystore.describe(),
        )

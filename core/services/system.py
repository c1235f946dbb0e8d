"""The installation as a whole: its models, its settings, and what a user's status shows."""

from __future__ import annotations

import secrets
from dataclasses import replace
from pathlib import Path

from core.crypto import certificate_fingerprint, self_signed_certificate
from core.errors import InvalidInput, ModelMissing, SettingLocked
from core.identity import Session
from core.llm.catalog import DEMO_FILE, ModelChoice, resolve_model
from core.llm.generator import Generator
from core.security import audit
from core.security.access import Permission, require
from core.services.context import Context
from core.services.knowledge_bases import KnowledgeBaseService
from core.settings import Settings, settings_changes
from core.types import EngineStatus, ServerCertificate

FIXED = ("data_dir", "embedder", "key_store", "key_path", "chunk_tokens")
"""Settings fixed for an engine's life (changing them needs a restart)."""
TLS_PASSWORD = "tls_key_password"
"""Where the password of a generated TLS key is kept (inside the encrypted database)."""
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
        """Load the embedder, the vector index and the parsers now, not at the first use.

        Each takes seconds (the vector index 1.8 s at 1M chunks; the first search then 50 ms).
        Shells call it on a worker thread after login, beside `load_model`.
        """
        self._ctx.index.open().vectors.warm_up()
        self._ctx.parser.warm_up()

    def model_choice(self) -> ModelChoice:
        """The model `ask` uses (or will load), and whether it is the demo fallback."""
        loaded = self._ctx.model.loaded
        if loaded is not None:
            demo = loaded.path.name == DEMO_FILE  # a model handed in, e.g. by tests
            return self._ctx.loaded_model or ModelChoice(loaded.path, is_demo=demo)
        return resolve_model(self._ctx.settings)

    def apply_settings(self, session: Session, settings: Settings) -> None:
        """Save `settings` to konspekt.toml and use them from the next answer on (admins).

        Every field is installation-wide (the model, its context, answers and search for
        everyone), so changing any needs MANAGE_SETTINGS and is audited with old and new
        values; a call that changes nothing is allowed to anyone (the desktop's Settings
        dialog also saves personal preferences, which never pass through here). A changed
        model setting reloads the model. The data folder, key store and embedder are fixed
        for the engine's life (changing them needs a restart).

        Raises:
            SettingLocked: `settings` changes a value IT's policy locked (nothing is saved).
        """
        ctx = self._ctx
        actor = ctx.actor(session)
        policy = ctx.settings.policy
        for name, value in policy.locked_settings.items():
            if getattr(settings, name) != value:
                raise SettingLocked(name, policy.source)
        settings = replace(settings, policy=policy)
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
        ctx.model.admission.resize(settings.answer_capacity)

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

    def server_certificate(
        self, hosts: list[str], cert: Path | None = None, key: Path | None = None
    ) -> ServerCertificate:
        """The certificate a team server presents: `cert` and `key` as given, or its own.

        Its own is self-signed for `hosts`, made on first start under `tls/` in the data
        folder, and reused after (clients pinned its fingerprint). Its private key is
        encrypted with a password kept in the encrypted database, so the key file alone
        impersonates no one.
        """
        if (cert is None) != (key is None):
            raise InvalidInput("tls_pair")
        if cert is not None and key is not None:
            try:
                fingerprint = certificate_fingerprint(cert.read_bytes())
            except (OSError, ValueError) as exc:
                raise InvalidInput("tls_unreadable", path=str(cert), detail=str(exc)) from None
            return ServerCertificate(cert, key, "", fingerprint)
        folder = self._ctx.settings.data_dir / "tls"
        cert_file, key_file = folder / "server.crt", folder / "server.key"
        library = self._ctx.library
        password = library.setting(TLS_PASSWORD)
        generated = not (password and cert_file.exists() and key_file.exists())
        if generated:
            password = secrets.token_urlsafe(32)
            cert_pem, key_pem = self_signed_certificate(hosts, password.encode())
            folder.mkdir(mode=0o700, exist_ok=True)
            for path, data in ((cert_file, cert_pem), (key_file, key_pem)):
                path.with_suffix(".tmp").write_bytes(data)
                path.with_suffix(".tmp").chmod(0o600)
                path.with_suffix(".tmp").replace(path)
            library.set_setting(TLS_PASSWORD, password)
        fingerprint = certificate_fingerprint(cert_file.read_bytes())
        return ServerCertificate(cert_file, key_file, password, fingerprint, generated)

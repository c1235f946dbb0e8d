"""`konspekt serve`: open the data folder, present a TLS certificate, serve until stopped."""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import uvicorn

from core import Engine, KnownError, Settings, UpgradeProgress
from server.app import create_app
from server.text import t

log = logging.getLogger("konspekt.server")


def _say(key: str, lang: str, **params: object) -> None:
    print(t(key, lang, **params), file=sys.stderr, flush=True)


def _upgrade_said(lang: str) -> Callable[[UpgradeProgress], None]:
    """Say how far the upgrade of a store an older version wrote has come, by tenths.

    It runs before the server listens (minutes at a million passages): without a word
    an administrator would see a server that does not answer.
    """
    said: set[tuple[str, int]] = set()

    def say(progress: UpgradeProgress) -> None:
        tenth = (progress.step, 10 * progress.done // max(progress.total, 1))
        if tenth not in said:
            said.add(tenth)
            _say("upgrading", lang, done=progress.done, total=progress.total)

    return say


def hosts_for(host: str) -> list[str]:
    """Names a self-signed certificate covers: the bound address, this machine, loopback."""
    names = [host] if host not in ("0.0.0.0", "::", "") else []
    names += [socket.gethostname(), socket.getfqdn(), "localhost", "127.0.0.1", "::1"]
    return list(dict.fromkeys(n for n in names if n))


def config(
    engine: Engine, host: str, port: int, cert: Path | None, key: Path | None
) -> tuple[uvicorn.Config, str, bool]:
    """The uvicorn configuration (TLS only), the certificate's fingerprint, whether new.

    The fingerprint is printed for people to compare with what their clients show; a
    generated certificate is announced with the names it covers.
    """
    tls = engine.system.server_certificate(hosts_for(host), cert, key)
    settings = engine.settings
    server_config = uvicorn.Config(
        create_app(engine),
        host=host,
        port=port,
        ssl_certfile=str(tls.cert_file),
        ssl_keyfile=str(tls.key_file),
        ssl_keyfile_password=tls.key_password or os.environ.get("KONSPEKT_TLS_KEY_PASSWORD"),
        access_log=False,  # uvicorn's would log paths and queries; ours logs route templates
        log_config=None,
        timeout_keep_alive=5,
        timeout_graceful_shutdown=int(settings.server_grace_seconds),
        limit_concurrency=1000,
        server_header=False,
    )
    return server_config, tls.fingerprint, tls.generated


def serve(
    settings: Settings,
    lang: str,
    host: str = "0.0.0.0",
    port: int = 8443,
    cert: Path | None = None,
    key: Path | None = None,
) -> int:
    """Run the team server over the data in `settings.data_dir` until interrupted."""
    if not Engine.data_exists(settings):
        _say("not_set_up", lang, path=settings.data_dir)
        return 1
    for name in ("konspekt.access", "konspekt.server", "uvicorn.error"):
        logging.getLogger(name).setLevel(logging.INFO)  # one line a request, and start/stop
    passphrase = os.environ.get("KONSPEKT_PASSPHRASE")
    with Engine(
        settings, passphrase=passphrase, keep_sessions=True, on_upgrade=_upgrade_said(lang)
    ) as engine:
        if engine.identity.needs_setup():
            _say("not_set_up", lang, path=settings.data_dir)
            return 1
        try:
            server_config, fingerprint, generated = config(engine, host, port, cert, key)
        except KnownError as exc:
            print(exc.user_message(lang), file=sys.stderr)
            return 1
        if generated:
            _say("generated", lang, hosts=", ".join(hosts_for(host)))
        _say("listening", lang, host=host, port=port, fp=fingerprint)
        engine.start_background()
        threading.Thread(target=_warm_up, args=(engine,), daemon=True).start()
        # uvicorn shuts down gracefully on SIGTERM, then raises the signal again for the
        # handler it found: with the default one that kills the process before the engine
        # closes its database. Ours lets `serve` return, so `with` closes everything.
        previous = signal.signal(signal.SIGTERM, _stop_requested)
        try:
            uvicorn.Server(server_config).run()
        finally:
            signal.signal(signal.SIGTERM, previous)
    return 0


def _stop_requested(signum: int, frame: object) -> None:
    """SIGTERM after uvicorn's graceful shutdown: nothing left to do but return."""


def _warm_up(engine: Engine) -> None:
    """Load the embedder, parsers and model before the first question needs them."""
    try:
        engine.system.warm_up()
        engine.system.load_model()
    except KnownError as exc:
        log.warning("%s", exc.user_message("en"))

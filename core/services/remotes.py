"""Team servers a desktop user joins: trust, login, their knowledge bases, publishing.

Joining: the server's certificate fingerprint is shown before anything is sent
(`identify`); the user (or IT, through `team_server_fingerprint`) accepts it and it is
pinned; a login on the server makes an API key for this computer, kept in the OS
keychain (inside the encrypted database only where the data's own key is not in a
keychain either); the password is never kept. Each knowledge base the user may read on
the server becomes a local, read-only row (a mirror) that the KB picker lists, marked;
a mirror is asked on the server while it can be reached, and from its synced copy when
it cannot.
"""

from __future__ import annotations

import logging
import socket
import ssl
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from core import web
from core.errors import (
    CertificateChanged,
    InvalidInput,
    KnownError,
    NotFound,
    PermissionDenied,
    ServerUnreachable,
    SettingLocked,
)
from core.identity import Session, User
from core.security import audit, keychain
from core.security.access import Permission, require
from core.security.keystore import KeyBackend
from core.services.context import Context
from core.services.mirrors import Mirrors
from core.store.replica import MirrorRow, RemoteRow
from core.sync.client import ServerClient, kb_path
from core.sync.png import decode_png
from core.sync.remote_answers import location_of
from core.types import (
    KnowledgeBase,
    PageImage,
    Passage,
    RemoteServer,
    ServerIdentity,
)

log = logging.getLogger(__name__)


class RemoteService:
    """Joining team servers and reaching their knowledge bases from this computer."""

    def __init__(self, ctx: Context, mirrors: Mirrors) -> None:
        self._ctx = ctx
        self._replica = ctx.replica
        self._mirrors = mirrors

    # Joining -----------------------------------------------------------------------
    def identify(self, url: str) -> ServerIdentity:
        """The certificate fingerprint `url` presents, to show before trusting it.

        Nothing is sent but a TLS handshake. `pinned` is True when it matches what is
        already trusted for that address (by this computer or by IT's setting).
        """
        url = server_url(url)
        try:
            fingerprint = web.fingerprint_of(web.presented_certificate(url))
        except (OSError, ssl.SSLError) as exc:
            raise ServerUnreachable("server_unreachable", url=url, detail=str(exc)) from None
        trusted = self._preset(url) or next(
            (r.fingerprint for r in self._replica.remotes() if r.url == url), ""
        )
        return ServerIdentity(url, fingerprint, fingerprint == trusted)

    def connect(
        self, session: Session, url: str, username: str, password: str, fingerprint: str
    ) -> RemoteServer:
        """Join `url` as `username`, trusting the certificate with `fingerprint`.

        `fingerprint` is the one the user was shown and accepted (`identify`); when IT
        preset one for this address it must be that one. Lists the server's knowledge
        bases at once. Raises CertificateChanged, ServerUnreachable, AuthenticationFailed
        (the server refused the login, in its words) or ServerRefused; SettingLocked when
        IT's policy locks `team_server_url` to another server.
        """
        user = self._ctx.actor(session)
        url = server_url(url)
        settings = self._ctx.settings
        if settings.locked_by("team_server_url"):  # IT chose the one server to join
            chosen = settings.team_server_url
            if not chosen or url != server_url(chosen):
                raise SettingLocked("team_server_url", settings.policy.source)
        pin = web.normal_fingerprint(fingerprint)
        preset = self._preset(url)
        if preset and pin != preset:
            raise CertificateChanged(
                "server_certificate_changed", url=url, pinned=preset, presented=pin
            )
        with ServerClient(url, pin) as anonymous:
            token = anonymous.post("/api/login", {"username": username, "password": password})
        with ServerClient(url, pin, token["token"]) as client:
            made = client.post("/api/keys", {"name": f"Konspekt on {socket.gethostname()}"[:100]})
            client.post("/api/logout", None)
        account = str(token["user"]["username"])
        with self._ctx.db.write() as con:
            remote_id = self._replica.add_remote(con, user.id, url, pin, account, self._ctx.clock())
            audit.record(con, user, "server_joined", url, account=account, fingerprint=pin)
        self._mirrors.keep_key(remote_id, int(made["key"]["id"]), str(made["secret"]))
        self.refresh(session, url)
        return self._server(self._own(user, url))

    def servers(self, session: Session) -> list[RemoteServer]:
        """The team servers this user joined."""
        user = self._ctx.actor(session)
        return [self._server(r) for r in self._replica.remotes(user.id)]

    def disconnect(self, session: Session, url: str) -> None:
        """Leave a server: its key is revoked there (if it answers), copies are deleted."""
        user = self._ctx.actor(session)
        remote = self._own(user, url)
        try:
            with self._mirrors.client(remote) as client:
                client.delete(f"/api/keys/{remote.key_id}")
        except KnownError as exc:  # unreachable or already revoked: leave it anyway
            log.info("could not revoke this computer's key on the server: %s", exc.key)
        for mirror in self._replica.mirrors(remote.id):
            self._mirrors.drop(mirror.kb_id)
        keychain_account = self._mirrors.keychain_account(remote.id)
        with self._ctx.db.write() as con:
            con.execute("DELETE FROM remotes WHERE id = ?", (remote.id,))
            audit.record(con, user, "server_left", remote.url)
        if self._ctx.keystore.backend is KeyBackend.KEYRING:
            keychain.remove(keychain_account)

    # The server's knowledge bases ---------------------------------------------------
    def refresh(self, session: Session, url: str | None = None) -> list[KnowledgeBase]:
        """List the servers' knowledge bases again; returns what the user now sees.

        New ones get a local row, renamed ones are renamed, and those the user may no
        longer read there lose their row and their copy. A server out of reach is
        skipped (its rows stay, for offline answers).
        """
        user = self._ctx.actor(session)
        for remote in self._replica.remotes(user.id):
            if url is not None and remote.url != server_url(url):
                continue
            try:
                with self._mirrors.client(remote) as client:
                    listed = client.get("/api/kbs")
            except ServerUnreachable:
                continue
            self._mirrors.reconcile(remote, listed)
        return self._ctx.access.knowledge_bases(user)

    def keep_copy(self, session: Session, kb: str, keep: bool) -> KnowledgeBase:
        """Keep (or stop keeping) a copy of a server's knowledge base on this computer.

        Stopping deletes the copy; keeping takes effect at the next sync (`sync.run`).
        """
        user = self._ctx.actor(session)
        found = self._ctx.access.for_read(user, kb)
        mirror = self._replica.mirror(found.id)
        if mirror is None:
            raise InvalidInput("kb_not_remote", name=found.name)
        if not keep:
            self._mirrors.clear(mirror)
        self._replica.update_mirror(found.id, keep_copy=int(keep))
        return self._ctx.access.for_read(user, found.name)

    def publish(self, session: Session, kb: str, url: str) -> Iterator[str]:
        """Copy a local knowledge base to the server (made there under the same name).

        Yields each document's name once the server has indexed it. Editors and admins
        only, as on the server (which checks again).

        Raises:
            FeatureDisabled: export is turned off (`Settings.allow_export`).
        """
        self._ctx.settings.require("allow_export")
        user = self._ctx.actor(session)
        require(user, Permission.CREATE_KB)
        local = self._ctx.access.for_read(user, kb)
        if local.remote is not None:
            raise PermissionDenied("kb_mirror", name=local.name)
        remote = self._own(user, url)
        with self._mirrors.client(remote) as client:
            names = {str(k["name"]).casefold() for k in client.get("/api/kbs")}
            if local.name.casefold() not in names:
                client.post("/api/kbs", {"name": local.name})
            for doc in self._ctx.library.documents(local.id):
                if doc.status.value != "indexed":
                    continue
                _, blob_id, name, _ = self._ctx.library.document_file(doc.id)
                data = self._ctx.blobs.get(blob_id)
                path = f"/api/kbs/{kb_path(local.name)}/documents/{kb_path(name)}?wait=true"
                client.put_file(path, data)
                yield name
            self._mirrors.reconcile(remote, client.get("/api/kbs"))
        with self._ctx.db.write() as con:
            audit.record(con, user, "kb_published", local.name, server=remote.url)

    # Reading a server's documents --------------------------------------------------
    def render_page(
        self, session: Session, remote_kb: int, document_id: int, page: int, width: int
    ) -> PageImage:
        """A page of a server's document, rendered by the server (ServerUnreachable if not)."""
        mirror = self._mirror_for(self._ctx.actor(session), remote_kb)
        with self._mirrors.client(
            self._mirrors.remote_of(self._ctx.actor(session), mirror)
        ) as client:
            data = client.content(f"/api/documents/{document_id}/pages/{page}", width=width)
        width, height, rgb = decode_png(data)
        return PageImage(max(page, 1), width, height, rgb)

    def passages(self, session: Session, remote_kb: int, document_id: int) -> list[Passage]:
        """A server's document in reading order (ServerUnreachable if it cannot be reached)."""
        mirror = self._mirror_for(self._ctx.actor(session), remote_kb)
        with self._mirrors.client(
            self._mirrors.remote_of(self._ctx.actor(session), mirror)
        ) as client:
            return [_passage(p) for p in client.get(f"/api/documents/{document_id}/passages")]

    def copy_of(self, session: Session, remote_kb: int, document_id: int) -> int:
        """The local copy of a server's document (ServerUnreachable: none is kept)."""
        mirror = self._mirror_for(self._ctx.actor(session), remote_kb)
        held = self._replica.copies(mirror.kb_id).get(document_id)
        if held is None:
            remote = self._replica.remote(mirror.remote_id)
            raise ServerUnreachable(
                "server_no_copy", url=remote.url if remote else "", name=mirror.origin_name
            )
        return held[0]

    # Internals ---------------------------------------------------------------------
    def _preset(self, url: str) -> str:
        settings = self._ctx.settings
        preset = settings.team_server_fingerprint and settings.team_server_url
        if preset and server_url(settings.team_server_url) == url:
            return web.normal_fingerprint(settings.team_server_fingerprint)
        return ""

    def _own(self, user: User, url: str) -> RemoteRow:
        url = server_url(url)
        for remote in self._replica.remotes(user.id):
            if remote.url == url:
                return remote
        raise NotFound("server_missing", url=url)

    def _mirror_for(self, user: User, kb_id: int) -> MirrorRow:
        self._ctx.access.by_id_for(user, kb_id, write=False)
        mirror = self._replica.mirror(kb_id)
        if mirror is None:
            raise PermissionDenied("document_no_access")
        return mirror

    @staticmethod
    def _server(r: RemoteRow) -> RemoteServer:
        return RemoteServer(r.id, r.url, r.fingerprint, r.account, r.added_at, r.synced_at)


def server_url(url: str) -> str:
    """`url` as stored: https://host[:port], no path, no trailing slash."""
    text = url.strip()
    if "://" not in text:
        text = f"https://{text}"
    parts = urlsplit(text)
    if parts.scheme != "https" or not parts.hostname:
        raise InvalidInput("server_not_https", url=url)
    return f"https://{parts.netloc}"


def _passage(p: dict[str, Any]) -> Passage:
    loc = p.get("location") or {}
    return Passage(
        int(str(p["chunk_id"])),
        location_of(loc),
        str(p["text"]),
    )

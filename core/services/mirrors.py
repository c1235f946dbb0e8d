"""Local rows standing for team servers' knowledge bases, and the way to their servers.

Shared by the remote, sync, answer and document services (no shell reaches it): the
pinned, authenticated client of a joined server (its API key from the OS keychain, or
from the encrypted database where the data's own key is not in a keychain either);
making the rows match what a server lists; dropping a row with its copy; and routing a
question about a server's knowledge base to the server, or to its copy when the server
cannot be reached.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

from core.errors import NotFound, PermissionDenied, ServerUnreachable
from core.i18n import tr
from core.identity import User
from core.security import keychain
from core.security.keystore import KeyBackend
from core.services.context import Context
from core.store.replica import MirrorRow, RemoteRow
from core.sync.client import ServerClient
from core.sync.remote_answers import remote_answer
from core.types import AnswerEvent, NewChat, Offline

log = logging.getLogger(__name__)


class Mirrors:
    """The rows of joined servers' knowledge bases; reaching those servers."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._replica = ctx.replica

    def reconcile(self, remote: RemoteRow, listed: list[dict[str, Any]]) -> list[str]:
        """Make the local rows of `remote` match the knowledge bases it listed.

        Returns the server names of those dropped (no longer readable there).
        """
        by_origin = {m.origin_id: m for m in self._replica.mirrors(remote.id)}
        seen: set[int] = set()
        for kb in listed:
            origin, name = int(str(kb["id"])), str(kb["name"])
            seen.add(origin)
            mirror = by_origin.get(origin)
            if mirror is None:
                self._add(remote, origin, name)
            elif mirror.origin_name != name:
                self._rename(remote, mirror, name)
        dropped = []
        for origin, mirror in by_origin.items():
            if origin not in seen:
                log.info("a server knowledge base is no longer readable; its copy is removed")
                self.drop(mirror.kb_id)
                dropped.append(mirror.origin_name)
        return dropped

    def answer(
        self,
        user: User,
        mirror: MirrorRow,
        question: str,
        cancel: threading.Event | None,
        exclude: frozenset[int],
        chat: int | str | None = None,
        on_chat: Callable[[int], None] | None = None,
    ) -> Iterator[AnswerEvent]:
        """The server's answer for a mirror (raises ServerUnreachable before any event).

        `chat` and `on_chat` as in `core.sync.remote_answers.remote_answer`.
        """
        remote = self.remote_of(user, mirror)
        client = self.client(remote)
        try:
            yield from remote_answer(client, mirror, question, cancel, exclude, chat, on_chat)
        finally:
            client.close()

    def route(
        self,
        user: User,
        kb_ids: list[int],
        question: str,
        cancel: threading.Event | None,
        exclude: frozenset[int],
        chat: int | NewChat | None,
    ) -> tuple[Iterator[AnswerEvent] | None, Offline | None, Callable[[int], None]]:
        """Who answers a question about `kb_ids`: (the server's answer, offline, link).

        The server answers when `kb_ids` is one of its knowledge bases and it can be
        reached; then `link(local chat id)` ties the local chat to the server's chat
        that keeps the conversation there (a fresh or cleared local chat starts a new
        one). (None, None, …): this computer answers — its own knowledge bases, "all"
        (where kept copies answer with the rest). (None, Offline, …): the server is out
        of reach and this computer answers from the copy. Raises ServerUnreachable when
        no copy is kept.
        """
        mirror = self._replica.mirror(kb_ids[0]) if len(kb_ids) == 1 else None
        if mirror is None:
            return None, None, _ignore
        made: list[int] = []
        server_chat = self._server_chat(mirror, chat)
        try:
            try:
                stream, first = self._start(
                    user, mirror, question, cancel, exclude, server_chat, made
                )
            except NotFound:
                if not isinstance(server_chat, int):
                    raise
                # the server's chat was deleted there: the conversation starts anew
                stream, first = self._start(user, mirror, question, cancel, exclude, "new", made)
        except ServerUnreachable:
            if not mirror.keep_copy:
                raise
            return None, Offline(self.url_of(mirror), mirror.synced_at), _ignore

        def link(local_chat: int) -> None:
            if made:
                self._replica.link_chat(local_chat, mirror.remote_id, made[0])

        return (itertools.chain(first, stream), None, link)

    def _start(
        self,
        user: User,
        mirror: MirrorRow,
        question: str,
        cancel: threading.Event | None,
        exclude: frozenset[int],
        chat: int | str | None,
        made: list[int],
    ) -> tuple[Iterator[AnswerEvent], list[AnswerEvent]]:
        """Send the question; the stream and its first event (failing here if unreachable)."""
        stream = self.answer(user, mirror, question, cancel, exclude, chat, made.append)
        first = next(stream, None)
        return stream, [first] if first is not None else []

    def _server_chat(self, mirror: MirrorRow, chat: int | NewChat | None) -> int | str | None:
        """The server's chat to continue: None (no chat kept), its id, or 'new'."""
        if chat is None:
            return None
        if isinstance(chat, int) and self._replica.chat_has_messages(chat):
            link = self._replica.chat_link(chat)
            if link is not None and link[0] == mirror.remote_id:
                return link[1]
        return "new"

    def url_of(self, mirror: MirrorRow) -> str:
        """The address of the server a mirror belongs to."""
        remote = self._replica.remote(mirror.remote_id)
        return remote.url if remote else ""

    def client(self, remote: RemoteRow) -> ServerClient:
        """A pinned, authenticated client of a joined server."""
        return ServerClient(remote.url, remote.fingerprint, self._key(remote))

    def drop(self, kb_id: int) -> None:
        """Delete a mirror's local row with its copy."""
        ctx = self._ctx
        with ctx.locks.kb(kb_id):
            with ctx.db.write() as con:
                removed, _ = ctx.library.delete_kb(con, kb_id)
            if removed:
                vectors = ctx.index.open().vectors
                vectors.delete(removed)
                vectors.compact()
        ctx.blobs.prune(ctx.library.blob_ids())

    def clear(self, mirror: MirrorRow) -> None:
        """Delete the documents of a copy, keeping its row (asked on the server again)."""
        ctx = self._ctx
        with ctx.locks.kb(mirror.kb_id):
            held = [local for local, _ in self._replica.copies(mirror.kb_id).values()]
            if held:
                ctx.index.open().vectors.delete(ctx.library.remove_documents(held))
            self._replica.update_mirror(mirror.kb_id, version=0, log_id="", synced_at=None)
        ctx.blobs.prune(ctx.library.blob_ids())

    def remote_of(self, user: User, mirror: MirrorRow) -> RemoteRow:
        """The server a mirror belongs to, if it is `user`'s (else PermissionDenied)."""
        remote = self._replica.remote(mirror.remote_id)
        if remote is None or remote.owner_id != user.id:
            raise PermissionDenied("document_no_access")
        return remote

    def _add(self, remote: RemoteRow, origin: int, name: str) -> None:
        with self._ctx.db.write() as con:
            row = con.execute(
                "INSERT INTO knowledge_bases (name, created_at, owner_id) VALUES (?, ?, ?) "
                "RETURNING id",
                (self._local_name(remote, name), self._ctx.clock(), remote.owner_id),
            ).fetchone()
            self._replica.add_mirror(con, int(row[0]), remote.id, origin, name)

    def _rename(self, remote: RemoteRow, mirror: MirrorRow, name: str) -> None:
        """Follow a rename on the server."""
        with self._ctx.db.write() as con:
            con.execute(
                "UPDATE knowledge_bases SET name = ? WHERE id = ?",
                (self._local_name(remote, name), mirror.kb_id),
            )
            con.execute(
                "UPDATE kb_mirrors SET origin_name = ? WHERE kb_id = ?", (name, mirror.kb_id)
            )

    def _local_name(self, remote: RemoteRow, name: str) -> str:
        """'Name (host)', numbered if that is taken (names are unique on this computer)."""
        host = urlsplit(remote.url).hostname or remote.url
        base = tr("kb_mirror_name", "en", name=name, host=host)
        taken = {
            str(r[0]).casefold() for r in self._ctx.db.query("SELECT name FROM knowledge_bases")
        }
        local, n = base, 2
        while local.casefold() in taken:
            local, n = f"{base} {n}", n + 1
        return local

    def keep_key(self, remote_id: int, key_id: int, secret: str) -> None:
        """Keep a server's API key for this computer: the keychain, else the database."""
        if self._ctx.keystore.backend is KeyBackend.KEYRING:
            keychain.write(self.keychain_account(remote_id), secret)
            self._replica.set_key(remote_id, key_id, "")
        else:  # no keychain holds the data's key either: the encrypted database keeps it
            self._replica.set_key(remote_id, key_id, secret)

    def _key(self, remote: RemoteRow) -> str:
        if remote.stored_key:
            return remote.stored_key
        return keychain.read(self.keychain_account(remote.id)) or ""

    def keychain_account(self, remote_id: int) -> str:
        """The keychain entry of a joined server's API key."""
        return f"team-server:{self._ctx.keystore.data['install_id']}:{remote_id}"


def _ignore(_: int) -> None:
    """No chat to link (this computer answers)."""

"""Knowledge bases as the acting user sees and manages them: owners, shares, visibility."""

from __future__ import annotations

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.identity import Session, User
from core.security import audit
from core.security.access import AccessControl, Permission, allows, require
from core.services.context import Context
from core.types import Access, KnowledgeBase, Visibility


class KnowledgeBaseService:
    """Listing, creating, renaming, sharing and deleting knowledge bases."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def visible(self, session: Session) -> list[KnowledgeBase]:
        """The knowledge bases the user can see, their own uploads first."""
        user = self._ctx.actor(session)
        self._ctx.access.ensure_personal(user)
        return self._ctx.access.knowledge_bases(user)

    def every(self, session: Session) -> list[KnowledgeBase]:
        """Every knowledge base's name, owner and size (admins; contents stay private)."""
        user = self._ctx.actor(session)
        require(user, Permission.DELETE_ANY_KB)
        return self._ctx.access.knowledge_bases(user, every=True)

    def create(self, session: Session, name: str) -> KnowledgeBase:
        """A new private knowledge base owned by the user (editors and admins)."""
        return self._ctx.access.create(self._ctx.actor(session), name)

    def rename(self, session: Session, name: str, new_name: str) -> KnowledgeBase:
        """Rename a knowledge base the user owns."""
        access, user = self._ctx.access, self._ctx.actor(session)
        access.rename(user, access.for_manage(user, name), new_name)
        return access.for_read(user, new_name)

    def share(
        self,
        session: Session,
        name: str,
        *,
        user: str | None = None,
        group: str | None = None,
        access: Access = Access.READ,
    ) -> KnowledgeBase:
        """Share a knowledge base the user owns with a user or a group."""
        actor = self._ctx.actor(session)
        kb = self._ctx.access.for_manage(actor, name)
        principal, principal_id, label = self._principal(actor, user, group)
        self._ctx.access.share(actor, kb, principal, principal_id, label, access)
        return self._ctx.access.for_read(actor, kb.name)

    def unshare(
        self, session: Session, name: str, *, user: str | None = None, group: str | None = None
    ) -> KnowledgeBase:
        """Revoke a share; it takes effect on the next query."""
        actor = self._ctx.actor(session)
        kb = self._ctx.access.for_manage(actor, name)
        principal, principal_id, label = self._principal(actor, user, group)
        self._ctx.access.unshare(actor, kb, principal, principal_id, label)
        return self._ctx.access.for_read(actor, kb.name)

    def set_visibility(self, session: Session, name: str, visibility: Visibility) -> KnowledgeBase:
        """Make a knowledge base public to every member (editors, admins) or private."""
        actor = self._ctx.actor(session)
        kb = self._ctx.access.for_manage(actor, name)
        self._ctx.access.set_visibility(actor, kb, visibility)
        return self._ctx.access.for_read(actor, kb.name)

    def delete(self, session: Session, name: str) -> None:
        """Delete a knowledge base with its documents (its owner, or an admin).

        Waits only for a writer of this knowledge base, never for work in another.
        """
        ctx = self._ctx
        user = ctx.actor(session)
        try:
            kb = ctx.access.for_manage(user, name)
        except PermissionDenied:
            if not allows(user, Permission.DELETE_ANY_KB):
                raise
            kb = ctx.access.any_named(name)  # admins offboard; they still cannot read it
        with ctx.locks.kb(kb.id):
            with ctx.db.write() as con:
                removed, documents = ctx.library.delete_kb(con, kb.id)
                audit.record(con, user, "kb_deleted", kb.name, documents=documents)
            if removed:
                vectors = ctx.index.open().vectors
                vectors.delete(removed)
                vectors.compact()
            ctx.blobs.prune(ctx.library.blob_ids())

    def _principal(self, actor: User, user: str | None, group: str | None) -> tuple[str, int, str]:
        if (user is None) == (group is None):
            raise InvalidInput("share_whom")
        accounts = self._ctx.accounts
        if user is not None:
            target = accounts.find(user)
            if target.id == actor.id:
                raise InvalidInput("share_self")
            return "user", target.id, target.username
        found = accounts.group(group or "")
        return "group", found.id, found.name


def writable(access: AccessControl, user: User, kb: str | None) -> KnowledgeBase:
    """The knowledge base `user` writes into: their own uploads when None, else `kb`.

    A `kb` that does not exist yet is created for editors and admins.
    """
    if kb is None:
        return access.personal(user)
    try:
        return access.for_write(user, kb)
    except NotFound:
        return access.create(user, kb)


def readable_ids(access: AccessControl, user: User, kb: str | None) -> list[int]:
    """The knowledge bases a query may touch (every one the user sees when `kb` is None).

    Always from the server-side identity; default deny.
    """
    if kb is None:
        return access.visible_ids(user)
    return [access.for_read(user, kb).id]

"""The sharing part of the Engine facade: knowledge bases, their owners, shares, visibility."""

from __future__ import annotations

from core.engine_identity import IdentityOperations
from core.errors import InvalidInput
from core.identity import Session, User
from core.security.access import Permission, require
from core.types import Access, KnowledgeBase, Visibility


class SharingOperations(IdentityOperations):
    """Mixed into Engine: knowledge bases as the acting user sees and manages them."""

    # Knowledge bases -----------------------------------------------------------------
    def knowledge_bases(self, session: Session) -> list[KnowledgeBase]:
        """The knowledge bases the user can see, their own uploads first."""
        user = self._actor(session)
        self._access.ensure_personal(user)
        return self._access.knowledge_bases(user)

    def all_knowledge_bases(self, session: Session) -> list[KnowledgeBase]:
        """Every knowledge base's name, owner and size (admins; contents stay private)."""
        user = self._actor(session)
        require(user, Permission.DELETE_ANY_KB)
        return self._access.knowledge_bases(user, every=True)

    def create_knowledge_base(self, session: Session, name: str) -> KnowledgeBase:
        """A new private knowledge base owned by the user (editors and admins)."""
        return self._access.create(self._actor(session), name)

    def rename_knowledge_base(self, session: Session, name: str, new_name: str) -> KnowledgeBase:
        """Rename a knowledge base the user owns."""
        user = self._actor(session)
        self._access.rename(user, self._access.for_manage(user, name), new_name)
        return self._access.for_read(user, new_name)

    def share_knowledge_base(
        self,
        session: Session,
        name: str,
        *,
        user: str | None = None,
        group: str | None = None,
        access: Access = Access.READ,
    ) -> KnowledgeBase:
        """Share a knowledge base the user owns with a user or a group."""
        actor = self._actor(session)
        kb = self._access.for_manage(actor, name)
        principal, principal_id, label = self._principal(actor, user, group)
        self._access.share(actor, kb, principal, principal_id, label, access)
        return self._access.for_read(actor, kb.name)

    def unshare_knowledge_base(
        self, session: Session, name: str, *, user: str | None = None, group: str | None = None
    ) -> KnowledgeBase:
        """Revoke a share; it takes effect on the next query."""
        actor = self._actor(session)
        kb = self._access.for_manage(actor, name)
        principal, principal_id, label = self._principal(actor, user, group)
        self._access.unshare(actor, kb, principal, principal_id, label)
        return self._access.for_read(actor, kb.name)

    def set_visibility(self, session: Session, name: str, visibility: Visibility) -> KnowledgeBase:
        """Make a knowledge base public to every member (editors, admins) or private."""
        actor = self._actor(session)
        kb = self._access.for_manage(actor, name)
        self._access.set_visibility(actor, kb, visibility)
        return self._access.for_read(actor, kb.name)

    def _principal(self, actor: User, user: str | None, group: str | None) -> tuple[str, int, str]:
        if (user is None) == (group is None):
            raise InvalidInput("share_whom")
        if user is not None:
            target = self._accounts.find(user)
            if target.id == actor.id:
                raise InvalidInput("share_self")
            return "user", target.id, target.username
        found = self._accounts.group(group or "")
        return "group", found.id, found.name

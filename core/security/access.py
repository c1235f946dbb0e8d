"""Who may do what: role permissions and knowledge-base ownership, visibility and shares.

Default deny: a knowledge base is visible to its owner, to everyone when public, and to
the users and groups it is shared with — nobody else, admins included. Every check reads
the database, so a revoked share takes effect on the next call.
"""

from __future__ import annotations

import time
from enum import StrEnum

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.i18n import N_
from core.identity import Role, User
from core.security import audit
from core.store.database import Connection, Database, IntegrityError
from core.types import Access, Grant, KnowledgeBase, RemoteKb, Visibility

PERSONAL_PREFIX = "~"


class Permission(StrEnum):
    """Actions a role allows, independent of any particular knowledge base."""

    CREATE_KB = "create_kb"
    MAKE_PUBLIC = "make_public"
    MANAGE_USERS = "manage_users"
    MANAGE_GROUPS = "manage_groups"
    VIEW_AUDIT = "view_audit"
    MANAGE_KEYS = "manage_keys"
    DELETE_ANY_KB = "delete_any_kb"
    MAINTAIN = "maintain"
    """Run maintenance, make backups, read their log."""
    MANAGE_SETTINGS = "manage_settings"
    """Change installation settings: the model, its context, answers, search."""
    VIEW_USAGE = "view_usage"
    """Read the usage and quality figures (aggregate counts, never a chat)."""


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.EDITOR: frozenset({Permission.CREATE_KB, Permission.MAKE_PUBLIC}),
    Role.MEMBER: frozenset(),
}

_VISIBLE = """
    SELECT id FROM knowledge_bases WHERE owner_id = :u OR visibility = 'public'
    UNION SELECT kb_id FROM kb_grants WHERE principal = 'user' AND principal_id = :u
    UNION SELECT g.kb_id FROM kb_grants g JOIN group_members m
          ON g.principal = 'group' AND g.principal_id = m.group_id WHERE m.user_id = :u
"""
_WRITABLE = """
    SELECT id FROM knowledge_bases WHERE owner_id = :u
    UNION SELECT kb_id FROM kb_grants WHERE principal = 'user' AND principal_id = :u
          AND access = 'write'
    UNION SELECT g.kb_id FROM kb_grants g JOIN group_members m
          ON g.principal = 'group' AND g.principal_id = m.group_id
          WHERE m.user_id = :u AND g.access = 'write'
"""


DENIED_KEYS = (  # require() says "denied_<permission>"; named here for `make messages`
    N_("denied_create_kb"),
    N_("denied_make_public"),
    N_("denied_manage_users"),
    N_("denied_manage_groups"),
    N_("denied_view_audit"),
    N_("denied_manage_keys"),
    N_("denied_delete_any_kb"),
    N_("denied_maintain"),
    N_("denied_view_usage"),
    N_("denied_manage_settings"),
)


def require(user: User, permission: Permission) -> None:
    """PermissionDenied unless the user's role allows `permission`."""
    if permission not in ROLE_PERMISSIONS[user.role]:
        raise PermissionDenied(f"denied_{permission.value}", role=user.role.value)


def allows(user: User, permission: Permission) -> bool:
    """Whether the user's role allows `permission`."""
    return permission in ROLE_PERMISSIONS[user.role]


def personal_name(user: User) -> str:
    """The name of a user's own uploads knowledge base."""
    return PERSONAL_PREFIX + user.username


class AccessControl:
    """Knowledge-base rows and the checks on them."""

    def __init__(self, db: Database) -> None:
        self.db = db

    # Reading ---------------------------------------------------------------------
    def visible_ids(self, user: User) -> list[int]:
        """Ids of every knowledge base the user may read."""
        return sorted(int(r[0]) for r in self.db.query(_VISIBLE, {"u": user.id}))

    def knowledge_bases(self, user: User, *, every: bool = False) -> list[KnowledgeBase]:
        """What the user sees (or, with `every`, every KB's metadata for an admin)."""
        writable = {int(r[0]) for r in self.db.query(_WRITABLE, {"u": user.id})}
        where = "" if every else f"WHERE k.id IN ({_VISIBLE})"
        rows = self.db.query(
            "SELECT k.id, k.name, (SELECT count(*) FROM documents d WHERE d.kb_id = k.id), "
            "coalesce(o.username, ''), k.visibility, k.personal, k.owner_id, "
            "r.url, m.origin_name, m.keep_copy, m.synced_at, m.version, "
            "coalesce(a.description, '') "
            "FROM knowledge_bases k LEFT JOIN users o ON o.id = k.owner_id "
            "LEFT JOIN kb_mirrors m ON m.kb_id = k.id LEFT JOIN remotes r ON r.id = m.remote_id "
            "LEFT JOIN kb_assistants a ON a.kb_id = k.id "
            f"{where} "
            "ORDER BY k.personal DESC, k.name COLLATE NOCASE",
            {"u": user.id},
        )
        result = []
        for r in rows:
            remote = RemoteKb(r[7], r[8], bool(r[9]), r[10], r[11]) if r[7] else None
            owner = r[6] == user.id and remote is None  # a copy is managed on its server
            result.append(
                KnowledgeBase(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    Visibility(r[4]),
                    bool(r[5]),
                    can_write=r[0] in writable and remote is None,
                    can_manage=owner,
                    grants=self.grants(r[0]) if owner else (),
                    remote=remote,
                    description=r[12],
                )
            )
        return result

    def grants(self, kb_id: int) -> tuple[Grant, ...]:
        """Who a knowledge base is shared with."""
        rows = self.db.query(
            "SELECT g.principal, coalesce(u.username, gr.name, '?'), g.access FROM kb_grants g "
            "LEFT JOIN users u ON g.principal = 'user' AND u.id = g.principal_id "
            "LEFT JOIN groups gr ON g.principal = 'group' AND gr.id = g.principal_id "
            "WHERE g.kb_id = ? ORDER BY g.principal, 2",
            (kb_id,),
        )
        return tuple(Grant(r[0], r[1], Access(r[2])) for r in rows)

    def _named(self, user: User, name: str) -> KnowledgeBase:
        wanted = name.strip().casefold()
        for kb in self.knowledge_bases(user):
            if kb.name.casefold() == wanted:
                return kb
        exists = self.db.query("SELECT 1 FROM knowledge_bases WHERE name = ?", (name.strip(),))
        if exists:
            raise PermissionDenied("kb_no_access", name=name)
        raise NotFound("kb_missing", name=name)

    def any_named(self, name: str) -> KnowledgeBase:
        """Any knowledge base by name, metadata only (for admins' offboarding)."""
        rows = self.db.query(
            "SELECT k.id, k.name, coalesce(o.username, ''), k.visibility, k.personal "
            "FROM knowledge_bases k LEFT JOIN users o ON o.id = k.owner_id WHERE k.name = ?",
            (name.strip(),),
        )
        if not rows:
            raise NotFound("kb_missing", name=name)
        r = rows[0]
        return KnowledgeBase(r[0], r[1], 0, r[2], Visibility(r[3]), bool(r[4]))

    def for_read(self, user: User, name: str) -> KnowledgeBase:
        """A knowledge base the user may read, by name."""
        return self._named(user, name)

    def for_write(self, user: User, name: str) -> KnowledgeBase:
        """A knowledge base the user may add documents to or delete them from."""
        kb = self._named(user, name)
        if kb.remote is not None:
            raise PermissionDenied("kb_mirror", name=kb.name)
        if not kb.can_write:
            raise PermissionDenied("kb_read_only", name=kb.name)
        return kb

    def for_manage(self, user: User, name: str) -> KnowledgeBase:
        """A knowledge base the user owns (rename, share, visibility)."""
        kb = self._named(user, name)
        if kb.remote is not None:
            raise PermissionDenied("kb_mirror", name=kb.name)
        if not kb.can_manage:
            raise PermissionDenied("kb_not_owner", name=kb.name, owner=kb.owner)
        return kb

    def by_id_for(self, user: User, kb_id: int, *, write: bool) -> KnowledgeBase:
        """A knowledge base by id with the same checks as by name."""
        for kb in self.knowledge_bases(user):
            if kb.id == kb_id:
                if write and not kb.can_write:
                    raise PermissionDenied("kb_read_only", name=kb.name)
                return kb
        raise PermissionDenied("document_no_access")

    # Changing --------------------------------------------------------------------
    def create(self, user: User, name: str, *, personal: bool = False) -> KnowledgeBase:
        """A new knowledge base owned by `user` (private)."""
        name = name.strip()
        if not personal:
            require(user, Permission.CREATE_KB)
            if not name or len(name) > 100 or name.startswith(PERSONAL_PREFIX):
                raise InvalidInput("kb_name_invalid", name=name)
        try:
            with self.db.write() as con:
                con.execute(
                    "INSERT INTO knowledge_bases (name, created_at, owner_id, personal) "
                    "VALUES (?, ?, ?, ?)",
                    (name, time.time(), user.id, int(personal)),
                )
                audit.record(con, user, "kb_created", name)
        except IntegrityError:
            raise InvalidInput("kb_name_taken", name=name) from None
        return self._named(user, name)

    def ensure_personal(self, user: User) -> None:
        """Create the user's own uploads knowledge base if it does not exist yet."""
        check = "SELECT 1 FROM knowledge_bases WHERE owner_id = ? AND personal = 1"
        if self.db.query(check, (user.id,)):
            return
        with self.db.write() as con:  # checked again under the writer lock: two threads race here
            if con.execute(check, (user.id,)).fetchone():
                return
            con.execute(
                "INSERT INTO knowledge_bases (name, created_at, owner_id, personal) "
                "VALUES (?, ?, ?, 1)",
                (personal_name(user), time.time(), user.id),
            )
            audit.record(con, user, "kb_created", personal_name(user))

    def personal(self, user: User) -> KnowledgeBase:
        """The user's own uploads knowledge base, created on first use."""
        self.ensure_personal(user)
        return self._named(user, personal_name(user))

    def share(
        self,
        actor: User,
        kb: KnowledgeBase,
        principal: str,
        principal_id: int,
        label: str,
        access: Access,
    ) -> None:
        """Share with a user or group (replacing an earlier share with them)."""
        with self.db.write() as con:
            con.execute(
                "INSERT INTO kb_grants (kb_id, principal, principal_id, access, granted_by, "
                "granted_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kb_id, principal, "
                "principal_id) DO UPDATE SET access = excluded.access",
                (kb.id, principal, principal_id, access.value, actor.id, time.time()),
            )
            audit.record(
                con,
                actor,
                "kb_shared",
                kb.name,
                principal=principal,
                name=label,
                access=access.value,
            )

    def unshare(
        self, actor: User, kb: KnowledgeBase, principal: str, principal_id: int, label: str
    ) -> None:
        """Revoke a share; takes effect on the next query."""
        with self.db.write() as con:
            con.execute(
                "DELETE FROM kb_grants WHERE kb_id = ? AND principal = ? AND principal_id = ?",
                (kb.id, principal, principal_id),
            )
            audit.record(con, actor, "kb_unshared", kb.name, principal=principal, name=label)

    def set_visibility(self, actor: User, kb: KnowledgeBase, visibility: Visibility) -> None:
        """Make public (editors and admins) or private again."""
        if visibility is Visibility.PUBLIC:
            require(actor, Permission.MAKE_PUBLIC)
        with self.db.write() as con:
            con.execute(
                "UPDATE knowledge_bases SET visibility = ? WHERE id = ?", (visibility.value, kb.id)
            )
            audit.record(con, actor, "kb_visibility", kb.name, visibility=visibility.value)

    def rename(self, actor: User, kb: KnowledgeBase, new_name: str) -> None:
        """Rename a (non-personal) knowledge base."""
        new_name = new_name.strip()
        if kb.personal or not new_name or new_name.startswith(PERSONAL_PREFIX):
            raise InvalidInput("kb_name_invalid", name=new_name)
        try:
            with self.db.write() as con:
                con.execute("UPDATE knowledge_bases SET name = ? WHERE id = ?", (new_name, kb.id))
                audit.record(con, actor, "kb_renamed", kb.name, new_name=new_name)
        except IntegrityError:
            raise InvalidInput("kb_name_taken", name=new_name) from None

    def adopt_orphans(self, con: Connection, admin_id: int) -> None:
        """Knowledge bases from before accounts existed belong to the first admin."""
        con.execute("UPDATE knowledge_bases SET owner_id = ? WHERE owner_id IS NULL", (admin_id,))

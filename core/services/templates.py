"""Question templates: a user's own, and those shared with a knowledge base by its editors."""

from __future__ import annotations

import time

from core.errors import InvalidInput, NotFound, PermissionDenied
from core.identity import Session, User
from core.llm.placeholders import fields
from core.services.context import Context
from core.store.database import IntegrityError, Row
from core.types import KnowledgeBase, QuestionTemplate

MAX_NAME = 80
MAX_TEXT = 4000

_SELECT = (
    "SELECT t.id, t.name, t.text, t.kb_id, coalesce(u.username, ''), t.owner_id "
    "FROM question_templates t LEFT JOIN users u ON u.id = t.owner_id "
)


class TemplateService:
    """List, add, change and remove templates; who may do what is checked here.

    A personal template (no knowledge base) is seen and changed by its owner only. A
    shared one is seen by every reader of its knowledge base and changed by those who
    may change that knowledge base (its owner, and users or groups with write access).
    """

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def visible(self, session: Session, kb: str | None = None) -> list[QuestionTemplate]:
        """The user's own templates, then those shared with KBs they read, by name.

        With `kb`, only the shared templates of that knowledge base (and the user's own).
        """
        user = self._ctx.actor(session)
        only = None if kb is None else self._ctx.access.for_read(user, kb).name
        found = [t for t in self._visible_to(user) if t.kb is None or only in (None, t.kb)]
        return sorted(found, key=lambda t: (t.kb is not None, t.name.casefold(), t.kb or ""))

    def add(
        self, session: Session, name: str, text: str, kb: str | None = None
    ) -> QuestionTemplate:
        """A new template: the user's own, or shared with `kb` (write access to it needed).

        Raises:
            InvalidInput: the name or text is empty or too long, a placeholder is
                malformed, or the name is taken (among the user's own, or in `kb`).
            PermissionDenied: the user may not change `kb`.
        """
        user = self._ctx.actor(session)
        target = self._ctx.access.for_write(user, kb) if kb is not None else None
        name, text = _checked(name, text)
        now = time.time()
        try:
            with self._ctx.db.write() as con:
                cursor = con.execute(
                    "INSERT INTO question_templates (owner_id, kb_id, name, text, created_at, "
                    "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (user.id, target.id if target else None, name, text, now, now),
                )
                new_id = int(cursor.lastrowid or 0)
        except IntegrityError:
            raise InvalidInput("template_name_taken", name=name) from None
        return self._get(user, new_id)

    def update(self, session: Session, template_id: int, name: str, text: str) -> QuestionTemplate:
        """Change a template's name and text (its owner's, or a shared one's editors)."""
        user = self._ctx.actor(session)
        self._editable(user, template_id)
        name, text = _checked(name, text)
        try:
            with self._ctx.db.write() as con:
                con.execute(
                    "UPDATE question_templates SET name = ?, text = ?, updated_at = ? WHERE id = ?",
                    (name, text, time.time(), template_id),
                )
        except IntegrityError:
            raise InvalidInput("template_name_taken", name=name) from None
        return self._get(user, template_id)

    def remove(self, session: Session, template_id: int) -> None:
        """Delete a template (its owner's, or a shared one's editors)."""
        user = self._ctx.actor(session)
        self._editable(user, template_id)
        with self._ctx.db.write() as con:
            con.execute("DELETE FROM question_templates WHERE id = ?", (template_id,))

    def named(self, session: Session, name: str, kb: str | None = None) -> QuestionTemplate:
        """The visible template called `name` (the user's own first, then `kb`'s shared)."""
        wanted = " ".join(name.split()).casefold()
        for template in self.visible(session, kb):
            if template.name.casefold() == wanted:
                return template
        raise NotFound("template_missing", name=name)

    def _get(self, user: User, template_id: int) -> QuestionTemplate:
        for template in self._visible_to(user):
            if template.id == template_id:
                return template
        raise NotFound("template_missing", name=f"#{template_id}")

    def _visible_to(self, user: User) -> list[QuestionTemplate]:
        """The user's own templates and the shared ones of every KB they read (default deny)."""
        kbs = {k.id: k for k in self._ctx.access.knowledge_bases(user)}
        rows = self._ctx.db.query(
            _SELECT + "WHERE (t.kb_id IS NULL AND t.owner_id = ?) OR t.kb_id IS NOT NULL",
            (user.id,),
        )
        return [_template(r, user, kbs.get(r[3])) for r in rows if r[3] is None or r[3] in kbs]

    def _editable(self, user: User, template_id: int) -> QuestionTemplate:
        """The template if the user may change it; someone else's personal one is not found."""
        template = self._get(user, template_id)
        if not template.can_edit:
            raise PermissionDenied("template_read_only", name=template.name, kb=template.kb)
        return template


def _checked(name: str, text: str) -> tuple[str, str]:
    name, text = " ".join(name.split()), text.strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidInput("template_name_invalid", limit=MAX_NAME)
    if not text or len(text) > MAX_TEXT:
        raise InvalidInput("template_text_invalid", limit=MAX_TEXT)
    fields(text)  # malformed placeholders are refused when saved, not when used
    return name, text


def _template(row: Row, user: User, kb: KnowledgeBase | None) -> QuestionTemplate:
    owner_id = row[5]
    can_edit = owner_id == user.id if kb is None else kb.can_write and kb.remote is None
    return QuestionTemplate(
        row[0],
        row[1],
        row[2],
        kb.name if kb is not None else None,
        row[4],
        can_edit,
        fields(row[2]),
    )

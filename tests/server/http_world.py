"""The access matrix's world on a running server: olga's knowledge bases, one per relation.

Built through the core (fast, and not what is under test); the matrix then acts only over
HTTP. Each knowledge base carries a note with its own marker sentence, so a leak of any
document text into a refused response can be searched for by that marker.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from core import Access, Engine, Role, Session, Upload, Visibility
from tests.documents import SENTENCES, make_pdf
from tests.identity import PASSWORD, admin_session, user_session

RELATIONS = ("owner", "private", "shared-read", "shared-write", "group-read", "public")
READERS = "Readers"
BYSTANDER = "bystander"
PDF_TEXT = (SENTENCES["pdf1"], SENTENCES["pdf2"])


@dataclass(frozen=True)
class Place:
    """One knowledge base as one acting user relates to it."""

    role: Role
    relation: str
    actor: Session
    owner: Session
    kb: str
    doc_id: int
    pdf_id: int
    marker: str

    def secrets(self) -> tuple[str, ...]:
        """Text that must never reach a caller who may not read this knowledge base."""
        return (self.marker, *(PDF_TEXT if self.pdf_id else ()))


class World:
    """Olga (an editor) and her knowledge bases; actors of every role; fresh places on demand."""

    def __init__(self, engine: Engine, tmp: Path) -> None:
        self.engine = engine
        self.admin = admin_session(engine)
        self.olga = user_session(engine, self.admin, "olga", Role.EDITOR)
        user_session(engine, self.admin, BYSTANDER, Role.MEMBER)
        engine.accounts.create_group(self.admin, READERS)
        self._pdf = make_pdf(tmp / "note.pdf").read_bytes()
        self._count = itertools.count(1)
        actors = {role: self._actor(role) for role in Role}
        self.places = {
            (role, relation): self.place(role, relation, actors[role], pdf=True)
            for role in Role
            for relation in RELATIONS
        }

    def _actor(self, role: Role) -> Session:
        session = user_session(self.engine, self.admin, f"actor{next(self._count)}", role)
        self.engine.accounts.set_group_member(self.admin, READERS, session.user.username, True)
        return session

    def place(
        self, role: Role, relation: str, actor: Session | None = None, pdf: bool = False
    ) -> Place:
        """A new knowledge base with a marked note, related to `actor` (a new one if None)."""
        actor = actor or self._actor(role)
        n = next(self._count)
        marker = f"Vault code QZX{n}W is written on the blue index card number {n}."
        files = [Upload("note.txt", marker.encode())]
        files += [Upload("note.pdf", self._pdf)] if pdf else []
        if relation == "owner":
            owner = actor
            kb = f"~{actor.user.username}" if role is Role.MEMBER else f"Own KB {n}"
            self._ingest(actor, files, None if role is Role.MEMBER else kb)
        else:
            owner, kb = self.olga, f"Olga's KB {n}"
            self._ingest(self.olga, files, kb)
            self._relate(kb, relation, actor)
        docs = {d.name: d.id for d in self.engine.documents.all(owner, kb)}
        doc_id = next(i for name, i in docs.items() if name.endswith("note.txt"))
        pdf_id = next((i for name, i in docs.items() if name.endswith("note.pdf")), 0)
        return Place(role, relation, actor, owner, kb, doc_id, pdf_id, marker)

    def _ingest(self, session: Session, files: list[Upload], kb: str | None) -> None:
        if kb is not None:
            self.engine.kbs.create(session, kb)
        list(self.engine.documents.ingest(session, list(files), kb))

    def _relate(self, kb: str, relation: str, actor: Session) -> None:
        if relation in ("shared-read", "shared-write"):
            access = Access.WRITE if relation == "shared-write" else Access.READ
            self.engine.kbs.share(self.olga, kb, user=actor.user.username, access=access)
        elif relation == "group-read":
            self.engine.kbs.share(self.olga, kb, group=READERS)
        elif relation == "public":
            self.engine.kbs.set_visibility(self.olga, kb, Visibility.PUBLIC)

    def names(self, place: Place) -> set[str]:
        """The documents of the place's knowledge base, as its owner sees them."""
        return {d.name for d in self.engine.documents.all(place.owner, place.kb)}

    def user(self, role: Role, label: str, pending: bool = False) -> str:
        """A new account to act upon (pending registration if asked)."""
        name = self.unique(label)
        if pending:
            self.engine.identity.register(name, PASSWORD)
        else:
            user_session(self.engine, self.admin, name, role)
        return name

    def unique(self, label: str) -> str:
        """`label` with a number never used before in this world."""
        return f"{label}{next(self._count)}"

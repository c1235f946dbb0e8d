"""Publishing a local knowledge base to a team server this user joined (editors, admins)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from core import KnowledgeBase, RemoteServer, Role
from desktop.context import Context
from desktop.safe_text import ask


class Publisher(QObject):
    """Knows the user's servers; copies a local knowledge base to one of them.

    Emits `servers_known(bool)` when the list of joined servers was (re)read, and
    `published(name)` once the server has indexed every document.
    """

    servers_known = Signal(bool)
    published = Signal(str)

    def __init__(self, ctx: Context, view: QWidget) -> None:
        super().__init__(view)
        self.ctx, self.view = ctx, view
        self.servers: list[RemoteServer] = []

    def may_publish(self, kb: KnowledgeBase | None) -> bool:
        """Whether `kb` can be offered for publishing (a server joined, the role allows it).

        Not while export is turned off: publishing sends the documents away.
        """
        editor = self.ctx.user.user.role in (Role.EDITOR, Role.ADMIN)
        exports = self.ctx.engine.settings.allow_export
        return bool(
            editor
            and exports
            and self.servers
            and kb is not None
            and kb.remote is None
            and kb.documents
        )

    def refresh(self) -> None:
        """Re-read the joined servers in the background."""
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(lambda: engine.remotes.servers(session), self._on_servers, _ignore)

    def _on_servers(self, servers: list[RemoteServer]) -> None:
        self.servers = servers
        self.servers_known.emit(bool(servers))

    def publish(self, kb: KnowledgeBase) -> None:
        """Ask which server, confirm, and publish in the background."""
        urls = [s.url for s in self.servers]
        if not urls:
            return
        url = urls[0]
        if len(urls) > 1:
            url, ok = QInputDialog.getItem(
                self.view, self.tr("Publish"), self.tr("Team server"), urls, 0, False
            )
            if not ok:
                return
        question = self.tr(
            "Copy “{name}” ({count} documents) to {url}? The server indexes them again; "
            "what you may do with it there is decided on the server."
        ).format(name=kb.name, count=kb.documents, url=url)
        if not ask(self.view, self.tr("Publish to the team server"), question):
            return
        engine, session = self.ctx.engine, self.ctx.user
        self.ctx.tasks.run(
            lambda: len(list(engine.remotes.publish(session, kb.name, url))),
            lambda count: self._on_published(kb.name, url, count),
            lambda exc: self.ctx.error(self.view, exc),
        )

    def _on_published(self, name: str, url: str, count: int) -> None:
        text = self.tr("“{name}” is on {url} now: {count} documents indexed there.").format(
            name=name, url=url, count=count
        )
        QMessageBox.information(self.view, self.tr("Publish to the team server"), text)
        self.published.emit(name)


def _ignore(_exc: BaseException) -> None:
    """The list of servers could not be read: publishing is simply not offered."""

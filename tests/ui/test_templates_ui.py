"""Templates in the chat box (`/` and the menu), their dialog, and a KB's assistant dialog."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from core import Assistant, Engine, Role, Settings
from desktop.context import Context
from desktop.itemmodels.templates import TemplateListModel
from desktop.kb_marks import fill_kb_picker
from desktop.views.assistant import AssistantDialog
from desktop.views.chat import ChatView
from desktop.views.library import LibraryView
from desktop.views.templates_dialog import TemplatesDialog
from tests.fakes import FakeEmbedder
from tests.identity import user_session
from tests.ui.conftest import WAIT_MS


@pytest.fixture
def ui_engine(settings: Settings) -> Iterator[Engine]:
    """Templates and assistants need no model: the instant fake embedder, no generator."""
    with Engine(settings, embedder=FakeEmbedder()) as engine:
        yield engine


@pytest.fixture
def chat(ctx: Context, qtbot: QtBot) -> ChatView:
    """A chat view whose user has a personal template with a placeholder and a plain one."""
    engine, admin = ctx.engine, ctx.user
    engine.kbs.create(admin, "Contracts")
    engine.templates.add(admin, "Summary", "Summarise {document} for {reader}, quoting {document}")
    engine.templates.add(admin, "Deadlines", "List the deadlines {{with dates}}", kb="Contracts")
    view = ChatView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitUntil(lambda: view.templates_button.templates.rowCount() == 2, timeout=WAIT_MS)
    return view


def test_slash_lists_matching_templates_and_enter_inserts_one(qtbot: QtBot, chat: ChatView) -> None:
    qtbot.keyClicks(chat.question, "/dead")
    popup = chat.templates_button.popup
    assert popup.isVisible()
    assert chat.templates_button.matches.rowCount() == 1
    qtbot.keyClick(chat.question, Qt.Key.Key_Return)
    assert not popup.isVisible()
    assert chat.question.toPlainText() == "List the deadlines {with dates}"


def test_escape_closes_the_list_and_keeps_the_text(qtbot: QtBot, chat: ChatView) -> None:
    qtbot.keyClicks(chat.question, "/")
    assert chat.templates_button.matches.rowCount() == 2
    qtbot.keyClick(chat.question, Qt.Key.Key_Escape)
    assert not chat.templates_button.popup.isVisible()
    assert chat.question.toPlainText() == "/"


def test_the_menu_inserts_a_template_after_asking_each_placeholder_once(
    qtbot: QtBot, chat: ChatView
) -> None:
    button = chat.templates_button
    button.choices.aboutToShow.emit()
    action = next(a for a in button.choices.actions() if a.text() == "Summary")
    action.trigger()
    dialog = button.fill_dialog
    assert dialog is not None
    assert list(dialog.fields) == ["document", "reader"], "a repeated placeholder is asked once"
    dialog.fields["document"].setText("lease.pdf")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.isVisible(), "an empty value is asked for, not sent"
    assert "reader" in dialog.message.text()
    dialog.fields["reader"].setText("a tenant")
    ok.click()
    assert chat.question.toPlainText() == "Summarise lease.pdf for a tenant, quoting lease.pdf"


def test_a_member_sees_the_kbs_shared_templates_but_no_one_elses_own(
    qtbot: QtBot, ctx: Context
) -> None:
    engine, admin = ctx.engine, ctx.user
    engine.kbs.create(admin, "Contracts")
    member = user_session(engine, admin, "mel", Role.MEMBER)
    engine.kbs.share(admin, "Contracts", user="mel")
    engine.templates.add(admin, "Private", "Admin's own {x}")
    engine.templates.add(admin, "Shared", "Shared {x}", kb="Contracts")
    engine.templates.add(member, "Mine", "Mel's own")
    ctx.session = member
    dialog = TemplatesDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.templates.rowCount() == 2, timeout=WAIT_MS)
    names = [t.name for t in dialog.templates.rows()]
    assert names == ["Mine", "Shared"]
    dialog.table.selectRow(1)
    assert dialog.text.isReadOnly()
    assert not dialog.delete_button.isEnabled()
    assert "Contracts" in dialog.message.text()


def test_the_templates_dialog_saves_a_new_template(qtbot: QtBot, ctx: Context) -> None:
    dialog = TemplatesDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.where.count() >= 1, timeout=WAIT_MS)
    dialog.name.setText("Risks")
    dialog.text.setPlainText("What are the risks in {document")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: bool(dialog.message.text()), timeout=WAIT_MS)
    assert "not closed" in dialog.message.text()
    dialog.text.setPlainText("What are the risks in {document}?")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.templates.rowCount() == 1, timeout=WAIT_MS)
    assert [t.text for t in ctx.engine.templates.visible(ctx.user)] == [
        "What are the risks in {document}?"
    ]


def test_the_assistant_dialog_saves_and_the_core_returns_it(qtbot: QtBot, ctx: Context) -> None:
    kb = ctx.engine.kbs.create(ctx.user, "Contracts")
    dialog = AssistantDialog(ctx, kb)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.instructions.isReadOnly(), timeout=WAIT_MS)
    dialog.instructions.setPlainText("Answer formally, in Russian.")
    dialog.description.setText("Leases and NDAs")
    dialog.passages.default.setChecked(False)
    dialog.passages.spin.setValue(3)
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert ctx.engine.assistants.get(ctx.user, "Contracts") == Assistant(
        "Contracts", "Answer formally, in Russian.", "Leases and NDAs", None, None, 3, True
    )


def test_a_member_reads_the_assistant_and_the_picker_shows_its_description(
    qtbot: QtBot, ctx: Context
) -> None:
    engine, admin = ctx.engine, ctx.user
    engine.kbs.create(admin, "Contracts")
    engine.assistants.save(admin, Assistant("Contracts", "Be brief.", "Leases and NDAs"))
    member = user_session(engine, admin, "mel", Role.MEMBER)
    engine.kbs.share(admin, "Contracts", user="mel")
    ctx.session = member
    kb = next(k for k in engine.kbs.visible(member) if k.name == "Contracts")
    dialog = AssistantDialog(ctx, kb)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.instructions.toPlainText() == "Be brief.", timeout=WAIT_MS)
    assert dialog.instructions.isReadOnly()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save) is None
    view = ChatView(ctx)
    qtbot.addWidget(view)
    fill_kb_picker(view.scope, engine.kbs.visible(member), "All")
    row = view.scope.findData("Contracts")
    assert "Leases and NDAs" in view.scope.itemData(row, Qt.ItemDataRole.ToolTipRole)


def test_template_list_model(qtmodeltester: ModelTester, ctx: Context) -> None:
    ctx.engine.kbs.create(ctx.user, "Contracts")
    ctx.engine.templates.add(ctx.user, "Summary", "Summarise {document}")
    ctx.engine.templates.add(ctx.user, "Shared", "Shared {x}", kb="Contracts")
    model = TemplateListModel()
    model.set_rows(ctx.engine.templates.visible(ctx.user))
    qtmodeltester.check(model)
    assert model.index(1, 2).data() == "Contracts"
    assert model.index(0, 2).data() == "Only me"


def test_the_librarys_assistant_button_opens_the_selected_kbs_assistant(
    qtbot: QtBot, ctx: Context
) -> None:
    ctx.engine.kbs.create(ctx.user, "Contracts")
    ctx.engine.assistants.save(ctx.user, Assistant("Contracts", "Be brief."))
    library = LibraryView(ctx)
    qtbot.addWidget(library)
    library.show()
    library.refresh("Contracts")
    qtbot.waitUntil(
        lambda: library.current_kb() is not None and library.current_kb().name == "Contracts",
        timeout=WAIT_MS,
    )
    button = library.kb_buttons["assistant"]
    assert button.isEnabled()
    button.click()
    dialog = library.findChild(AssistantDialog)
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.instructions.toPlainText() == "Be brief.", timeout=WAIT_MS)
    assert dialog.windowTitle() == "Assistant of “Contracts”"


def test_a_template_shared_after_the_chat_opened_is_listed_on_slash(
    qtbot: QtBot, chat: ChatView, ctx: Context
) -> None:
    ctx.engine.templates.add(ctx.user, "Obligations", "List the obligations", kb="Contracts")
    qtbot.keyClicks(chat.question, "/")
    qtbot.waitUntil(lambda: chat.templates_button.matches.rowCount() == 3, timeout=WAIT_MS)
    assert chat.templates_button.popup.isVisible()

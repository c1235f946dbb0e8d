"""Drives the real desktop app on a real X display: setup, ingest, ask, screenshots.

Run under Xvfb (the e2e smoke test and `make screenshot` start one):
    DISPLAY=:97 python -m tests.e2e.desktop_driver OUT_DIR [--lang ru] [--full]
The app is built exactly as `konspekt` builds it (desktop.app); this script only types
and clicks through its widgets, waits as a person would, and grabs the X screen.
Exit status 0 means every step happened; otherwise the failed step is printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("KONSPEKT_CORPUS", REPO / "tests" / "corpus"))
QUESTIONS = {
    "en": "How do I install a package with apt?",
    "ru": "Как установить пакет с помощью apt?",
}


class Step(Exception):
    """A step that did not happen in time."""


ASSISTANT = {
    "en": ("Debian handbook for the support desk", "Answer in English, in short numbered steps."),
    "ru": ("Справочник Debian для службы поддержки", "Отвечай по-русски, короткими шагами."),
}
"""What the screenshots show typed into a knowledge base's assistant (description, text)."""


def wait(app: QApplication, what: str, done: Callable[[], object], limit_s: float = 300) -> None:
    """Run the event loop until `done()` is truthy, or fail naming `what`."""
    end = time.monotonic() + limit_s
    while not done():
        if time.monotonic() > end:
            raise Step(f"timed out waiting for: {what}")
        app.processEvents()
        time.sleep(0.01)


def shoot(app: QApplication, path: Path) -> None:
    """Grab the whole X screen (real pixels as a person would see them)."""
    for _ in range(30):
        app.processEvents()
        time.sleep(0.02)
    screen = QGuiApplication.primaryScreen()
    if not screen.grabWindow(0).save(str(path)):
        raise Step(f"could not save {path}")
    print(f"screenshot {path}")


def _widget(app: QApplication, name: str) -> Any:
    """The visible top-level window called `name`, or None."""
    return next(
        (w for w in app.topLevelWidgets() if w.objectName() == name and w.isVisible()), None
    )


def documents(folder: Path, full: bool) -> list[Path]:
    """Corpus files copied into `folder` (the corpus itself is read-only)."""
    folder.mkdir(parents=True, exist_ok=True)
    names = ["en/pkgtools.en.html", "en/basic-defs.en.html", "ru/pkgtools.ru.html"]
    if full:
        names.append("en/debian-faq.en.pdf")
    copied = []
    for name in names:
        source = CORPUS / "debian-faq" / name
        shutil.copy(source, folder / source.name)
        copied.append(folder / source.name)
    return copied


def run(out: Path, lang: str, full: bool) -> None:
    """Every step of the smoke run; raises Step on the first that fails."""
    from core import Settings
    from desktop.app import Application, create_app
    from desktop.i18n import Language
    from desktop.prefs import Prefs
    from desktop.theme import apply_theme

    app = create_app(sys.argv[:1])
    settings = Settings.load()
    settings.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    language = Language()
    language.apply(lang)
    apply_theme(app, "light")
    shell = Application(settings, Prefs(settings.data_dir), language)
    QTimer.singleShot(0, shell.start)
    wait(app, "the first-run dialog", lambda: shell.login is not None and shell.login.isVisible())
    login = shell.login
    assert login is not None
    login.setup_user.setText("anna")
    login.setup_name.setText("Анна Смирнова" if lang == "ru" else "Anna Smith")
    login.setup_password.setText("a long pass phrase")
    login.setup_repeat.setText("a long pass phrase")
    shoot(app, out / f"setup-{lang}.png")
    login.setup_button.click()
    wait(app, "the main window", lambda: shell.window is not None and shell.window.isVisible())
    window = shell.window
    assert window is not None
    recovery = next(w for w in app.topLevelWidgets() if w.objectName() == "recoveryDialog")
    wait(app, "the recovery code", recovery.isVisible)
    recovery.kept.setChecked(True)
    recovery.accept()
    window.resize(1280, 780)
    window.move(0, 0)
    wait(
        app,
        "the model and the document readers",
        lambda: window.warmed and window.model_progress.isHidden(),
    )
    if window.chat.answers.demo_model:  # no real model here: the first run offers them
        wait(app, "the model choice", lambda: _widget(app, "modelChoiceDialog") is not None)
        choice = _widget(app, "modelChoiceDialog")
        wait(app, "the hardware advice", lambda: bool(choice.options))
        choice.move(300, 60)
        shoot(app, out / f"model-choice-{lang}.png")
        choice.demo_button.click()
        wait(app, "the model choice to close", lambda: not choice.isVisible())

    shoot(app, out / f"chat-empty-{lang}.png")
    window.tabs.setCurrentIndex(1)
    wait(app, "the knowledge bases", lambda: window.library.current_kb() is not None)
    window.library.ingest(documents(settings.data_dir.parent / "docs", full))
    wait(
        app,
        "the ingest",
        lambda: window.library.job is not None and window.library.job.finished,
        900,
    )
    wait(app, "the document list", lambda: window.library.documents.rowCount() >= 3)
    shoot(app, out / f"library-{lang}.png")

    window.library.kb_buttons["watch"].click()
    watch = next(w for w in app.topLevelWidgets() if w.objectName() == "watchDialog")
    wait(app, "the watched-folders dialog", watch.isVisible)
    watch.move(300, 120)
    watch.add_folder(str(settings.data_dir.parent / "docs"))
    wait(
        app,
        "the watched folder's first scan",
        lambda: watch.model.rowCount() == 1 and watch.model.rows()[0].scanned_at > 0,
        600,
    )
    shoot(app, out / f"watch-{lang}.png")
    watch.reject()

    admin = window.admin
    if admin is None:
        raise Step("the first user is an administrator and sees the Administration tab")
    window.tabs.setCurrentWidget(admin)
    admin.tabs.setCurrentWidget(admin.maintenance)
    admin.maintenance.run_button.click()
    wait(app, "the maintenance run", lambda: admin.maintenance.model.rowCount() >= 4, 600)
    shoot(app, out / f"maintenance-{lang}.png")

    window.tabs.setCurrentIndex(0)
    window.chat.refresh_scope()
    window.chat.question.setPlainText(QUESTIONS[lang])
    window.chat.send()
    wait(app, "the answer", lambda: not window.chat.busy, 600)
    answer = window.chat.transcript.last_answer()
    if answer is None or not answer.text.strip() or not answer.sources:
        raise Step("the answer or its sources are missing")
    shoot(app, out / f"chat-{lang}.png")
    apply_theme(app, "dark")
    shoot(app, out / f"chat-dark-{lang}.png")
    apply_theme(app, "light")
    first = next((s for s in answer.sources if s.location.page), answer.sources[0])
    window.open_source(first)
    dialog = next(w for w in app.topLevelWidgets() if w.objectName() == "sourceDialog")
    wait(app, "the source viewer", dialog.isVisible)
    dialog.move(420, 0)
    wait(
        app,
        "the source content",
        lambda: (
            dialog.text.toPlainText().strip()
            or (dialog.image.pixmap() and not dialog.image.pixmap().isNull())
        ),
    )
    shoot(app, out / f"source-{lang}.png")
    dialog.close()

    window.tabs.setCurrentWidget(admin)
    admin.tabs.setCurrentWidget(admin.usage)
    admin.usage.refresh()
    wait(app, "the usage figures", lambda: admin.usage.report is not None)
    shoot(app, out / f"usage-{lang}.png")

    window.tabs.setCurrentIndex(1)
    window.library.kb_buttons["assistant"].click()
    wait(app, "the assistant dialog", lambda: _widget(app, "assistantDialog") is not None)
    assistant = _widget(app, "assistantDialog")
    wait(app, "the assistant's values", lambda: not assistant.description.isReadOnly())
    assistant.move(300, 100)
    assistant.description.setText(ASSISTANT[lang][0])
    assistant.instructions.setPlainText(ASSISTANT[lang][1])
    shoot(app, out / f"assistant-{lang}.png")
    assistant.reject()
    window.close()
    shell.shutdown()


def main() -> int:
    """Parse arguments, run, report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--lang", default="en", choices=("en", "ru"))
    parser.add_argument("--full", action="store_true", help="also index the 340 KB FAQ PDF")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    try:
        run(args.out, args.lang, args.full)
    except Step as exc:
        print(f"FAILED: {exc}", file=sys.stderr)
        return 1
    print("desktop smoke run: every step passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

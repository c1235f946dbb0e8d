"""The interface language: Qt translators loaded from resources/i18n, switched live.

Views write English in `self.tr(...)`; `pyside6-lupdate` collects the strings into
`resources/i18n/konspekt_ru.ts` and `pyside6-lrelease` compiles the `.qm` loaded here.
Installing a translator sends every widget a LanguageChange event; views re-set their
texts in `changeEvent`. Core messages take the same language code.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from core import system_language

I18N_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
LANGUAGES = ("en", "ru")


class Language:
    """Owns the installed translator; `code` is what core messages are asked in."""

    def __init__(self) -> None:
        self.code = "en"
        self._translators: list[QTranslator] = []

    def apply(self, code: str) -> None:
        """Switch the whole interface to `code` ('en', 'ru' or '' for the system's).

        Qt's own strings (standard dialog buttons such as Close, Cancel) come from the
        qtbase catalogue PySide6 ships, when it is there.
        """
        code = code if code in LANGUAGES else system_language()
        app = QCoreApplication.instance()
        if app is not None:
            for old in self._translators:
                app.removeTranslator(old)
        self._translators = []
        if code != "en" and app is not None:
            translator = QTranslator(app)
            if not translator.load(str(I18N_DIR / f"konspekt_{code}.qm")):
                raise FileNotFoundError(I18N_DIR / f"konspekt_{code}.qm")
            self._translators.append(translator)
            qt = QTranslator(app)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt.load(f"qtbase_{code}", folder):
                self._translators.append(qt)
            for installed in self._translators:
                app.installTranslator(installed)
        self.code = code
        QLocale.setDefault(
            QLocale(QLocale.Language.Russian if code == "ru" else QLocale.Language.English)
        )

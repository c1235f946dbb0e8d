"""Interface preferences (language, theme, window state) in QSettings: nothing sensitive."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings


class Prefs:
    """Typed access to the desktop's own preferences, kept beside the data folder."""

    def __init__(self, data_dir: Path) -> None:
        self._qs = QSettings(str(data_dir / "desktop.ini"), QSettings.Format.IniFormat)

    def _text(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        return str(value) if value is not None else default

    @property
    def language(self) -> str:
        """'en', 'ru' or '' (follow the system)."""
        return self._text("language")

    @language.setter
    def language(self, code: str) -> None:
        self._qs.setValue("language", code)

    @property
    def theme(self) -> str:
        """'light', 'dark' or 'system'."""
        return self._text("theme", "system")

    @theme.setter
    def theme(self, name: str) -> None:
        self._qs.setValue("theme", name)

    @property
    def last_user(self) -> str:
        """The username typed at the last successful login (pre-filled next time)."""
        return self._text("last_user")

    @last_user.setter
    def last_user(self, name: str) -> None:
        self._qs.setValue("last_user", name)

    def state(self, key: str) -> QByteArray | None:
        """A saved widget geometry/state blob."""
        value = self._qs.value(f"state/{key}")
        return value if isinstance(value, QByteArray) else None

    def save_state(self, key: str, value: QByteArray) -> None:
        """Remember a widget geometry/state blob."""
        self._qs.setValue(f"state/{key}", value)

    def sync(self) -> None:
        """Write to disk now."""
        self._qs.sync()

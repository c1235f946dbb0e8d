"""Interface preferences (language, theme, window state) in QSettings: nothing sensitive.

desktop.ini sits unencrypted beside the data folder, so it holds no username: whoever
reads the folder would learn who uses this computer and whose password to guess.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

_FORGOTTEN = "last_user"
"""The last username, once kept here to pre-fill the login; removed when found."""


class Prefs:
    """Typed access to the desktop's own preferences, kept beside the data folder."""

    def __init__(self, data_dir: Path) -> None:
        self._qs = QSettings(str(data_dir / "desktop.ini"), QSettings.Format.IniFormat)
        if self._qs.contains(_FORGOTTEN):  # written by earlier versions
            self._qs.remove(_FORGOTTEN)
            self._qs.sync()

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
    def demo_accepted(self) -> bool:
        """The user said "use the small demo model for now": stop offering models at start."""
        return self._text("demo_accepted") == "true"

    @demo_accepted.setter
    def demo_accepted(self, accepted: bool) -> None:
        self._qs.setValue("demo_accepted", "true" if accepted else "false")

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

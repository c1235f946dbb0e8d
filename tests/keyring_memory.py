"""An in-memory keyring backend for tests (a real `keyring` backend class, no disk)."""

from __future__ import annotations

from keyring.backend import KeyringBackend


class InMemoryKeyring(KeyringBackend):
    """Stores secrets in a dict; `priority` makes keyring accept it as a real backend."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)

"""The OS keychain through `keyring`: the only module that imports it."""

from __future__ import annotations

import keyring
from keyring.errors import KeyringError, PasswordDeleteError

SERVICE = "Konspekt"
# Backends that only pretend to store secrets: failing ones, and keyrings.alt's files
# (plaintext or weakly obfuscated on disk). Using them would be a silent plaintext fallback.
_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class KeychainError(Exception):
    """The keychain refused or failed an operation."""


def backend_name() -> str | None:
    """The active keychain backend as module.Class, or None when there is no real one."""
    backend = keyring.get_keyring()
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    if name.startswith(_REFUSED_MODULES):
        return None
    # The chainer wraps the real backends; it is usable only if it holds one.
    if name == "keyring.backends.chainer.ChainerBackend":
        usable = [
            b
            for b in getattr(backend, "backends", [])
            if not f"{type(b).__module__}".startswith(_REFUSED_MODULES)
        ]
        return name if usable else None
    return name


def read(account: str) -> str | None:
    """The secret stored for `account`, or None."""
    try:
        return keyring.get_password(SERVICE, account)
    except KeyringError as exc:
        raise KeychainError(str(exc)) from exc


def write(account: str, secret: str) -> None:
    """Store (or replace) the secret of `account`."""
    try:
        keyring.set_password(SERVICE, account, secret)
    except KeyringError as exc:
        raise KeychainError(str(exc)) from exc


def remove(account: str) -> None:
    """Delete the secret of `account` if present."""
    try:
        keyring.delete_password(SERVICE, account)
    except PasswordDeleteError:
        return
    except KeyringError as exc:
        raise KeychainError(str(exc)) from exc

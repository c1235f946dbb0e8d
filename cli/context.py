"""What every command gets: parsed arguments, language, the engine and a lazy login."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass, field

from cli.text import t
from core import Engine, PassphraseRequired, PasswordChangeRequired, Session, Settings


class CliError(Exception):
    """A CLI-level problem with a message for the user (already translated)."""


def username(args: argparse.Namespace) -> str:
    """--login, else KONSPEKT_USER, else the OS login name."""
    return str(getattr(args, "login", None) or os.environ.get("KONSPEKT_USER") or getpass.getuser())


def secret(prompt: str, env_var: str, lang: str, *, confirm: bool = False) -> str:
    """A secret from `env_var`, or typed without echo (twice when `confirm`)."""
    value = os.environ.get(env_var)
    if value:
        return value
    if not sys.stdin.isatty():
        raise CliError(t("no_tty_secret", lang, var=env_var))
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass(t("repeat_prompt", lang)) != value:
        raise CliError(t("secrets_differ", lang))
    return value


def open_engine(settings: Settings, lang: str, *, creating: bool = False) -> Engine:
    """Open the engine, asking for the data folder's passphrase if it has one."""
    passphrase = os.environ.get("KONSPEKT_PASSPHRASE")
    if creating and settings.key_store == "passphrase" and passphrase is None:
        passphrase = secret(
            t("new_passphrase_prompt", lang), "KONSPEKT_PASSPHRASE", lang, confirm=True
        )
    try:
        return Engine(settings, passphrase=passphrase)
    except PassphraseRequired:
        if passphrase is not None:
            raise
        return Engine(
            settings, passphrase=secret(t("passphrase_prompt", lang), "KONSPEKT_PASSPHRASE", lang)
        )


@dataclass
class Context:
    """One command's world."""

    args: argparse.Namespace
    lang: str
    engine: Engine
    _session: Session | None = field(default=None, repr=False)

    @property
    def session(self) -> Session:
        """Log in on first use (password from KONSPEKT_PASSWORD or a prompt)."""
        if self._session is None:
            name = username(self.args)
            password = secret(
                t("password_prompt", self.lang, user=name), "KONSPEKT_PASSWORD", self.lang
            )
            self._session = self.engine.identity.login(name, password)
            self._check_password_change(password)
        return self._session

    def _check_password_change(self, old: str) -> None:
        assert self._session is not None
        try:
            self.engine.identity.current_user(self._session)
            if not self._session.user.must_change_password:
                return
        except PasswordChangeRequired:
            pass
        print(t("must_change_password", self.lang), file=sys.stderr)
        new = secret(
            t("new_password_prompt", self.lang), "KONSPEKT_NEW_PASSWORD", self.lang, confirm=True
        )
        self.engine.identity.change_password(self._session, old, new)

"""What every command gets: parsed arguments, language, the engine and a lazy login."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from cli.console import errors
from cli.text import t
from core import (
    Engine,
    PassphraseRequired,
    PasswordChangeRequired,
    Session,
    Settings,
    UpgradeProgress,
)


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
    """Open the engine, asking for the data folder's passphrase if it has one.

    A store that an older version wrote is upgraded on the way, with a progress bar on
    stderr; Ctrl-C rolls the upgrade back (it runs again next time).
    """
    passphrase = os.environ.get("KONSPEKT_PASSPHRASE")
    if creating and settings.key_store == "passphrase" and passphrase is None:
        passphrase = secret(
            t("new_passphrase_prompt", lang), "KONSPEKT_PASSPHRASE", lang, confirm=True
        )
    with _upgrade_bar(lang) as on_upgrade:
        try:
            return Engine(settings, passphrase=passphrase, on_upgrade=on_upgrade)
        except PassphraseRequired:
            if passphrase is not None:
                raise
            typed = secret(t("passphrase_prompt", lang), "KONSPEKT_PASSPHRASE", lang)
            return Engine(settings, passphrase=typed, on_upgrade=on_upgrade)


@contextmanager
def _upgrade_bar(lang: str) -> Iterator[Callable[[UpgradeProgress], None]]:
    """A progress bar on stderr, started only if the store is upgraded (after any prompt)."""
    bar: Progress | None = None
    task = TaskID(0)

    def show(step: UpgradeProgress) -> None:
        nonlocal bar, task
        if bar is None:
            columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
            bar = Progress(*columns, console=errors, transient=True)
            bar.start()
            task = bar.add_task(t("upgrading_store", lang), total=step.total)
        bar.update(task, completed=step.done, total=step.total)

    try:
        yield show
    finally:
        if bar is not None:
            bar.stop()


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

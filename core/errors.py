"""The core's exception hierarchy: KnownError carries a sentence a user can act on."""

from __future__ import annotations

from core.i18n import N_, tr


class CoreError(Exception):
    """Base of every exception the core raises on purpose."""


class KnownError(CoreError):
    """An expected failure with a message for the user, in English or Russian."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(tr(key, "en", **params))

    def user_message(self, lang: str = "en") -> str:
        """The message in `lang` ('en' or 'ru')."""
        return tr(self.key, lang, **self.params)


class WrongKey(KnownError):
    """The database key does not decrypt the database."""


class KeyMissing(KnownError):
    """A database exists but no key was supplied."""


class DatabaseNewer(KnownError):
    """The database was written by a newer application version."""


class DatabaseCorrupt(KnownError):
    """The database file is damaged."""


class ModelMissing(KnownError):
    """No usable language or embedding model is installed."""


class ModelUnavailable(KnownError):
    """The answer model's servers cannot be reached or refuse the request."""


class NotFound(KnownError):
    """A named object (knowledge base, path) does not exist."""


class FileRejected(KnownError):
    """One input file cannot be indexed; the rest of the batch goes on."""


class KeychainUnavailable(KnownError):
    """No usable OS keychain; the user must choose another place for the key."""


class KeyBackendChanged(KnownError):
    """The key is recorded in one backend but the environment offers another."""


class OpeningStopped(KnownError):
    """Opening was stopped during a store upgrade; the upgrade was rolled back."""


class PassphraseRequired(KnownError):
    """The database key is protected by a passphrase that was not given."""


class AuthenticationFailed(KnownError):
    """Login refused: wrong name or password, locked out, pending or disabled."""


class DirectoryUnreachable(KnownError):
    """The LDAP / Active Directory server cannot be reached; local accounts still log in."""


class SessionEnded(KnownError):
    """The session is unknown, logged out, or its account was disabled."""


class SessionLocked(KnownError):
    """The session was locked after idle time; the password unlocks it."""


class PasswordChangeRequired(KnownError):
    """An admin reset the password; the user must choose a new one first."""


class PermissionDenied(KnownError):
    """The acting user's role or the knowledge base's sharing does not allow this."""


class InvalidInput(KnownError):
    """A name, password or option the user typed is not acceptable."""


class TryLater(KnownError):
    """Refused for now, not for good: `retry_after_s` says when asking again may succeed."""

    @property
    def retry_after_s(self) -> int:
        """Seconds to wait before asking again (an estimate for `Busy`)."""
        return int(str(self.params["retry_after_s"]))


class Busy(TryLater):
    """The line of questions waiting for the model is full."""


class RateLimited(TryLater):
    """The user asked more questions in the last minute than the server allows."""


class QuotaExceeded(TryLater):
    """The user has used today's token quota that an admin set."""


class ServerUnreachable(KnownError):
    """The team server cannot be reached; a synced copy can still answer."""


class CertificateChanged(KnownError):
    """The team server presented a certificate other than the one pinned for it."""


class ServerRefused(KnownError):
    """The team server refused a request (its own message is in `detail`)."""


class SettingLocked(PermissionDenied):
    """IT's policy fixes this setting; neither a user nor an administrator may change it."""

    def __init__(self, name: str, source: str) -> None:
        super().__init__(N_("setting_locked"), name=name, source=source)


class FeatureDisabled(PermissionDenied):
    """A feature (export, private uploads, watched folders) is turned off on this computer.

    `source` names the IT policy that turned it off, or is '' when an administrator did.
    """

    KEYS = (  # "<feature>_off" and "<feature>_off_policy", named here for `make messages`
        N_("private_uploads_off"),
        N_("private_uploads_off_policy"),
        N_("export_off"),
        N_("export_off_policy"),
        N_("watched_folders_off"),
        N_("watched_folders_off_policy"),
    )

    def __init__(self, feature: str, source: str = "") -> None:
        key = f"{feature}_off_policy" if source else f"{feature}_off"
        super().__init__(key, source=source)


class PolicyInvalid(KnownError):
    """The machine's IT policy cannot be used as written; the app refuses to start.

    The message names the policy (a file's path or the registry key) and where in it the
    problem is: the line of a file, the value of the registry. `problem` is the key of the
    sentence that says what is wrong (`policy_<problem>` in the core catalogue).
    """

    KEYS = (  # "policy_<problem>" and "policy_type_<expected>", named for `make messages`
        N_("policy_unreadable"),
        N_("policy_not_utf8"),
        N_("policy_syntax"),
        N_("policy_table"),
        N_("policy_unknown_key"),
        N_("policy_wrong_type"),
        N_("policy_bad_choice"),
        N_("policy_always_on"),
        N_("policy_type_bool"),
        N_("policy_type_int"),
        N_("policy_type_float"),
        N_("policy_type_str"),
        N_("policy_type_path"),
        N_("policy_type_list"),
        N_("policy_type_table"),
    )

    def __init__(
        self, problem: str, source: str, *, line: int = 0, value: str = "", **params: object
    ) -> None:
        self.problem, self.source, self.line, self.value = problem, source, line, value
        self.key, self.params = "policy_invalid", params
        CoreError.__init__(self, self.user_message("en"))

    def user_message(self, lang: str = "en") -> str:
        """The message in `lang`, with the place and the problem in the same language."""
        params = dict(self.params)
        if "expected" in params:
            params["expected"] = tr(f"policy_type_{params['expected']}", lang)
        if self.line:
            where = tr("policy_at_line", lang, line=self.line)
        elif self.value:
            where = tr("policy_at_value", lang, name=self.value)
        else:
            where = ""
        problem = tr(f"policy_{self.problem}", lang, **params)
        return tr("policy_invalid", lang, source=self.source, where=where, problem=problem)


class ModelFileRejected(KnownError):
    """A model file was not installed: wrong hash or size, unknown, or unreadable."""


class DownloadFailed(KnownError):
    """A model download stopped (network, server, full disk); what arrived is kept."""

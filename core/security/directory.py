"""LDAP / Active Directory authentication: the only module importing ldap3 (on first use).

A person is checked by binding as them, never by comparing a password here: with
`ldap_user_dn` set, the bind name is that template with the escaped username; without
it, the entry is first found with `ldap_user_filter` (as `ldap_bind_dn`, or anonymously)
and then bound to. The bound connection reads the entry, its groups and whether it is
disabled. Usernames are escaped for DNs and filters, an empty password never reaches
the server (an "unauthenticated bind" would succeed), certificates are always verified.
"""

from __future__ import annotations

import math
import re
import ssl
from dataclasses import dataclass
from typing import Any

from core.errors import AuthenticationFailed, DirectoryUnreachable, KnownError
from core.settings import Settings

USERNAME = "{username}"
AD_ACCOUNT_DISABLED = 0x2
"""The ACCOUNTDISABLE bit of Active Directory's userAccountControl."""
_AD_BIND_DISABLED = "data 533"
"""How AD's diagnostic message says a bind with the right password met a disabled account."""
_INVALID_CREDENTIALS = 49
_NO_SUCH_OBJECT = 32
_ATTRIBUTES = ("displayName", "cn", "mail", "memberOf", "userAccountControl")
_MAX_GROUPS = 1000
_TLS_TROUBLE = re.compile(r"ssl|certificate", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DirectoryGroup:
    """A group the person belongs to: its DN, a comparable form of it, and its CN."""

    dn: str
    key: str
    cn: str


@dataclass(frozen=True, slots=True)
class DirectoryEntry:
    """A person as the directory describes them at a successful bind."""

    dn: str
    display_name: str = ""
    mail: str = ""
    groups: tuple[DirectoryGroup, ...] = ()
    disabled: bool = False


def _ldap3() -> Any:
    """ldap3, imported when the directory is first used (it costs ~0.4 s at start-up)."""
    import ldap3

    return ldap3


def dn_key(dn: str) -> str:
    """A DN in a form two spellings of it compare equal in (case, spaces, escapes)."""
    from ldap3.core.exceptions import LDAPInvalidDnError
    from ldap3.utils.dn import parse_dn

    try:
        parts = parse_dn(dn.strip(), escape=False, strip=True)
    except LDAPInvalidDnError:  # a CN, or a mistyped DN: compare it as typed
        return dn.strip().casefold()
    return ",".join(f"{attr.casefold()}={value.casefold()}" for attr, value, _ in parts)


def first_rdn_value(dn: str) -> str:
    """The CN of 'cn=Staff,ou=groups,dc=example,dc=com': 'Staff'."""
    from ldap3.core.exceptions import LDAPInvalidDnError
    from ldap3.utils.dn import parse_dn

    try:
        return str(parse_dn(dn, escape=False, strip=True)[0][1])
    except LDAPInvalidDnError:
        return ""


def escape_filter(value: str) -> str:
    """`value` with the filter metacharacters (star, parentheses, backslash, NUL) escaped."""
    from ldap3.utils.conv import escape_filter_chars

    return str(escape_filter_chars(value))


def bind_name(template: str, username: str) -> str:
    """The name to bind as: the template with the username escaped for a DN when it is one."""
    from ldap3.utils.dn import escape_rdn

    value = escape_rdn(username) if "=" in template else username
    return template.replace(USERNAME, value)


class Directory:
    """One configured directory server; every call opens and closes its own connections."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    @staticmethod
    def configured(settings: Settings) -> Directory | None:
        """The directory of these settings, or None when directory login is off."""
        return Directory(settings) if settings.ldap_url.strip() else None

    def authenticate(self, username: str, password: str) -> DirectoryEntry:
        """The person's entry if `password` binds as `username`.

        Raises:
            AuthenticationFailed: no such person, or a wrong password.
            DirectoryUnreachable: the server cannot be reached or does not answer in time.
            KnownError: the server refused for another reason (configuration, TLS).
        """
        s = self.settings
        if not password or not username:
            raise AuthenticationFailed("login_failed")
        if s.ldap_user_dn:
            name = bind_name(s.ldap_user_dn, username)
            conn = self._bind(name, password)
            if conn is None:
                return DirectoryEntry(name, disabled=True)
        else:
            name = self._find(username)
            conn = self._bind(name, password)
            if conn is None:
                return DirectoryEntry(name, disabled=True)
        try:
            return self._read(conn, name, username)
        finally:
            _close(conn)

    # Connections -------------------------------------------------------------------
    def _server(self) -> Any:
        ldap3, s = _ldap3(), self.settings
        ca = str(s.ldap_ca_file) if s.ldap_ca_file else None
        tls = ldap3.Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca)
        return ldap3.Server(
            s.ldap_url.strip(), tls=tls, connect_timeout=s.ldap_timeout_s, get_info=ldap3.NONE
        )

    def _bind(self, name: str, password: str, *, service: bool = False) -> Any:
        """A connection bound as `name`; None when AD says the account is disabled.

        A wrong password is AuthenticationFailed for a person, a configuration error for
        the service account (`service`).
        """
        ldap3, s = _ldap3(), self.settings
        from ldap3.core import exceptions as lx

        try:
            server = self._server()
        except lx.LDAPException:
            raise KnownError("directory_url_invalid", url=s.ldap_url) from None
        conn = ldap3.Connection(
            server,
            user=name or None,
            password=password or None,
            receive_timeout=max(1, math.ceil(s.ldap_timeout_s)),  # whole seconds (SO_RCVTIMEO)
            raise_exceptions=False,
            auto_referrals=False,
            read_only=True,
        )
        try:
            conn.open()
            if s.ldap_starttls and not conn.start_tls():
                raise lx.LDAPStartTLSError(conn.last_error or "StartTLS refused")
            bound = conn.bind()
        except (lx.LDAPStartTLSError, lx.LDAPSSLConfigurationError, ssl.SSLError) as exc:
            _close(conn)
            raise KnownError("directory_tls", url=s.ldap_url, detail=_reason(exc)) from None
        except (lx.LDAPCommunicationError, OSError) as exc:
            _close(conn)
            if _TLS_TROUBLE.search(str(exc)):  # ldaps:// handshake errors arrive as socket errors
                raise KnownError("directory_tls", url=s.ldap_url, detail=_reason(exc)) from None
            raise DirectoryUnreachable(
                "directory_unreachable", url=s.ldap_url, detail=_reason(exc)
            ) from None
        except lx.LDAPException as exc:
            _close(conn)
            raise KnownError("directory_refused", detail=_reason(exc)) from None
        if bound:
            return conn
        result = dict(conn.result or {})
        _close(conn)
        message = str(result.get("message", ""))
        if result.get("result") == _INVALID_CREDENTIALS and not service:
            if _AD_BIND_DISABLED in message:
                return None
            raise AuthenticationFailed("login_failed")
        if result.get("result") == _INVALID_CREDENTIALS:
            raise KnownError("directory_service_refused", name=name)
        raise KnownError("directory_refused", detail=f"{result.get('description')} {message}")

    def _search(self, conn: Any, base: str, flt: str, scope: str, attrs: Any) -> list[Any]:
        """Entries found, [] for a base that does not exist; KnownError for a bad filter."""
        from ldap3.core import exceptions as lx

        try:
            conn.search(base, flt, scope, attributes=list(attrs), size_limit=_MAX_GROUPS)
        except lx.LDAPInvalidFilterError:
            raise KnownError("directory_filter_invalid", filter=flt) from None
        except (lx.LDAPCommunicationError, OSError) as exc:
            raise DirectoryUnreachable(
                "directory_unreachable", url=self.settings.ldap_url, detail=str(exc)
            ) from None
        code = (conn.result or {}).get("result", 0)
        if code not in (0, _NO_SUCH_OBJECT, 4):  # 4: size limit exceeded, results kept
            raise KnownError("directory_refused", detail=str(conn.result.get("description")))
        return [e for e in conn.response or [] if e.get("type") == "searchResEntry"]

    # Finding and reading ----------------------------------------------------------
    def _user_filter(self, username: str) -> str:
        return self.settings.ldap_user_filter.replace(USERNAME, escape_filter(username))

    def _find(self, username: str) -> str:
        """Search-then-bind: the DN of the one entry the user filter finds."""
        s = self.settings
        conn = self._bind(s.ldap_bind_dn, s.ldap_bind_password, service=True)
        try:
            subtree = _ldap3().SUBTREE
            found = self._search(conn, s.ldap_base_dn, self._user_filter(username), subtree, ())
        finally:
            _close(conn)
        if len(found) != 1:  # nobody, or a filter that is not specific enough
            raise AuthenticationFailed("login_failed")
        return str(found[0]["dn"])

    def _read(self, conn: Any, name: str, username: str) -> DirectoryEntry:
        """The bound person's entry, groups and disabled state."""
        ldap3, s = _ldap3(), self.settings
        if "=" in name:  # a DN: read it directly
            found = self._search(conn, name, "(objectClass=*)", ldap3.BASE, _ATTRIBUTES)
        else:  # a UPN or DOMAIN\name: find the entry it stands for
            flt = self._user_filter(username)
            found = self._search(conn, s.ldap_base_dn, flt, ldap3.SUBTREE, _ATTRIBUTES)
        if len(found) != 1:
            raise KnownError("directory_entry_missing", name=name)
        dn, attrs = str(found[0]["dn"]), found[0].get("attributes") or {}
        return DirectoryEntry(
            dn,
            _first(attrs, "displayName") or _first(attrs, "cn"),
            _first(attrs, "mail"),
            self._groups(conn, dn, _values(attrs, "memberOf")),
            self._disabled(conn, dn, attrs),
        )

    def _groups(self, conn: Any, dn: str, member_of: list[str]) -> tuple[DirectoryGroup, ...]:
        """Groups listing the DN as member or uniqueMember, and those in memberOf."""
        s = self.settings
        groups = {dn_key(g): DirectoryGroup(g, dn_key(g), first_rdn_value(g)) for g in member_of}
        base = s.ldap_group_base or s.ldap_base_dn
        if base:
            e = escape_filter(dn)
            flt = f"(|(member={e})(uniqueMember={e}))"
            for found in self._search(conn, base, flt, _ldap3().SUBTREE, ("cn",)):
                g = str(found["dn"])
                cn = _first(found.get("attributes") or {}, "cn") or first_rdn_value(g)
                groups[dn_key(g)] = DirectoryGroup(g, dn_key(g), cn)
        return tuple(sorted(groups.values(), key=lambda g: g.key))

    def _disabled(self, conn: Any, dn: str, attrs: dict[str, Any]) -> bool:
        """The disabled filter matches the entry, or AD's ACCOUNTDISABLE bit is set."""
        control = _first(attrs, "userAccountControl")
        if control.isdigit() and int(control) & AD_ACCOUNT_DISABLED:
            return True
        flt = self.settings.ldap_disabled_filter.strip()
        if not flt:
            return False
        flt = flt if flt.startswith("(") else f"({flt})"
        return bool(self._search(conn, dn, flt, _ldap3().BASE, ("1.1",)))


def _close(conn: Any) -> None:
    """Unbind, ignoring a connection that is already broken (its error was reported)."""
    from ldap3.core.exceptions import LDAPException

    try:
        conn.unbind()
    except (LDAPException, OSError):
        return


def _reason(exc: BaseException) -> str:
    """The readable part of ldap3's nested exception text."""
    text = str(exc)
    mismatch = re.search(r"doesn't match any name in \[[^\]]*\]", text)
    if mismatch:
        return f"the certificate {mismatch.group(0)}"
    found = re.search(r"\[SSL[^\]]*\][^'\"()]*", text) or re.search(r"\[Errno[^'\"()]*", text)
    return (found.group(0) if found else text).strip(" ()'\",")


def _values(attrs: dict[str, Any], name: str) -> list[str]:
    for key, value in attrs.items():  # attribute names are case-insensitive
        if key.casefold() == name.casefold():
            items = value if isinstance(value, list | tuple) else [value]
            return [str(v) for v in items if v is not None and str(v) != ""]
    return []


def _first(attrs: dict[str, Any], name: str) -> str:
    values = _values(attrs, name)
    return values[0] if values else ""

"""A real OpenLDAP server (slapd) on loopback, holding the people and groups of the LDAP tests.

`running_slapd(folder)` writes slapd.conf, a small schema for Active Directory's
userAccountControl and memberOf, a CA and a server certificate, loads the entries with
slapadd, starts slapd in the foreground on free ports (ldap:// with StartTLS, ldaps://),
waits (bounded) until the admin can bind, and stops it on exit. slapd missing is a
failure, not a skip: CI installs it (.ci/run).
"""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import ldap3
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

SUFFIX = "dc=example,dc=com"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-root-Pw-0381"
START_TIMEOUT_S = 15.0

PASSWORDS = {
    "alice": "alice-Directory-Pass-4711",
    "bob": "bob-Directory-Pass-5822",
    "carol": "carol-Directory-Pass-6933",
    "dave": "dave-Directory-Pass-7044",
    "erin": "erin-Directory-Pass-8155",
    "gina": "gina-Directory-Pass-9266",
    "hank": "hank-Directory-Pass-1377",
}
"""Each person's directory password (long and unique: the plaintext scan looks for them)."""

# Active Directory's attributes, for an OpenLDAP that plays AD in two tests.
_AD_SCHEMA = """\
attributetype ( 1.2.840.113556.1.4.8 NAME 'userAccountControl'
    EQUALITY integerMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.2.102 NAME 'memberOf'
    EQUALITY distinguishedNameMatch SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )
objectclass ( 1.3.6.1.4.1.99999.4711.1 NAME 'konspektTestAccount' AUXILIARY
    MAY ( userAccountControl $ memberOf ) )
"""


def person(uid: str, name: str, *extra: str, ad: bool = False) -> str:
    """The LDIF of one inetOrgPerson with its password and extra lines (`ad` attributes)."""
    lines = [
        f"dn: uid={uid},{PEOPLE}",
        "objectClass: inetOrgPerson",
        *(["objectClass: konspektTestAccount"] if ad else []),
        f"uid: {uid}",
        f"cn: {name}",
        f"sn: {name.split()[-1]}",
        f"displayName: {name}",
        f"mail: {uid}@example.com",
        f"userPassword: {PASSWORDS[uid]}",
        *extra,
    ]
    return "\n".join(lines)


def group(cn: str, *uids: str, unique: bool = False) -> str:
    """The LDIF of a groupOfNames (or groupOfUniqueNames) listing people by DN."""
    kind, attr = ("groupOfUniqueNames", "uniqueMember") if unique else ("groupOfNames", "member")
    members = [f"{attr}: uid={u},{PEOPLE}" for u in uids] or [f"{attr}: cn=nobody,{SUFFIX}"]
    return "\n".join([f"dn: cn={cn},{GROUPS}", f"objectClass: {kind}", f"cn: {cn}", *members])


BASE_LDIF = "\n\n".join(
    [
        f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example",
        f"dn: {PEOPLE}\nobjectClass: organizationalUnit\nou: people",
        f"dn: {GROUPS}\nobjectClass: organizationalUnit\nou: groups",
        person("alice", "Alice Adams"),
        person("bob", "Bob Brown"),
        person("carol", "Carol Clark", "employeeType: disabled"),
        person("dave", "Dave Davis"),
        person("erin", "Erin Evans"),
        person("gina", "Gina Green", "userAccountControl: 514", ad=True),  # AD: NORMAL | DISABLED
        person("hank", "Hank Hill", f"memberOf: cn=editors,{GROUPS}", ad=True),
        group("admins", "alice"),
        group("staff", "bob", "carol", "dave", "erin"),
        group("research", "alice", "bob"),
        group("editors"),  # nobody is listed: hank is an editor through memberOf only
        group("auditors", "bob", unique=True),
    ]
)


@dataclass(frozen=True)
class LdapServer:
    """A running slapd: its URLs and the CA that signed its certificate."""

    url: str
    ldaps_url: str
    ca_file: Path

    def admin(self) -> ldap3.Connection:
        """A connection bound as the directory's root (to change entries in tests)."""
        return ldap3.Connection(
            ldap3.Server(self.url, get_info=ldap3.NONE, connect_timeout=5),
            ROOT_DN,
            ROOT_PASSWORD,
            auto_bind=True,
            receive_timeout=5,
        )

    def modify(self, dn: str, changes: dict[str, list[tuple[str, list[str]]]]) -> None:
        """Apply ldap3 `changes` to `dn` as root; the server must accept them."""
        conn = self.admin()
        try:
            assert conn.modify(dn, changes), conn.result
        finally:
            conn.unbind()


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def write_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA, and a certificate for 127.0.0.1 it signed: (ca, cert, key) PEM files."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Konspekt test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = (folder / "ca.pem", folder / "server.pem", folder / "server.key")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _config(folder: Path, ca: Path, cert: Path, key: Path) -> Path:
    (folder / "db").mkdir()
    (folder / "ad.schema").write_text(_AD_SCHEMA)
    conf = folder / "slapd.conf"
    schemas = ("core", "cosine", "inetorgperson", "nis")
    conf.write_text(
        "\n".join(
            [
                *(f"include /etc/ldap/schema/{s}.schema" for s in schemas),
                f"include {folder / 'ad.schema'}",
                f"pidfile {folder / 'slapd.pid'}",
                f"TLSCACertificateFile {ca}",
                f"TLSCertificateFile {cert}",
                f"TLSCertificateKeyFile {key}",
                # Like many directories (AD among them), accept a name without a password
                # as an anonymous bind: the login code must never send one.
                "allow bind_anon_dn",
                "modulepath /usr/lib/ldap",
                "moduleload back_mdb",
                "database mdb",
                f'suffix "{SUFFIX}"',
                f'rootdn "{ROOT_DN}"',
                f"rootpw {ROOT_PASSWORD}",
                f"directory {folder / 'db'}",
                "",
            ]
        )
    )
    return conf


def _slapd() -> tuple[str, str]:
    slapd = shutil.which("slapd") or "/usr/sbin/slapd"
    slapadd = shutil.which("slapadd") or "/usr/sbin/slapadd"
    if not (Path(slapd).is_file() and Path(slapadd).is_file()):
        pytest.fail(
            "OpenLDAP's slapd is not installed, and the LDAP login tests need a real one: "
            "apt-get install slapd ldap-utils (CI's .ci/run installs them)",
            pytrace=False,
        )
    return slapd, slapadd


def _wait_until_bindable(server: LdapServer, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        if process.poll() is not None:
            pytest.fail(f"slapd exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            server.admin().unbind()
            return
        except ldap3.core.exceptions.LDAPException:
            if time.monotonic() > deadline:
                pytest.fail(
                    f"slapd did not accept a bind in {START_TIMEOUT_S} s:\n"
                    f"{log.read_text()[-3000:]}"
                )
            time.sleep(0.05)


@contextmanager
def running_slapd(folder: Path) -> Iterator[LdapServer]:
    """A fresh slapd with BASE_LDIF loaded, listening on loopback until the block ends."""
    slapd, slapadd = _slapd()
    folder.mkdir(parents=True, exist_ok=True)
    conf = _config(folder, *write_certificates(folder))
    (folder / "base.ldif").write_text(BASE_LDIF + "\n")
    loaded = subprocess.run(
        [slapadd, "-f", str(conf), "-l", str(folder / "base.ldif")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if loaded.returncode:
        pytest.fail(f"slapadd failed:\n{loaded.stderr[-3000:]}")
    port, tls_port = free_port(), free_port()
    server = LdapServer(
        f"ldap://127.0.0.1:{port}", f"ldaps://127.0.0.1:{tls_port}", folder / "ca.pem"
    )
    log = folder / "slapd.log"
    with log.open("wb") as out:
        # -d 0: stay in the foreground (no fork), so the process is ours to stop.
        process = subprocess.Popen(
            [slapd, "-d", "0", "-f", str(conf), "-h", f"{server.url}/ {server.ldaps_url}/"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_bindable(server, process, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

"""AES-256-GCM, HKDF-SHA256 and the server's TLS certificate: the only `cryptography` user."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import secrets

from cryptography import x509
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from cryptography.x509.oid import NameOID

NONCE_BYTES = 12


class Tampered(Exception):
    """Ciphertext failed authentication: wrong key or modified data."""


def derive(secret: bytes, purpose: str, length: int = 32) -> bytes:
    """A subkey of `secret` for one purpose (HKDF-SHA256; purposes never share keys)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode()).derive(
        secret
    )


def passphrase_key(passphrase: str, salt: bytes, n: int, r: int = 8, p: int = 1) -> bytes:
    """A 32-byte key from a passphrase (scrypt): slow and memory-hard against guessing.

    The cost (`n`, `r`, `p`) travels with what it protects, so a later default leaves
    older files readable.
    """
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())


def seal(key: bytes, plaintext: bytes, aad: bytes = b"", nonce: bytes | None = None) -> bytes:
    """AES-256-GCM: nonce || ciphertext || tag. A random nonce unless one is given."""
    nonce = nonce or secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad or None)


def open_sealed(key: bytes, sealed: bytes, aad: bytes = b"") -> bytes:
    """Reverse `seal`; raises Tampered when the key or any byte is wrong."""
    try:
        return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], aad or None)
    except (InvalidTag, ValueError):
        raise Tampered from None


def keyed_digest(key: bytes, data: bytes) -> str:
    """HMAC-SHA256 hex digest (names that reveal nothing without the key)."""
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def self_signed_certificate(
    hosts: list[str], password: bytes, days: int = 3650
) -> tuple[bytes, bytes]:
    """A self-signed TLS certificate for `hosts` (names or IP addresses), PEM.

    Returns (certificate, private key encrypted with `password`). ECDSA P-256: small,
    fast, and accepted by every TLS client in use. Clients pin its fingerprint.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0] if hosts else "konspekt")])
    alt: list[x509.GeneralName] = []
    for host in hosts:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            alt.append(x509.DNSName(host))
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(password),
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def certificate_fingerprint(cert_pem: bytes) -> str:
    """SHA-256 of the certificate (DER), as AA:BB:… — what clients pin and people compare."""
    der = x509.load_pem_x509_certificate(cert_pem).public_bytes(serialization.Encoding.DER)
    return ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())

"""Symmetric primitives (AES-256-GCM, HKDF-SHA256): the only module importing `cryptography`."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

NONCE_BYTES = 12


class Tampered(Exception):
    """Ciphertext failed authentication: wrong key or modified data."""


def derive(secret: bytes, purpose: str, length: int = 32) -> bytes:
    """A subkey of `secret` for one purpose (HKDF-SHA256; purposes never share keys)."""
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode()).derive(
        secret
    )


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

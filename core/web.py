"""HTTP for the core: the only core module that imports httpx.

Three kinds of servers are reached: OpenAI-compatible model servers (`core.llm.remote`),
team servers (`core.sync`) and model download sites (`core.llm.download`, whose files
are trusted by their SHA-256, not by the connection). A team server is trusted by the
SHA-256 fingerprint of its certificate, not by a CA or its host name: its certificate
is fetched once without sending anything, compared with the pin, and only then does a
client open, trusting that one certificate and nothing else; a certificate swapped in
between fails the handshake, so a token is never sent to an impostor.
"""

from __future__ import annotations

import hashlib
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import httpx
from httpx import Client, HTTPError, Limits, Response, Timeout, TransportError

__all__ = [
    "CertificateMismatch",
    "Client",
    "HTTPError",
    "Limits",
    "Response",
    "Timeout",
    "TransportError",
    "fingerprint_of",
    "pinned_client",
    "presented_certificate",
    "ranged_get",
]

PROBE_TIMEOUT_S = 5.0


class CertificateMismatch(Exception):
    """The server presented a certificate other than the pinned one."""

    def __init__(self, pinned: str, presented: str) -> None:
        super().__init__(f"certificate {presented} is not the pinned {pinned}")
        self.pinned = pinned
        self.presented = presented


def fingerprint_of(der: bytes) -> str:
    """'AB:CD:…' — the SHA-256 of a DER certificate, as `openssl x509 -fingerprint` prints."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normal_fingerprint(text: str) -> str:
    """A fingerprint as typed or pasted (any case, with or without colons), normalised."""
    hexits = "".join(c for c in text.upper() if c in "0123456789ABCDEF")
    return ":".join(hexits[i : i + 2] for i in range(0, len(hexits), 2))


def presented_certificate(url: str, timeout: float = PROBE_TIMEOUT_S) -> bytes:
    """The DER certificate `url`'s server presents, unverified: nothing else is sent.

    Raises OSError (and ssl.SSLError) when the server cannot be reached over TLS.
    """
    host, port = _address(url)
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with (
        socket.create_connection((host, port), timeout=timeout) as raw,
        context.wrap_socket(raw, server_hostname=host) as tls,
    ):
        der = tls.getpeercert(binary_form=True)
    if not der:
        raise ssl.SSLError("the server presented no certificate")
    return der


def pinned_client(
    url: str,
    fingerprint: str,
    *,
    token: str = "",
    timeout: float = 60.0,
    connect_timeout: float = PROBE_TIMEOUT_S,
) -> Client:
    """A client of `url` that trusts exactly the certificate with `fingerprint`.

    Raises CertificateMismatch (with both fingerprints) before any request is sent when
    the server presents another one, and OSError when it cannot be reached.
    """
    der = presented_certificate(url, connect_timeout)
    presented = fingerprint_of(der)
    pinned = normal_fingerprint(fingerprint)
    if presented != pinned:
        raise CertificateMismatch(pinned, presented)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False  # the pin names the certificate; its host names do not
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN  # the pinned leaf is the anchor
    context.load_verify_locations(cadata=der)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(
        base_url=url.rstrip("/"),
        verify=context,
        headers=headers,
        timeout=Timeout(timeout, connect=connect_timeout),
    )


@contextmanager
def ranged_get(url: str, start: int = 0, timeout: float = 60.0) -> Iterator[Response]:
    """A streamed GET of `url` from byte `start` on (a `Range: bytes=start-` header).

    Redirects are followed (Hugging Face sends files from a CDN). The caller reads
    `status_code` (206: the range was honoured; 200: the whole file came instead) and
    `iter_bytes()`. Raises httpx.HTTPError (TransportError) when the server cannot be
    reached or the connection drops.
    """
    headers = {"Range": f"bytes={start}-"} if start > 0 else {}
    limits = Timeout(timeout, connect=PROBE_TIMEOUT_S)
    with (
        httpx.Client(follow_redirects=True, timeout=limits) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        yield response


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ValueError(f"not an https:// address: {url!r}")
    return parts.hostname, parts.port or 443

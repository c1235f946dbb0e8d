"""Argon2id password hashes and passphrase-derived keys: the only module importing argon2."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import hash_secret_raw

MIN_MEMORY_KIB = 8 * 1024
MAX_MEMORY_KIB = 128 * 1024  # a LAN server verifies several logins at once
START_MEMORY_KIB = 64 * 1024
SALT_BYTES = 16


@dataclass(frozen=True, slots=True)
class Cost:
    """Argon2id parameters: passes, memory in KiB, lanes."""

    time_cost: int
    memory_kib: int
    parallelism: int = 1

    def as_dict(self) -> dict[str, int]:
        """For JSON: the three parameters by name."""
        return {"t": self.time_cost, "m": self.memory_kib, "p": self.parallelism}

    @classmethod
    def from_dict(cls, values: dict[str, int]) -> Cost:
        """Inverse of as_dict."""
        return cls(int(values["t"]), int(values["m"]), int(values["p"]))


def _hash_once(cost: Cost) -> float:
    started = time.perf_counter()
    hash_secret_raw(
        b"calibration",
        b"0" * SALT_BYTES,
        cost.time_cost,
        cost.memory_kib,
        cost.parallelism,
        32,
        Type.ID,
    )
    return time.perf_counter() - started


def calibrate(target_ms: int, timer: Callable[[Cost], float] = _hash_once) -> Cost:
    """The strongest cost that hashes in about `target_ms` on this machine.

    Memory is the main defence against GPUs: start at 64 MiB, halve it (down to 8 MiB)
    if one pass is already too slow, otherwise add passes until the target is reached.
    `timer` measures one hash in seconds (tests give a model of a machine).
    """
    target = target_ms / 1000
    cost = Cost(1, START_MEMORY_KIB)
    elapsed = timer(cost)
    while elapsed > target and cost.memory_kib > MIN_MEMORY_KIB:
        cost = Cost(1, cost.memory_kib // 2)
        elapsed = timer(cost)
    while elapsed * 2 <= target and cost.memory_kib < MAX_MEMORY_KIB:
        cost = Cost(1, cost.memory_kib * 2)
        elapsed = timer(cost)
    per_pass = elapsed
    passes = max(1, min(10, round(target / per_pass))) if per_pass else 1
    return Cost(passes, cost.memory_kib)


class Passwords:
    """Hash and verify account passwords at one calibrated cost."""

    def __init__(self, cost: Cost) -> None:
        self.cost = cost
        self._hasher = PasswordHasher(
            time_cost=cost.time_cost,
            memory_cost=cost.memory_kib,
            parallelism=cost.parallelism,
            type=Type.ID,
        )

    def hash(self, password: str) -> str:
        """A PHC string ($argon2id$v=19$m=…) with its own random salt."""
        return self._hasher.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        """True when `password` matches; never raises for a mismatch."""
        try:
            return bool(self._hasher.verify(stored, password))
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        """True when `stored` was hashed at another cost (re-hashed at the next login)."""
        return self._hasher.check_needs_rehash(stored)

    def burn(self, password: str) -> None:
        """Spend the time of one verification (unknown users take as long as known ones)."""
        self._hasher.hash(password)


def derive_key(passphrase: str, salt: bytes, cost: Cost) -> bytes:
    """A 32-byte key from a passphrase (Argon2id)."""
    return hash_secret_raw(
        passphrase.encode(), salt, cost.time_cost, cost.memory_kib, cost.parallelism, 32, Type.ID
    )


def new_salt() -> bytes:
    """Random salt for derive_key."""
    return secrets.token_bytes(SALT_BYTES)

"""Argon2id: calibration meets its time target, parameters have a floor, hashes verify."""

from __future__ import annotations

import pytest
from argon2 import Type, extract_parameters

from core.security import passwords
from core.security.passwords import MAX_MEMORY_KIB, MIN_MEMORY_KIB, Cost, Passwords, calibrate


class Machine:
    """A model of a computer: one Argon2id pass over 1 MiB takes `ms_per_mib` ms.

    Calibration is checked against it, not against the clock (a shared test machine
    would make real timings flaky).
    """

    def __init__(self, ms_per_mib: float) -> None:
        self.ms_per_mib = ms_per_mib

    def __call__(self, cost: Cost) -> float:
        return cost.time_cost * cost.memory_kib / 1024 * self.ms_per_mib / 1000


@pytest.mark.parametrize("ms_per_mib", [0.3, 1.0, 3.0])
@pytest.mark.parametrize("target_ms", [100, 500])
def test_calibration_lands_within_a_factor_of_the_target(ms_per_mib: float, target_ms: int) -> None:
    machine = Machine(ms_per_mib)
    cost = calibrate(target_ms, machine)
    assert target_ms / 1.5 <= machine(cost) * 1000 <= target_ms * 1.5, cost
    assert MIN_MEMORY_KIB <= cost.memory_kib <= MAX_MEMORY_KIB


def test_a_slow_machine_keeps_the_memory_floor() -> None:
    cost = calibrate(100, Machine(20.0))  # 8 MiB already takes 160 ms
    assert cost == Cost(1, MIN_MEMORY_KIB)


def test_a_larger_target_buys_more_memory_then_passes() -> None:
    machine = Machine(1.0)
    assert calibrate(100, machine) == Cost(2, 64 * 1024)
    assert calibrate(500, machine) == Cost(4, MAX_MEMORY_KIB)


def test_the_real_calibration_measures_real_hashes() -> None:
    cost = calibrate(1)  # no machine hashes 8 MiB in 1 ms
    assert cost == Cost(1, MIN_MEMORY_KIB)


def test_stored_hashes_are_argon2id_at_the_calibrated_cost() -> None:
    cost = calibrate(20)
    stored = Passwords(cost).hash("correct horse battery")
    params = extract_parameters(stored)
    assert stored.startswith("$argon2id$v=19$")
    assert params.type is Type.ID
    assert params.memory_cost == cost.memory_kib >= MIN_MEMORY_KIB >= 8 * 1024
    assert params.time_cost == cost.time_cost >= 1
    assert params.salt_len == 16


@pytest.mark.parametrize("password", ["correct horse battery", "пароль из словаря", "x" * 1024])
def test_hashes_verify_only_their_password(password: str) -> None:
    hasher = Passwords(Cost(1, MIN_MEMORY_KIB))
    stored = hasher.hash(password)
    assert hasher.verify(stored, password)
    assert not hasher.verify(stored, password + " ")
    assert not hasher.verify("not a hash", password)
    assert stored != hasher.hash(password), "each hash has its own salt"


def test_a_hash_at_another_cost_is_marked_for_rehash() -> None:
    old = Passwords(Cost(1, MIN_MEMORY_KIB)).hash("correct horse battery")
    assert Passwords(Cost(2, MIN_MEMORY_KIB)).needs_rehash(old)
    assert not Passwords(Cost(1, MIN_MEMORY_KIB)).needs_rehash(old)


def test_passphrase_keys_depend_on_salt_and_passphrase() -> None:
    cost = Cost(1, MIN_MEMORY_KIB)
    salt = passwords.new_salt()
    key = passwords.derive_key("long passphrase here", salt, cost)
    assert len(key) == 32
    assert key == passwords.derive_key("long passphrase here", salt, cost)
    assert key != passwords.derive_key("long passphrase herE", salt, cost)
    assert key != passwords.derive_key("long passphrase here", passwords.new_salt(), cost)

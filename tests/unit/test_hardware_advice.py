"""Which answer model the first run advises, and the first-token estimate behind it."""

from __future__ import annotations

import pytest

from core import Gpu, Hardware
from core.llm.hardware import advise, first_token_seconds
from core.llm.manifest import load_manifest

GB = 1024**3


def machine(cores: int, ram_gb: int, *, gpu_gb: int = 0, avx2: bool = True) -> Hardware:
    gpus = (Gpu("Test GPU", gpu_gb * GB),) if gpu_gb else ()
    features = ("avx", "avx2", "fma") if avx2 else ("avx",)
    return Hardware(cores, cores, ram_gb * GB, features, bool(gpu_gb), gpus)


def advised(hardware: Hardware) -> str:
    (best,) = [o for o in advise(load_manifest(), hardware) if o.recommended]
    return best.entry.name


def test_an_8b_model_on_four_cpu_cores_takes_about_a_minute() -> None:
    entry = next(e for e in load_manifest() if e.name == "llama-3.1-8b")
    seconds, device = first_token_seconds(entry, machine(4, 16))
    assert device == "cpu"
    assert seconds == pytest.approx(60, rel=0.1)


def test_a_workstation_without_gpu_is_advised_the_cpu_class_model() -> None:
    assert advised(machine(4, 16)) == "llama-3.2-3b"


def test_a_gpu_with_room_for_the_8b_model_is_advised_it() -> None:
    hardware = machine(4, 16, gpu_gb=8)
    assert advised(hardware) == "llama-3.1-8b"
    options = {o.entry.name: o for o in advise(load_manifest(), hardware)}
    assert options["llama-3.1-8b"].device == "gpu"
    assert options["llama-3.1-8b"].first_token_s < 5


def test_a_gpu_too_small_for_the_8b_model_leaves_it_on_the_cpu() -> None:
    options = {o.entry.name: o for o in advise(load_manifest(), machine(4, 16, gpu_gb=4))}
    assert options["llama-3.1-8b"].device == "cpu"
    assert options["llama-3.2-3b"].device == "gpu"


def test_without_avx2_the_cpu_is_estimated_at_half_speed() -> None:
    entry = next(e for e in load_manifest() if e.name == "llama-3.2-3b")
    fast, _ = first_token_seconds(entry, machine(4, 16))
    slow, _ = first_token_seconds(entry, machine(4, 16, avx2=False))
    assert slow == pytest.approx(2 * fast)


def test_a_machine_too_small_for_any_real_model_is_advised_the_demo() -> None:
    assert advised(machine(2, 2)) == "smollm2-135m"

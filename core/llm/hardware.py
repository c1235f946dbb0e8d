"""What this machine can run: cores, memory, CPU features, GPU; and which model to advise.

The advice is an estimate of the time to first token for a ~2,000-token prompt (the
question, six passages of ~300 tokens and the instructions), because reading the
prompt, not writing the answer, is what a person waits for on a CPU.

Basis of the estimate (`prompt_tps_core` and `prompt_tps_gpu` in models/manifest.toml):
llama.cpp reads a prompt in batches, so prompt speed scales with cores and inversely
with the model's size. A Q4_K_M 8B model reads about 8-9 prompt tokens per second per
AVX2 core (llama.cpp's published CPU figures: ~35 t/s on 4 cores), so 2,000 tokens on
4 cores take about a minute; a 3B model about 2.6 times faster (~22 t/s per core); the
135M demo model hundreds per core. Without AVX2 (old or low-power x86) the figures are
halved; Apple and ARM NEON cores count as AVX2-class. Only physical cores count
(hyper-threads add little to matrix work) and llama.cpp's threads are at most
`free_cores()`. On a GPU with enough memory for every layer, prompt reading runs at
thousands of tokens per second, so the first token comes in about a second. The
figures are rough on purpose: they rank the choices and tell a minute from seconds.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from core.llm.manifest import ModelEntry
from core.settings import free_cores

PROMPT_TOKENS = 2000
"""The prompt the estimate is for: a question with six passages of ~300 tokens."""
PATIENCE_S = 30.0
"""The longest first-token wait the advice accepts before it offers a smaller model."""
NO_AVX2_FACTOR = 0.5
_FEATURES = ("avx", "avx2", "fma", "f16c", "avx512f", "avx512_vnni", "neon", "asimd")


@dataclass(frozen=True, slots=True)
class Gpu:
    """A graphics card and its memory (0 when unknown)."""

    name: str
    memory_bytes: int


@dataclass(frozen=True, slots=True)
class Hardware:
    """The machine as the advice sees it."""

    cores: int
    """Physical CPU cores."""
    threads: int
    """Threads llama.cpp would use (free_cores, at most the physical cores)."""
    ram_bytes: int
    features: tuple[str, ...]
    """CPU features that matter to llama.cpp (avx2, fma, avx512f, neon…)."""
    gpu_offload: bool
    """Whether this llama.cpp build can put layers on a GPU (CUDA, Metal, Vulkan)."""
    gpus: tuple[Gpu, ...]

    @property
    def fast_simd(self) -> bool:
        """AVX2 (x86) or NEON (ARM): the instructions llama.cpp's fast paths need."""
        return any(f in self.features for f in ("avx2", "neon", "asimd"))

    @property
    def gpu_memory_bytes(self) -> int:
        """The memory of the largest GPU llama.cpp could use (0: none usable)."""
        if not self.gpu_offload or not self.gpus:
            return 0
        return max(g.memory_bytes for g in self.gpus)


@dataclass(frozen=True, slots=True)
class ModelOption:
    """One answer model as the first run offers it."""

    entry: ModelEntry
    device: str
    """'gpu' or 'cpu': where it would run here."""
    first_token_s: float
    """Estimated seconds to the first token for a PROMPT_TOKENS prompt."""
    fits: bool
    """Whether this machine has the memory for it."""
    recommended: bool = False


def detect(gpu_offload: bool | None = None) -> Hardware:
    """Look at this machine (a few milliseconds; nvidia-smi is asked with a timeout).

    `gpu_offload` is what the llama.cpp build supports; None asks llama.cpp.
    """
    if gpu_offload is None:
        from core.llm.generator import gpu_offload_supported

        gpu_offload = gpu_offload_supported()
    cores = _physical_cores()
    return Hardware(
        cores=cores,
        threads=max(1, min(cores, free_cores())),
        ram_bytes=_ram_bytes(),
        features=_cpu_features(),
        gpu_offload=gpu_offload,
        gpus=_gpus(),
    )


def first_token_seconds(entry: ModelEntry, hardware: Hardware) -> tuple[float, str]:
    """The estimated wait for the first token and the device ('gpu' or 'cpu')."""
    vram = hardware.gpu_memory_bytes
    if vram and entry.prompt_tps_gpu > 0 and vram >= entry.vram_gb * 1e9:
        return PROMPT_TOKENS / entry.prompt_tps_gpu, "gpu"
    per_core = entry.prompt_tps_core * (1.0 if hardware.fast_simd else NO_AVX2_FACTOR)
    speed = max(per_core * hardware.threads, 1e-6)
    return PROMPT_TOKENS / speed, "cpu"


def advise(entries: tuple[ModelEntry, ...], hardware: Hardware) -> tuple[ModelOption, ...]:
    """The answer models with their estimates, the advised one marked.

    Advised: the largest model that fits in memory and answers within PATIENCE_S; else
    the quickest model that fits; the demo only when nothing else fits.
    """
    options = []
    for entry in entries:
        if entry.role != "answer":
            continue
        seconds, device = first_token_seconds(entry, hardware)
        fits = hardware.ram_bytes == 0 or hardware.ram_bytes >= entry.ram_gb * 1e9
        options.append(ModelOption(entry, device, seconds, fits))
    real = [o for o in options if o.fits and o.entry.model_class != "demo"]
    patient = [o for o in real if o.first_token_s <= PATIENCE_S]
    if patient:
        best = max(patient, key=lambda o: o.entry.params_b)
    elif real:
        best = min(real, key=lambda o: o.first_token_s)
    else:
        best = min(options, key=lambda o: o.first_token_s, default=None)  # type: ignore[assignment]
    return tuple(
        ModelOption(o.entry, o.device, o.first_token_s, o.fits, o is best) for o in options
    )


def _physical_cores() -> int:
    """Distinct (package, core) pairs in /proc/cpuinfo; else the logical count."""
    logical = os.cpu_count() or 1
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return logical
    pairs, package = set(), "0"
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "physical id":
            package = value.strip()
        elif key == "core id":
            pairs.add((package, value.strip()))
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else logical
    return max(1, min(len(pairs) or logical, usable))


def _ram_bytes() -> int:
    try:
        return int(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"))
    except (AttributeError, ValueError, OSError):
        return _command_int(["sysctl", "-n", "hw.memsize"])


def _cpu_features() -> tuple[str, ...]:
    machine = platform.machine().lower()
    if machine in ("arm64", "aarch64"):
        return ("neon",)
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ()
    for line in text.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            return tuple(f for f in _FEATURES if f in flags)
    return ()


def _gpus() -> tuple[Gpu, ...]:
    """NVIDIA cards (nvidia-smi), AMD cards (sysfs), Apple silicon (shared memory)."""
    found = list(_nvidia_gpus())
    for card in sorted(Path("/sys/class/drm").glob("card[0-9]*/device/mem_info_vram_total")):
        try:
            found.append(Gpu(f"AMD {card.parent.parent.name}", int(card.read_text().strip())))
        except (OSError, ValueError):
            continue
    if sys.platform == "darwin" and platform.machine() == "arm64":
        found.append(Gpu("Apple silicon (Metal)", int(_ram_bytes() * 0.7)))
    return tuple(found)


def _nvidia_gpus() -> list[Gpu]:
    query = ["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"]
    try:
        out = subprocess.run(query, capture_output=True, text=True, timeout=5, check=True)
    except (OSError, subprocess.SubprocessError):
        return []
    gpus = []
    for line in out.stdout.splitlines():
        name, _, mib = line.rpartition(",")
        try:
            gpus.append(Gpu(name.strip(), int(float(mib)) * 1024 * 1024))
        except ValueError:
            continue
    return gpus


def _command_int(command: list[str]) -> int:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=5, check=True)
        return int(out.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError):
        return 0

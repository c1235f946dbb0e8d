"""Shared fixtures: a temp data dir, the real multilingual embedder, tiny and demo models."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
for _var in (
    "KONSPEKT_DB_KEY",
    "KONSPEKT_MODEL",
    "KONSPEKT_DATA_DIR",
    "KONSPEKT_EMBEDDER",
    "KONSPEKT_KEY_STORE",
    "KONSPEKT_PASSWORD",
    "KONSPEKT_PASSPHRASE",
    "KONSPEKT_USER",
    "KONSPEKT_ANSWER_ENDPOINTS",
    "KONSPEKT_ENDPOINT_KEY",
):
    os.environ.pop(_var, None)
os.environ["KONSPEKT_POLICY"] = ""  # no machine policy (/etc/konspekt/...) unless a test sets one
# uv's own cache stays where it was (tests read files from the llama-cpp-python source in it).
os.environ.setdefault(
    "UV_CACHE_DIR", str(Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "uv")
)
# The converted embedder is cached per user; the run's own cache (shared with the CLI and
# desktop processes tests start) converts it once and is removed at exit.
_CACHE = tempfile.mkdtemp(prefix="konspekt-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

import keyring  # noqa: E402

from core import Engine, Session, Settings  # noqa: E402
from core.search.embedder import Embedder, create_embedder  # noqa: E402
from tests.identity import admin_session  # noqa: E402
from tests.keyring_memory import InMemoryKeyring  # noqa: E402
from tests.tiny_gguf import write_tiny_llama  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("KONSPEKT_CORPUS", REPO / "tests" / "corpus"))


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The read-only corpus in tests/corpus (or KONSPEKT_CORPUS)."""
    if not CORPUS.is_dir():
        pytest.fail(f"test corpus not found at {CORPUS}; set KONSPEKT_CORPUS")
    return CORPUS


@pytest.fixture(autouse=True)
def memory_keychain() -> InMemoryKeyring:
    """A fresh in-memory OS keychain per test (a real keyring backend, never the disk)."""
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture(scope="session")
def e5() -> Embedder:
    """The default embedder, multilingual-e5-small on onnxruntime, loaded once (both CI cores)."""
    return create_embedder("e5-small", Path(_CACHE) / "konspekt", threads=2)


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated ~0.5 MB random-weight llama GGUF."""
    return write_tiny_llama(tmp_path_factory.mktemp("models") / "tiny-random-llama.gguf")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh data dir, one thread (the CI machine has two cores).

    Password hashing is tuned to ~5 ms instead of 500 so the many logins stay quick.
    """
    return Settings.load(
        tmp_path / "data", n_threads=1, embed_threads=1, n_ctx=2048, password_hash_ms=5
    )


@pytest.fixture
def embedder(e5: Embedder) -> Embedder:
    """The embedder `engine` uses: the real one.

    Test modules that are not about retrieval override this fixture with
    `tests.fakes.FakeEmbedder` (e5 then is never loaded for them).
    """
    return e5


@pytest.fixture
def engine(settings: Settings, embedder: Embedder) -> Iterator[Engine]:
    """An engine on a fresh encrypted store with `embedder` (the real one by default)."""
    with Engine(settings, embedder=embedder) as eng:
        yield eng


@pytest.fixture
def admin(engine: Engine) -> Session:
    """The first admin's session on `engine` (setup done)."""
    return admin_session(engine)


@pytest.fixture
def corpus_copy(tmp_path: Path, corpus: Path) -> Callable[..., Path]:
    """Copy corpus files into a temp folder (tests never write into the corpus)."""

    def copy(*relative: str, into: str = "docs") -> Path:
        target = tmp_path / into
        target.mkdir(parents=True, exist_ok=True)
        for rel in relative:
            src = corpus / rel
            if src.is_dir():
                shutil.copytree(src, target / src.name, dirs_exist_ok=True)
            else:
                shutil.copy2(src, target / src.name)
        return target

    return copy

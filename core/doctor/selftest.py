"""The offline self-test: ingest the shipped sample and ask about it, recording the network.

It runs in a temporary data folder with its own key (a file, or IT's KONSPEKT_DB_KEY),
so it leaves nothing behind: no data, no keychain entry. Meanwhile every attempt to
reach beyond this computer through Python's sockets is recorded (`NetworkRecorder`);
the goal is none.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core.doctor.check import Check, CheckStatus
from core.doctor.network import NetworkAttempt, NetworkRecorder
from core.engine import Engine
from core.errors import KnownError, ModelMissing
from core.i18n import N_, tr, trn
from core.identity import Session
from core.llm.catalog import ModelChoice, demo_model_path, resolve_model
from core.policy import NO_POLICY
from core.resources import selftest_dir
from core.security.keystore import ENV_VAR
from core.settings import Settings
from core.types import Done, Source, Sources, Token

QUESTION = "How many steps lead to the lamp room of the Kestrel Point lighthouse?"
EXPECTED = "214"
"""What a correct answer mentions (reported, not required: the demo model is weak)."""
ANSWER_TOKENS = 96


@dataclass(frozen=True, slots=True)
class SelfTestStep:
    """One step, how long it took and what it found."""

    name: str
    """'prepare', 'setup', 'ingest', 'model', 'answer' or 'cleanup'."""
    seconds: float
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class SelfTestReport:
    """The steps of one self-test and the network attempts made meanwhile."""

    steps: tuple[SelfTestStep, ...]
    attempts: tuple[NetworkAttempt, ...]
    """Non-loopback connection attempts and DNS lookups (the goal: none)."""
    processes: tuple[NetworkAttempt, ...] = ()
    """Programs started meanwhile (not network, but worth knowing about)."""
    model: str = ""
    is_demo: bool = False
    answer: str = ""
    cited: tuple[str, ...] = ()
    """The sample files among the answer's sources."""

    @property
    def ok(self) -> bool:
        """Every step passed and nothing reached for the network."""
        return bool(self.steps) and all(s.ok for s in self.steps) and not self.attempts

    @property
    def seconds(self) -> float:
        """The whole self-test's duration."""
        return sum(s.seconds for s in self.steps)

    def as_check(self, lang: str = "en") -> Check:
        """The report as one line of `konspekt doctor`."""
        if not self.ok:
            failed = next((s for s in self.steps if not s.ok), None)
            detail = f"{failed.name}: {failed.detail}" if failed else ""
            if self.attempts:
                targets = ", ".join(sorted({a.target for a in self.attempts}))
                detail = trn("selftest_network", len(self.attempts), lang, targets=targets)
            return Check("self_test", CheckStatus.FAIL, detail)
        detail = tr("selftest_passed", lang, seconds=self.seconds, model=self.model)
        return Check("self_test", CheckStatus.OK, detail)


@dataclass
class _Run:
    """What the steps share while the self-test runs."""

    settings: Settings
    lang: str
    demo: bool
    folder: Path
    steps: list[SelfTestStep] = field(default_factory=list)
    choice: ModelChoice | None = None
    engine: Engine | None = None
    session: Session | None = None
    answer: str = ""
    cited: tuple[str, ...] = ()

    def step(self, name: str, action: Callable[[_Run], str]) -> bool:
        """Run one step, timing it; a KnownError or OSError fails it (and what follows)."""
        started = time.perf_counter()
        try:
            detail, ok = action(self), True
        except KnownError as exc:
            detail, ok = exc.user_message(self.lang), False
        except OSError as exc:
            detail, ok = f"{exc.filename or ''} {exc.strerror or exc}".strip(), False
        self.steps.append(SelfTestStep(name, time.perf_counter() - started, ok, detail))
        return ok


def run_self_test(
    settings: Settings, lang: str = "en", *, demo: bool = False, workdir: Path | None = None
) -> SelfTestReport:
    """Ingest the sample and ask one question in a scratch installation, offline.

    Uses the installation's answer model (`settings`), or the packaged demo model with
    `demo`. `workdir` is where the scratch folder goes (default: the system's temp).
    """
    with NetworkRecorder() as recorder:
        folder = Path(tempfile.mkdtemp(prefix="konspekt-selftest-", dir=workdir))
        run = _Run(settings, lang, demo, folder)
        try:
            for name, action in STEPS:
                if not run.step(name, action):
                    break
        finally:
            run.step("cleanup", _cleanup)
    choice = run.choice
    return SelfTestReport(
        tuple(run.steps),
        tuple(recorder.attempts),
        tuple(recorder.processes),
        choice.name if choice else "",
        bool(choice and choice.is_demo),
        run.answer,
        run.cited,
    )


def sample_files() -> list[Path]:
    """The sample documents shipped in resources/selftest."""
    folder = selftest_dir()
    files = sorted(folder.glob("*.md")) if folder.is_dir() else []
    if not files:
        raise KnownError("selftest_no_sample", folder=folder)
    return files


def _prepare(run: _Run) -> str:
    files = sample_files()
    if run.demo:
        demo = demo_model_path()
        if demo is None:
            raise ModelMissing("selftest_no_demo")
        run.choice = ModelChoice(demo, is_demo=True)
    else:
        run.choice = resolve_model(run.settings)
    scratch = run.settings.with_changes(
        data_dir=run.folder / "data",
        key_store="env" if os.environ.get(ENV_VAR) else "file",
        key_path=None,
        backup_dir=None,
        model_path=run.choice.path,
        answer_endpoints=(),
        max_answer_tokens=min(run.settings.max_answer_tokens, ANSWER_TOKENS),
        password_hash_ms=20,
        team_server_url="",
        ldap_url="",
        policy=NO_POLICY,  # the self-test proves the installation; IT's switches are not its
        allow_private_uploads=True,  # subject (its scratch folder and account are its own)
    )
    run.engine = Engine(scratch)
    return trn("selftest_prepared", len(files), run.lang, folder=run.folder)


def _setup(run: _Run) -> str:
    assert run.engine is not None
    run.session = run.engine.identity.setup("selftest", secrets.token_urlsafe(24)).session
    return tr("selftest_admin", run.lang)


def _ingest(run: _Run) -> str:
    assert run.engine is not None
    assert run.session is not None
    files = sample_files()
    report = None
    for progress in run.engine.documents.ingest(run.session, list(files)):
        if progress.error_key:
            raise KnownError("selftest_ingest_failed", detail=progress.error(run.lang))
        report = progress.report or report
    if report is None or report.indexed != len(files):
        raise KnownError("selftest_ingest_failed", detail=str(report))
    return tr("selftest_ingested", run.lang, files=report.indexed, chunks=report.chunks)


def _load_model(run: _Run) -> str:
    assert run.engine is not None
    assert run.choice is not None
    run.engine.system.load_model()
    demo = " · " + tr("selftest_demo", run.lang) if run.choice.is_demo else ""
    return f"{run.choice.name}{demo}"


def _answer(run: _Run) -> str:
    assert run.engine is not None
    assert run.session is not None
    text: list[str] = []
    sources: tuple[Source, ...] = ()
    done: Done | None = None
    for event in run.engine.answers.ask(run.session, QUESTION):
        if isinstance(event, Token):
            text.append(event.text)
        elif isinstance(event, Sources):
            sources = event.items
        elif isinstance(event, Done):
            done = event
    run.answer = "".join(text).strip()
    names = {f.name for f in sample_files()}
    run.cited = tuple(dict.fromkeys(s.document for s in sources if s.document in names))
    if not run.cited:
        raise KnownError("selftest_not_found")
    if not run.answer:
        raise KnownError("selftest_no_answer")
    mentions = EXPECTED in run.answer
    first = done.stats.first_token_ms if done else 0.0
    key = N_("selftest_answered") if mentions else N_("selftest_answered_wrong")
    return tr(key, run.lang, sources=", ".join(run.cited), first=first, expected=EXPECTED)


STEPS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("prepare", _prepare),
    ("setup", _setup),
    ("ingest", _ingest),
    ("model", _load_model),
    ("answer", _answer),
)
"""Each step runs only if the one before passed; cleanup always runs."""


def _cleanup(run: _Run) -> str:
    if run.engine is not None:
        run.engine.close()
        run.engine = None
    shutil.rmtree(run.folder)
    return tr("selftest_removed", run.lang, folder=run.folder)

"""A short crash campaign: kill -9 at seeded random moments of an operation, then check.

The full campaign is `python -m bench crash --trials 20`; these trials run the same code
(bench/crash_trial.py) with fixed seeds (the re-index is the watched folder's scan here;
test_crash.py kills a plain ingest). A failure names the seed: replay it with
`python -m bench crash --seed SEED --trials 1 --ops OPERATION`.
"""

from pathlib import Path

import pytest

from bench.crash_trial import Campaign
from core.search.embedder import Embedder


@pytest.fixture(scope="module")
def campaign(tmp_path_factory: pytest.TempPathFactory, e5: Embedder) -> Campaign:
    """Eight notes ingested into a watched knowledge base, copied back before each trial.

    The operations' lengths are given (about what `python -m bench crash` measures for
    eight notes on two cores) instead of measured, which would cost three more runs.
    """
    root: Path = tmp_path_factory.mktemp("crash")
    return Campaign(root, e5, files=8, lengths={"watch": 4.0, "delete": 0.15, "rotate": 0.15})


@pytest.mark.parametrize(
    ("seed", "operation"), [(1702, "watch"), (1703, "delete"), (1704, "rotate")]
)
def test_kill_9_keeps_every_commit_leaves_no_orphan_and_converges(
    campaign: Campaign, seed: int, operation: str
) -> None:
    trial = campaign.run(seed, operation)
    assert trial.passed, trial.line()

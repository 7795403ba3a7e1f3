"""The foundation's code (74ad870, the last commit before the rules changed) against 80ff9d2, the revision before it:
the same headline measures on 100 paired seeds.

The restructuring (one writer of licences, typed vocabulary, the registry of powers, declared results) and the
compiled kernels were to keep the behaviour. Each measure's mean paired difference must lie within an equivalence
margin of 1% of its between-seed standard deviation (two one-sided t-tests, Holm's correction over the measures);
as the kernels replay numpy's arithmetic in its order, the differences are in fact zero (docs/performance-history.md, its last section).
CI's clone has the history; elsewhere the test is skipped with the reason.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
BEFORE, FOUNDATION = "80ff9d2", "74ad870"
SEEDS = 100
STEPS = (40, 100)  # 2035Q4 and 2050Q4
PREFIXES = ("capacity_share_", "output_share_", "awards_", "eu_supply_security")

PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from model import scenario as sc
out = []
for seed in range({seeds}):
    m = sc.load("baseline").build(rng=seed)
    m.run_for({last})
    frame = m.timeseries()
    cols = [c for c in frame.columns if c.startswith({prefixes!r})]
    out.append({{f"{{c}}@{{s}}": float(frame[c].iloc[s]) for s in {steps!r} for c in cols}})
print(json.dumps(out))
"""


def measures(root: Path) -> list[dict[str, float]]:
    code = PROBE.format(root=str(root), seeds=SEEDS, last=max(STEPS), prefixes=PREFIXES, steps=STEPS)
    run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def _checkout(tmp_path_factory, commit: str) -> Path:
    where = tmp_path_factory.mktemp("rev") / commit
    made = subprocess.run(["git", "worktree", "add", "--detach", str(where), commit], cwd=ROOT, capture_output=True)
    if made.returncode:
        pytest.skip(f"no checkout of {commit} (a shallow clone?): {made.stderr.decode().strip()[:120]}")
    return where


@pytest.fixture(scope="module")
def revisions(tmp_path_factory):
    made = [_checkout(tmp_path_factory, c) for c in (BEFORE, FOUNDATION)]
    yield made
    for where in made:
        subprocess.run(["git", "worktree", "remove", "--force", str(where)], cwd=ROOT, capture_output=True)


def tost_p(diff: np.ndarray, margin: float) -> float:
    """p-value of equivalence: the larger of the two one-sided t-tests that the mean lies beyond ±margin."""
    if np.all(diff == 0):
        return 0.0
    n, mean, se = diff.size, diff.mean(), diff.std(ddof=1) / np.sqrt(diff.size)
    if se == 0:
        return 0.0 if abs(mean) < margin else 1.0
    return max(stats.t.sf((mean + margin) / se, n - 1), stats.t.cdf((mean - margin) / se, n - 1))


@pytest.mark.slow
def test_headline_measures_are_equivalent_to_the_revision_before(revisions):
    then, now = (measures(where) for where in revisions)
    names = [k for k in now[0] if k in then[0]]
    assert len(names) >= 30
    p_values = []
    for name in names:
        a, b = np.array([r[name] for r in now]), np.array([r[name] for r in then])
        spread = np.std(b, ddof=1)
        p_values.append(tost_p(a - b, 0.01 * spread if spread > 0 else 1e-12))
    order = np.argsort(p_values)  # Holm: the k-th smallest p against alpha / (m - k)
    failed = [names[i] for k, i in enumerate(order) if p_values[i] > 0.05 / (len(names) - k)]
    assert not failed, f"not equivalent within 1% of the between-seed SD: {failed}"

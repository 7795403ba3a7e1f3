"""How tightly runs pair: the spread of the paired difference in EU outcomes, EU delay 2 vs 6 quarters.

    .venv/bin/python benchmarks/bench_pairing.py                 # this checkout, 40 replicates
    .venv/bin/python benchmarks/bench_pairing.py --against ../rev0

Each replicate runs the baseline twice on one seed, with ``eu.delay_mean_q`` 2 and 6, and takes the difference
of the EU's outcomes. With one random generator for everything, the slower EU reshuffles every later draw and
the difference carries all the run's noise; with independent streams (model/streams.py) the two runs share
prices, rivals' draws and tenders, so the difference is the delay's effect plus the EU's own noise. A smaller
standard deviation of the difference means a paired comparison needs fewer replicates for the same interval.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
# Each measure by its name in this checkout and, failing that, in the pre-rebuild one (where the EU's share was
# of licensed value, not of capacity): the first name a checkout's timeseries has is used.
MEASURES = {
    "EU share": ("capacity_share_eu", "share_EU"),
    "EU supply security": ("eu_supply_security",),
    "EU awards": ("awards_eu", "awards_EU"),
}
YEAR_STEP = 40  # 2035Q4 of a 2026 start

# Works on both sides of the foundation change (scenarios moved from experiments/ to model/).
PROBE = """
import json, sys
sys.path.insert(0, {root!r})
import numpy as np
try:
    from model import scenario as sc
    build = lambda seed, d: sc.load("baseline").build(rng=seed, **{{"eu.delay_mean_q": d}})
except ImportError:
    from experiments import scenarios
    from model import GreatGameModel
    build = lambda seed, d: GreatGameModel(**scenarios.load("baseline").kwargs(rng=seed, eu_delay_mean_q=d))
seeds = np.random.SeedSequence(2026).generate_state({n}, dtype=np.uint32)
out = []
for seed in seeds:
    rows = []
    for d in (2.0, 6.0):
        m = build(int(seed), d)
        m.run_for({steps})
        rows.append(m.timeseries().iloc[{step}])
    names = {{k: next(c for c in cs if c in rows[0].index) for k, cs in {measures!r}.items()}}
    out.append({{k: float(rows[1][c] - rows[0][c]) for k, c in names.items()}})
print(json.dumps(out))
"""


def differences(root: Path, n: int) -> dict[str, np.ndarray]:
    """Paired differences (delay 6 minus delay 2) per measure, over ``n`` replicates, in the checkout ``root``."""
    code = PROBE.format(root=str(root), n=n, steps=YEAR_STEP, step=YEAR_STEP, measures=MEASURES)
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    rows = json.loads(out.stdout.strip().splitlines()[-1])
    return {k: np.array([r[k] for r in rows]) for k in MEASURES}


def report(label: str, diff: dict[str, np.ndarray]) -> None:
    """Mean ± 95% half-width and SD of each paired difference."""
    print(label)
    for k, v in diff.items():
        half = 1.96 * v.std(ddof=1) / np.sqrt(len(v))
        print(f"  {k:<20} mean {v.mean():+.4f} ± {half:.4f}   sd of paired difference {v.std(ddof=1):.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--replicates", type=int, default=40)
    parser.add_argument("--against", help="another checkout (e.g. a git worktree of an older revision)")
    args = parser.parse_args()
    print(f"EU delay 6 minus 2 quarters, baseline, 2035Q4, {args.replicates} replicates")
    this = differences(ROOT, args.replicates)
    report(f"this checkout ({ROOT})", this)
    if args.against:
        other = differences(Path(args.against).resolve(), args.replicates)
        report(f"other checkout ({Path(args.against).resolve()})", other)
        for k in MEASURES:
            print(f"  sd ratio this / other, {k}: {this[k].std(ddof=1) / other[k].std(ddof=1):.2f}")


if __name__ == "__main__":
    main()

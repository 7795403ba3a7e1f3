"""This checkout's baseline run against another revision's, side by side in one run.

    git worktree add ../rev0 b689cae        # the revision to compare against, checked out beside this one
    .venv/bin/python benchmarks/bench_revision.py ../rev0 [--rounds 7]

Each round times 5 baseline runs of 100 quarters (model construction + steps, imports excluded; CPU time of the
process, so other processes' load counts less) in a fresh process of each checkout, the two alternating, so
both see the same machine; the ratio of the best rounds is the figure (this / other). Both run with this
venv's interpreter and packages.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Works on both sides of the foundation change (scenarios moved from experiments/ to model/).
PROBE = """
import sys, time
sys.path.insert(0, {root!r})
try:
    from model import scenario as sc
    build = lambda seed: sc.load("baseline").build(rng=seed)
except ImportError:
    from experiments import scenarios
    from model import GreatGameModel
    build = lambda seed: GreatGameModel(**scenarios.load("baseline").kwargs(rng=seed))
build(0).run_for(2)  # imports and the table cache warm
t = time.process_time()
for seed in range(1, 6):
    build(seed).run_for(100)
print((time.process_time() - t) / 5)
"""


def one_round(root: Path) -> float:
    """Seconds per baseline run in a fresh process of the checkout at ``root``."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(root=str(root))],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", help="path of the other checkout (e.g. a git worktree of an older revision)")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    other = Path(args.other).resolve()
    this, that = [], []
    for _ in range(args.rounds):
        this.append(one_round(ROOT))
        that.append(one_round(other))
    a, b = min(this), min(that)
    print(f"this checkout: {a * 1000:.1f} ms per baseline run of 100 quarters (best of {args.rounds} rounds)")
    print(f"{other}: {b * 1000:.1f} ms")
    print(f"ratio this / other: {a / b:.2f}")


if __name__ == "__main__":
    main()

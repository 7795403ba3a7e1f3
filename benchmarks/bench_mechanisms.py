"""What each issue's new mechanisms cost: the baseline with them on against the same model with them off, side by
side in one process (rounds alternate between the variants, so both see the same machine).

    .venv/bin/python benchmarks/bench_mechanisms.py            # 7 rounds of 3 runs x 100 quarters per variant
    .venv/bin/python benchmarks/bench_mechanisms.py --rounds 3

The figure is each variant's median CPU time per run (build included) over the variant before it's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import scenario as sc  # noqa: E402

MARKETS_OFF = {"mechanisms.markets": 0, "mechanisms.demand_growth": 0, "mechanisms.routes": 0}
STATES_OFF = {"mechanisms.packages": 0, "mechanisms.plants": 0, "mechanisms.lock_in": 0}
VARIANTS = {  # name: overrides of the baseline
    "packages, plants, contracts, markets and routes off (issue 19's model)": {**STATES_OFF, **MARKETS_OFF},
    "markets, demand paths and routes off (issue 20's model)": MARKETS_OFF,
    "everything on (the baseline)": {},
}
# each variant at most this many times the one before it (issue 20: 1.5; issue 21: 1.3)
TARGETS = {"markets, demand paths and routes off (issue 20's model)": 1.5, "everything on (the baseline)": 1.3}


def seconds(overrides: dict, runs: int = 3) -> float:
    """CPU seconds per baseline run of 100 quarters (model built and run), over ``runs`` seeds."""
    t = time.process_time()
    for seed in range(1, runs + 1):
        sc.load("baseline").build(rng=seed, **overrides).run_for(100)
    return (time.process_time() - t) / runs


def measure(rounds: int = 7) -> dict[str, float]:
    """Median seconds per run of each variant, rounds alternating."""
    for over in VARIANTS.values():  # warm: imports, tables, compiled kernels
        sc.load("baseline").build(rng=0, **over).run_for(4)
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(rounds):
        for name, over in VARIANTS.items():
            times[name].append(seconds(over))
    return {name: statistics.median(t) for name, t in times.items()}


def text(result: dict[str, float]) -> str:
    lines, before = [], None
    for name, s in result.items():
        target = TARGETS.get(name)
        ratio = s / before if before else 1.0
        mark = f" (target <= {target}x: {'met' if ratio <= target else 'NOT met'})" if target else ""
        lines.append(f"{name}: {s * 1e3:.0f} ms a run, {ratio:.2f}x the one before{mark}")
        before = s
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    print(text(measure(parser.parse_args().rounds)))


if __name__ == "__main__":
    main()

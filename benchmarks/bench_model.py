"""Speed of one run and of one step at scale. Run: python benchmarks/bench_model.py [--quick]

Reports (each against a baseline measured in the same run, so the ratios hold on a noisy machine):
  - baseline scenario, 100 quarters in-process (construction + steps, imports excluded);
  - `python run.py` end to end, against the bare interpreter start-up with the same imports;
  - step cost at N synthetic deposits × M investors, and its growth against N × M (slope of log-log fit).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import GreatGameModel  # noqa: E402
from model import scenario as scenarios  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def baseline_run() -> None:
    GreatGameModel(**scenarios.load("baseline").model_kwargs(rng=1)).run_for(100)


def step_cost(n_deposits: int, n_investors: int, steps: int = 10) -> float:
    m = GreatGameModel(run_synthetic_deposits=n_deposits, investors_count=n_investors, rng=1)
    m.run_for(4)  # warm up: tenders open, pursuits start
    t = time.perf_counter()
    m.run_for(steps)
    return (time.perf_counter() - t) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats and sizes")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7

    run_s = best_of(baseline_run, repeat)
    print(f"baseline, 100 quarters in-process: {run_s * 1000:.0f} ms (target < 200 ms)")

    import_only = best_of(
        lambda: subprocess.run([sys.executable, "-c", "import experiments.cli.main, model"], cwd=ROOT, check=True), 3
    )
    e2e = best_of(
        lambda: subprocess.run(
            [sys.executable, "run.py", "run", "--out", str(Path(tempfile.mkdtemp()) / "run")],
            cwd=ROOT,
            check=True,
            capture_output=True,
        ),
        3,
    )
    print(
        f"python run.py end to end: {e2e:.2f} s (target < 3 s); imports alone {import_only:.2f} s; "
        f"ratio {e2e / import_only:.1f}x"
    )

    sizes = [(600, 100), (2000, 300), (6000, 600), (10000, 1000)] if not args.quick else [(600, 100), (10000, 1000)]
    rows = []
    for n, m in sizes:
        rows.append((n, m, step_cost(n, m)))
    print("\n deposits  investors   ms/step  steps/s   ratio to smallest")
    for n, m, s in rows:
        print(f"{n:>9} {m:>10} {s * 1000:>9.1f} {1 / s:>8.1f} {s / rows[0][2]:>10.1f}x")
    x = np.log([n * m for n, m, _ in rows])
    y = np.log([s for *_, s in rows])
    slope = np.polyfit(x, y, 1)[0]
    print(f"log-log slope of step cost against deposits × investors: {slope:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()

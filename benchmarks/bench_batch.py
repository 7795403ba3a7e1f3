"""Benchmark: our batch runner against ``mesa.batch_run`` on the same runs, and our memory at 10x the runs.

    .venv/bin/python benchmarks/bench_batch.py                  # 1000 runs x 100 quarters, all cores (~3 min on 2)
    .venv/bin/python benchmarks/bench_batch.py --runs 200       # quicker
    .venv/bin/python benchmarks/bench_batch.py --mesa-scale     # also mesa.batch_run at 10x runs (longer)
    .venv/bin/python benchmarks/bench_batch.py --series         # keep every quarter (mesa: data_collection_period=1)

Each measurement runs in a fresh child interpreter, which samples the memory of itself and all its child
processes every 50 ms (proportional set size from /proc/PID/smaps_rollup, so pages shared between forked
workers count once; RSS where that is missing); "tree peak" is the largest sum seen and "main peak" the
parent process's own peak (where rows pile up). Both runners do the same runs: the baseline scenario with the same integer seeds, keeping every measure
at the last quarter (mesa.batch_run's ``data_collection_period=-1``); ours writes them to Parquet shards,
mesa.batch_run returns a list of dicts that we turn into a DataFrame, as one would.

Traps of mesa.batch_run avoided here: every non-string iterable parameter is a sweep axis (so only scalars
are passed: none at all, the model's defaults are the baseline), and importing ``mesa.batchrunner`` switches
the whole process to the ``spawn`` start method (so it is imported only in its own child).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXPERIMENT = """
name = "bench"
steps = {steps}
replicates = {runs}
seed = {seed}
[design]
method = "factorial"
[design.factors]
"run.start_year" = [2026]   # one point: the baseline
[output]
measures = ["*"]
final = true
series = {series}
flush_every = 500
"""


def _memory(proc) -> int:
    """Proportional set size (shared pages split between the processes sharing them), else RSS."""
    try:
        with open(f"/proc/{proc.pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return proc.memory_info().rss


class PeakMemory:
    """Samples the memory (PSS) of this process and its descendants in a background thread."""

    def __init__(self, interval: float = 0.05):
        import psutil

        self.proc, self.interval = psutil.Process(), interval
        self.tree = self.main = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        import psutil

        main = _memory(self.proc)
        total = main
        for child in self.proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += _memory(child)
        self.tree, self.main = max(self.tree, total), max(self.main, main)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._sample()
        self._stop.set()
        self._thread.join()


def child_ours(runs: int, steps: int, workers: int, seed: int, series: bool) -> dict:
    from experiments.runner import batch, design

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.toml"
        path.write_text(EXPERIMENT.format(runs=runs, steps=steps, seed=seed, series=str(series).lower()))
        exp = design.load(path)
        des = design.expand(exp)
        with PeakMemory() as rss:
            started = time.perf_counter()
            summary = batch.run_experiment(exp, des, Path(tmp) / "out", workers=workers)
            wall = time.perf_counter() - started
        frame = batch.load_runs(Path(tmp) / "out", ["seed", "capacity_share_eu"])
        check = dict(zip(frame["seed"].astype(int).astype(str), frame["capacity_share_eu"].astype(float)))
        assert summary.ran == runs and summary.failed_total == 0, summary.text()
    return {"wall": wall, "tree": rss.tree, "main": rss.main, "check": check}


def child_mesa(runs: int, steps: int, workers: int, seed: int, series: bool) -> dict:
    import pandas as pd
    from mesa.batchrunner import batch_run  # switches this child to 'spawn'

    from experiments.runner.design import seeds
    from model import GreatGameModel

    seed_list = seeds(seed, runs)
    with PeakMemory() as rss:
        started = time.perf_counter()
        rows = batch_run(
            GreatGameModel,
            parameters={},
            rng=seed_list,
            number_processes=workers,
            max_steps=steps,
            data_collection_period=1 if series else -1,
            display_progress=False,
        )
        frame = pd.DataFrame(rows)
        wall = time.perf_counter() - started
    frame = frame[frame["Step"] == frame["Step"].max()]
    check = dict(zip(frame["rng"].astype(int).astype(str), frame["capacity_share_eu"].astype(float)))
    return {"wall": wall, "tree": rss.tree, "main": rss.main, "check": check}


def measure(kind: str, runs: int, steps: int, workers: int, seed: int, series: bool = False) -> dict:
    cmd = [
        sys.executable,
        __file__,
        "--_child",
        kind,
        "--runs",
        str(runs),
        "--steps",
        str(steps),
        "--workers",
        str(workers),
        "--seed",
        str(seed),
    ] + (["--series"] if series else [])
    print(f"  {kind:<5} {runs:>6} runs x {steps:>3} quarters ...", end="", flush=True, file=sys.stderr)
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        sys.exit(f"\n{kind} failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f" {result['wall']:.1f} s", file=sys.stderr)
    return {"kind": kind, "runs": runs, "steps": steps, "series": series, **result}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="runs in the comparison (default 1000)")
    parser.add_argument("--steps", type=int, default=100, help="quarters per run in the comparison (default 100)")
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)), help="processes (default: all)")
    parser.add_argument(
        "--scale", type=int, default=10, help="memory check at this multiple of --runs (default 10; 0 skips it)"
    )
    parser.add_argument(
        "--scale-steps", type=int, default=4, help="quarters per run in the memory check, to keep it short (default 4)"
    )
    parser.add_argument("--mesa-scale", action="store_true", help="also run mesa.batch_run at the larger size")
    parser.add_argument(
        "--series",
        action="store_true",
        help="keep every quarter in the comparison (ours: series = true; mesa: data_collection_period=1)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--_child", choices=["ours", "mesa"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args._child:
        fn = child_ours if args._child == "ours" else child_mesa
        print(json.dumps(fn(args.runs, args.steps, args.workers, args.seed, args.series)))
        return 0

    print(f"bench_batch: {args.workers} processes, {os.cpu_count()} cores", file=sys.stderr)
    rows = [
        measure("ours", args.runs, args.steps, args.workers, args.seed, args.series),
        measure("mesa", args.runs, args.steps, args.workers, args.seed, args.series),
    ]
    big = args.runs * args.scale
    rows += (
        []
        if args.scale <= 1
        else [
            measure("ours", args.runs, args.scale_steps, args.workers, args.seed),
            measure("ours", big, args.scale_steps, args.workers, args.seed),
        ]
    )
    if args.mesa_scale and args.scale > 1:
        rows += [
            measure("mesa", args.runs, args.scale_steps, args.workers, args.seed),
            measure("mesa", big, args.scale_steps, args.workers, args.seed),
        ]

    mb = 1024 * 1024
    print(
        f"\n{'runner':<16}{'runs':>7}{'quarters':>9}{'kept':>8}{'wall s':>9}{'runs/s':>9}{'tree peak MB':>14}"
        f"{'main peak MB':>14}"
    )
    for r in rows:
        name = "ours" if r["kind"] == "ours" else "mesa.batch_run"
        kept = "series" if r["series"] else "final"
        print(
            f"{name:<16}{r['runs']:>7}{r['steps']:>9}{kept:>8}{r['wall']:>9.1f}{r['runs'] / r['wall']:>9.1f}"
            f"{r['tree'] / mb:>14.0f}{r['main'] / mb:>14.0f}"
        )
    ours, mesa = rows[0], rows[1]
    same = ours["check"] == mesa["check"]
    print(
        f"\nthroughput ours / mesa.batch_run ({args.runs} runs x {args.steps} quarters, {args.workers} processes): "
        f"{(ours['runs'] / ours['wall']) / (mesa['runs'] / mesa['wall']):.2f}x; same capacity_share_eu in every run: {same}"
    )
    if args.scale <= 1:
        return 0
    small, large = rows[2], rows[3]
    print(
        f"ours at {args.scale}x runs: main peak {small['main'] / mb:.0f} -> {large['main'] / mb:.0f} MB, "
        f"tree peak {small['tree'] / mb:.0f} -> {large['tree'] / mb:.0f} MB"
    )
    if args.mesa_scale:
        small, large = rows[4], rows[5]
        print(
            f"mesa.batch_run at {args.scale}x runs: main peak {small['main'] / mb:.0f} -> "
            f"{large['main'] / mb:.0f} MB, tree peak {small['tree'] / mb:.0f} -> {large['tree'] / mb:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

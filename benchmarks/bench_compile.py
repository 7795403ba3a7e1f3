"""What a fresh checkout's first run compiles (docs/performance.md, "What a fresh checkout pays").

    .venv/bin/python benchmarks/bench_compile.py              # ~1 min: a baseline build and 8 quarters
    .venv/bin/python benchmarks/bench_compile.py --opt 0      # the same with LLVM's optimisation off

The run is made in a fresh process whose numba cache is an empty temporary folder (``NUMBA_CACHE_DIR``), so every
kernel compiles and the checkout's own cache is neither read nor written. numba reports each compilation as a
"numba:compile" event, nested where compiling one function compiles those it calls; a function's own time is its
events' time less that of the events nested in them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import json, sys, time
sys.path.insert(0, {root!r})
from numba.core import event
records = []
class Listener(event.Listener):
    def on_start(self, ev):
        records.append(("start", "", time.perf_counter()))
    def on_end(self, ev):
        f = ev.data["dispatcher"].py_func
        records.append(("end", f.__module__ + "." + f.__qualname__, time.perf_counter()))
event.register("numba:compile", Listener())
t = time.perf_counter()
from model import scenario
scenario.load("baseline").build(rng=1).run_for({quarters})
print(json.dumps({{"seconds": time.perf_counter() - t, "records": records}}))
"""


def own_times(records: list) -> dict[str, tuple[float, float, int]]:
    """Per function: its own compiling time (less the compilations nested in it), its whole time and how many
    times it compiled, from ``("start" | "end", name, time)`` records in time order (an end closes the latest start).
    """
    stack: list[list[float]] = []
    out: dict[str, tuple[float, float, int]] = {}
    for kind, name, t in records:
        if kind == "start":
            stack.append([t, 0.0])
            continue
        t0, nested = stack.pop()
        whole = t - t0
        own, total, n = out.get(name, (0.0, 0.0, 0))
        out[name] = (own + whole - nested, total + whole, n + 1)
        if stack:
            stack[-1][1] += whole
    return out


def measure(quarters: int, opt: int | None) -> tuple[float, dict[str, tuple[float, float, int]]]:
    """The seconds of a fresh process's imports, build and ``quarters`` quarters, and ``own_times`` of its
    compilations, with an empty cache of its own.
    """
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        if opt is not None:
            env["NUMBA_OPT"] = str(opt)
        code = PROBE.format(root=str(ROOT), quarters=quarters)
        done = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
    if done.returncode != 0:
        raise SystemExit(f"bench_compile: the probe failed:\n{done.stderr[-2000:]}")
    got = json.loads(done.stdout.strip().splitlines()[-1])
    return got["seconds"], own_times(got["records"])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quarters", type=int, default=8, help="quarters run after the build (default 8)")
    ap.add_argument("--top", type=int, default=15, help="functions listed, by own time (default 15)")
    ap.add_argument("--opt", type=int, choices=range(4), help="NUMBA_OPT for the probe (numba's default: 3)")
    args = ap.parse_args(argv)
    seconds, times = measure(args.quarters, args.opt)
    own = sum(t[0] for t in times.values())
    n = sum(t[2] for t in times.values())
    print(
        f"a baseline build and {args.quarters} quarters in a fresh process with an empty numba cache: {seconds:.1f} s"
    )
    print(f"compiling: {own:.1f} s, {n} specializations of {len(times)} functions (numba's own included)")
    print(f"{'own s':>7} {'whole s':>8} {'times':>5}  function")
    for name, (mine, whole, k) in sorted(times.items(), key=lambda kv: -kv[1][0])[: args.top]:
        print(f"{mine:7.2f} {whole:8.2f} {k:5d}  {name}")


if __name__ == "__main__":
    main()

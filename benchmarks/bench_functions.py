"""Microseconds a quarter that named functions take inside running baseline steps, here and in another checkout.

    .venv/bin/python benchmarks/bench_functions.py agents.host:Host.survey model.routes:Routes.quarter
    .venv/bin/python benchmarks/bench_functions.py agents.host:Host.survey --against ../other   # side by side

Each function (``module:qualname``) is wrapped with two ``time.perf_counter`` calls, as ``bench_profile.py`` times
the model's phases; one baseline run warms the process (numba loads its kernels), then ``--runs`` runs of 100
quarters (seeds 1..runs) are timed. The figure is a function's total time over the quarters run, with how often
it was called; what a function calls is inside its figure, so nested names add up to more than the step. The
wrappers' own cost (under a microsecond a call) is in every figure, here and there alike. Each checkout runs in a
fresh process of its own, this checkout's interpreter and packages; the two take turns over ``--rounds`` rounds,
and the median round of each is reported (a function that a checkout does not have is reported as missing).
A function that the model's modules import by name (``from model.streams import normal``) is timed where they
call it too.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(root: Path, names: list[str], runs: int) -> dict[str, tuple[float, float] | None]:
    """In this process, with the model of ``root``: per name, microseconds and calls a quarter (None: no such
    function there).
    """
    sys.path.insert(0, str(root))
    from model import scenario

    spent, calls, found = defaultdict(float), defaultdict(int), {}
    for name in names:
        module, qualname = name.split(":")
        parts = qualname.split(".")
        try:
            owner = importlib.import_module(module)
            for part in parts[:-1]:
                owner = getattr(owner, part)
            fn = getattr(owner, parts[-1])
        except (ImportError, AttributeError):
            found[name] = False
            continue
        found[name] = True

        @functools.wraps(fn)
        def timed(*args, _fn=fn, _name=name, **kwargs):
            t = time.perf_counter()
            try:
                return _fn(*args, **kwargs)
            finally:
                spent[_name] += time.perf_counter() - t
                calls[_name] += 1

        setattr(owner, parts[-1], timed)
        _rebind(fn, timed)
    scenario.load("baseline").build(rng=0).run_for(100)
    spent.clear(), calls.clear()
    for seed in range(1, runs + 1):
        scenario.load("baseline").build(rng=seed).run_for(100)
    quarters = 100 * runs
    return {n: (spent[n] / quarters * 1e6, calls[n] / quarters) if found[n] else None for n in names}


def _rebind(fn, timed) -> None:
    """Where the model's modules took ``fn`` by name (``from model.streams import normal``), time it there too."""
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").split(".")[0] in ("model", "agents"):
            for attr, value in list(vars(module).items()):
                if value is fn:
                    setattr(module, attr, timed)


def in_process(root: Path, names: list[str], runs: int) -> dict:
    """``measure`` in a fresh interpreter for checkout ``root``."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r}); import bench_functions as b; "
        f"print(json.dumps(b.measure(b.Path({str(root)!r}), {names!r}, {runs})))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("names", nargs="+", help="module:qualname, e.g. agents.host:Host.survey")
    ap.add_argument("--against", type=Path, help="another checkout, measured side by side")
    ap.add_argument("--runs", type=int, default=10, help="baseline runs of 100 quarters a round (default 10)")
    ap.add_argument("--rounds", type=int, default=3, help="rounds, each checkout once a round (default 3)")
    args = ap.parse_args()
    sides = {"this checkout": ROOT, **({str(args.against): args.against.resolve()} if args.against else {})}
    got: dict[str, list[dict]] = {side: [] for side in sides}
    for _ in range(args.rounds):
        for side, root in sides.items():
            got[side].append(in_process(root, args.names, args.runs))
    for name in args.names:
        shown = []
        for side, rounds in got.items():
            if rounds[0][name] is None:
                shown.append(f"{side}: missing")
                continue
            micro = statistics.median(r[name][0] for r in rounds)
            shown.append(f"{side}: {micro:6.1f} us a quarter ({rounds[0][name][1]:.2f} calls)")
        print(f"{name:45s} " + "; ".join(shown))


if __name__ == "__main__":
    main()

"""Where a step's time goes: the baseline's 100 quarters split by phase, and the functions that dominate.

    .venv/bin/python benchmarks/bench_profile.py                       # baseline, 100 quarters
    .venv/bin/python benchmarks/bench_profile.py --deposits 60000 --investors 5000 --steps 5
    .venv/bin/python benchmarks/bench_profile.py --cprofile 15         # also cProfile's top 15 functions
    .venv/bin/python benchmarks/bench_profile.py --kernels 10          # also the time inside compiled kernels

Phases are timed by wrapping the model's own methods on one model instance (two ``perf_counter`` calls per
call, about 0.1 us each, so the wrappers do not move the figures). A phase's share is of the same runs'
total step time, so the shares hold on a noisy machine; each figure is the median of ``--repeat`` runs.

| phase | methods |
|---|---|
| offers | ``Host.offer`` + ``Host.survey`` |
| exploration and releases | ``Host.license_ground`` + ``GreatGameModel.add_deposits`` (a discovery's, inside the first, counted once) |
| pursuits and decisions | ``Power.pursue`` (all powers) + ``Host.receive_offers`` + ``Host.decide`` |
| investors | ``InvestorPool.step`` |
| production/development | ``Host.supervise`` + ``GreatGameModel._produce`` |
| data collection | ``GreatGameModel._observe`` (measures, DataCollector, histories) |
| other | the rest of ``step``: prices and markets, shocks, the release schedule (``StatePipeline.plots``), the chains' quarter (contracts, the plants' and routes' flows: ``Chains.quarter``), trust update, Mesa's scheduling |
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from numba.core.registry import CPUDispatcher  # noqa: E402

from agents import Power  # noqa: E402
from model import GreatGameModel  # noqa: E402
from model import scenario as scenarios  # noqa: E402

PHASES = {
    "offers": ("host.offer", "host.survey"),
    "exploration and releases": ("host.license_ground", "model.add_deposits"),
    "pursuits and decisions": ("power.pursue", "host.receive_offers", "host.decide"),
    "investors": ("investors.step",),
    "production/development": ("host.supervise", "model._produce"),
    "data collection": ("model._observe",),
}
ORDER = [*PHASES, "other"]


def _wrap(fn, bucket: dict, key: str, depth: list[int]):
    """``fn`` timed into ``bucket[key]``; time spent inside another timed method (``add_deposits`` called by a
    discovery inside ``license_ground``) is also noted as ``nested:<key>``, so that phases do not count it twice.
    """
    clock = time.perf_counter

    def timed(*args, **kwargs):
        t = clock()
        depth[0] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            depth[0] -= 1
            spent = clock() - t
            bucket[key] += spent
            if depth[0]:
                bucket[f"nested:{key}"] += spent

    return timed


def instrument(model: GreatGameModel) -> dict[str, float]:
    """Wrap the model's phase methods on this instance; returns the dict the wrappers add seconds to."""
    spent: dict[str, float] = defaultdict(float)
    depth = [0]
    for name in ("offer", "survey", "license_ground", "receive_offers", "decide", "supervise"):
        setattr(model.host, name, _wrap(getattr(model.host, name), spent, f"host.{name}", depth))
    model.investors.step = _wrap(model.investors.step, spent, "investors.step", depth)
    for name in ("_produce", "_observe", "add_deposits"):
        setattr(model, name, _wrap(getattr(model, name), spent, f"model.{name}", depth))
    for power in model.agents_by_type[Power]:
        power.pursue = _wrap(power.pursue, spent, "power.pursue", depth)
    return spent


def phase_seconds(spent: dict[str, float]) -> dict[str, float]:
    """Seconds per phase, each method's time counted once (at the outermost timed call)."""
    return {ph: sum(spent[m] - spent.get(f"nested:{m}", 0.0) for m in ms) for ph, ms in PHASES.items()}


def make_model(deposits: int, investors: int | None, seed: int, overrides: dict | None = None) -> GreatGameModel:
    """The baseline scenario (``deposits`` = 0) or a synthetic table; ``overrides`` are parameters by dotted key."""
    extra = {**({} if investors is None else {"investors.count": investors}), **(overrides or {})}
    if deposits:
        return GreatGameModel(**{"run.synthetic_deposits": deposits, **extra}, rng=seed)
    return scenarios.load("baseline").build(rng=seed, **extra)


def one_run(
    steps: int, deposits: int, investors: int | None, seed: int, warmup: int, overrides: dict | None = None
) -> dict[str, float]:
    """Seconds per phase (and ``step`` in all, ``build`` for construction) over ``steps`` quarters."""
    t = time.perf_counter()
    model = make_model(deposits, investors, seed, overrides)
    build = time.perf_counter() - t
    if warmup:
        model.run_for(warmup)
    spent = instrument(model)
    t = time.perf_counter()
    model.run_for(steps)
    total = time.perf_counter() - t
    out = phase_seconds(spent)
    out["other"] = total - sum(out.values())
    out.update({"step": total, "build": build})
    out.update({f"method:{k}": v for k, v in spent.items() if not k.startswith("nested:")})
    ground = model.ground
    out.update(
        {
            "deposits_end": len(model.deposits),
            "blocks": 0 if ground is None else ground.n,
            "licensed_end": 0 if ground is None else len(ground.licensed()),
        }
    )
    return out


def profile(
    steps: int = 100,
    deposits: int = 0,
    investors: int | None = None,
    seed: int = 1,
    repeat: int = 5,
    warmup: int = 0,
) -> dict:
    """Median over ``repeat`` runs (the first, which warms caches and imports, is dropped)."""
    one_run(min(steps, 4), deposits, investors, seed, 0)
    runs = [one_run(steps, deposits, investors, seed, warmup) for _ in range(repeat)]
    med = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in runs[0]}
    return {"steps": steps, "deposits": deposits, "investors": investors, "repeat": repeat, **med}


def observation_shares(seeds, steps: int = 100) -> list[float]:
    """The observation's share of step time in one run of each of ``seeds`` (the baseline, timed as ``profile``
    times its phases, after one warm-up run): the spread across seeds and runs that an interval is drawn from.
    """
    seeds = list(seeds)
    one_run(min(steps, 4), 0, None, seeds[0], 0)
    shares = []
    for seed in seeds:
        run = one_run(steps, 0, None, seed, 0)
        shares.append(run["data collection"] / run["step"])
    return shares


def top_functions(steps: int, deposits: int, investors: int | None, seed: int, n: int, warmup: int = 0) -> str:
    """cProfile's top ``n`` functions by own time (tottime), as text."""
    model = make_model(deposits, investors, seed)
    if warmup:
        model.run_for(warmup)
    prof = cProfile.Profile()
    prof.enable()
    model.run_for(steps)
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).strip_dirs().sort_stats("tottime").print_stats(n)
    return buf.getvalue()


@contextlib.contextmanager
def kernel_clock():
    """Every compiled kernel of ``model`` and ``agents`` timed while inside the block (each name that refers to one,
    in every module, is swapped for a timed wrapper and put back after): yields ``{kernel: [seconds, calls,
    arrays]}``, ``arrays`` counting the arrays it returned (each one numba boxes for Python).
    Time inside kernels is what a quarter compiled whole could not save; the rest of a step is Python and numpy.
    """
    spent: dict[str, list] = defaultdict(lambda: [0.0, 0, 0])
    clock, wrapped, swapped = time.perf_counter, {}, []

    def timed(kernel):
        name = f"{kernel.py_func.__module__}.{kernel.py_func.__name__}"

        def call(*args):
            t = clock()
            out = kernel(*args)
            entry = spent[name]
            entry[0] += clock() - t
            entry[1] += 1
            entry[2] += (
                sum(isinstance(a, np.ndarray) for a in out) if isinstance(out, tuple) else isinstance(out, np.ndarray)
            )
            return out

        return call

    for module in [m for n, m in sys.modules.items() if n.split(".")[0] in ("model", "agents")]:
        for attr, value in list(vars(module).items()):
            if isinstance(value, CPUDispatcher):
                setattr(module, attr, wrapped.setdefault(value, timed(value)))
                swapped.append((module, attr, value))
    try:
        yield spent
    finally:
        for module, attr, value in swapped:
            setattr(module, attr, value)


def kernel_share(steps: int, deposits: int, investors: int | None, seed: int, warmup: int = 0, repeat: int = 3) -> dict:
    """The share of a step spent inside compiled kernels (calls and dispatch included): of ``repeat`` models, the
    one with the median share, with its seconds inside and in all, its kernel calls and each kernel's seconds.
    """
    one_run(min(steps, 4), deposits, investors, seed, 0)  # every kernel compiled or loaded first
    runs = []
    for _ in range(repeat):
        model = make_model(deposits, investors, seed)
        if warmup:
            model.run_for(warmup)
        with kernel_clock() as spent:
            t = time.perf_counter()
            model.run_for(steps)
            total = time.perf_counter() - t
        inside = sum(s for s, _, _ in spent.values())
        calls = sum(c for _, c, _ in spent.values())
        runs.append({"steps": steps, "share": inside / total, "inside": inside, "total": total, "calls": calls,
                     "kernels": dict(spent)})  # fmt: skip
    return sorted(runs, key=lambda r: r["share"])[len(runs) // 2]


def kernel_text(k: dict, n: int) -> str:
    """``kernel_share``'s result as text, with the ``n`` kernels that take longest."""
    steps = k["steps"]
    lines = [
        (
            f"inside compiled kernels: {k['share']:.0%} of the step ({k['inside'] / steps * 1e3:.3f} of "
            f"{k['total'] / steps * 1e3:.3f} ms a quarter), {k['calls'] / steps:.0f} kernel calls a quarter, "
            f"{len(k['kernels'])} kernels"
        )
    ]
    for name, (s, c, _) in sorted(k["kernels"].items(), key=lambda kv: -kv[1][0])[:n]:
        lines.append(f"  {name:<48}{s / steps * 1e6:>8.1f} us/quarter{c / steps:>7.1f} calls/quarter")
    return "\n".join(lines)


def table(result: dict) -> str:
    steps, total = result["steps"], result["step"]
    lines = [f"{'phase':<24}{'ms/step':>10}{'share':>8}"]
    for phase in ORDER:
        lines.append(f"{phase:<24}{result[phase] / steps * 1e3:>10.3f}{result[phase] / total:>8.0%}")
    lines.append(f"{'step (all)':<24}{total / steps * 1e3:>10.3f}{1:>8.0%}")
    methods = sorted((k for k in result if k.startswith("method:")), key=lambda k: -result[k])
    lines.append("")
    lines.append("by method: " + ", ".join(f"{k[7:]} {result[k] / total:.0%}" for k in methods))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=100, help="quarters timed (default 100)")
    ap.add_argument("--deposits", type=int, default=0, help="synthetic deposits (default 0: the real table)")
    ap.add_argument("--investors", type=int, default=None, help="investors (default: the scenario's 300)")
    ap.add_argument("--warmup", type=int, default=0, help="quarters run before timing (default 0)")
    ap.add_argument("--repeat", type=int, default=5, help="runs; the median is reported (default 5)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cprofile", type=int, default=0, metavar="N", help="also print cProfile's top N functions")
    ap.add_argument("--kernels", type=int, default=0, metavar="N", help="also the time inside compiled kernels, top N")
    args = ap.parse_args(argv)
    result = profile(args.steps, args.deposits, args.investors, args.seed, args.repeat, args.warmup)
    what = f"{args.deposits} synthetic deposits" if args.deposits else "baseline (real deposit table)"
    print(f"{what}, {args.steps} quarters, median of {args.repeat} runs: {result['step'] * 1e3:.1f} ms")
    print(table(result))
    if args.cprofile:
        print(top_functions(args.steps, args.deposits, args.investors, args.seed, args.cprofile, args.warmup))
    if args.kernels:
        k = kernel_share(args.steps, args.deposits, args.investors, args.seed, args.warmup, args.repeat)
        print(kernel_text(k, args.kernels))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""This checkout's baseline run against another revision's, side by side in one run.

    git worktree add ../rev0 b689cae        # the revision to compare against, checked out beside this one
    .venv/bin/python benchmarks/bench_revision.py ../rev0 [--rounds 7]

Each round times 5 baseline runs of 100 quarters (model construction + steps; CPU time of the process, so other
processes' load counts less) in a fresh process of each checkout, the two alternating, so both see the same
machine; the ratios of the median rounds are the figures (this / other). Before the timed runs each process makes
one whole run, which pays what a process pays once, as it pays its imports: numba loads each compiled kernel from
its cache at the kernel's first call. The report gives that run's time as the first run's in a fresh process
(before 2026-12-07 the warm-up was two quarters, and the timed runs carried the loading of the kernels first
called later, some 20 ms a run). With ``--large``, also 10 quarters of the 10,000-deposit, 1,000-investor
synthetic model after 4 of warm-up; with ``--observation``, also the observation's share of a step: ten more
baseline runs with the model's ``_observe`` timed (``time.perf_counter``, wall time, as ``bench_profile.py`` times
its phases), reported per side as the mean over the rounds with its 95% t interval. Both run with this venv's interpreter and packages; the first round of each
side also compiles (or loads) its kernels and is left out. Each side also reports how much its baseline does
(deposits known at the end, pursuits opened, events logged, exploration blocks), since a revision that models
more is slower for that.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from experiments.science.paired import ci  # noqa: E402

# Works on both sides of the foundation change (scenarios moved from experiments/ to model/).
PROBE = """
import json, sys, time
sys.path.insert(0, {root!r})
try:
    from model import scenario as sc
    build = lambda seed, **kw: sc.load("baseline").build(rng=seed, **kw)
except ImportError:
    from experiments import scenarios
    from model import GreatGameModel
    build = lambda seed, **kw: GreatGameModel(**scenarios.load("baseline").kwargs(rng=seed, **kw))
build(0).run_for(2)  # imports and the table cache warm
t = time.process_time()
build(0).run_for(100)  # a whole run first: it loads every compiled kernel a run uses from numba's cache, once
first = time.process_time() - t
t = time.process_time()
for seed in range(1, 6):
    m = build(seed)
    m.run_for(100)
seconds = (time.process_time() - t) / 5
ground = getattr(m, "ground", None)
large = None
if {large}:
    big = build(1, **{{"run.synthetic_deposits": 10000, "investors.count": 1000}})
    big.run_for(4)
    t = time.process_time()
    big.run_for(10)
    large = (time.process_time() - t) / 10
observation = None
if {observe}:
    models = [build(seed) for seed in range(11, 21)]
    cls, spent = type(models[0]), [0.0]
    observe = cls._observe
    def timed(self):
        t = time.perf_counter()
        observe(self)
        spent[0] += time.perf_counter() - t
    cls._observe = timed
    t = time.perf_counter()
    for model in models:
        model.run_for(100)
    observation = spent[0] / (time.perf_counter() - t)
print(json.dumps({{
    "seconds": seconds,
    "first_run_s": first,
    "large_s_per_step": large,
    "observation": observation,
    "deposits": len(m.deposits.remaining),
    "pursuits": int(m.pursuits.n),
    "events": len(m.events.rows),
    "blocks": 0 if ground is None else int(ground.n),
}}))
"""


def one_round(root: Path, large: bool = False, observe: bool = False) -> dict:
    """Seconds per baseline run (and the last run's sizes; with ``large``, seconds per step of the 10,000 x 1,000
    model) in a fresh process of the checkout at ``root``.
    """
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(root=str(root), large=large, observe=observe)],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(other: Path, rounds: int = 7, large: bool = False, observe: bool = False) -> dict:
    """Median round of each side, alternating (after one warm-up round each); ``ratio`` is this checkout's time
    per baseline run over the other's, ``large_ratio`` its steps/s at 10,000 x 1,000 over the other's.
    """
    one_round(ROOT), one_round(other)
    this, that = [], []
    for _ in range(rounds):
        this.append(one_round(ROOT, large, observe))
        that.append(one_round(other, large, observe))

    def median(runs: list[dict], key: str) -> float:
        return float(np.median([r[key] for r in runs]))

    a, b = dict(this[-1]), dict(that[-1])
    a["seconds"], b["seconds"] = median(this, "seconds"), median(that, "seconds")
    a["first_run_s"], b["first_run_s"] = median(this, "first_run_s"), median(that, "first_run_s")
    out = {"other": str(other), "rounds": rounds, "this": a, "that": b, "ratio": a["seconds"] / b["seconds"],
           "ratio_ci": paired_ratio([r["seconds"] for r in this], [r["seconds"] for r in that])}  # fmt: skip
    if observe:
        shares = [ci([r["observation"] for r in runs]) for runs in (this, that)]  # (mean, lo, hi) per side
        a["observation"], b["observation"] = shares[0][0], shares[1][0]
        out["observation_ci"] = [share[1:] for share in shares]
    if large:
        a["large_s_per_step"], b["large_s_per_step"] = (
            median(this, "large_s_per_step"),
            median(that, "large_s_per_step"),
        )
        out["large_ratio"] = b["large_s_per_step"] / a["large_s_per_step"]
        out["large_ci"] = paired_ratio([r["large_s_per_step"] for r in that], [r["large_s_per_step"] for r in this])
    return out


def paired_ratio(this: list[float], that: list[float]) -> tuple[float, float]:
    """The 95% interval of the ratio ``this / that`` from rounds run side by side: a t interval of the mean log
    ratio of each round's pair (a round's load touches both sides), taken back to a ratio.
    """
    _, lo, hi = ci(np.log(np.asarray(this) / np.asarray(that)))
    return float(np.exp(lo)), float(np.exp(hi))


def text(r: dict) -> str:
    def line(name: str, s: dict) -> str:
        return (
            f"{name}: {s['seconds'] * 1000:.1f} ms per baseline run of 100 quarters ({s['first_run_s'] * 1000:.0f} ms"
            f" the first in a fresh process); at the end {s['deposits']} deposits, {s['pursuits']} pursuits,"
            f" {s['events']} events, {s['blocks']} exploration blocks"
        )

    lines = [
        line("this checkout", r["this"]) + f" (median of {r['rounds']} rounds)",
        line(r["other"], r["that"]),
        (
            f"ratio this / other: {r['ratio']:.2f} (95% interval of the paired rounds {r['ratio_ci'][0]:.2f}-"
            f"{r['ratio_ci'][1]:.2f})"
        ),
    ]
    if "observation_ci" in r:
        (a_lo, a_hi), (b_lo, b_hi) = r["observation_ci"]
        lines.append(
            f"observation's share of a step, mean of the rounds (95% t interval): {r['this']['observation']:.2%}"
            f" ({a_lo:.2%}-{a_hi:.2%}) vs {r['that']['observation']:.2%} ({b_lo:.2%}-{b_hi:.2%})"
        )
    if "large_ratio" in r:
        a, b = r["this"]["large_s_per_step"], r["that"]["large_s_per_step"]
        lo, hi = r["large_ci"]
        lines.append(f"10,000 x 1,000: {1 / a:.1f} vs {1 / b:.1f} steps/s ({r['large_ratio']:.2f}x; {lo:.2f}-{hi:.2f})")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", help="path of the other checkout (e.g. a git worktree of an older revision)")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--large", action="store_true", help="also 10,000 deposits x 1,000 investors")
    parser.add_argument("--observation", action="store_true", help="also the observation's share of a step")
    args = parser.parse_args()
    print(text(compare(Path(args.other).resolve(), args.rounds, args.large, args.observation)))


if __name__ == "__main__":
    main()

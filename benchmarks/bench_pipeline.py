"""What the discovery pipeline costs: the baseline with exploration and discovery on (the default) against the same
model with them off, and with the state's releases off too, side by side in one run.

    .venv/bin/python benchmarks/bench_pipeline.py                # 7 rounds x 3 runs of each variant (~40 s)
    .venv/bin/python benchmarks/bench_pipeline.py --rounds 3

Each round times ``--runs`` baseline runs of 100 quarters (seeds 1, 2, ...; model construction + steps; CPU time
of this process) of every variant, interleaved run by run, so all variants see the same machine; a variant's
figure is its best round, and the ratios are of those figures. Exploration and discovery off is ``explore.filings_per_q = 0`` and
``explore.discovery_scale = 0``; releases off is ``explore.state_release_scale = 0`` on top.

Releases are not overhead: they add deposits (the state's plots), and every deposit is one more tender that the
powers and investors pursue and the host decides, so the sizes (deposits known at the end, pursuits opened,
awards) are printed with the times: switching the releases off removes most of the deposits, and with them most
of the competition, so that ratio measures how much the model does, not what the pipeline's machinery costs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import scenario as scenarios  # noqa: E402

OFF = {"explore.filings_per_q": 0.0, "explore.discovery_scale": 0.0}
VARIANTS = {
    "on": {},  # the baseline: exploration licences, discoveries and the state's releases
    "off": OFF,  # no exploration licences, no discoveries
    "off_releases": {**OFF, "explore.state_release_scale": 0.0},  # and no state releases
}
LABELS = {
    "on": "pipeline on (baseline)",
    "off": "exploration and discovery off",
    "off_releases": "... and state releases off",
}


def run(seed: int, overrides: dict, steps: int = 100):
    model = scenarios.load("baseline").build(rng=seed, **overrides)
    model.run_for(steps)
    return model


def sizes(model) -> dict[str, int]:
    """How much a run did: deposits known at the end, exploration blocks under licence, pursuits, awards."""
    ground = model.ground
    return {
        "deposits": len(model.deposits),
        "licensed_blocks": 0 if ground is None else len(ground.licensed()),
        "pursuits": int(model.pursuits.n),
        "awards": int(model.tally.awards.sum()),
        "events": len(model.events),
    }


def measure(rounds: int = 7, runs: int = 3, steps: int = 100) -> dict:
    """Seconds per run of each variant (best round), their ratios to the baseline, and each variant's sizes."""
    for overrides in VARIANTS.values():
        run(0, overrides, min(steps, 4))  # imports, the table and file caches warm
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    for _ in range(rounds):
        spent = dict.fromkeys(VARIANTS, 0.0)
        for seed in range(1, runs + 1):  # the variants interleaved run by run: each sees the same load
            for name, overrides in VARIANTS.items():
                t = time.process_time()
                run(seed, overrides, steps)
                spent[name] += time.process_time() - t
        for name in VARIANTS:
            times[name].append(spent[name] / runs)
    best = {name: min(ts) for name, ts in times.items()}
    size = {name: sizes(run(1, overrides, steps)) for name, overrides in VARIANTS.items()}
    return {
        "rounds": rounds,
        "runs": runs,
        "steps": steps,
        "seconds": best,
        "sizes": size,
        "ratio_off": best["on"] / best["off"],
        "ratio_off_releases": best["on"] / best["off_releases"],
    }


def text(r: dict) -> str:
    head = f"{'variant':<32}{'ms/run':>9}{'deposits':>10}{'blocks':>8}{'pursuits':>10}{'awards':>8}"
    lines = [head]
    for name in VARIANTS:
        s = r["sizes"][name]
        lines.append(
            f"{LABELS[name]:<32}{r['seconds'][name] * 1e3:>9.1f}{s['deposits']:>10}{s['licensed_blocks']:>8}"
            f"{s['pursuits']:>10}{s['awards']:>8}"
        )
    off, bare = r["sizes"]["off"], r["sizes"]["off_releases"]
    ratios = (
        f"ratio on / off: {r['ratio_off']:.2f} (target <= 1.5); on / off with releases off too: "
        f"{r['ratio_off_releases']:.2f} (best of {r['rounds']} rounds of {r['runs']} runs x {r['steps']} quarters; "
        "sizes of seed 1)"
    )
    releases = (
        f"the releases: {off['deposits'] / bare['deposits']:.1f}x the deposits, "
        f"{off['pursuits'] / max(bare['pursuits'], 1):.1f}x the pursuits, "
        f"{off['awards'] / max(bare['awards'], 1):.1f}x the awards for "
        f"{r['seconds']['off'] / r['seconds']['off_releases']:.2f}x the time"
    )
    lines += [ratios, releases]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=7, help="rounds; each variant's best is kept (default 7)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each variant per round (default 3)")
    ap.add_argument("--steps", type=int, default=100, help="quarters per run (default 100)")
    args = ap.parse_args(argv)
    print(text(measure(args.rounds, args.runs, args.steps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Step cost against the number of deposits (N) and investors (M), and against the exploration ground; log-log slopes.

    .venv/bin/python benchmarks/bench_scaling.py                     # the 4 x 3 grid and the ground series
    .venv/bin/python benchmarks/bench_scaling.py --skip-corner       # without 60,000 deposits x 5,000 investors
    .venv/bin/python benchmarks/bench_scaling.py --png docs/img/scaling.png

Grid: each point is a fresh model (``run_synthetic_deposits=N, investors_count=M``) run ``--warmup`` quarters
(tenders open, pursuits start) and then timed over ``--steps`` quarters, by phase (benchmarks/bench_profile.py);
the figure is the fastest of ``--repeat`` models (the least disturbed by other jobs). Synthetic tables have no
exploration ground and no state releases, so the grid measures the competition for deposits alone.

Ground series (the discovery pipeline at scale): the baseline scenario with its exploration ground multiplied by
k (every row of data/exploration_ground.csv has k times the blocks, prospectivity per row unchanged), k times the
filings per quarter and k times the investors who file them (each files at most one licence a quarter), the deposit
table and the state's releases as they are: a country whose ground is k times as large. Each point runs
``GROUND_WARMUP`` quarters first, so that licences have built up (a licence lasts 24 quarters), then is timed like
a grid point; the slopes are against the number of blocks.

Ratios to the smallest point and slopes are measured in the same run, so they hold on a noisy machine. A slope of
1 against N x M means the cost grows as N x M; below 1, slower than that (each of N and M adds its own term).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_profile import ORDER, one_run  # noqa: E402

from model.params import PARAMS  # noqa: E402

DEPOSITS = (60, 600, 6_000, 60_000)
INVESTORS = (50, 500, 5_000)
TARGET = (10_000, 1_000)  # the model that must run at >= 10 steps/s
GROUND = (1, 3, 10, 30, 100)  # multiples of the baseline's exploration ground (1,002 blocks)
GROUND_WARMUP = 20  # quarters before timing a ground point: licences build up for five years


def point(n: int, m: int, steps: int, warmup: int, repeat: int, seed: int = 1) -> dict:
    """Seconds per step at N deposits and M investors (fastest of ``repeat`` fresh models), by phase."""
    best = None
    for _ in range(repeat):
        r = one_run(steps, n, m, seed, warmup)
        if best is None or r["step"] < best["step"]:
            best = r
        if r["step"] > 2.0:  # a big point: one model is enough
            break
    per = {k: v / steps for k, v in best.items() if k in ORDER or k == "step"}
    return {"n": n, "m": m, "s_per_step": per["step"], "build_s": best["build"], "phases": per}


def slope(x, y) -> float:
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def grid(
    deposits=DEPOSITS, investors=INVESTORS, steps: int = 5, warmup: int = 4, repeat: int = 3, skip_corner=False
) -> dict:
    rows = []
    for n in deposits:
        for m in investors:
            if skip_corner and (n, m) == (max(deposits), max(investors)):
                continue
            t = time.perf_counter()
            rows.append(point(n, m, steps, warmup, repeat))
            r = rows[-1]
            print(
                f"  {n:>7} deposits x {m:>5} investors: {r['s_per_step'] * 1e3:8.2f} ms/step "
                f"({time.perf_counter() - t:.1f} s)",
                file=sys.stderr,
            )
    nm = [r["n"] * r["m"] for r in rows]
    cost = [r["s_per_step"] for r in rows]
    out = {"rows": rows, "steps": steps, "warmup": warmup, "repeat": repeat, "skip_corner": skip_corner}
    out["slope_nm"] = slope(nm, cost)
    # slope against N at each M, over the whole range and over the last decade; and against M at each N
    out["slope_n"] = {}
    for m in investors:
        sub = sorted((r["n"], r["s_per_step"]) for r in rows if r["m"] == m)
        if len(sub) >= 2:
            out["slope_n"][m] = (slope(*zip(*sub)), slope(*zip(*sub[-2:])))
    out["slope_m"] = {}
    for n in deposits:
        sub = sorted((r["m"], r["s_per_step"]) for r in rows if r["n"] == n)
        if len(sub) >= 2:
            out["slope_m"][n] = slope(*zip(*sub))
    # which phase grows fastest with N (at the middle M)
    mid = sorted(investors)[len(investors) // 2]
    sub = sorted((r for r in rows if r["m"] == mid), key=lambda r: r["n"])
    out["phase_slope_n"] = {
        ph: slope([r["n"] for r in sub[-2:]], [max(r["phases"][ph], 1e-9) for r in sub[-2:]])
        for ph in ORDER
        if len(sub) >= 2
    }
    out["phase_largest"] = sub[-1]["phases"] if sub else {}
    out["phase_mid_m"] = mid
    return out


def scaled_ground(k: int, folder: Path) -> Path:
    """A copy of the baseline's exploration ground with k times the blocks in every row."""
    source = Path(PARAMS["run.exploration_ground"].default)
    df = pd.read_csv(source if source.is_absolute() else ROOT / source)
    df["blocks"] = df["blocks"] * k
    path = folder / f"exploration_ground_x{k}.csv"
    df.to_csv(path, index=False)
    return path


def ground_series(ks=GROUND, steps: int = 5, warmup: int = GROUND_WARMUP, repeat: int = 3) -> dict:
    """Step cost of the baseline with k times the exploration ground, filings and investors; slopes vs blocks."""
    filings, investors = PARAMS["explore.filings_per_q"].default, PARAMS["investors.count"].default
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in ks:
            overrides = {
                "run.exploration_ground": str(scaled_ground(k, Path(tmp))),
                "explore.filings_per_q": filings * k,
            }
            t = time.perf_counter()
            best = None
            for _ in range(repeat):
                r = one_run(steps, 0, investors * k, 1, warmup, overrides)
                if best is None or r["step"] < best["step"]:
                    best = r
                if r["step"] > 2.0:
                    break
            per = {key: v / steps for key, v in best.items() if key in ORDER or key == "step"}
            blocks = int(best["blocks"])
            rows.append(
                {
                    "k": k,
                    "blocks": blocks,
                    "investors": investors * k,
                    "licensed": best["licensed_end"],
                    "deposits": best["deposits_end"],
                    "s_per_step": per["step"],
                    "phases": per,
                }
            )
            print(
                f"  ground x{k:>3} ({blocks:,} blocks, {investors * k:,} investors): {per['step'] * 1e3:8.2f} ms/step "
                f"({time.perf_counter() - t:.1f} s)",
                file=sys.stderr,
            )
    blocks = [r["blocks"] for r in rows]
    explore = "exploration and releases"
    return {
        "rows": rows,
        "steps": steps,
        "warmup": warmup,
        "slope_step": slope(blocks, [r["s_per_step"] for r in rows]),
        "slope_explore": slope(blocks, [max(r["phases"][explore], 1e-9) for r in rows]),
        "slope_by_phase": {ph: slope(blocks, [max(r["phases"][ph], 1e-9) for r in rows]) for ph in ORDER},
    }


def target(steps: int = 20, warmup: int = 4, repeat: int = 3) -> dict:
    n, m = TARGET
    r = point(n, m, steps, warmup, repeat)
    return {"n": n, "m": m, "steps_per_s": 1.0 / r["s_per_step"], **r}


def plot(result: dict, path: Path, ground: dict | None = None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = result["rows"]
    fig, axes = plt.subplots(1, 2 if ground else 1, figsize=(10.5 if ground else 5.5, 3.6), dpi=90, squeeze=False)
    ax = axes[0, 0]
    for m in sorted({r["m"] for r in rows}):
        sub = sorted((r["n"], r["s_per_step"] * 1e3) for r in rows if r["m"] == m)
        ax.plot(*zip(*sub), marker="o", label=f"{m:,} investors")
    xs = np.array(sorted({r["n"] for r in rows}), dtype=float)
    y0 = min(r["s_per_step"] for r in rows if r["n"] == xs[0]) * 1e3
    ax.plot(xs, y0 * xs / xs[0], "k:", lw=1, label="linear in deposits")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("synthetic deposits")
    ax.set_ylabel("ms per step")
    ax.set_title(f"step cost (log-log slope against deposits x investors: {result['slope_nm']:.2f})", fontsize=9)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8)
    if ground:
        ax = axes[0, 1]
        g = ground["rows"]
        blocks = np.array([r["blocks"] for r in g], dtype=float)
        ax.plot(blocks, [r["s_per_step"] * 1e3 for r in g], marker="o", label="step")
        ax.plot(blocks, [r["phases"]["exploration and releases"] * 1e3 for r in g], marker="s", label="exploration")
        ax.plot(blocks, [r["phases"]["investors"] * 1e3 for r in g], marker="^", label="investors")
        y0 = g[0]["s_per_step"] * 1e3
        ax.plot(blocks, y0 * blocks / blocks[0], "k:", lw=1, label="linear in blocks")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("exploration blocks (filings and investors in proportion)")
        ax.set_ylabel("ms per step")
        ax.set_title(
            f"baseline, ground x1-x{g[-1]['k']} (slope: step {ground['slope_step']:.2f}, "
            f"exploration {ground['slope_explore']:.2f})",
            fontsize=9,
        )
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)


def ground_text(g: dict) -> str:
    lines = [f"{'ground':>7}{'blocks':>9}{'investors':>10}{'licensed':>9}{'deposits':>9}{'ms/step':>9}{'explore':>9}"]
    for r in g["rows"]:
        lines.append(
            f"{'x' + str(r['k']):>7}{r['blocks']:>9}{r['investors']:>10}{r['licensed']:>9}{r['deposits']:>9}"
            f"{r['s_per_step'] * 1e3:>9.2f}{r['phases']['exploration and releases'] * 1e3:>9.2f}"
        )
    lines.append(
        f"log-log slope against blocks: step {g['slope_step']:.2f}, exploration and releases {g['slope_explore']:.2f}; "
        "by phase: " + ", ".join(f"{ph} {s:.2f}" for ph, s in g["slope_by_phase"].items())
    )
    return "\n".join(lines)


def text(result: dict, tgt: dict | None = None) -> str:
    rows = result["rows"]
    base = rows[0]["s_per_step"]
    lines = [f"{'deposits':>9}{'investors':>10}{'ms/step':>10}{'steps/s':>9}{'x smallest':>11}"]
    for r in rows:
        s = r["s_per_step"]
        lines.append(f"{r['n']:>9}{r['m']:>10}{s * 1e3:>10.2f}{1 / s:>9.1f}{s / base:>10.1f}x")
    lines.append(f"log-log slope against deposits x investors: {result['slope_nm']:.2f} (1.0 = grows as N x M)")
    for m, (whole, last) in result["slope_n"].items():
        lines.append(f"  against deposits at {m} investors: {whole:.2f} overall, {last:.2f} over the last decade")
    for n, s in result["slope_m"].items():
        lines.append(f"  against investors at {n} deposits: {s:.2f}")
    lines.append(
        f"  by phase, against deposits over the last decade at {result['phase_mid_m']} investors: "
        + ", ".join(f"{ph} {s:.2f}" for ph, s in result["phase_slope_n"].items())
    )
    if tgt:
        lines.append(
            f"{tgt['n']:,} deposits x {tgt['m']:,} investors: {tgt['steps_per_s']:.1f} steps/s "
            f"({tgt['s_per_step'] * 1e3:.1f} ms/step; target >= 10 steps/s)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=5, help="quarters timed per point (default 5)")
    ap.add_argument("--warmup", type=int, default=4, help="quarters run before timing (default 4)")
    ap.add_argument("--repeat", type=int, default=3, help="models per point, fastest kept (default 3)")
    ap.add_argument("--skip-corner", action="store_true", help="skip 60,000 deposits x 5,000 investors")
    ap.add_argument("--skip-ground", action="store_true", help="skip the exploration-ground series")
    ap.add_argument("--png", type=Path, help="write the curve to this PNG")
    args = ap.parse_args(argv)
    result = grid(steps=args.steps, warmup=args.warmup, repeat=args.repeat, skip_corner=args.skip_corner)
    tgt = target()
    ground = None if args.skip_ground else ground_series(steps=args.steps, repeat=args.repeat)
    print(text(result, tgt))
    if ground:
        print(ground_text(ground))
    if args.png:
        plot(result, args.png, ground)
        print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

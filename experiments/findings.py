"""The numbers behind docs/findings.md, computed from the experiments' results on disk.

`python run.py findings` (after running the experiments it names) rewrites the generated tables of
docs/findings.md. Every interval is a 95% t interval over replicates; effects between design points are
paired by replicate (common random numbers), so they are sharper than the per-point intervals.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from experiments.atomic import write_atomic
from experiments.batch import load_runs
from experiments.single import RESULTS

EXPERIMENTS = ("delay_cost", "trust_race", "window", "policy_sobol")


def _ci(values: np.ndarray) -> tuple[float, float]:
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) < 2:
        return float(np.mean(v)) if len(v) else np.nan, np.nan
    return float(v.mean()), float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))


def _fmt(mean: float, half: float, pct: bool = True) -> str:
    return f"{mean:.1%} ± {half:.1%}" if pct else f"{mean:.2f} ± {half:.2f}"


def _runs(name: str, results: Path) -> pd.DataFrame:
    runs = load_runs(results / name)
    return runs[runs["status"] == "ok"]


def per_quarter_slope(runs: pd.DataFrame, x: str, y: str, lo: float, hi: float) -> tuple[float, float]:
    """Least-squares slope of ``y`` on ``x`` over [lo, hi], one slope per replicate, then its mean and CI."""
    part = runs[(runs[x] >= lo) & (runs[x] <= hi)]
    slopes = [np.polyfit(g[x], g[y], 1)[0] for _, g in part.groupby("replicate") if g[x].nunique() > 1]
    return _ci(np.array(slopes))


def delay_table(results: Path) -> str:
    runs = _runs("delay_cost", results)
    x = "eu.delay_mean_q"
    rows = [
        (
            "| EU mean approval delay (quarters) | EU share of licensed value 2035 | 2050 | EU supply security 2035 | "
            "2050 | EU awards by 2050 |"
        ),
        "|---|---|---|---|---|---|",
    ]
    for level, g in runs.groupby(x):
        cells = [
            _fmt(*_ci(g[c])) for c in ("share_EU@2035", "share_EU", "eu_supply_security@2035", "eu_supply_security")
        ]
        rows.append(f"| {level:g} | " + " | ".join(cells) + f" | {_fmt(*_ci(g['awards_EU']), pct=False)} |")
    rows += [
        "",
        "Cost of one more quarter of delay (slope over 0–8 quarters, paired by replicate):",
        "",
        "| outcome | change per quarter of delay |",
        "|---|---|",
    ]
    for col, label in (
        ("share_EU@2035", "EU share 2035"),
        ("share_EU", "EU share 2050"),
        ("eu_supply_security@2035", "supply security 2035"),
        ("eu_supply_security", "supply security 2050"),
        ("awards_EU", "EU awards by 2050"),
    ):
        m, h = per_quarter_slope(runs, x, col, 0, 8)
        rows.append(f"| {label} | {m:+.4f} ± {h:.4f} |")
    return "\n".join(rows)


def trust_table(results: Path) -> str:
    runs = _runs("trust_race", results)
    grid = runs.pivot_table(index="eu.trust_build_rate", columns="eu.trust0", values="share_EU@2040", aggfunc="mean")
    head = "| build rate \\ initial trust | " + " | ".join(f"{c:g}" for c in grid.columns) + " |"
    rows = [head, "|---" * (len(grid.columns) + 1) + "|"]
    for rate, row in grid.iterrows():
        rows.append(f"| {rate:g} | " + " | ".join(f"{v:.1%}" for v in row) + " |")
    lo, hi = runs["eu.trust_build_rate"].min(), runs["eu.trust_build_rate"].max()
    paired = (
        runs[runs["eu.trust_build_rate"] == hi].set_index(["eu.trust0", "replicate"])["share_EU@2040"]
        - runs[runs["eu.trust_build_rate"] == lo].set_index(["eu.trust0", "replicate"])["share_EU@2040"]
    )
    m, h = _ci(paired.to_numpy())
    rows += [
        "",
        (
            f"Build rate {hi:g} instead of {lo:g} changes the EU's 2040 share by {m:+.2%} ± {h:.2%} "
            "(paired over initial-trust levels and replicates)."
        ),
    ]
    return "\n".join(rows)


def window_table(results: Path) -> str:
    runs = _runs("window", results)
    x, d = "eu.start_year", "eu.delay_mean_q"
    rows = [
        (
            "| EU delay (q) | EU start year | EU share 2035 | EU share 2050 | supply security 2050 | change in 2050 "
            "share vs a 2026 start (paired) |"
        ),
        "|---|---|---|---|---|---|",
    ]
    for delay, part in runs.groupby(d):
        base = part[part[x] == part[x].min()].set_index("replicate")
        for level, g in part.groupby(x):
            diff = g.set_index("replicate")["share_EU"] - base["share_EU"]
            cells = [_fmt(*_ci(g[c])) for c in ("share_EU@2035", "share_EU", "eu_supply_security")]
            rows.append(f"| {delay:g} | {level:g} | " + " | ".join(cells) + f" | {_fmt(*_ci(diff.to_numpy()))} |")
    return "\n".join(rows)


def sobol_table(results: Path) -> str:
    """Total-order indices as written by `python run.py report` (results/policy_sobol/report/sobol_*.csv)."""
    folder = results / "policy_sobol" / "report"
    files = sorted(folder.glob("sobol_*.csv"))
    if not files:
        return "(run `python run.py report results/policy_sobol` first)"
    rows = ["| outcome | lever: total-order index ST ± 95% interval, largest first |", "|---|---|"]
    for f in files:
        t = pd.read_csv(f).sort_values("ST", ascending=False)
        cells = "; ".join(f"`{r.parameter}` {r.ST:.2f} ± {r.ST_conf:.2f}" for r in t.itertuples())
        rows.append(f"| {f.stem.removeprefix('sobol_')} | {cells} |")
    return "\n".join(rows)


BLOCKS = {"DELAY": delay_table, "TRUST": trust_table, "WINDOW": window_table, "SOBOL": sobol_table}


def render(text: str, results: Path = RESULTS) -> str:
    for name, make in BLOCKS.items():
        begin, end = f"<!-- BEGIN {name} (python run.py findings) -->", f"<!-- END {name} -->"
        head, sep, rest = text.partition(begin)
        _, sep2, tail = rest.partition(end)
        if not (sep and sep2):
            raise ValueError(f"findings: marker {begin!r} missing")
        text = f"{head}{begin}\n{make(results)}\n{end}{tail}"
    return text


def write(doc: Path, results: Path = RESULTS) -> None:
    missing = [e for e in EXPERIMENTS if not (results / e).is_dir()]
    if missing:
        from model.errors import InputError

        raise InputError(
            str(results),
            "experiments",
            "missing results for "
            + ", ".join(missing)
            + "; run: python run.py experiment NAME && python run.py report results/NAME",
        )
    new = render(doc.read_text(encoding="utf-8"), results)
    write_atomic(doc, lambda p: p.write_text(new, encoding="utf-8"))

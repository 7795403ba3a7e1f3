"""Two experiments' effects side by side (``python run.py compare A B``).

For each parameter an experiment sweeps, its effect on each kept outcome is the change from the parameter's
low runs to its high runs (the lowest and highest level of a factorial, or the bottom and top quarter of a
sampled range), averaged over the other parameters: a paired difference per replicate (replicate r has the same
seed at every point), with a 95% t interval over replicates. The table puts A's and B's effect on each outcome
next to each other, so that two model versions, two base scenarios or two posteriors can be read at a glance.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.safe_io import store
from experiments.safe_io.atomic import write_atomic
from experiments.science.paired import ci, md
from model.errors import InputError

QUARTER = 0.25  # share of a sampled range's runs at each end


def effects(folder: Path) -> pd.DataFrame:
    """One row per swept parameter and kept outcome: ``factor``, ``outcome``, ``low``, ``high``, the effect's
    ``mean``, ``lo``, ``hi`` and the number of replicates it pairs."""
    manifest = store.read_manifest(folder)
    runs = store.load_runs(folder)
    runs = runs[runs["status"] == "ok"].sort_values(["point", "replicate"])  # text levels: in the design's order
    rows = []
    for key, col in manifest["parameter_columns"].items():
        values = runs[col]
        text = not pd.api.types.is_numeric_dtype(values)
        levels = values.unique() if text else np.sort(values.unique())
        if len(levels) < 2:
            continue
        if text or len(levels) <= 4:  # levels: the first and the last
            low, high = levels[0], levels[-1]
            at_low, at_high = values == low, values == high
        else:  # a sampled range: its bottom and top quarter
            low, high = values.quantile(QUARTER), values.quantile(1 - QUARTER)
            at_low, at_high = values <= low, values >= high
        for outcome in manifest["outcomes"]:
            by_rep = [runs[mask].groupby("replicate")[outcome].mean() for mask in (at_low, at_high)]
            diff = (by_rep[1] - by_rep[0]).dropna()
            mean, lo, hi = ci(diff.to_numpy())
            rows.append(
                {"factor": key, "outcome": outcome, "low": low, "high": high, "mean": mean, "lo": lo, "hi": hi}
                | {"replicates": len(diff)}
            )
    return pd.DataFrame(rows, columns=["factor", "outcome", "low", "high", "mean", "lo", "hi", "replicates"])


def compare(a: Path, b: Path) -> pd.DataFrame:
    """A's and B's effects on the outcomes both keep, side by side (a parameter only one sweeps has one side)."""
    sides = {}
    for name, folder in (("a", a), ("b", b)):
        if not folder.is_dir():
            raise InputError(str(folder), "folder", "not found; allowed: a results folder of 'run.py experiment'")
        sides[name] = effects(folder).set_index(["factor", "outcome"])
    both = sides["a"].add_suffix("_a").join(sides["b"].add_suffix("_b"), how="outer")
    common = set(sides["a"].index.get_level_values(1)) & set(sides["b"].index.get_level_values(1))
    return both[both.index.get_level_values(1).isin(common)].reset_index()


def _cell(row: pd.Series, side: str) -> str:
    if pd.isna(row[f"mean_{side}"]):
        return "not swept"
    span = f"{_fmt(row[f'low_{side}'])}→{_fmt(row[f'high_{side}'])}"
    zero = "" if (row[f"lo_{side}"] > 0 or row[f"hi_{side}"] < 0) else " ≈0"
    return f"{row[f'mean_{side}']:+.4g} [{row[f'lo_{side}']:+.3g}, {row[f'hi_{side}']:+.3g}]{zero} ({span})"


def _fmt(value) -> str:
    return f"{value:.3g}" if isinstance(value, float | np.floating) else str(value)


def report(table: pd.DataFrame, a: Path, b: Path) -> str:
    """The side-by-side table in Markdown."""
    shown = pd.DataFrame(
        {
            "parameter": table["factor"],
            "outcome": table["outcome"],
            f"A: {a.name}": [_cell(r, "a") for _, r in table.iterrows()],
            f"B: {b.name}": [_cell(r, "b") for _, r in table.iterrows()],
        }
    )
    head = (
        f"Effects of each swept parameter, low → high, on each outcome both keep: mean over replicates of the "
        f"paired difference, 95% t interval, ≈0 where it spans zero. A = `{a}`, B = `{b}`."
    )
    return head + "\n\n" + (md(shown) if len(shown) else "No outcome is kept by both experiments.")


def write(table: pd.DataFrame, text: str, out: Path) -> None:
    """``compare.md`` and ``compare.csv`` in ``out``, each written whole."""
    write_atomic(out / "compare.md", lambda p: p.write_text(text + "\n", encoding="utf-8"))
    write_atomic(out / "compare.csv", lambda p: table.to_csv(p, index=False))

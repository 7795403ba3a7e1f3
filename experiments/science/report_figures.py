"""The report's figures: kept series over time, main outcomes against each parameter, heatmaps over pairs of
parameters; each with its 95% t intervals over replicates (``mean_ci``). ``report.py`` writes the text sections and
passes its ``Report``, whose ``save`` writes a figure and its caption.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from experiments.runner import batch
from experiments.runner.worker import column
from experiments.safe_io.store import series_column
from experiments.science.markdown import fmt

if TYPE_CHECKING:
    from experiments.science.report import Report

MAX_OUTCOMES = 6  # measures plotted against parameters and analysed (all are in the table)
MAX_LINES = 16  # time series: one line per point up to this many points, else one pooled band
HEATMAP_KEYS = 4  # heatmaps for the pairs of the most influential parameters
BINS = 8


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def half_width_factor(n):
    """The 97.5% quantile of Student's t with ``n - 1`` degrees of freedom (NaN for ``n`` <= 1)."""
    from scipy import stats

    n = np.asarray(n, dtype=float)
    return np.where(n > 1, stats.t.ppf(0.975, np.maximum(n - 1, 1)), np.nan)


def mean_ci(frame: pd.DataFrame, by: str | list[str], column: str) -> pd.DataFrame:
    """Mean, 95% t-interval half-width and count of ``column`` per group."""
    g = frame.groupby(by, sort=True)[column].agg(["mean", "std", "count"])
    g["half"] = half_width_factor(g["count"]) * g["std"] / np.sqrt(g["count"])
    return g


def _year(quarter: pd.Series) -> pd.Series:
    """The end of each quarter (a ``pandas.Period``) in years: 2030Q4 → 2031.0."""
    return quarter.dt.year + quarter.dt.quarter / 4


def _label(point: pd.Series, keys: list[str]) -> str:
    return ", ".join(f"{k}={fmt(point[k])}" for k in keys)


def timeseries(rep: Report, dest: Path) -> None:
    """Each kept series over time: one line per design point with its 95% band, or one pooled band."""
    if not rep.spec.get("series") or rep.ok.empty:
        return
    measures = [column(m) for m in rep.spec["measures"][:MAX_OUTCOMES]]
    long = batch.load_series(rep.folder, measures)
    if long.empty:
        return
    long = long.assign(t=_year(long["quarter"]), col=series_column(long))
    series = long.pivot(index=["run", "point", "replicate", "step", "t"], columns="col", values="value")
    series = series.reset_index()
    rep.md += ["## Time series", ""]
    few = rep.design.shape[0] <= MAX_LINES
    for m in measures:
        fig, ax = rep.plt.subplots(figsize=(8, 4.2))
        if few:
            cmap = rep.plt.get_cmap("viridis", max(2, rep.design.shape[0]))
            for i, (point, grp) in enumerate(series.groupby("point")):
                g = mean_ci(grp, "t", m)
                label = _label(rep.design.iloc[point], rep.keys)
                ax.plot(g.index, g["mean"], color=cmap(i), lw=1.4, label=label)
                ax.fill_between(g.index, g["mean"] - g["half"], g["mean"] + g["half"], color=cmap(i), alpha=0.12)
            ax.legend(fontsize=7, loc="best")
            caption = f"{m}: mean across replicates with 95% CI band, one line per design point"
        else:
            g = series.groupby("t")[m]
            mean, lo, hi = g.mean(), g.quantile(0.025), g.quantile(0.975)
            ci = mean_ci(series, "t", m)
            ax.fill_between(mean.index, lo, hi, alpha=0.15, label="2.5-97.5% of runs")
            ax.fill_between(mean.index, mean - ci["half"], mean + ci["half"], alpha=0.4, label="95% CI of mean")
            ax.plot(mean.index, mean, lw=1.5, label="mean")
            ax.legend(fontsize=8)
            caption = f"{m}: mean over all runs, 95% CI of the mean and the 2.5-97.5% spread of runs"
        ax.set_xlabel("year (end of quarter)")
        ax.set_ylabel(rep.label(m))
        ax.set_title(m)
        rep.save(fig, dest, f"timeseries_{_slug(m)}.png", caption)


def versus(rep: Report, dest: Path) -> None:
    """Each main outcome against each parameter: means and 95% intervals per level or quantile bin."""
    if not rep.outcomes:
        return
    if rep.ok.empty or not rep.keys:
        return
    outcomes = rep.main_outcomes()
    rep.md += ["## Outcomes against each parameter", ""]
    for key in rep.keys:
        ncol = min(3, len(outcomes))
        nrow = -(-len(outcomes) // ncol)
        fig, axes = rep.plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.3 * nrow), squeeze=False)
        for ax, col in zip(axes.flat, outcomes):
            frame = rep.ok[[key, col]].dropna()
            if not rep.discrete(key):
                ax.scatter(frame[key], frame[col], s=4, alpha=0.25, color="grey")
            g = mean_ci(frame.assign(_x=rep.binned(frame, key)), "_x", col)
            x = g.index.to_numpy()
            if x.dtype.kind in "OUSb":
                x = np.arange(len(x))
                ax.set_xticks(x, [str(v) for v in g.index], fontsize=7)
            ax.errorbar(x, g["mean"], yerr=g["half"], marker="o", ms=3, capsize=3, lw=1.2)
            ax.set_xlabel(rep.label(key))
            ax.set_ylabel(rep.label(col), fontsize=8)
            ax.set_title(col, fontsize=9)
        for ax in list(axes.flat)[len(outcomes) :]:
            ax.set_visible(False)
        how = "per level" if rep.discrete(key) else f"in {BINS} quantile bins (grey: runs)"
        rep.save(
            fig,
            dest,
            f"vs_{_slug(key)}.png",
            f"outcomes against {key}: mean and 95% CI {how}, averaged over the other parameters",
        )


def heatmaps(rep: Report, dest: Path) -> None:
    """Mean outcomes over pairs of the most influential parameters (by the indices, else by main effect)."""
    if not rep.outcomes:
        return
    if rep.ok.empty or len(rep.keys) < 2:
        return
    outcomes = rep.main_outcomes()[:3]
    top = rep.ranking or by_main_effect(rep, outcomes[0])
    pairs = list(itertools.combinations([k for k in rep.keys if k in top[:HEATMAP_KEYS]], 2))
    rep.md += ["## Two-parameter heatmaps", ""]
    if len(rep.keys) > HEATMAP_KEYS:
        how = "sensitivity index" if rep.ranking else "range of its level means"
        rep.md += [
            (
                f"Pairs of the {HEATMAP_KEYS} parameters with the largest effect on `{outcomes[0]}` "
                f"(by {how}): {', '.join(f'`{k}`' for k in top[:HEATMAP_KEYS])}."
            ),
            "",
        ]
    for a, b in pairs:
        fig, axes = rep.plt.subplots(1, len(outcomes), figsize=(4.4 * len(outcomes), 3.6), squeeze=False)
        for ax, col in zip(axes.flat, outcomes):
            frame = rep.ok[[a, b, col]].dropna()
            frame = frame.assign(_a=rep.binned(frame, a), _b=rep.binned(frame, b))
            grid = frame.pivot_table(index="_b", columns="_a", values=col, aggfunc="mean")
            im = ax.imshow(grid.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
            ax.set_xticks(range(grid.shape[1]), [fmt(v) for v in grid.columns], fontsize=7, rotation=45)
            ax.set_yticks(range(grid.shape[0]), [fmt(v) for v in grid.index], fontsize=7)
            ax.set_xlabel(rep.label(a))
            ax.set_ylabel(rep.label(b))
            ax.set_title(col, fontsize=9)
            fig.colorbar(im, ax=ax, shrink=0.85).set_label(rep.label(col), fontsize=8)
        rep.save(
            fig,
            dest,
            f"heatmap_{_slug(a)}__{_slug(b)}.png",
            f"mean outcome over {a} x {b} (averaged over replicates and other parameters)",
        )


def by_main_effect(rep: Report, col: str) -> list[str]:
    """Parameters ordered by the range of the outcome's mean over their levels (or bins)."""
    spans = {}
    for key in rep.keys:
        frame = rep.ok[[key, col]].dropna()
        means = frame.groupby(rep.binned(frame, key))[col].mean()
        spans[key] = float(means.max() - means.min()) if len(means) else 0.0
    return sorted(rep.keys, key=lambda k: -spans[k])

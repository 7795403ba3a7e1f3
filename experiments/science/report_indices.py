"""The report's sensitivity section: SALib's Sobol' indices or Morris screening of a ``sobol`` or ``morris`` batch,
on the mean over replicates of each design point, with 95% bootstrap intervals; a figure, a table per outcome
(Markdown and CSV) and the share of the point means' variance that is replicate noise. ``report.py`` writes the
other sections and passes its ``Report``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from experiments.runner import batch
from experiments.science import indices
from experiments.science.markdown import table as md_table

if TYPE_CHECKING:
    from experiments.science.report import Report


def section(rep: Report, dest: Path) -> list[str] | None:
    """Write the section into ``rep.md`` (its figure and tables into ``dest``); return the parameters by influence
    (ST or mu* of the first analysed outcome), or None where the design has no indices or none could be computed.
    """
    if not rep.outcomes or rep.method not in ("sobol", "morris") or rep.ok.empty:
        return None
    results, skipped = {}, []
    for col in rep.main_outcomes():
        y = point_means(rep, col)
        if y is None:
            skipped.append(col)
        else:
            results[col] = _analyse(rep, y)
    title = "Sobol' indices" if rep.method == "sobol" else "Morris screening"
    rep.md += [f"## {title}", ""]
    if skipped:
        rep.md += [f"Not analysed (a design point has no finite value yet): {', '.join(skipped)}.", ""]
    if not results:
        return None
    first = next(iter(results.values()))
    index = first["ST"] if rep.method == "sobol" else first["mu_star"]
    ranking = [rep.keys[i] for i in np.argsort(-np.asarray(index), kind="stable")]
    _figure(rep, results, dest, title)
    _noise(rep, results)
    _tables(rep, results, dest)
    return ranking


def point_means(rep: Report, col: str) -> np.ndarray | None:
    """Mean over replicates per design point, or None if a point has no finite value."""
    y = rep.ok.groupby("point")[col].mean().reindex(range(rep.design.shape[0]))
    return None if y.isna().any() else y.to_numpy(dtype=float)


def problem(rep: Report) -> dict:
    """SALib's problem: the design's parameters and their ranges."""
    ranges = rep.spec["ranges"]
    return {"num_vars": len(rep.keys), "names": rep.keys, "bounds": [ranges[k] for k in rep.keys]}


def _analyse(rep: Report, y: np.ndarray) -> dict:
    """SALib's analysis of one outcome's point means, with the design's own seed for the bootstrap."""
    boot = {"conf_level": 0.95, "num_resamples": 200, "seed": rep.spec["design_seed"]}  # 95% bootstrap intervals
    if rep.method == "sobol":
        from SALib.analyze import sobol

        return sobol.analyze(problem(rep), y, calc_second_order=rep.spec["second_order"], **boot)
    from SALib.analyze import morris

    x = batch.load_sample(rep.folder).drop(columns="point").to_numpy(dtype=float)
    return morris.analyze(problem(rep), x, y, num_levels=rep.spec["levels"], **boot)


def _columns(rep: Report) -> tuple[str, str]:
    """The two indices shown: S1 and ST (Sobol'), mu* and sigma (Morris)."""
    return ("S1", "ST") if rep.method == "sobol" else ("mu_star", "sigma")


def _figure(rep: Report, results: dict, dest: Path, title: str) -> None:
    a, b = _columns(rep)
    if rep.method == "sobol":
        note = (
            "first-order (S1) and total (ST) indices of the mean over replicates, with 95% bootstrap "
            "intervals; replicate noise shows up in ST - S1 and in the intervals"
        )
    else:
        note = (
            "mu* (mean absolute elementary effect, 95% bootstrap interval) and sigma (spread: interaction or "
            "non-linearity), on the mean over replicates"
        )
    n = len(results)
    fig, axes = rep.plt.subplots(n, 1, figsize=(max(6, 0.9 * len(rep.keys) + 2), 2.8 * n), squeeze=False)
    for ax, (col, res) in zip(axes.flat, results.items()):
        x = np.arange(len(rep.keys))
        ax.bar(x - 0.2, res[a], 0.4, yerr=res[f"{a}_conf"], capsize=3, label=a)
        ax.bar(x + 0.2, res[b], 0.4, yerr=res.get(f"{b}_conf"), capsize=3, label=b)
        ax.set_xticks(x, rep.keys, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel("share of variance" if rep.method == "sobol" else f"effect ({rep.label(col)})", fontsize=8)
        ax.set_title(col, fontsize=9)
        ax.axhline(0, color="black", lw=0.6)
        ax.legend(fontsize=8)
    rep.save(fig, dest, f"{rep.method}.png", f"{title} per outcome: {note}")


def _noise(rep: Report, results: dict) -> None:
    noisy = []
    for col in results:
        share = indices.noise_share(rep.ok, col)
        if share is not None:
            noisy.append(f"`{col}` {share:.0%}")
    if noisy:
        rep.md += [
            "Share of the variance of the analysed point means that is replicate noise (the point x replicate "
            "residual / replicates, over the variance of the point means; what replicates share under common "
            "random numbers moves every point alike): " + ", ".join(noisy) + ". "
            "Above about 20%, the indices mostly measure noise: add replicates (or samples).",
            "",
        ]


def _tables(rep: Report, results: dict, dest: Path) -> None:
    a, b = _columns(rep)
    for col, res in results.items():
        rows = {"parameter": rep.keys, a: res[a], f"{a} ±": res[f"{a}_conf"], b: res[b]}
        if f"{b}_conf" in res:
            rows[f"{b} ±"] = res[f"{b}_conf"]
        table = pd.DataFrame(rows).sort_values(b if rep.method == "sobol" else a, ascending=False)
        warning = ""
        if rep.method == "sobol":  # say which indices the noise has made unreadable
            table["flags"] = [
                "; ".join(indices.flags(r["S1"], r["S1 ±"], r["ST"], r["ST ±"])) for _, r in table.iterrows()
            ]
            warning = indices.noise_flag(indices.noise_share(rep.ok, col))
        rep.md += [f"**{col}**" + (f" ({warning})" if warning else ""), "", md_table(table), ""]
        table.rename(columns=lambda c: c.replace(" ±", "_conf")).to_csv(dest / f"{rep.method}_{col}.csv", index=False)

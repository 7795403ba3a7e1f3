"""Plots and a Markdown summary of a batch's results folder (``python run.py report results/<name>``).

Writes ``<folder>/report/`` (atomically) with ``report.md`` and PNGs: time series with 95% bands across
replicates (if the batch kept series), each kept measure against each swept parameter with 95% confidence
intervals, two-parameter heatmaps, and for ``sobol`` / ``morris`` designs the indices from SALib with their 95%
bootstrap intervals. Every interval is over replicates (and, where a plot averages over other parameters, over
those points too); "95% CI" is the t interval of a mean.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner import batch
from experiments.runner.worker import column
from experiments.safe_io import outdir, schema
from experiments.safe_io.store import series_column
from experiments.science import indices
from model import params as P
from model.errors import InputError

MAX_OUTCOMES = 6  # measures plotted against parameters and analysed (all are in the table)
MAX_LINES = 16  # time series: one line per point up to this many points, else one pooled band
MAX_LEVELS = 12  # a parameter with at most this many distinct values is plotted per level, else in bins
HEATMAP_KEYS = 4  # heatmaps for the pairs of the most influential parameters
BINS = 8


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def _t(n):
    from scipy import stats

    n = np.asarray(n, dtype=float)
    return np.where(n > 1, stats.t.ppf(0.975, np.maximum(n - 1, 1)), np.nan)


def mean_ci(frame: pd.DataFrame, by: str | list[str], column: str) -> pd.DataFrame:
    """Mean, 95% t-interval half-width and count of ``column`` per group."""
    g = frame.groupby(by, sort=True)[column].agg(["mean", "std", "count"])
    g["half"] = _t(g["count"]) * g["std"] / np.sqrt(g["count"])
    return g


def _fmt(x) -> str:
    if isinstance(x, float | np.floating):
        return "" if np.isnan(x) else f"{x:.4g}"
    return str(x)


def _table(frame: pd.DataFrame) -> str:
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def _year(quarter: pd.Series) -> pd.Series:
    """The end of each quarter (a ``pandas.Period``) in years: 2030Q4 → 2031.0."""
    return quarter.dt.year + quarter.dt.quarter / 4


def _label(point: pd.Series, keys: list[str]) -> str:
    return ", ".join(f"{k}={_fmt(point[k])}" for k in keys)


class Report:
    def __init__(self, folder: Path):
        self.folder = folder
        self.manifest = batch.read_manifest(folder)
        self.spec = self.manifest["spec"]
        self.keys: list[str] = self.manifest["design"]["keys"]
        self.method: str = self.manifest["design"]["method"]
        self.outcomes: list[str] = self.manifest["outcomes"]
        # the tables name a parameter by its column (eu_delay_mean_q); the report by its dotted key, as the file does
        keys = {col: key for key, col in self.manifest["parameter_columns"].items()}
        self.runs = batch.load_runs(folder).rename(columns=keys)
        self.design = batch.load_design(folder).rename(columns=keys)
        self.ok = self.runs[self.runs["status"] == "ok"]
        self.md: list[str] = []
        self.plt = _plt()
        self.ranking: list[str] | None = None  # parameters by influence (from the sensitivity indices)

    # --- helpers ---
    def label(self, name: str) -> str:
        """An axis label: the parameter or outcome with its unit (from the registry or the results schema)."""
        powers = tuple(self.spec.get("extra_powers", []))
        param = P.registry(powers).get(name)
        try:
            unit = param.unit if param is not None else schema.describe(name, powers)["unit"]
        except KeyError:
            unit = ""
        return f"{name} ({unit or 'level'})"  # a factor without a unit (a scenario, a table) is read by level

    def save(self, fig, dest: Path, name: str, caption: str) -> None:
        fig.tight_layout()
        fig.savefig(dest / name, dpi=100)
        self.plt.close(fig)
        self.md += [f"![{caption}]({name})", "", f"*{caption}*", ""]

    def main_outcomes(self) -> list[str]:
        finals = [column(m) for m in self.spec["measures"]] if self.spec.get("final", True) else []
        return (finals or self.outcomes)[:MAX_OUTCOMES]

    def discrete(self, key: str) -> bool:
        return self.method == "factorial" or self.design[key].nunique() <= MAX_LEVELS

    def binned(self, frame: pd.DataFrame, key: str) -> pd.Series:
        if self.discrete(key):
            return frame[key]
        edges = np.unique(np.quantile(self.design[key], np.linspace(0, 1, BINS + 1)))
        idx = np.clip(np.searchsorted(edges, frame[key], side="right") - 1, 0, len(edges) - 2)
        mids = (edges[:-1] + edges[1:]) / 2
        return pd.Series(mids[idx], index=frame.index)

    # --- sections ---
    def header(self) -> None:
        m, runs = self.manifest, self.runs
        n_runs = m["design"]["n_runs"]
        failed = int((runs["status"] != "ok").sum())
        self.md += [
            f"# Experiment `{m['experiment']}`",
            "",
            m.get("description", ""),
            "",
            (
                f"- design: **{self.method}** over {len(self.keys)} parameter(s): {', '.join(f'`{k}`' for k in self.keys)}; "
                f"{m['design']['n_points']} points x {m['design']['replicates']} replicates = {n_runs} runs of "
                f"{self.spec['steps']} quarters, base scenario `{self.spec['scenario']}`, root seed {self.spec['seed']}"
            ),
            f"- runs on disk: {len(runs)} of {n_runs} ({len(self.ok)} ok, {failed} failed"
            + (f", {n_runs - len(runs)} not run yet" if len(runs) < n_runs else "")
            + ")",
            (
                f"- code: git {m.get('git_revision', '?')}; Mesa {m.get('versions', {}).get('mesa', '?')}, "
                f"Python {m.get('versions', {}).get('python', '?')}"
            ),
            (
                "- intervals: 95% t intervals of the mean across replicates (and across the other parameters' points "
                "where a plot averages over them)"
            ),
            "",
        ]
        if failed:
            errors = runs.loc[runs["status"] != "ok", "error"].value_counts().head(5)
            self.md += ["## Failed runs", "", _table(errors.rename_axis("error").reset_index(name="runs")), ""]

    def summary_table(self) -> None:
        if self.ok.empty:
            self.md += ["No successful runs yet.", ""]
            return
        self.md += ["## Outcomes over all runs", ""]
        rows = []
        for col in self.outcomes:
            x = self.ok[col].dropna()
            half = float(_t(len(x)) * x.std() / np.sqrt(len(x))) if len(x) > 1 else np.nan
            rows.append(
                (
                    col,
                    x.mean(),
                    half,
                    x.quantile(0.05) if len(x) else np.nan,
                    x.quantile(0.95) if len(x) else np.nan,
                    len(x),
                )
            )
        self.md += [_table(pd.DataFrame(rows, columns=["outcome", "mean", "95% CI ±", "5%", "95%", "runs"])), ""]
        if 1 < self.design.shape[0] <= 40:
            self.md += ["## By design point", ""]
            table = self.design[["point", *self.keys]].copy()
            for col in self.main_outcomes()[:4]:
                g = mean_ci(self.ok, "point", col)
                table[col] = table["point"].map(g["mean"])
                table[f"{col} ±"] = table["point"].map(g["half"])
            self.md += [_table(table), ""]

    def main_effects(self) -> None:
        """Factorial designs: each parameter's effect (first to last level), paired by the other factors and
        replicate, so common random numbers cancel most of the seed noise."""
        if not self.outcomes:
            return
        if self.method != "factorial" or self.ok.empty or len(self.keys) < 1:
            return
        outcomes = self.main_outcomes()[:4]
        rows = []
        for key in self.keys:
            levels = list(pd.unique(self.design[key]))
            if len(levels) < 2:
                continue
            lo, hi = levels[0], levels[-1]
            pair = [k for k in self.keys if k != key] + ["replicate"]
            row = {"parameter": key, "from": _fmt(lo), "to": _fmt(hi)}
            for col in outcomes:
                a = self.ok[self.ok[key] == lo].set_index(pair)[col]
                b = self.ok[self.ok[key] == hi].set_index(pair)[col]
                d = (b - a).dropna()
                row[col] = d.mean() if len(d) else np.nan
                row[f"{col} ±"] = float(_t(len(d)) * d.std() / np.sqrt(len(d))) if len(d) > 1 else np.nan
            rows.append(row)
        if not rows:
            return
        table = pd.DataFrame(rows)
        table = table.reindex(table[outcomes[0]].abs().sort_values(ascending=False).index)
        self.md += [
            "## Main effects",
            "",
            (
                "Change in each outcome when a parameter goes from its first to its last level, the others held "
                "at each of their combinations; mean over those pairs and replicates with 95% CI (paired: "
                "both runs of a pair share their seed)."
            ),
            "",
            _table(table),
            "",
        ]

    def timeseries(self, dest: Path) -> None:
        if not self.spec.get("series") or self.ok.empty:
            return
        measures = [column(m) for m in self.spec["measures"][:MAX_OUTCOMES]]
        long = batch.load_series(self.folder, measures)
        if long.empty:
            return
        long = long.assign(t=_year(long["quarter"]), col=series_column(long))
        series = long.pivot(index=["run", "point", "replicate", "step", "t"], columns="col", values="value")
        series = series.reset_index()
        self.md += ["## Time series", ""]
        few = self.design.shape[0] <= MAX_LINES
        for m in measures:
            fig, ax = self.plt.subplots(figsize=(8, 4.2))
            if few:
                cmap = self.plt.get_cmap("viridis", max(2, self.design.shape[0]))
                for i, (point, grp) in enumerate(series.groupby("point")):
                    g = mean_ci(grp, "t", m)
                    label = _label(self.design.iloc[point], self.keys)
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
            ax.set_ylabel(self.label(m))
            ax.set_title(m)
            self.save(fig, dest, f"timeseries_{_slug(m)}.png", caption)

    def versus(self, dest: Path) -> None:
        if not self.outcomes:
            return
        if self.ok.empty or not self.keys:
            return
        outcomes = self.main_outcomes()
        self.md += ["## Outcomes against each parameter", ""]
        for key in self.keys:
            ncol = min(3, len(outcomes))
            nrow = -(-len(outcomes) // ncol)
            fig, axes = self.plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 3.3 * nrow), squeeze=False)
            for ax, col in zip(axes.flat, outcomes):
                frame = self.ok[[key, col]].dropna()
                if not self.discrete(key):
                    ax.scatter(frame[key], frame[col], s=4, alpha=0.25, color="grey")
                g = mean_ci(frame.assign(_x=self.binned(frame, key)), "_x", col)
                x = g.index.to_numpy()
                if x.dtype.kind in "OUSb":
                    x = np.arange(len(x))
                    ax.set_xticks(x, [str(v) for v in g.index], fontsize=7)
                ax.errorbar(x, g["mean"], yerr=g["half"], marker="o", ms=3, capsize=3, lw=1.2)
                ax.set_xlabel(self.label(key))
                ax.set_ylabel(self.label(col), fontsize=8)
                ax.set_title(col, fontsize=9)
            for ax in list(axes.flat)[len(outcomes) :]:
                ax.set_visible(False)
            how = "per level" if self.discrete(key) else f"in {BINS} quantile bins (grey: runs)"
            self.save(
                fig,
                dest,
                f"vs_{_slug(key)}.png",
                f"outcomes against {key}: mean and 95% CI {how}, averaged over the other parameters",
            )

    def heatmaps(self, dest: Path) -> None:
        if not self.outcomes:
            return
        if self.ok.empty or len(self.keys) < 2:
            return
        outcomes = self.main_outcomes()[:3]
        top = self.ranking or self.by_main_effect(outcomes[0])
        pairs = list(itertools.combinations([k for k in self.keys if k in top[:HEATMAP_KEYS]], 2))
        self.md += ["## Two-parameter heatmaps", ""]
        if len(self.keys) > HEATMAP_KEYS:
            how = "sensitivity index" if self.ranking else "range of its level means"
            self.md += [
                (
                    f"Pairs of the {HEATMAP_KEYS} parameters with the largest effect on `{outcomes[0]}` "
                    f"(by {how}): {', '.join(f'`{k}`' for k in top[:HEATMAP_KEYS])}."
                ),
                "",
            ]
        for a, b in pairs:
            fig, axes = self.plt.subplots(1, len(outcomes), figsize=(4.4 * len(outcomes), 3.6), squeeze=False)
            for ax, col in zip(axes.flat, outcomes):
                frame = self.ok[[a, b, col]].dropna()
                frame = frame.assign(_a=self.binned(frame, a), _b=self.binned(frame, b))
                grid = frame.pivot_table(index="_b", columns="_a", values=col, aggfunc="mean")
                im = ax.imshow(grid.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
                ax.set_xticks(range(grid.shape[1]), [_fmt(v) for v in grid.columns], fontsize=7, rotation=45)
                ax.set_yticks(range(grid.shape[0]), [_fmt(v) for v in grid.index], fontsize=7)
                ax.set_xlabel(self.label(a))
                ax.set_ylabel(self.label(b))
                ax.set_title(col, fontsize=9)
                fig.colorbar(im, ax=ax, shrink=0.85).set_label(self.label(col), fontsize=8)
            self.save(
                fig,
                dest,
                f"heatmap_{_slug(a)}__{_slug(b)}.png",
                f"mean outcome over {a} x {b} (averaged over replicates and other parameters)",
            )

    def by_main_effect(self, col: str) -> list[str]:
        """Parameters ordered by the range of the outcome's mean over their levels (or bins)."""
        spans = {}
        for key in self.keys:
            frame = self.ok[[key, col]].dropna()
            means = frame.groupby(self.binned(frame, key))[col].mean()
            spans[key] = float(means.max() - means.min()) if len(means) else 0.0
        return sorted(self.keys, key=lambda k: -spans[k])

    def point_means(self, col: str) -> np.ndarray | None:
        """Mean over replicates per design point, or None if a point has no finite value."""
        y = self.ok.groupby("point")[col].mean().reindex(range(self.design.shape[0]))
        return None if y.isna().any() else y.to_numpy(dtype=float)

    def noise_share(self, col: str) -> float | None:
        """Replicate noise in the point means, as a share of their variance (``indices.noise_share``)."""
        return indices.noise_share(self.ok, col)

    def problem(self) -> dict:
        ranges = self.spec["ranges"]
        return {"num_vars": len(self.keys), "names": self.keys, "bounds": [ranges[k] for k in self.keys]}

    def sensitivity(self, dest: Path) -> None:
        if not self.outcomes:
            return
        if self.method not in ("sobol", "morris") or self.ok.empty:
            return
        outcomes, results, skipped = self.main_outcomes(), {}, []
        for col in outcomes:
            y = self.point_means(col)
            if y is None:
                skipped.append(col)
                continue
            if self.method == "sobol":
                from SALib.analyze import sobol

                results[col] = sobol.analyze(
                    self.problem(),
                    y,
                    calc_second_order=self.spec["second_order"],
                    conf_level=0.95,
                    num_resamples=200,
                    seed=self.spec["design_seed"],
                )
            else:
                from SALib.analyze import morris

                x = batch.load_sample(self.folder).drop(columns="point").to_numpy(dtype=float)
                results[col] = morris.analyze(
                    self.problem(),
                    x,
                    y,
                    num_levels=self.spec["levels"],
                    conf_level=0.95,
                    num_resamples=200,
                    seed=self.spec["design_seed"],
                )
        title = "Sobol' indices" if self.method == "sobol" else "Morris screening"
        self.md += [f"## {title}", ""]
        if skipped:
            self.md += [f"Not analysed (a design point has no finite value yet): {', '.join(skipped)}.", ""]
        if not results:
            return
        first = next(iter(results.values()))
        index = first["ST"] if self.method == "sobol" else first["mu_star"]
        self.ranking = [self.keys[i] for i in np.argsort(-np.asarray(index), kind="stable")]
        if self.method == "sobol":
            a, b = ("S1", "ST")
            note = (
                "first-order (S1) and total (ST) indices of the mean over replicates, with 95% bootstrap "
                "intervals; replicate noise shows up in ST - S1 and in the intervals"
            )
        else:
            a, b = ("mu_star", "sigma")
            note = (
                "mu* (mean absolute elementary effect, 95% bootstrap interval) and sigma (spread: interaction or "
                "non-linearity), on the mean over replicates"
            )
        n = len(results)
        fig, axes = self.plt.subplots(n, 1, figsize=(max(6, 0.9 * len(self.keys) + 2), 2.8 * n), squeeze=False)
        for ax, (col, res) in zip(axes.flat, results.items()):
            x = np.arange(len(self.keys))
            ax.bar(x - 0.2, res[a], 0.4, yerr=res[f"{a}_conf"], capsize=3, label=a)
            ax.bar(x + 0.2, res[b], 0.4, yerr=res.get(f"{b}_conf"), capsize=3, label=b)
            ax.set_xticks(x, self.keys, rotation=30, ha="right", fontsize=8)
            ax.set_ylabel("share of variance" if self.method == "sobol" else f"effect ({self.label(col)})", fontsize=8)
            ax.set_title(col, fontsize=9)
            ax.axhline(0, color="black", lw=0.6)
            ax.legend(fontsize=8)
        self.save(fig, dest, f"{self.method}.png", f"{title} per outcome: {note}")
        noisy = []
        for col in results:
            share = self.noise_share(col)
            if share is not None:
                noisy.append(f"`{col}` {share:.0%}")
        if noisy:
            self.md += [
                "Share of the variance of the analysed point means that is replicate noise (the point x replicate "
                "residual / replicates, over the variance of the point means; what replicates share under common "
                "random numbers moves every point alike): " + ", ".join(noisy) + ". "
                "Above about 20%, the indices mostly measure noise: add replicates (or samples).",
                "",
            ]
        for col, res in results.items():
            rows = {"parameter": self.keys, a: res[a], f"{a} ±": res[f"{a}_conf"], b: res[b]}
            if f"{b}_conf" in res:
                rows[f"{b} ±"] = res[f"{b}_conf"]
            table = pd.DataFrame(rows).sort_values(b if self.method == "sobol" else a, ascending=False)
            warning = ""
            if self.method == "sobol":  # say which indices the noise has made unreadable
                table["flags"] = [
                    "; ".join(indices.flags(r["S1"], r["S1 ±"], r["ST"], r["ST ±"])) for _, r in table.iterrows()
                ]
                warning = indices.noise_flag(self.noise_share(col))
            self.md += [f"**{col}**" + (f" ({warning})" if warning else ""), "", _table(table), ""]
            table.rename(columns=lambda c: c.replace(" ±", "_conf")).to_csv(
                dest / f"{self.method}_{col}.csv", index=False
            )

    def how_to_read(self) -> None:
        self.md += [
            "## Files",
            "",
            (
                f"- runs: `{self.folder}/runs/part-*.parquet`, one row per run (read with "
                "`experiments.runner.batch.load_runs`, which drops duplicates by run id)"
            ),
            (
                f"- design: `{self.folder}/design.parquet` (and the raw sample, `sample.parquet`); provenance: "
                f"`{self.folder}/manifest.json`; the Parquet files carry each column's unit and description"
            ),
            "",
        ]


COMMAND = "run.py report"  # the marker of the folders written here (experiments/safe_io/outdir.py)


def _legacy(names: set[str]) -> bool:
    """A report written before folders got a marker: report.md and its plots and tables, nothing else."""
    return "report.md" in names and all(n.endswith((".md", ".png", ".csv")) for n in names)


def make_report(folder: Path, dest: Path | None = None) -> Path:
    """Write the report folder (default ``<folder>/report``) and return it; it replaces only a report."""
    folder = Path(folder)
    if not (folder / batch.MANIFEST).exists():
        raise InputError(
            str(folder),
            "folder",
            f"no {batch.MANIFEST}; allowed: a results folder written by 'python run.py experiment'",
        )
    dest = Path(dest) if dest is not None else folder / "report"
    outdir.check(dest, COMMAND, "--out", _legacy)  # before reading the results
    rep = Report(folder)

    def fill(tmp: Path) -> None:
        rep.header()
        rep.summary_table()
        rep.main_effects()
        rep.sensitivity(tmp)
        rep.versus(tmp)
        rep.heatmaps(tmp)
        rep.timeseries(tmp)
        rep.how_to_read()
        (tmp / "report.md").write_text("\n".join(rep.md) + "\n")

    outdir.write_folder(dest, COMMAND, fill, legacy=_legacy)
    return dest

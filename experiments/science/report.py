"""Plots and a Markdown summary of a batch's results folder (``python run.py report results/<name>``).

Writes ``<folder>/report/`` (atomically) with ``report.md`` and PNGs: time series with 95% bands across
replicates (if the batch kept series), each kept measure against each swept parameter with 95% confidence
intervals, two-parameter heatmaps, and for ``sobol`` / ``morris`` designs the indices from SALib with their 95%
bootstrap intervals. Every interval is over replicates (and, where a plot averages over other parameters, over
those points too); "95% CI" is the t interval of a mean.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner import batch
from experiments.runner.worker import column
from experiments.safe_io import outdir, schema
from experiments.science import report_figures, report_indices
from experiments.science.markdown import fmt
from experiments.science.markdown import table as md_table
from experiments.science.report_figures import BINS, MAX_OUTCOMES, half_width_factor, mean_ci
from model import params as P
from model.errors import InputError

MAX_LEVELS = 12  # a parameter with at most this many distinct values is plotted per level, else in bins


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


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
            self.md += ["## Failed runs", "", md_table(errors.rename_axis("error").reset_index(name="runs")), ""]

    def summary_table(self) -> None:
        if self.ok.empty:
            self.md += ["No successful runs yet.", ""]
            return
        self.md += ["## Outcomes over all runs", ""]
        rows = []
        for col in self.outcomes:
            x = self.ok[col].dropna()
            half = float(half_width_factor(len(x)) * x.std() / np.sqrt(len(x))) if len(x) > 1 else np.nan
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
        self.md += [md_table(pd.DataFrame(rows, columns=["outcome", "mean", "95% CI ±", "5%", "95%", "runs"])), ""]
        if 1 < self.design.shape[0] <= 40:
            self.md += ["## By design point", ""]
            table = self.design[["point", *self.keys]].copy()
            for col in self.main_outcomes()[:4]:
                g = mean_ci(self.ok, "point", col)
                table[col] = table["point"].map(g["mean"])
                table[f"{col} ±"] = table["point"].map(g["half"])
            self.md += [md_table(table), ""]

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
            row = {"parameter": key, "from": fmt(lo), "to": fmt(hi)}
            for col in outcomes:
                a = self.ok[self.ok[key] == lo].set_index(pair)[col]
                b = self.ok[self.ok[key] == hi].set_index(pair)[col]
                d = (b - a).dropna()
                row[col] = d.mean() if len(d) else np.nan
                row[f"{col} ±"] = float(half_width_factor(len(d)) * d.std() / np.sqrt(len(d))) if len(d) > 1 else np.nan
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
            md_table(table),
            "",
        ]

    def sensitivity(self, dest: Path) -> None:
        """SALib's indices of a ``sobol`` or ``morris`` batch (``report_indices``); they rank the heatmaps' pairs."""
        self.ranking = report_indices.section(self, dest)

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
        report_figures.versus(rep, tmp)
        report_figures.heatmaps(rep, tmp)
        report_figures.timeseries(rep, tmp)
        rep.how_to_read()
        (tmp / "report.md").write_text("\n".join(rep.md) + "\n")

    outdir.write_folder(dest, COMMAND, fill, legacy=_legacy)
    return dest

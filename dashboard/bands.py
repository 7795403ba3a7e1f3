"""Replicate bands for the Compare tab: each scenario run over N seeds, its median and 90% band per quarter.

Replicate i of every scenario uses the same seed (``experiments.runner.replicates.seeds``: common random
numbers, as the experiments do), so differences between scenarios are paired. Runs are kept by
(scenario, overrides, seed, quarters): adding a scenario or seeds runs only what is new. Rows are placed on
the calendar (``t``, the end of the quarter in years), so scenarios that start in different years share one
axis.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.style import VEGA_LITE_SCHEMA
from experiments.runner.replicates import seeds
from experiments.runner.single import run_model
from model import scenario as scenarios

# (column, title, number format)
MEASURES: tuple[tuple[str, str, str], ...] = (
    ("capacity_share_eu", "EU share of production capacity", ".0%"),
    ("reserve_share_eu", "EU share of licensed reserve value", ".0%"),
    ("eu_supply_security", "EU supply security", ".0%"),
    ("missed_value_eu", "EU value lost to missed windows (USD m)", ",.0f"),
    ("trust_eu", "Host's trust in the EU", ".2f"),
)
SCENARIO_COLOURS = ("#1f3f99", "#f2a900", "#d62728", "#2ca02c", "#7b3fa0", "#17becf", "#8c564b", "#e377c2")
LOW, HIGH = 0.05, 0.95  # the 90% band


@dataclass(frozen=True)
class Arm:
    """One scenario of a comparison: a scenario file, with overrides on top (the current levers)."""

    label: str
    scenario: str
    overrides: tuple[tuple[str, float], ...] = ()

    def build(self):
        scn = scenarios.load(self.scenario)
        return scn.with_overrides(dict(self.overrides), "the dashboard's levers") if self.overrides else scn


@dataclass
class RunStore:
    """Every run made so far (one per arm, seed and length), its measures per quarter."""

    runs: dict[tuple, pd.DataFrame] = field(default_factory=dict)

    def run(self, arm: Arm, seed: int, quarters: int) -> pd.DataFrame:
        key = (arm.scenario, arm.overrides, seed, quarters)
        if key not in self.runs:
            frame = run_model(arm.build(), seed, quarters).timeseries()
            t = frame.index.year + frame.index.quarter / 4  # the end of each quarter, in years
            self.runs[key] = pd.DataFrame({"t": np.round(t, 2), "quarter": frame.index.astype(str)}).join(
                frame[[m for m, _, _ in MEASURES]].reset_index(drop=True)
            )
        return self.runs[key]

    def missing(self, arms, seed_list, quarters) -> list[tuple[Arm, int]]:
        return [(a, s) for a in arms for s in seed_list if (a.scenario, a.overrides, s, quarters) not in self.runs]


def replicate_seeds(first: int, n: int) -> list[int]:
    """Seed ``first`` alone for one replicate (the live run's), else ``n`` seeds drawn from it."""
    return [first] if n == 1 else seeds(first, n)


def bands(store: RunStore, arms, seed_list, quarters: int) -> pd.DataFrame:
    """Per arm, measure and calendar quarter: the median and the 5th and 95th percentiles over the seeds."""
    parts = []
    for arm in arms:
        runs = pd.concat([store.run(arm, s, quarters).assign(seed=s) for s in seed_list])
        long = runs.melt(id_vars=["t", "quarter", "seed"], var_name="measure", value_name="v")
        grouped = long.groupby(["measure", "t", "quarter"])["v"]
        stats = (
            grouped.median()
            .to_frame("median")
            .join(grouped.quantile(LOW).rename("low"))
            .join(grouped.quantile(HIGH).rename("high"))
        )
        parts.append(stats.reset_index().assign(scenario=arm.label))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def bands_spec(frame: pd.DataFrame, labels: list[str], n_seeds: int) -> dict:
    """One panel per measure, stacked on one calendar axis: the median line and the 90% band per scenario."""
    t0, t1 = float(frame["t"].min()), float(frame["t"].max())
    x = {"field": "t", "type": "quantitative", "title": None, "scale": {"domain": [t0, t1], "nice": False},
         "axis": {"format": "d", "tickMinStep": 1}}  # fmt: skip
    colour = {
        "field": "scenario",
        "type": "nominal",
        "title": "Scenario",
        "scale": {"domain": labels, "range": list(SCENARIO_COLOURS[: len(labels)])},
    }
    panels = []
    for column, title, fmt in MEASURES:
        rows = frame[(frame["measure"] == column) & frame["median"].notna()]  # flows are null at step 0
        values = [
            {"t": t, "q": q, "scenario": s, "m": round(float(m), 4), "lo": round(float(lo), 4), "hi": round(float(hi), 4)}
            for t, q, s, m, lo, hi in zip(rows["t"], rows["quarter"], rows["scenario"], rows["median"], rows["low"], rows["high"])
        ]  # fmt: skip
        y = {"field": "m", "type": "quantitative", "title": None, "axis": {"format": fmt}}
        layers = [
            {
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": colour,
                    "tooltip": [
                        {"field": "scenario", "title": "Scenario"},
                        {"field": "q", "title": "Quarter"},
                        {"field": "m", "title": "median", "format": fmt},
                        {"field": "lo", "title": "5th percentile", "format": fmt},
                        {"field": "hi", "title": "95th percentile", "format": fmt},
                    ],
                },
            }
        ]
        if n_seeds > 1:
            band = {"mark": {"type": "area", "opacity": 0.18},
                    "encoding": {"x": x, "y": {**y, "field": "lo"}, "y2": {"field": "hi"}, "color": colour}}  # fmt: skip
            layers.insert(0, band)
        panels.append({"title": title, "width": 620, "height": 130, "data": {"values": values}, "layer": layers})
    what = f"median and 90% band over {n_seeds} seeds" if n_seeds > 1 else "one seed"
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": f"Scenarios compared on one calendar ({what})", "anchor": "start"},
        "vconcat": panels,
        "resolve": {"scale": {"x": "shared"}},
    }


def summary_rows(frame: pd.DataFrame, years=(2030, 2040, 2050)) -> list[dict]:
    """Each scenario's median (and band) of the first measure at the end of each year either reaches."""
    column, _, _ = MEASURES[0]
    out = []
    for year in years:
        rows = frame[(frame["measure"] == column) & (frame["quarter"] == f"{year}Q4")]
        if rows.empty:
            continue
        cells = {r.scenario: f"{r.median:.1%} ({r.low:.1%}–{r.high:.1%})" for r in rows.itertuples()}
        out.append({"year": year, **cells})
    return out

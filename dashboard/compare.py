"""The compare page: two scenarios run with the same seed, side by side, and the gap in the EU's share."""

from __future__ import annotations

import html
import time

import pandas as pd
import solara

from dashboard.style import COLOURS, VEGA_LITE_SCHEMA
from model import scenario as scenarios

DEFAULT_QUARTERS = 100
SUMMARY_YEARS = (2030, 2040, 2050)


def year_ticks(start_year: int, end: float, most: int = 10) -> list[int]:
    """Whole years from ``start_year`` to ``end``, at most ``most`` of them (every 1, 2, 5, 10, ... years)."""
    span = max(1, int(end) - start_year + 1)
    every = next(e for e in (1, 2, 5, 10, 20, 50, 100, 10**9) if span / e <= most)
    return list(range(start_year, int(end) + 1, every)) or [start_year]


def run_scenario(name: str, seed: int, quarters: int) -> pd.DataFrame:
    model = scenarios.load(name).build(rng=int(seed))
    model.run_for(int(quarters))
    frame = model.timeseries()
    frame["t"] = model.start_year + frame["step"] / 4.0
    return frame


def compare_frame(a: str, b: str, seed: int, quarters: int = DEFAULT_QUARTERS) -> pd.DataFrame:
    """Per step: the EU's share and supply security in A and in B, and B − A."""
    fa, fb = run_scenario(a, seed, quarters), run_scenario(b, seed, quarters)
    n = min(len(fa), len(fb))  # a run stops early once every deposit is depleted
    fa, fb = fa.iloc[:n], fb.iloc[:n]
    return pd.DataFrame(
        {
            "step": fa["step"].to_numpy(),
            "t": fa["t"].round(2).to_numpy(),
            "quarter": fa["quarter"].to_numpy(),
            "eu_a": fa["share_EU"].to_numpy(),
            "eu_b": fb["share_EU"].to_numpy(),
            "diff": fb["share_EU"].to_numpy() - fa["share_EU"].to_numpy(),
            "sec_a": fa["eu_supply_security"].to_numpy(),
            "sec_b": fb["eu_supply_security"].to_numpy(),
        }
    )


def compare_spec(frame: pd.DataFrame, a: str, b: str, seed: int) -> dict:
    lines = [
        {"t": t, "scenario": name, "v": round(float(v), 4)}
        for col, name in (("eu_a", f"A: {a}"), ("eu_b", f"B: {b}"))
        for t, v in zip(frame["t"], frame[col])
    ]
    diff = [{"t": t, "v": round(float(v), 4)} for t, v in zip(frame["t"], frame["diff"])]
    ticks = year_ticks(int(frame["t"].min()), float(frame["t"].max()), most=10) if len(frame) else []
    x = {
        "field": "t",
        "type": "quantitative",
        "title": None,
        "axis": {"format": "d", "values": ticks},
        "scale": {"nice": False},
    }
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": f"The EU's share of licensed reserve value, seed {seed}", "anchor": "start"},
        "vconcat": [
            {
                "width": 640,
                "height": 220,
                "data": {"values": lines},
                "mark": {"type": "line", "strokeWidth": 2},
                "encoding": {
                    "x": x,
                    "y": {"field": "v", "type": "quantitative", "title": "EU share", "axis": {"format": "%"}},
                    "color": {
                        "field": "scenario",
                        "type": "nominal",
                        "title": "Scenario",
                        "scale": {"range": [COLOURS["EU"], "#f2a900"]},
                    },
                    "tooltip": [
                        {"field": "scenario"},
                        {"field": "t", "title": "year", "format": ".2f"},
                        {"field": "v", "title": "EU share", "format": ".1%"},
                    ],
                },
            },
            {
                "width": 640,
                "height": 150,
                "data": {"values": diff},
                "title": {"text": "B − A (percentage points of share)", "fontSize": 12, "anchor": "start"},
                "layer": [
                    {
                        "mark": {"type": "area", "opacity": 0.35, "color": "#555"},
                        "encoding": {
                            "x": x,
                            "y": {"field": "v", "type": "quantitative", "title": "B − A", "axis": {"format": "+%"}},
                        },
                    },
                    {
                        "mark": {"type": "line", "color": "#333"},
                        "encoding": {
                            "x": x,
                            "y": {"field": "v", "type": "quantitative"},
                            "tooltip": [
                                {"field": "t", "title": "year", "format": ".2f"},
                                {"field": "v", "title": "B − A", "format": "+.1%"},
                            ],
                        },
                    },
                    {
                        "mark": {"type": "rule", "color": "#999"},
                        "data": {"values": [{"z": 0}]},
                        "encoding": {"y": {"field": "z", "type": "quantitative"}},
                    },
                ],
            },
        ],
    }


def summary_rows(frame: pd.DataFrame, start_year: int) -> list[dict]:
    """The EU's share at the end of each summary year the runs reach."""
    out = []
    for year in SUMMARY_YEARS:
        step = (year - start_year + 1) * 4
        if 0 < step < len(frame):
            r = frame.iloc[step]
            out.append(
                {
                    "year": year,
                    "A": f"{r.eu_a:.1%}",
                    "B": f"{r.eu_b:.1%}",
                    "B − A": f"{r['diff'] * 100:+.1f} pp",
                    "EU supply security A / B": f"{r.sec_a:.1%} / {r.sec_b:.1%}",
                }
            )
    return out


def table_html(rows: list[dict]) -> str:
    cell = 'style="padding: 2px 12px; border-bottom: 1px solid #ddd; text-align: right"'
    head = "".join(f"<th {cell}>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join(
        "<tr>" + "".join(f"<td {cell}>{html.escape(str(v))}</td>" for v in r.values()) + "</tr>" for r in rows
    )
    return f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"


@solara.component
def Compare(default_seed: int = 42):
    """Pick two scenarios and a seed; both runs are re-computed when a choice changes."""
    names = scenarios.names()
    default_b = next((n for n in ("eu_global_gateway", "eu_fast_track") if n in names), names[-1])
    a, set_a = solara.use_state("baseline" if "baseline" in names else names[0])
    b, set_b = solara.use_state(default_b)
    seed, set_seed = solara.use_state(int(default_seed))
    quarters, set_quarters = solara.use_state(DEFAULT_QUARTERS)

    def compute():
        t0 = time.perf_counter()
        frame = compare_frame(a, b, seed, quarters)
        return frame, time.perf_counter() - t0

    result = solara.use_memo(compute, [a, b, seed, quarters])
    frame, seconds = result
    start_year = int(frame["t"].iloc[0]) if len(frame) else 2026
    with solara.Column(classes=["gg-compare"]) as main:
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.Select("Scenario A", value=a, values=names, on_value=set_a, style={"max-width": "220px"})
            solara.Select("Scenario B", value=b, values=names, on_value=set_b, style={"max-width": "220px"})
            solara.InputInt(
                "Seed (both runs)", value=seed, on_value=lambda v: set_seed(int(v or 0)), style={"max-width": "140px"}
            )
            with solara.Column(style={"min-width": "260px", "max-width": "360px"}):
                solara.SliderInt(f"Quarters: {quarters}", value=quarters, on_value=set_quarters, min=4, max=200, step=4)
        solara.Text(
            f"{scenarios.load(a).description} (A) versus {scenarios.load(b).description} (B). "
            f"Same seed, {len(frame) - 1} quarters each; computed in {seconds:.2f} s.",
            style={"color": "#555", "font-size": "13px"},
        )
        solara.widgets.VegaLite.element(spec=compare_spec(frame, a, b, seed))
        rows = summary_rows(frame, start_year)
        if rows:
            solara.HTML(
                tag="table",
                unsafe_innerHTML=table_html(rows),
                classes=["gg-compare-table"],
                style="border-collapse: collapse; font-size: 13px; margin-top: 8px; width: auto; max-width: 760px",
            )
    return main

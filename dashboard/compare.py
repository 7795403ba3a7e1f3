"""The compare page: two scenarios run with the same seed, side by side, and the gap in the EU's share.

The runs are aligned by calendar quarter, not by step: scenarios may start in different years
(``start_2022``), and a quarter only one run reaches is drawn for that run alone. Every input is checked
where it is typed; a bad one gets its message in place and nothing is run.
"""

from __future__ import annotations

import html
import time

import numpy as np
import pandas as pd
import solara

from dashboard.sim import RUN_QUARTERS, input_message
from dashboard.style import COLOURS, VEGA_LITE_SCHEMA
from model import scenario as scenarios
from model.errors import InputError

DEFAULT_QUARTERS = RUN_QUARTERS
SUMMARY_YEARS = (2030, 2040, 2050)
SEED_LIMIT = 2**63 - 1  # as `run.py run --seed`
MISSING = "—"


def parse_seed(text: str | None) -> int:
    """The seed typed in the box; ValueError with the message to show beside it."""
    text = (text or "").strip()
    try:
        seed = int(text)
    except ValueError:
        raise ValueError(f"{text or 'empty'}: not a whole number (a seed is 0 to 2^63 − 1)") from None
    if not 0 <= seed <= SEED_LIMIT:
        raise ValueError(f"{seed}: out of range (a seed is 0 to 2^63 − 1)")
    return seed


def year_ticks(start_year: int, end: float, most: int = 10) -> list[int]:
    """Whole years from ``start_year`` to ``end``, at most ``most`` of them (every 1, 2, 5, 10, ... years)."""
    span = max(1, int(end) - start_year + 1)
    every = next(e for e in (1, 2, 5, 10, 20, 50, 100, 10**9) if span / e <= most)
    return list(range(start_year, int(end) + 1, every)) or [start_year]


def quarter_end(label: str) -> float:
    """'2030Q4' -> 2031.0: the end of the quarter, in years (step 0, '2025Q4', is 1 January 2026)."""
    year, q = label.split("Q")
    return int(year) + int(q) / 4


def run_scenario(name: str, seed: int, quarters: int) -> pd.DataFrame:
    """The EU's share and supply security per quarter of one run."""
    model = scenarios.load(name).build(rng=int(seed))
    model.run_for(int(quarters))
    frame = model.timeseries().reset_index()[["quarter", "reserve_share_eu", "eu_supply_security"]]
    return frame.assign(quarter=frame["quarter"].astype(str))


def compare_frame(a: str, b: str, seed: int, quarters: int = DEFAULT_QUARTERS) -> pd.DataFrame:
    """Per calendar quarter either run reaches: the EU's share and supply security in A and in B (NaN where
    a run does not cover the quarter), and B − A where both do."""
    fa, fb = run_scenario(a, seed, quarters), run_scenario(b, seed, quarters)
    both = fa.merge(fb, on="quarter", how="outer", suffixes=("_a", "_b"))
    both["t"] = both["quarter"].map(quarter_end)
    both = both.sort_values("t", kind="stable").reset_index(drop=True)
    return pd.DataFrame(
        {
            "t": both["t"].round(2),
            "quarter": both["quarter"],
            "eu_a": both["reserve_share_eu_a"],
            "eu_b": both["reserve_share_eu_b"],
            "diff": both["reserve_share_eu_b"] - both["reserve_share_eu_a"],
            "sec_a": both["eu_supply_security_a"],
            "sec_b": both["eu_supply_security_b"],
        }
    )


def span(frame: pd.DataFrame, col: str) -> str:
    """'2026Q1–2050Q4': the quarters a run covers (its step 0 is the state before the first)."""
    quarters = frame.loc[frame[col].notna(), "quarter"].tolist()
    return f"{quarters[1]}–{quarters[-1]}" if len(quarters) > 1 else MISSING


def compare_spec(frame: pd.DataFrame, a: str, b: str, seed: int) -> dict:
    lines = [
        {"t": t, "scenario": name, "v": round(float(v), 4)}
        for col, name in (("eu_a", f"A: {a}"), ("eu_b", f"B: {b}"))
        for t, v in zip(frame["t"], frame[col])
        if not np.isnan(v)
    ]
    diff = [{"t": t, "v": round(float(v), 4)} for t, v in zip(frame["t"], frame["diff"]) if not np.isnan(v)]
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


def summary_rows(frame: pd.DataFrame) -> list[dict]:
    """The EU's share at the end of each summary year either run reaches (— where a run does not)."""
    out = []
    for year in SUMMARY_YEARS:
        rows = frame[frame["quarter"] == f"{year}Q4"]
        if rows.empty:
            continue
        r = rows.iloc[0]
        pct = lambda v: MISSING if np.isnan(v) else f"{v:.1%}"  # noqa: E731
        out.append(
            {
                "year": year,
                "A": pct(r.eu_a),
                "B": pct(r.eu_b),
                "B − A": MISSING if np.isnan(r["diff"]) else f"{r['diff'] * 100:+.1f} pp",
                "EU supply security A / B": f"{pct(r.sec_a)} / {pct(r.sec_b)}",
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
def Compare(default_seed: int = 42, shown: bool = True):
    """Pick two scenarios and a seed; both runs are re-computed when a choice changes. Nothing is run
    before the page is first ``shown`` (two runs take a second or so of the server's time)."""
    names = scenarios.names()
    default_b = next((n for n in ("eu_global_gateway", "eu_fast_track") if n in names), names[-1])
    a, set_a = solara.use_state("baseline" if "baseline" in names else names[0])
    b, set_b = solara.use_state(default_b)
    seed_text, set_seed_text = solara.use_state(str(int(default_seed)))
    quarters, set_quarters = solara.use_state(DEFAULT_QUARTERS)
    try:
        seed, seed_error = parse_seed(seed_text), None
    except ValueError as exc:
        seed, seed_error = None, str(exc)

    opened = solara.use_ref(False)
    opened.current = opened.current or shown

    def compute():
        if seed is None or not opened.current:
            return None
        t0 = time.perf_counter()
        try:
            frame = compare_frame(a, b, seed, quarters)
            described = f"{scenarios.load(a).description} (A) versus {scenarios.load(b).description} (B)"
        except InputError as exc:
            return input_message(exc)
        return frame, described, time.perf_counter() - t0

    result = solara.use_memo(compute, [a, b, seed, quarters, opened.current])
    with solara.Column(classes=["gg-compare"]) as main:
        with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
            solara.Select("Scenario A", value=a, values=names, on_value=set_a, style={"max-width": "220px"})
            solara.Select("Scenario B", value=b, values=names, on_value=set_b, style={"max-width": "220px"})
            solara.InputText(
                "Seed (both runs)",
                value=seed_text,
                on_value=set_seed_text,
                error=seed_error or False,
                classes=["gg-compare-seed"],
                style={"max-width": "260px"},
            )
            with solara.Column(style={"min-width": "260px", "max-width": "360px"}):
                solara.SliderInt(f"Quarters: {quarters}", value=quarters, on_value=set_quarters, min=4, max=200, step=4)
        if seed_error:
            solara.Text("Nothing is run until the seed is a whole number (see above).", classes=["gg-compare-note"])
        elif isinstance(result, str):
            solara.Error(result, classes=["gg-compare-error"])
        elif result is None:
            solara.Text("Open this page to run the comparison.")
        else:
            frame, described, seconds = result
            solara.Text(
                f"{described}. Same seed, {quarters} quarters each (A {span(frame, 'eu_a')}, "
                f"B {span(frame, 'eu_b')}), aligned by quarter; computed in {seconds:.2f} s.",
                style={"color": "#555", "font-size": "13px"},
            )
            solara.widgets.VegaLite.element(spec=compare_spec(frame, a, b, seed))
            rows = summary_rows(frame)
            if rows:
                solara.HTML(
                    tag="table",
                    unsafe_innerHTML=table_html(rows),
                    classes=["gg-compare-table"],
                    style="border-collapse: collapse; font-size: 13px; margin-top: 8px; width: auto; max-width: 760px",
                )
    return main

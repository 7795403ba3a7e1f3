"""The time-series charts: shares, EU supply security, trust, missed windows, private capital.

All five panels are one Vega-Lite spec over one named data source (one view, one shared colour legend);
the spec is fixed for a model and each quarter only the rows change.
"""

from __future__ import annotations

import pandas as pd
import solara

from dashboard.sim import reading
from dashboard.style import VEGA_LITE_SCHEMA, colour_scale, label
from dashboard.vega import PacedVegaView, to_json

PANEL_WIDTH, PANEL_HEIGHT = 250, 160

# (title, column or column prefix, y-axis title, y format, stacked)
PANELS: tuple[tuple[str, str, str, str, bool], ...] = (
    ("Share of licensed reserve value", "reserve_share_", "share", "%", True),
    ("EU supply security", "eu_supply_security", "EU offtake / demand", "%", False),
    ("Host's trust", "trust_", "trust (0–1)", ".2f", False),
    ("Missed windows (cumulative)", "missed_", "windows", "d", False),
    ("Private capital in open pursuits", "private_capital_", "USD m", ",.0f", False),
)
EU_SECURITY = "EU"  # the supply-security line is drawn in the EU's colour


def quarter_dates(steps, start_year: int) -> list[str]:
    """Step 0 is 1 January of ``start_year``; step s ends quarter s (ISO date of the quarter's end)."""
    out = []
    for s in steps:
        months = 3 * int(s)
        out.append(f"{start_year + months // 12}-{months % 12 + 1:02d}-01")
    return out


def long_rows(frame: pd.DataFrame, start_year: int, holders: tuple[str, ...]) -> list[dict]:
    """One row per step, panel and holder: {"d" (date), "p" (panel index), "h" (holder label), "v"}."""
    dates = quarter_dates(frame["step"].tolist(), start_year) if len(frame) else []
    rows: list[dict] = []
    for i, (_, prefix, _, _, _) in enumerate(PANELS):
        if not prefix.endswith("_"):
            cols = {EU_SECURITY: prefix} if prefix in frame else {}
        else:
            cols = {h: prefix + h.lower() for h in holders if prefix + h.lower() in frame}
        for h, col in cols.items():
            name = label(h)
            values = frame[col].tolist()  # a flow is null at step 0 (no quarter has passed): no point drawn
            rows += [{"d": d, "p": i, "h": name, "v": round(float(v), 4)} for d, v in zip(dates, values) if v == v]
    return rows


def charts_spec(holders: tuple[str, ...]) -> dict:
    """The five panels without their rows (named data source "series")."""
    x = {
        "field": "d",
        "type": "temporal",
        "title": None,
        "scale": {"type": "utc"},
        "axis": {"format": "%Y", "tickCount": {"interval": "year", "step": 1}, "labelOverlap": "parity"},
    }
    colour = {"field": "h", "type": "nominal", "title": "Power", "scale": colour_scale(holders)}
    panels = []
    for i, (title, _, y_title, fmt, stacked) in enumerate(PANELS):
        y = {"field": "v", "type": "quantitative", "title": y_title, "axis": {"format": fmt}}
        if stacked:
            y.update(stack="zero", scale={"domain": [0, 1]})
            mark = {"type": "area", "opacity": 0.85}
        else:
            y["stack"] = None
            mark = {"type": "line", "strokeWidth": 1.8, "interpolate": "step-after" if i == 3 else "linear"}
        panels.append(
            {
                "title": title,
                "width": PANEL_WIDTH,
                "height": PANEL_HEIGHT,
                "transform": [{"filter": f"datum.p == {i}"}],
                "mark": mark,
                "encoding": {
                    "x": x,
                    "y": y,
                    "color": colour,
                    "tooltip": [
                        {"field": "h", "title": "Power"},
                        {"field": "d", "title": "quarter ending", "type": "temporal", "format": "%b %Y"},
                        {"field": "v", "title": y_title, "format": ",.3~f"},
                    ],
                },
            }
        )
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "autosize": {"type": "pad", "resize": True},  # re-fit on data updates (the view is only fed rows)
        "title": {"text": "The competition over time", "anchor": "start"},
        "data": {"name": "series"},
        "concat": panels,
        "columns": 3,
        "config": {"view": {"stroke": "#ddd"}, "legend": {"orient": "right", "labelLimit": 240}},
    }


def charts_data(model) -> tuple[dict[str, list[dict]], str]:
    """The rows of every panel, and the quarter they run to."""
    with reading(model):
        frame, quarter = model.timeseries(), model.quarter
    return {"series": long_rows(frame, model.start_year, model.holders)}, quarter


@solara.component
def Charts(model, frame: int):
    """The five panels of update ``frame`` (Mesa's update counter): their rows are re-sent on every step."""
    spec = solara.use_memo(lambda: to_json(charts_spec(model.holders)), [model])
    data, quarter = charts_data(model)
    with solara.Column(classes=["gg-charts"], style={"min-height": f"{2 * PANEL_HEIGHT + 120}px"}) as main:
        PacedVegaView(model, "charts", spec, to_json(data), label=quarter, frame=frame)
    return main

"""The time-series charts: shares, EU supply security, trust, missed windows, private capital.

All five panels are one Vega-Lite spec over one named data source (one view, one shared colour legend).
Rows carry the step (``s``), the panel (``p``), the holder's label (``h``) and the value (``v``); the
browser turns the step into the calendar (``d``, the end of the quarter) and the quarter's label (``q``,
``2026Q3``). The calendar axis is fixed from the run's start to its last quarter, so the panels fill in
from left to right and read straight down on the same quarter.
"""

from __future__ import annotations

from dashboard.style import VEGA_LITE_SCHEMA, colour_scale, label

PANEL_WIDTH, PANEL_HEIGHT = 250, 150


# (title, column or column prefix, y-axis title, number format, stacked, fixed y domain or None)
PANELS: tuple[tuple[str, str, str, str, bool, tuple | None], ...] = (
    ("Share of licensed reserve value", "reserve_share_", "share", ".0%", True, (0, 1)),
    ("EU supply security", "eu_supply_security", "EU offtake / demand", ".0%", False, (0, 1)),
    ("Host's trust", "trust_", "trust (0–1)", ".2f", False, (0, 1)),
    ("Missed windows (cumulative)", "missed_", "windows", "d", False, None),
    ("Private capital in open pursuits", "private_capital_", "USD m", ",.0f", False, None),
)
TOOLTIP_FORMATS = (".1%", ".1%", ".2f", "d", ",.0f")
EU_SECURITY = "EU"  # the supply-security line is drawn in the EU's colour


def date_expr(start_year: int, field: str = "datum.s") -> str:
    """Vega expression: the end of the quarter that ends at step ``field`` (step 0: 1 January of the start)."""
    return f"utc({start_year} + floor({field} / 4), ({field} % 4) * 3, 1)"


def step_date(start_year: int, step: int) -> dict:
    """Vega-Lite DateTime of the end of the quarter that ends at ``step`` (as ``date_expr``)."""
    return {"year": start_year + step // 4, "month": (step % 4) * 3 + 1, "date": 1, "utc": True}


def quarter_expr(start_year: int, field: str = "datum.s") -> str:
    """Vega expression: the label of the quarter that ends at step ``field`` (as model.model.quarter_label)."""
    q = f"({start_year} * 4 + {field} - 1)"
    return f"floor({q} / 4) + 'Q' + ({q} % 4 + 1)"


def time_axis(start_year: int, end_step: int) -> dict:
    """The calendar x axis of a panel, fixed from the run's start to its last quarter (field ``d``)."""
    return {
        "field": "d",
        "type": "temporal",
        "title": None,
        "scale": {"type": "utc", "domain": [step_date(start_year, 0), step_date(start_year, end_step)]},
        "axis": {"format": "%Y", "tickCount": {"interval": "year", "step": 5}},
    }


def calendar(start_year: int) -> list[dict]:
    """Vega-Lite transforms: the step ``s`` to the calendar (``d``) and the quarter's label (``q``)."""
    return [
        {"calculate": date_expr(start_year), "as": "d"},
        {"calculate": quarter_expr(start_year), "as": "q"},
    ]


def series_columns(frame, holders: tuple[str, ...]) -> dict[str, list]:
    """Columnar rows of every panel for the steps in ``frame`` (a time-series DataFrame, or a mapping of
    result name to values), one row per step and result column."""
    out: dict[str, list] = {"s": [], "p": [], "h": [], "v": []}
    steps = [int(s) for s in frame["step"]]
    for i, (_, prefix, *_) in enumerate(PANELS):
        if prefix.endswith("_"):
            cols = {label(h): prefix + h.lower() for h in holders if prefix + h.lower() in frame}
        else:
            cols = {label(EU_SECURITY): prefix} if prefix in frame else {}
        for name, col in cols.items():
            kept = [(s, float(v)) for s, v in zip(steps, frame[col]) if v == v]  # a flow is null at step 0: no point
            out["s"] += [s for s, _ in kept]
            out["p"] += [i] * len(kept)
            out["h"] += [name] * len(kept)
            out["v"] += [round(v, 4) for _, v in kept]
    return out


def charts_spec(holders: tuple[str, ...], start_year: int, end_step: int) -> dict:
    """The five panels without their rows (named data source "series")."""
    x = time_axis(start_year, end_step)
    colour = {"field": "h", "type": "nominal", "title": "Power", "scale": colour_scale(holders)}
    panels = []
    for i, (title, _, y_title, fmt, stacked, domain) in enumerate(PANELS):
        # a fixed domain keeps the axis still while the rows grow (Vega then redraws the marks only)
        y = {"field": "v", "type": "quantitative", "title": y_title, "axis": {"format": fmt}}
        if domain:
            y["scale"] = {"domain": list(domain)}
        if fmt == "d":
            y["axis"]["tickMinStep"] = 1  # whole windows: no repeated labels (0, 1, 1, 2, 2)
        if stacked:
            y["stack"] = "zero"
            mark = {"type": "area", "opacity": 0.85}
        else:
            y["stack"] = None
            mark = {"type": "line", "strokeWidth": 1.8, "interpolate": "step-after" if fmt == "d" else "linear"}
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
                        {"field": "q", "title": "Quarter"},
                        {"field": "v", "title": y_title, "format": TOOLTIP_FORMATS[i]},
                    ],
                },
            }
        )
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": "The competition over time", "anchor": "start"},
        "data": {"name": "series"},
        "transform": calendar(start_year),
        "concat": panels,
        "columns": 3,
        "config": {"legend": {"orient": "right", "labelLimit": 240}},
    }

"""The export routes on the map (``model/routes.py``): each corridor a line along its course
(``data/route_courses.csv``, approximate, for drawing) from Kazakhstan towards its exit, as wide as what it
carried that quarter, labelled with that against the capacity open, and dashed when a shock or a disruption
throttled or closed it. Its rows, mark and events are declared here; ``dashboard/layers.py`` makes them a layer.

A route is one item (its id the route's id): its course travels as four lists (segment ends), which the browser
flattens into one rule per segment, so a click on any segment pins the route.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from model import market_tables
from model.deposit_table import table_path

COURSES = table_path("data/route_courses.csv")  # in the checkout, or where the wheel put the data
OPEN, THROTTLED, CLOSED, NOT_BUILT = "open", "throttled", "closed", "not built yet"
PATH = ("x1", "y1", "x2", "y2")  # segment ends, one list each per route (drawn, never shown in tables)
SLATE, ORANGE, RED, GREY = "#4f6d8a", "#e67e00", "#d62728", "#9a9a9a"


@cache
def courses(path: Path = COURSES) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Route id -> the longitudes and latitudes of its course, in order ({} if the file is missing: the map then
    draws no route lines, as it draws no outline without its file)."""
    if not path.is_file():
        return {}
    frame = pd.read_csv(path).sort_values(["route", "seq"])
    return {r: (g["lon"].to_numpy(float), g["lat"].to_numpy(float)) for r, g in frame.groupby("route", sort=False)}


def _lists(values: list[list[float]]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)  # one list per route (np.array would make equal lengths 2-D)
    out[:] = values
    return out


def course_columns(ids: list[str]) -> dict[str, np.ndarray]:
    """Per route: its segments' ends (``PATH``) and where its label goes, the middle of its longest segment (NaN
    for a route without a course)."""
    known = courses()
    ends = {name: [] for name in PATH}
    lon, lat = np.full(len(ids), np.nan), np.full(len(ids), np.nan)
    for i, route in enumerate(ids):
        x, y = known.get(route, (np.zeros(0), np.zeros(0)))
        for name, part in zip(PATH, (x[:-1], y[:-1], x[1:], y[1:]), strict=True):
            ends[name].append(np.round(part, 3).tolist())
        if len(x) > 1:
            k = int(np.argmax(np.hypot(np.diff(x), np.diff(y))))
            lon[i], lat[i] = (x[k] + x[k + 1]) / 2, (y[k] + y[k + 1]) / 2
    return {"lon": np.round(lon, 3), "lat": np.round(lat, 3), **{k: _lists(v) for k, v in ends.items()}}


def route_rows(model, step: int) -> dict[str, np.ndarray] | None:
    """The routes at ``step`` (an observed one, from the markets' snapshot: ``market_tables.snapshot``): what each
    carried (t a quarter), its capacity open and built (t a quarter) and its status against what was built; None
    if the run has no route with a course to draw (a route of another table without one is left off the map)."""
    r = model.routes
    ids = r.table.ids
    drawn = course_columns(ids)
    if np.isnan(drawn["lon"]).all():
        return None
    snap = model.datacollector.markets[model.datacollector.observed(step, model.steps, "routes")]
    opened, built, carried = snap.open, market_tables.built(r, snap), snap.carried
    status = np.select(
        [built <= 0, opened <= 0, opened < built * (1 - 1e-9)], [NOT_BUILT, CLOSED, THROTTLED], OPEN
    ).astype(object)
    crosses = np.where(r.table.via_russia, "Russia", np.where(r.table.via_china, "China", "neither Russia nor China"))
    rows = {
        "id": np.array(ids, dtype=object),
        "name": np.array(r.table.names, dtype=object),
        "crosses": crosses.astype(object),
        **drawn,
        "status": status,
        "capacity": np.round(opened, 1),
        "built": np.round(built, 1),
        "carried": carried.sum(axis=(1, 2)),
    }
    keep = ~np.isnan(drawn["lon"])
    return rows if keep.all() else {name: column[keep] for name, column in rows.items()}


def top(model) -> float:
    """Where the width scale tops: the largest capacity a route will have built (t a quarter)."""
    return float(model.routes.nominal(model.end_step).max(initial=0.0) / 4.0)


def _when(status: str) -> str:
    return f"datum.status === '{status}'"


def route_mark(holders: tuple[str, ...], largest: float) -> dict:
    """Segments as wide as the route carried (sqrt, up to ``largest``), slate when open, orange dashed throttled,
    red dashed closed, grey dotted not built yet; a label at the middle of the longest segment: carried of open
    (t a quarter)."""
    colour = {
        "condition": [
            {"test": _when(s), "value": c} for s, c in ((CLOSED, RED), (THROTTLED, ORANGE), (NOT_BUILT, GREY))
        ],
        "value": SLATE,
    }
    dash = {
        "condition": [
            {"test": f"{_when(CLOSED)} || {_when(THROTTLED)}", "value": [7, 4]},
            {"test": _when(NOT_BUILT), "value": [2, 3]},
        ],
        "value": [1, 0],
    }
    tooltip = [
        {"field": "name", "title": "Route"},
        {"field": "crosses", "title": "Crosses"},
        {"field": "status", "title": "Status"},
        {"field": "carried", "title": "Carried (t a quarter)", "format": ",.0f"},
        {"field": "capacity", "title": "Open capacity (t a quarter)", "format": ",.0f"},
        {"field": "built", "title": "Built capacity (t a quarter)", "format": ",.0f"},
    ]
    label = (
        f"{_when(CLOSED)} ? 'closed' : {_when(NOT_BUILT)} ? 'not built' : "
        "format(datum.carried, '.3~s') + ' of ' + format(datum.capacity, '.3~s') + ' t'"
    )
    return {
        "layer": [
            {
                "transform": [{"flatten": list(PATH)}],
                "mark": {"type": "rule", "strokeCap": "round", "opacity": 0.8},
                "encoding": {
                    "longitude": {"field": "x1", "type": "quantitative"},
                    "latitude": {"field": "y1", "type": "quantitative"},
                    "longitude2": {"field": "x2"},
                    "latitude2": {"field": "y2"},
                    "color": colour,
                    "strokeDash": dash,
                    "strokeWidth": {
                        "field": "carried",
                        "type": "quantitative",
                        "scale": {"type": "sqrt", "domain": [0, max(largest, 1.0)], "range": [1.5, 12], "clamp": True},
                        "legend": None,
                    },
                    "tooltip": tooltip,
                },
            },
            {
                "transform": [{"calculate": label, "as": "label"}],
                "mark": {"type": "text", "fontSize": 10, "fontWeight": "bold", "baseline": "bottom", "dy": -4},
                "encoding": {
                    "longitude": {"field": "lon", "type": "quantitative"},
                    "latitude": {"field": "lat", "type": "quantitative"},
                    "text": {"field": "label"},
                    "color": colour,
                    "tooltip": tooltip,
                },
            },
        ]
    }


def route_events(events: pd.DataFrame, item: dict) -> pd.DataFrame:
    """The shocks that closed, throttled or built it ('route northern closed for 8 quarters')."""
    mine = events["detail"].fillna("").str.match(rf"route {re.escape(str(item['id']))}[ :]")
    return events[(events["kind"] == "shock") & mine]


def route_detail(session, item: dict, step: int) -> str:
    """What it carried at ``step``, by commodity, and for whom (the model's route flows)."""
    model = session.model
    snap = model.datacollector.markets[step]  # the inspector holds the model still
    flows = market_tables.flows_frame({step: snap}, model.start_year, model.routes.table.ids, model.holders)
    mine = flows[flows["route"] == item["id"]]
    if mine.empty:
        return '<div class="gg-item-subtitle">Carried this quarter</div><p class="gg-route-flows">nothing</p>'
    rows = []
    for commodity, g in mine.groupby("commodity"):
        buyers = ", ".join(f"{h} {t:,.0f}" for h, t in zip(g["holder"], g["tonnes_t"], strict=True))
        rows.append((g["tonnes_t"].sum(), commodity.replace("_", " "), buyers))
    body = "".join(
        f"<tr><td>{html.escape(c)}</td><td>{t:,.0f}</td><td>{html.escape(b)}</td></tr>"
        for t, c, b in sorted(rows, reverse=True)
    )
    return (
        '<div class="gg-item-subtitle">Carried this quarter (t)</div><table class="gg-route-flows">'
        f"<thead><tr><th>commodity</th><th>t</th><th>by buyer</th></tr></thead><tbody>{body}</tbody></table>"
    )

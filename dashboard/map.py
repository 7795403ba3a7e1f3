"""The map: Kazakhstan's outline and every layer the model has (``dashboard/layers.py``), drawn in the browser.

Each layer reads its own data source; an item's ``value`` is extrapolated in the browser from the rows'
``v0``, ``r`` and ``s0`` to the quarter shown (the signal ``shown_step``, see dashboard/frames.py), which
is also drawn in the top right corner. Clicking an item pins it in the inspector. A layer that can be hidden
(``Layer.toggle``: the plants, the routes) has a checkbox under the map, a Vega parameter: it filters in the
browser, with no message to the server. Lines (``Layer.under``: the routes) are drawn under the points.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import solara

from dashboard.charts import quarter_expr
from dashboard.layers import present
from dashboard.session import MAP, to_json
from dashboard.style import VEGA_LITE_SCHEMA
from dashboard.vega import FedVegaView

OUTLINE = Path(__file__).resolve().parent.parent / "data" / "kazakhstan_outline.geojson"
WIDTH, HEIGHT = 760, 380  # the most the map takes (legends included); less on a narrow screen
SHOWN = "shown_step"


@cache
def outline_features(path: Path = OUTLINE) -> tuple[dict, ...]:
    """The outline's GeoJSON features ('()' if the file is missing: the map then shows the items only)."""
    if not path.is_file():
        return ()
    doc = json.loads(path.read_text(encoding="utf-8"))
    return tuple(doc["features"] if doc.get("type") == "FeatureCollection" else [doc])


def map_spec(model, dark: bool = False) -> dict:
    """The map without its rows: the outline, one layer per kind of item the model has, and the quarter
    (``dark``: the outline and the quarter in the dark theme's tones)."""
    layers = []
    features = outline_features()
    if features:
        layers.append(
            {
                "data": {"values": list(features)},
                "mark": {
                    "type": "geoshape",
                    "fill": "#3b3a36" if dark else "#f4f1e8",
                    "stroke": "#8a8a8a",
                    "strokeWidth": 1,
                },
            }
        )
    found = present(model, 0)
    captions = [layer.caption for layer, _ in found if layer.caption]
    toggles = [
        {"name": f"show_{layer.name}", "value": True, "bind": {"input": "checkbox", "name": f"{layer.title}s "}}
        for layer, _ in found
        if layer.toggle
    ]
    for layer, rows in sorted(found, key=lambda pair: not pair[0].under):  # lines under points
        largest = layer.top(model) if layer.top else float(rows[layer.value].max()) if len(rows[layer.value]) else 1.0
        shown = [{"filter": f"show_{layer.name}"}] if layer.toggle else []
        # two marks: items whose value falls (redrawn every quarter, as the quarter shown moves) and items
        # whose value holds (redrawn only when they change), so a quarter redraws the moving ones only; one
        # group per layer, whose size scale is its own (``resolve`` below)
        moving = f"max(0, datum.v0 - datum.r * ({SHOWN} - datum.s0))"
        marks = [
            {
                "data": {"name": layer.name},
                "transform": [*shown, {"filter": keep}, {"calculate": value, "as": layer.value}],
                **layer.mark(model.holders, largest),
            }
            for keep, value in (("datum.r > 0", moving), ("datum.r <= 0", "datum.v0"))
        ]
        layers.append({"layer": marks})
    layers.append(
        {
            "data": {"values": [{}]},
            "mark": {
                "type": "text",
                "align": "right",
                "baseline": "top",
                "fontSize": 16,
                "fontWeight": "bold",
                "color": "#eeeeee" if dark else "#222222",
                "x": {"expr": "width - 4"},
                "y": 4,
                "text": {"expr": quarter_expr(model.start_year, SHOWN)},
            },
        }
    )
    subtitle = {"subtitle": captions, "subtitleFontSize": 11} if captions else {}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "params": [{"name": SHOWN, "value": 0}, *toggles],
        "title": {"text": "Deposits by controlling power, reserve value and stage", "anchor": "start", **subtitle},
        "width": "container",  # as wide as the page allows (a phone too)
        "height": HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "projection": {"type": "mercator"},
        "layer": layers,
        "resolve": {"scale": {"size": "independent"}},  # a layer's size is its own quantity (value, intake)
        "config": {"view": {"stroke": None}, "legend": {"symbolLimit": 0, "labelLimit": 240}},
    }


@solara.component
def DepositMap(session, on_pick=None, dark: bool = False):
    """The map of ``session``'s model, fed quarter by quarter; a click on an item calls ``on_pick(layer, id)``."""
    spec = solara.use_memo(lambda: to_json(map_spec(session.model, dark)), [session.model, dark])
    with solara.Column(
        classes=["gg-map"], style={"min-height": f"{HEIGHT + 60}px", "width": f"min(100%, {WIDTH}px)"}
    ) as main:
        FedVegaView(session, MAP, spec, filename="map", on_pick=on_pick, dark=dark, paced=True)
    return main

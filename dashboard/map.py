"""The map: Kazakhstan's outline with every deposit at its coordinates (Vega-Lite, drawn in the browser).

Colour = controlling power, size = reserve value, marker = stage; hovering a deposit shows its name,
commodity, holders and stage. The spec is fixed for a model; each quarter only the rows change.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import solara

from dashboard.sim import reading
from dashboard.style import STAGE_SHAPES, VEGA_LITE_SCHEMA, colour_scale, label
from dashboard.vega import PacedVegaView, to_json
from model.vocabulary import Stage

OUTLINE = Path(__file__).resolve().parent.parent / "data" / "kazakhstan_outline.geojson"
WIDTH, HEIGHT = 560, 330


@cache
def outline_features(path: Path = OUTLINE) -> tuple[dict, ...]:
    """The outline's GeoJSON features ('()' if the file is missing: the map then shows the deposits only)."""
    if not path.is_file():
        return ()
    doc = json.loads(path.read_text(encoding="utf-8"))
    return tuple(doc["features"] if doc.get("type") == "FeatureCollection" else [doc])


def holders_text(model) -> dict[str, str]:
    """Each held deposit's equity holders in words, by id: 'Kazakhstan 30%, China 70%'."""
    held = model.deposit_holders()
    held = held[held["equity_share"] > 0]
    parts: dict[str, list[str]] = {}
    for dep, code, share in zip(held["deposit"], held["holder"], held["equity_share"]):
        parts.setdefault(dep, []).append(f"{label(code)} {share:.0%}")
    return {dep: ", ".join(words) for dep, words in parts.items()}


def deposit_rows(model) -> list[dict]:
    """One row per deposit, largest first (so that small markers are drawn on top); column by column in
    numpy, as a run holds hundreds of deposits by its end (sorting the frame's text columns cost more)."""
    frame, held = model.deposit_frame(), holders_text(model)
    value = frame["reserve_value_usd_m"].to_numpy(dtype=float)
    order = np.argsort(-value, kind="stable")
    columns = {
        "name": frame["name"].to_numpy(dtype=object)[order],
        "commodity": [c.replace("_", " ") for c in frame["commodity"].to_numpy(dtype=object)[order]],
        "stage": frame["stage"].to_numpy(dtype=object)[order],
        "controller": [label(c) for c in frame["controller"].fillna("").to_numpy(dtype=object)[order]],
        "holders": [held.get(i, "none") for i in frame["id"].to_numpy(dtype=object)[order]],
        "value": np.round(value[order], 1).tolist(),
        "lon": np.round(frame["lon"].to_numpy(dtype=float)[order], 4).tolist(),
        "lat": np.round(frame["lat"].to_numpy(dtype=float)[order], 4).tolist(),
    }
    return [dict(zip(columns, row)) for row in zip(*columns.values())]


def map_data(model) -> dict[str, list[dict]]:
    """The rows that change every quarter: the deposits, and the quarter shown in the corner."""
    with reading(model):
        rows, quarter = deposit_rows(model), model.quarter
    return {"deposits": rows, "meta": [{"quarter": quarter}]}


def map_spec(holders: tuple[str, ...], max_value: float) -> dict:
    """The map without its rows; ``max_value`` (reserve value, USD m) fixes the size scale."""
    layers = []
    features = outline_features()
    if features:
        layers.append(
            {
                "data": {"values": list(features)},
                "mark": {"type": "geoshape", "fill": "#f4f1e8", "stroke": "#8a8a8a", "strokeWidth": 1},
            }
        )
    layers.append(
        {
            "data": {"name": "deposits"},
            "mark": {"type": "point", "filled": True, "opacity": 0.85, "stroke": "#222", "strokeWidth": 0.4},
            "encoding": {
                "longitude": {"field": "lon", "type": "quantitative"},
                "latitude": {"field": "lat", "type": "quantitative"},
                "color": {
                    "field": "controller",
                    "type": "nominal",
                    "title": "Controlled by",
                    "scale": colour_scale(holders, with_unlicensed=True),
                },
                "size": {
                    "field": "value",
                    "type": "quantitative",
                    "title": "Reserve value ($m)",
                    "scale": {"type": "sqrt", "domain": [0, max(max_value, 1.0)], "range": [12, 650]},
                },
                "shape": {
                    "field": "stage",
                    "type": "nominal",
                    "title": "Stage",
                    "scale": {"domain": list(Stage.labels()), "range": [STAGE_SHAPES[s] for s in Stage.labels()]},
                },
                "tooltip": [
                    {"field": "name", "title": "Deposit"},
                    {"field": "commodity", "title": "Commodity"},
                    {"field": "holders", "title": "Holders"},
                    {"field": "stage", "title": "Stage"},
                    {"field": "controller", "title": "Controlled by"},
                    {"field": "value", "title": "Reserve value ($m)", "format": ",.0f"},
                ],
            },
        }
    )
    layers.append(
        {
            "data": {"name": "meta"},
            "mark": {"type": "text", "align": "right", "baseline": "top", "fontSize": 16, "fontWeight": "bold"},
            "encoding": {"text": {"field": "quarter"}, "x": {"value": WIDTH - 4}, "y": {"value": 4}},
        }
    )
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "autosize": {"type": "pad", "resize": True},  # re-fit on data updates (the view is only fed rows)
        "title": {"text": "Deposits by controlling power, reserve value and stage", "anchor": "start"},
        "width": WIDTH,
        "height": HEIGHT,
        "projection": {"type": "mercator"},
        "layer": layers,
        "config": {"view": {"stroke": None}, "legend": {"symbolLimit": 0, "labelLimit": 240}},
    }


def model_map_spec(model) -> dict:
    with reading(model):
        max_value = float(model.deposit_frame(0)["reserve_value_usd_m"].max())
    return map_spec(model.holders, max_value)


@solara.component
def DepositMap(model, frame: int):
    """The map of update ``frame`` (Mesa's update counter): its rows are re-sent on every step."""
    spec = solara.use_memo(lambda: to_json(model_map_spec(model)), [model])
    data = map_data(model)
    with solara.Column(classes=["gg-map"], style={"min-height": f"{HEIGHT + 60}px"}) as main:
        PacedVegaView(model, "map", spec, to_json(data), label=data["meta"][0]["quarter"], frame=frame)
    return main

"""The map's layers, declared once each: what a layer's rows are at a step, which columns change, how it is
drawn, and which events belong to one of its items.

Today the model has deposits. A layer for plants, contracts or routes is added by declaring another
``Layer`` here (its ``rows`` return None while the model has no such thing, so the map, the frames, the
inspector and the tables show only what exists); nothing else in the dashboard names the deposits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.style import STAGE_SHAPES, colour_scale, label
from model.vocabulary import Stage

Rows = dict[str, np.ndarray]


@dataclass(frozen=True)
class Layer:
    """One kind of item on the map. ``rows(model, step)`` gives one row per item at an observed step (column
    ``id`` first, then ``static``, ``dynamic`` and ``value``; a mapping of equal-length numpy arrays, as pandas
    costs too much per quarter), or None if the model has no such items."""

    name: str  # also the name of its data source in the map's spec
    title: str  # "Deposit"
    rows: Callable[[object, int], Rows | None]
    static: tuple[str, ...]  # sent once per item (name, place)
    dynamic: tuple[str, ...]  # sent again when they change
    value: str  # a quantity that falls at a steady rate (the browser extrapolates it between changes)
    mark: Callable[[tuple[str, ...], float], dict]  # (holders, largest value) -> a Vega-Lite layer
    events: Callable[[pd.DataFrame, dict], pd.DataFrame]  # (events frame, one item's row) -> its events
    steady: Callable[[Rows], np.ndarray]  # rows whose value falls steadily (else it holds still)


def labels(codes) -> np.ndarray:
    """Display names of holder codes ('' or None: unlicensed), looked up once per distinct code."""
    codes = np.asarray(pd.Series(codes, dtype=object).fillna("").to_numpy(dtype=str))
    distinct, where = np.unique(codes, return_inverse=True)
    return np.array([label(c) for c in distinct], dtype=object)[where.reshape(-1)]


def holders_text(model, step: int | None = None) -> dict[str, str]:
    """Each held deposit's equity holders in words, by id: 'Kazakhstan 30%, China 70%'."""
    held = model.deposit_holders(step)
    share = held["equity_share"].to_numpy(dtype=float)
    mask = share > 0
    deps = held["deposit"].to_numpy(dtype=object)[mask].tolist()
    words = (labels(held["holder"].to_numpy(dtype=object)[mask]) + " ").astype(str)
    percent = np.char.add(np.rint(share[mask] * 100).astype(np.int64).astype(str), "%")
    parts: dict[str, list[str]] = {}
    for dep, word in zip(deps, np.char.add(words, percent).tolist()):
        parts.setdefault(dep, []).append(word)
    return {dep: ", ".join(words) for dep, words in parts.items()}


def deposit_rows(model, step: int) -> Rows:
    frame, held = model.deposit_frame(step), holders_text(model, step)
    ids = frame["id"].to_numpy(dtype=object)
    return {
        "id": ids,
        "name": np.char.replace(frame["name"].to_numpy(dtype=str), "_", " ").astype(object),
        "commodity": np.char.replace(frame["commodity"].to_numpy(dtype=str), "_", " ").astype(object),
        "lon": np.round(frame["lon"].to_numpy(dtype=float), 4),
        "lat": np.round(frame["lat"].to_numpy(dtype=float), 4),
        "stage": frame["stage"].to_numpy(dtype=object),
        "controller": labels(frame["controller"].to_numpy(dtype=object)),
        "holders": np.array([held.get(i, "none") for i in ids.tolist()], dtype=object),
        "value": frame["reserve_value_usd_m"].to_numpy(dtype=float),
    }


def deposit_mark(holders: tuple[str, ...], max_value: float) -> dict:
    """Colour = controlling power, size = reserve value, shape = stage (see ``Layer.mark``)."""
    return {
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
                "legend": {"values": [1000, 10000, 50000]},
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


def deposit_events(events: pd.DataFrame, item: dict) -> pd.DataFrame:
    return events[events["deposit"].fillna("").str.replace("_", " ") == item["name"]]


DEPOSITS = Layer(
    name="deposits",
    title="Deposit",
    rows=deposit_rows,
    static=("name", "commodity", "lon", "lat"),
    dynamic=("stage", "controller", "holders"),
    value="value",
    mark=deposit_mark,
    events=deposit_events,
    steady=lambda rows: rows["stage"] == Stage.PRODUCING.label,
)
LAYERS: tuple[Layer, ...] = (DEPOSITS,)


def present(model, step: int) -> list[tuple[Layer, Rows]]:
    """The layers the model has, with their rows at ``step``."""
    out = []
    for layer in LAYERS:
        rows = layer.rows(model, step)
        if rows is not None:
            out.append((layer, rows))
    return out

"""The map's layers, declared once each: what a layer's rows are at a step, which columns change, how it is
drawn, and which events belong to one of its items.

The model has deposits, processing plants and export routes (``dashboard/route_layer.py``). Another layer is
added by declaring another ``Layer`` here (its ``rows`` return None while the model has no such thing, so the
map, the frames, the inspector and the tables show only what exists); nothing else in the dashboard names them.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard import offtake
from dashboard import route_layer as R
from dashboard.style import STAGE_SHAPES, colour_scale, label
from model.commodities import NAMES as COMMODITIES
from model.model import quarter_label
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
    titles: dict[str, str] = field(default_factory=dict)  # column -> its words in the tables and the inspector
    detail: Callable[[object, dict, int], str] | None = None  # (session, item's row, step) -> more of its HTML
    toggle: bool = False  # a checkbox under the map shows or hides it
    caption: str = ""  # how it is drawn, in a line under the map's title
    hidden: tuple[str, ...] = ()  # static columns the map draws with and the tables leave out (a route's course)
    top: Callable[[object], float] | None = None  # (model) -> where its size scale tops (default: largest at start)
    under: bool = False  # drawn under the other layers (lines under points)

    def title_of(self, column: str) -> str:
        return self.titles.get(column, column)

    def facts(self) -> list[str]:
        """The static columns the tables and the inspector show (not its name or where it is drawn)."""
        return [f for f in self.static if f not in ("name", "lon", "lat", *self.hidden)]


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
        "row": frame.index.to_numpy(dtype=np.int64),  # the model's deposit row (not sent to the browser)
        "name": np.char.replace(frame["name"].to_numpy(dtype=str), "_", " ").astype(object),
        "commodity": np.char.replace(frame["commodity"].to_numpy(dtype=str), "_", " ").astype(object),
        "lon": np.round(frame["lon"].to_numpy(dtype=float), 4),
        "lat": np.round(frame["lat"].to_numpy(dtype=float), 4),
        "stage": frame["stage"].to_numpy(dtype=object),
        "controller": labels(frame["controller"].to_numpy(dtype=object)),
        "holders": np.array([held.get(i, "none") for i in ids.tolist()], dtype=object),
        "value": frame["reserve_value_usd_m"].to_numpy(dtype=float),
    }


def _by_controller(holders: tuple[str, ...]) -> dict:
    """The encoding deposits and plants share: placed at (lon, lat), coloured by the controlling power."""
    return {
        "longitude": {"field": "lon", "type": "quantitative"},
        "latitude": {"field": "lat", "type": "quantitative"},
        "color": {
            "field": "controller",
            "type": "nominal",
            "title": "Controlled by",
            "scale": colour_scale(holders, with_unlicensed=True),
        },
    }


def deposit_mark(holders: tuple[str, ...], max_value: float) -> dict:
    """Colour = controlling power, size = reserve value, shape = stage (see ``Layer.mark``)."""
    return {
        "mark": {"type": "point", "filled": True, "opacity": 0.85, "stroke": "#222", "strokeWidth": 0.4},
        "encoding": {
            **_by_controller(holders),
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
    titles={"value": "reserve value ($m)"},
    detail=lambda session, item, step: offtake.deposit_detail(session.model, item, step),
)

# A works with a saw-tooth roof and a chimney, drawn as an outline (no deposit marker looks like it).
FACTORY = "M-1,1L-1,-0.1L-0.5,-0.5L-0.5,-0.1L0,-0.5L0,-0.1L0.4,-0.1L0.4,-1L0.8,-1L0.8,1Z"
ONLINE, BUILDING = "online", "under construction"


_PLANTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # model -> (plants, their columns)


def plant_columns(model) -> Rows:
    """Every plant's columns but its status, worked out again only when a plant is added (plants are never
    removed and their owners never change)."""
    pl = model.chains.plants
    kept = _PLANTS.get(model)
    if kept is not None and kept[0] == len(pl):
        return kept[1]
    names = np.array([label(h) for h in model.holders], dtype=object)
    holders = [", ".join(f"{names[h]} {share:.0%}" for h, share in enumerate(row) if share > 0) for row in pl.equity]
    largest = np.where(pl.equity.max(axis=1, initial=0) > 0, names[pl.equity.argmax(axis=1)], "none")
    deposits = model.deposits.table.names
    source = [deposits[s].replace("_", " ") if s >= 0 else "" for s in pl.source.tolist()]
    columns = {
        "id": np.array(pl.ids, dtype=object),
        "row": np.arange(len(pl)),  # the model's plant row (not sent to the browser)
        "name": np.array(pl.names, dtype=object),
        "commodity": np.array([c.replace("_", " ") for c in COMMODITIES], dtype=object)[pl.commodity],
        "lon": np.round(pl.lon, 4),
        "lat": np.round(pl.lat, 4),
        "controller": largest.astype(object),
        "holders": np.array(holders, dtype=object),
        "led": np.array([", ".join(names[np.flatnonzero(row)]) or "no" for row in pl.led], dtype=object),
        "tonnes": np.round(pl.intake_q, 1),
        "online": np.array(
            [quarter_label(model.start_year, s) if s > 0 else "at the start" for s in pl.online.tolist()], dtype=object
        ),
        "built_for": np.array([f"{d}'s package" if d else "in the data" for d in source], dtype=object),
        "source": np.array(source, dtype=object),
        "intake": np.round(pl.intake_q * 4 * model.base_price[pl.commodity] / 1e6, 1),
    }
    _PLANTS[model] = (len(pl), columns)
    return columns


def plant_rows(model, step: int) -> Rows | None:
    """The plants at ``step``: the table's (online or under construction) and those built for a processing
    commitment, from the quarter they went online. None: the run has no plants and builds none
    (``mechanisms.plants`` off, or a synthetic world)."""
    pl = model.chains.plants
    if not len(pl) and not model.chains.building:
        return None
    keep = (pl.origin == 0) | (pl.online <= step)
    rows = {name: column[keep] for name, column in plant_columns(model).items()}
    rows["status"] = np.where(pl.online[keep] <= step, ONLINE, BUILDING).astype(object)
    return rows


def plant_mark(holders: tuple[str, ...], max_value: float) -> dict:
    """A works outlined on white (it stands out on a deposit's square): colour = largest holder (the deposits'
    colours), size = intake ($m a year at the base price: tonnes of different commodities do not compare), dashed
    while under construction; small ones on top."""
    return {
        "mark": {"type": "point", "shape": FACTORY, "filled": False, "fill": "white", "strokeWidth": 2, "opacity": 1},
        "encoding": {
            **_by_controller(holders),
            "size": {
                "field": "intake",
                "type": "quantitative",
                "scale": {"type": "sqrt", "domain": [0, max(max_value, 500.0)], "range": [90, 500], "clamp": True},
                "legend": None,
            },
            "strokeDash": {"condition": {"test": f"datum.status !== '{ONLINE}'", "value": [3, 2]}, "value": [1, 0]},
            "order": {"field": "intake", "sort": "descending"},
            "tooltip": [
                {"field": "name", "title": "Plant"},
                {"field": "commodity", "title": "Commodity"},
                {"field": "holders", "title": "Holders"},
                {"field": "led", "title": "Held as a state by"},
                {"field": "tonnes", "title": "Intake (t a quarter)", "format": ",.0f"},
                {"field": "intake", "title": "Intake ($m a year)", "format": ",.0f"},
                {"field": "online", "title": "Online"},
                {"field": "status", "title": "Status"},
                {"field": "built_for", "title": "Built for"},
            ],
        },
    }


def plant_events(events: pd.DataFrame, item: dict) -> pd.DataFrame:
    """Its own events: the package that built it (delivered, plant online) and the contracts on its output."""
    built = events["kind"].isin(("plant", "package_delivered")) & (
        events["deposit"].fillna("").str.replace("_", " ") == item["source"]
    )
    contract = (events["kind"] == "contract") & events["detail"].str.contains(f" of {item['name']} ", regex=False)
    return events[(built & (item["source"] != "")) | contract]


PLANTS = Layer(
    name="plants",
    title="Plant",
    rows=plant_rows,
    static=("name", "commodity", "lon", "lat", "controller", "holders", "led", "tonnes", "online", "built_for"),
    dynamic=("status",),
    value="intake",
    mark=plant_mark,
    events=plant_events,
    steady=lambda rows: np.zeros(len(rows["id"]), dtype=bool),
    titles={
        "controller": "largest holder",
        "led": "held as a state by",
        "tonnes": "intake (t a quarter)",
        "intake": "intake ($m a year)",
        "built_for": "built for",
    },
    detail=lambda session, item, step: offtake.plant_detail(session.model, item, step, session.rows(DEPOSITS, step)),
    toggle=True,
    caption="Plants: outlined works by largest holder and intake ($m a year), dashed while under construction",
)
ROUTES = Layer(
    name="routes",
    title="Route",
    rows=R.route_rows,
    static=("name", "crosses", "lon", "lat", *R.PATH),
    dynamic=("status", "capacity", "built"),
    value="carried",
    mark=R.route_mark,
    events=R.route_events,
    steady=lambda rows: np.zeros(len(rows["id"]), dtype=bool),
    titles={
        "capacity": "open capacity (t a quarter)",
        "built": "built capacity (t a quarter)",
        "carried": "carried (t a quarter)",
    },
    detail=R.route_detail,
    toggle=True,
    caption="Routes: as wide as they carried this quarter, labelled carried of open capacity (t a quarter); "
    "orange dashed throttled, red dashed closed, grey dotted not built yet",
    hidden=R.PATH,
    top=R.top,
    under=True,
)
LAYERS: tuple[Layer, ...] = (DEPOSITS, PLANTS, ROUTES)


def present(model, step: int) -> list[tuple[Layer, Rows]]:
    """The layers the model has, with their rows at ``step``."""
    out = []
    for layer in LAYERS:
        rows = layer.rows(model, step)
        if rows is not None:
            out.append((layer, rows))
    return out

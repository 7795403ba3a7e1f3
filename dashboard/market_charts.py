"""The markets and routes over time: prices (index against the base price), demand and supply of a chosen
commodity, exports by corridor, and the EU's supply security with the shares that crossed Russia and China.

One Vega-Lite view over two named data sources fed per quarter like the other charts (``dashboard/frames.py``):
``market``, a row per quarter and commodity from the markets' snapshots (``model/market_tables.py``), and
``trade``, a row per quarter from the results (``timeseries()``, ``measures``) and the exports no route took.
Which commodities the prices show, and which one's demand and supply, are Vega parameters bound to two menus:
choosing filters in the browser, with no message to the server.
"""

from __future__ import annotations

import json

import numpy as np

from dashboard.charts import PANEL_HEIGHT, PANEL_WIDTH, calendar, time_axis
from dashboard.style import COLOURS, VEGA_LITE_SCHEMA
from model import market_tables
from model.commodities import NAMES as COMMODITIES

MAIN = ("uranium", "chromium", "tungsten", "copper")  # the commodities whose prices answer the market, and copper
LABELS = tuple(c.replace("_", " ") for c in COMMODITIES)
MAIN_FOUR, ALL = "main four", "all"
# (short column, result or markets-table column, line's name, colour); a market row also has the step (s) and the
# commodity (c); "ts" (stranded) comes from the route flows
BALANCE = (
    ("w", "demand_world_t_per_year", "world demand", "#333333"),
    ("e", "demand_eu_t_per_year", "EU demand", COLOURS["EU"]),
    ("k", "supply_kz_t_per_year", "Kazakhstan's supply", COLOURS["KZ"]),
    ("r", "supply_rest_t_per_year", "rest of the world's supply", "#9a9a9a"),
)
MARKET = (("i", "price_index"), *((short, column) for short, column, *_ in BALANCE))
CORRIDORS = (
    ("tc", "exports_via_caspian_t", "Trans-Caspian", "#2ca02c"),
    ("tr", "exports_via_russia_t", "through Russia", COLOURS["RU"]),
    ("tn", "exports_via_china_t", "into or through China", COLOURS["CN"]),
    ("ts", None, "stranded (no open route)", "#7f7f7f"),
)
SECURITY = (
    ("sec", "eu_supply_security", "EU supply security", COLOURS["EU"]),
    ("vr", "eu_supply_via_russia", "share via Russia", COLOURS["RU"]),
    ("vn", "eu_supply_via_china", "share via China", COLOURS["CN"]),
)


def _sig(values) -> list:
    """Four significant digits (what a chart shows), None for a missing value (JSON has no NaN)."""
    return [float(f"{v:.4g}") if v == v else None for v in values]


def market_columns(model, steps) -> dict[str, list]:
    """Columnar rows of the ``market`` source for ``steps`` (observed ones): price index and the balance, read
    from the markets' snapshots (rows in ``market_tables.MARKET_COLUMNS`` order; a DataFrame a quarter costs more
    than the rest of the frame)."""
    snaps, k = model.datacollector.markets, len(COMMODITIES)
    rows = [market_tables.market_rows(model.markets, snaps[s]) for s in steps]
    raw = np.array(rows).reshape(len(steps), -1, k)  # steps × columns × commodities
    row = {name: raw[:, i].ravel() for i, name in enumerate(market_tables.MARKET_COLUMNS)}
    row["price_index"] = row["price_usd_per_t"] / np.tile(model.base_price, len(steps))
    out = {"s": np.repeat(steps, k).tolist(), "c": list(LABELS) * len(steps)}
    out.update({short: _sig(row[column]) for short, column in MARKET})
    return out


def stranded_t(model, steps) -> list[float]:
    """Exports no open route could take at each of ``steps`` (t a quarter)."""
    snaps = model.datacollector.markets
    return [float(snaps[s].stranded.sum()) for s in steps]


def trade_columns(model, results, steps: list[int]) -> dict[str, list]:
    """Columnar rows of the ``trade`` source: ``results`` (a time-series frame, or a mapping of result name to
    values) at ``steps``. Before the first quarter (step 0) nothing was exported (0 t; a stacked area over no
    rows has no extent, and Vega warns) and the EU's shares are not defined (null: no point)."""
    out: dict[str, list] = {"s": list(steps)}
    for short, column, *_ in SECURITY:
        out[short] = _sig(results[column])
    for short, column, *_ in CORRIDORS[:-1]:
        out[short] = [0.0 if v is None else v for v in _sig(results[column])]
    out["ts"] = _sig(stranded_t(model, steps))
    return out


class MarketFeed:
    """The view's rows: all quarters up to a step (snapshot), or one quarter (delta); ``frame(model)`` is the
    session's time series (built again only after the model stepped)."""

    def __init__(self, frame):
        self.frame = frame

    def snapshot(self, model, step: int) -> dict[str, dict]:
        series = self.frame(model)
        series = series[series["step"] <= step]
        steps = [int(s) for s in series["step"]]
        return {"market": market_columns(model, steps), "trade": trade_columns(model, series, steps)}

    def delta(self, model, step: int) -> dict[str, dict]:
        if step == model.steps:  # the quarter just run: its measures, without rebuilding the table
            results = {k: [v] for k, v in model.measures.items()}
        else:
            series = self.frame(model)
            results = series[series["step"] == step]
        return {"market": market_columns(model, [step]), "trade": trade_columns(model, results, [step])}


def _folded(start_year: int, source: str, entries, y: dict, mark: dict, fmt: str, keep: str = "true") -> dict:
    """A panel of ``source``'s rows that ``keep`` passes, each entry's column folded into a line (or an area) of
    its own name and colour."""
    names = [label for _, _, label, _ in entries]
    lookup = json.dumps({short: label for short, _, label, _ in entries})  # names may hold an apostrophe
    return {
        "data": {"name": source},
        "transform": [
            *calendar(start_year),
            {"filter": keep},
            {"fold": [short for short, *_ in entries], "as": ["key", "v"]},
            {"calculate": f"{lookup}[datum.key]", "as": "line"},
        ],
        "mark": mark,
        "encoding": {
            "y": y,
            "color": {
                "field": "line",
                "type": "nominal",
                "title": None,
                "sort": names,
                "scale": {"domain": names, "range": [colour for *_, colour in entries]},
            },
            "order": {"field": "key"},
            "tooltip": [
                {"field": "line", "title": "Line"},
                {"field": "q", "title": "Quarter"},
                {"field": "v", "title": "Value", "format": fmt},
            ],
        },
    }


def markets_spec(start_year: int, end_step: int, base_price) -> dict:
    """The four panels without their rows (named data sources ``market`` and ``trade``)."""
    base = "{" + ", ".join(f"'{c}': {p:.6g}" for c, p in zip(LABELS, base_price, strict=True)) + "}"
    main = "[" + ", ".join(f"'{c}'" for c in MAIN) + "]"
    chosen = (
        f"price_of === '{ALL}' || datum.c === price_of || (price_of === '{MAIN_FOUR}' && indexof({main}, datum.c) >= 0)"
    )
    line = {"type": "line", "strokeWidth": 1.8}
    tonnes = {"field": "v", "type": "quantitative", "axis": {"format": "~s"}}
    prices = {
        "data": {"name": "market"},
        "transform": [
            *calendar(start_year),
            {"filter": chosen},
            {"calculate": f"datum.i * {base}[datum.c]", "as": "p"},
        ],
        "mark": line,
        "encoding": {
            "y": {"field": "i", "type": "quantitative", "title": "price / base price"},
            "color": {"field": "c", "type": "nominal", "title": "Commodity", "sort": list(LABELS)},
            "tooltip": [
                {"field": "c", "title": "Commodity"},
                {"field": "q", "title": "Quarter"},
                {"field": "i", "title": "Index", "format": ".2f"},
                {"field": "p", "title": "Price (USD per unit)", "format": ",.0f"},
            ],
        },
    }
    balance = _folded(
        start_year,
        "market",
        BALANCE,
        {**tonnes, "title": "t a year (the commodity's unit)"},
        line,
        ",.0f",
        keep="datum.c === market_of",
    )
    exports = _folded(
        start_year,
        "trade",
        CORRIDORS,
        {**tonnes, "title": "t a quarter", "stack": "zero"},
        {"type": "area", "opacity": 0.85},
        ",.0f",
    )
    share = {
        "field": "v",
        "type": "quantitative",
        "title": "share",
        "scale": {"domain": [0, 1]},
        "axis": {"format": ".0%"},
    }
    security = _folded(start_year, "trade", SECURITY, share, line, ".1%")
    titles = (
        "Prices (index, base price = 1)",
        "Demand and supply of the commodity chosen below",
        "Exports by corridor",
        "EU supply security, and what crossed Russia or China",
    )
    x = time_axis(start_year, end_step)
    panels = [
        {"title": title, "width": PANEL_WIDTH, "height": PANEL_HEIGHT, **p, "encoding": {"x": x, **p["encoding"]}}
        for title, p in zip(titles, (prices, balance, exports, security), strict=True)
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": "Markets and routes over time", "anchor": "start"},
        "params": [
            {
                "name": "price_of",
                "value": MAIN_FOUR,
                "bind": {"input": "select", "options": [MAIN_FOUR, ALL, *LABELS], "name": "Prices: "},
            },
            {
                "name": "market_of",
                "value": MAIN[0],
                "bind": {"input": "select", "options": list(LABELS), "name": "Demand and supply: "},
            },
        ],
        "concat": panels,
        "columns": 2,
        "resolve": {"scale": {"color": "independent"}},
        "config": {"legend": {"orient": "right", "labelLimit": 200}},
    }

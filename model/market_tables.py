"""The markets' and routes' long tables: what the collector keeps of them at each observed quarter, and the tables
``run`` writes (``markets``, ``routes``, ``route_flows``; units in ``experiments/safe_io/schema.py``).

A snapshot is taken when the model is observed, after the quarter's prices, output and routing: the quarter's
realised, spot and term prices, world demand at that price, the EU's demand path, the rest of the world's supply
capacity, Kazakhstan's supply that reached buyers, consumers' stocks; each route's capacity open that quarter and
what it carried, by commodity and holder, with what no open route could take (``stranded``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from model import observe  # at call time: observe keeps the snapshots this module takes
from model.commodities import NAMES as COMMODITIES

STRANDED = "stranded"  # the route_flows label of exports no open route could take


class Snapshot(NamedTuple):
    """One observed quarter: ``step``; ``state``, the rows of ``MARKET_COLUMNS`` the market holds (realised, spot and
    term prices, Kazakhstan's supply that reached buyers, stocks: 5 × commodities) and the capacity signal's trend
    the rest of the world's supply answers (``market_rows`` derives the other rows from these); ``demand_eu`` (t a
    year); per route the capacity ``open`` (t a quarter), ``carried`` (routes × commodities × holders, t) and
    ``stranded`` (commodities × holders, t); and how many of the routes' investments had been made (``openings``:
    what was built by then follows from them, ``built``).
    """

    step: int
    state: np.ndarray
    trend: np.ndarray
    demand_eu: np.ndarray
    open: np.ndarray
    openings: int
    carried: np.ndarray
    stranded: np.ndarray


def snapshot(model, demand_eu: np.ndarray) -> Snapshot:
    """The quarter's market and route state (``demand_eu``: the EU's demand path this quarter, as the observation
    has it): what the market holds copied, what follows from it left to ``market_rows`` (world demand at the price,
    the rest of the world's supply), as a run reads its tables once and observes every quarter; the routes' flows
    kept as they are, read-only arrays new each quarter (``model/routes.py``).
    """
    mk, pr, rt, s = model.markets, model.prices, model.routes, model.steps
    kz = mk.kz if mk.kz is not None else np.full(len(COMMODITIES), np.nan)
    state = np.array([pr.price, pr.spot, pr.term, kz, mk.stock])
    return Snapshot(s, state, mk.trend.copy(), demand_eu, rt.open, len(rt.openings), rt.carried, rt.stranded)


def built(routes, snap: Snapshot) -> np.ndarray:
    """Each route's capacity for minerals built by the snapshot's quarter, t a quarter (``routes``: the model's)."""
    return routes.nominal(snap.step, snap.openings) / 4.0


def market_rows(markets, snap: Snapshot) -> np.ndarray:
    """``MARKET_COLUMNS`` × commodities at the snapshot's quarter (``markets``: the model's ``Markets``)."""
    price, spot, term, kz, stock = snap.state
    return np.array(
        [
            price,
            spot,
            term,
            markets.demand_world(snap.step, price),
            snap.demand_eu,
            markets.rest_supply(snap.step, snap.trend),
            kz,
            stock,
            markets.endogenous,  # as 1.0 or 0.0 in the float rows
        ]
    )


MARKET_COLUMNS = (
    "price_usd_per_t",
    "spot_usd_per_t",
    "term_usd_per_t",
    "demand_world_t_per_year",
    "demand_eu_t_per_year",
    "supply_rest_t_per_year",
    "supply_kz_t_per_year",
    "stock_t",
    "endogenous",
)


def _steps(snaps: dict[int, Snapshot]) -> np.ndarray:
    return np.fromiter(snaps, dtype=np.int64, count=len(snaps))


def markets_frame(snaps: dict[int, Snapshot], start_year: int, markets) -> pd.DataFrame:
    """One row per observed quarter × commodity: prices (USD per commodity unit t), demand and supply (t a year),
    stocks (t), and whether the price answers the market (``endogenous``).
    """
    steps = _steps(snaps)
    raw = (
        np.array([market_rows(markets, v) for v in snaps.values()])
        if snaps
        else np.zeros((0, len(MARKET_COLUMNS), len(COMMODITIES)))
    )
    n, k = raw.shape[0], len(COMMODITIES)
    step = np.repeat(steps, k)
    col = {name: raw[:, i].ravel() for i, name in enumerate(MARKET_COLUMNS)}
    return pd.DataFrame(
        {
            "step": step,
            "quarter": observe.quarters(start_year, step),
            "commodity": pd.array(np.tile(COMMODITIES, n), dtype="str"),
            **{name: v for name, v in col.items() if name != "endogenous"},
            "price_index": col["price_usd_per_t"] / np.tile(markets.base, n),
            "endogenous": col["endogenous"] > 0,
        }
    )


def routes_frame(snaps: dict[int, Snapshot], start_year: int, routes) -> pd.DataFrame:
    """One row per observed quarter × route: the capacity for minerals built by then (the table's and the
    investments open), the capacity open that quarter and what it carried (t a quarter), and the open share of
    what is built (0: closed; below 1: throttled or disrupted; null: not built yet).
    """
    steps, ids = _steps(snaps), routes.table.ids
    n, r = len(steps), len(ids)
    open_t = np.array([v.open for v in snaps.values()]).reshape(n, r).ravel()
    built_t = np.array([built(routes, v) for v in snaps.values()]).reshape(n, r).ravel()
    carried = np.array([v.carried.sum(axis=(1, 2)) for v in snaps.values()]).reshape(n, r)
    step = np.repeat(steps, r)
    return pd.DataFrame(
        {
            "step": step,
            "quarter": observe.quarters(start_year, step),
            "route": pd.array(np.tile(ids, n), dtype="str"),
            "built_t": built_t,
            "capacity_t": open_t,
            "carried_t": carried.ravel(),
            "open_share": np.divide(open_t, built_t, out=np.full(n * r, np.nan), where=built_t > 0),
        }
    )


def flows_frame(snaps: dict[int, Snapshot], start_year: int, ids: list[str], holders: tuple[str, ...]) -> pd.DataFrame:
    """One row per observed quarter × route × commodity × holder with a flow: tonnes exported that quarter over the
    route (``route`` = ``stranded``: exports no open route could take). Rows sum to the quarter's exports.
    """
    labels = np.array([*ids, STRANDED], dtype=object)
    parts = [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object), np.zeros(0, int), np.zeros(0, int), np.zeros(0))]
    for step, v in snaps.items():
        flows = np.concatenate([v.carried, v.stranded[None]], axis=0)  # routes + 1 × commodities × holders
        r, c, h = np.nonzero(flows > 0)
        parts.append((np.full(len(r), step, dtype=np.int64), labels[r], c, h, flows[r, c, h]))
    step, route, c, h, t = (np.concatenate(x) for x in zip(*parts, strict=True))
    return pd.DataFrame(
        {
            "step": step.astype(np.int64),
            "quarter": observe.quarters(start_year, step.astype(np.int64)),
            "route": pd.array(route.astype(str), dtype="str"),
            "commodity": pd.array(np.array(COMMODITIES, dtype=object)[c.astype(np.int64)].astype(str), dtype="str"),
            "holder": pd.array(np.array(holders, dtype=object)[h.astype(np.int64)].astype(str), dtype="str"),
            "tonnes_t": t.astype(float),
        }
    )


def tables(model) -> dict[str, pd.DataFrame]:
    """The three tables of a run, from the snapshots its collector kept."""
    snaps, start, ids = model.datacollector.markets, model.start_year, model.routes.table.ids
    return {
        "markets": markets_frame(snaps, start, model.markets),
        "routes": routes_frame(snaps, start, model.routes),
        "route_flows": flows_frame(snaps, start, ids, model.holders),
    }

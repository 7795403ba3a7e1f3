"""The markets' and routes' long tables: what the collector keeps of them at each observed quarter, and the tables
``run`` writes (``markets``, ``routes``, ``route_flows``; units in ``experiments/safe_io/schema.py``).

A snapshot is taken when the model is observed, after the quarter's prices, output and routing: the quarter's
realised, spot and term prices, world demand at that price, the EU's demand path, the rest of the world's supply
capacity, Kazakhstan's supply that reached buyers, consumers' stocks; each route's capacity open that quarter and
what it carried, by commodity and holder, with what no open route could take (``stranded``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import observe  # at call time: observe keeps the snapshots this module takes
from model.commodities import NAMES as COMMODITIES

STRANDED = "stranded"  # the route_flows label of exports no open route could take


def snapshot(model) -> tuple[np.ndarray, ...]:
    """Copies of the quarter's market and route state (see the module's docstring for the order)."""
    mk, pr, rt, s = model.markets, model.prices, model.routes, model.steps
    kz = mk.kz if mk.kz is not None else np.full(len(COMMODITIES), np.nan)
    market = np.stack(
        [
            pr.price,
            pr.spot,
            pr.term,
            mk.demand_world(s, pr.price),
            mk.demand_eu(s),
            mk.rest_supply(s),
            kz,
            mk.stock,
            mk.endogenous.astype(float),
        ]
    )
    return market, rt.open.copy(), rt.carried.copy(), rt.stranded.copy()


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


def _steps(snaps: dict[int, tuple]) -> np.ndarray:
    return np.fromiter(snaps, dtype=np.int64, count=len(snaps))


def markets_frame(snaps: dict[int, tuple], start_year: int, base: np.ndarray) -> pd.DataFrame:
    """One row per observed quarter × commodity: prices (USD per commodity unit t), demand and supply (t a year),
    stocks (t), and whether the price answers the market (``endogenous``).
    """
    steps = _steps(snaps)
    raw = np.array([v[0] for v in snaps.values()]) if snaps else np.zeros((0, 9, len(COMMODITIES)))
    n, k = raw.shape[0], len(COMMODITIES)
    step = np.repeat(steps, k)
    col = {name: raw[:, i].ravel() for i, name in enumerate(MARKET_COLUMNS)}
    return pd.DataFrame(
        {
            "step": step,
            "quarter": observe.quarters(start_year, step),
            "commodity": pd.array(np.tile(COMMODITIES, n), dtype="str"),
            **{name: v for name, v in col.items() if name != "endogenous"},
            "price_index": col["price_usd_per_t"] / np.tile(base, n),
            "endogenous": col["endogenous"] > 0,
        }
    )


def routes_frame(snaps: dict[int, tuple], start_year: int, ids: list[str], nominal: np.ndarray) -> pd.DataFrame:
    """One row per observed quarter × route: the capacity for minerals open that quarter and what it carried (t a
    quarter), and the open share of its capacity (0: closed; below 1: throttled or disrupted).
    """
    steps = _steps(snaps)
    n, r = len(steps), len(ids)
    open_t = np.array([v[1] for v in snaps.values()]).reshape(n, r)
    carried = np.array([v[2].sum(axis=(1, 2)) for v in snaps.values()]).reshape(n, r)
    cap = np.tile(nominal / 4.0, n)
    step = np.repeat(steps, r)
    return pd.DataFrame(
        {
            "step": step,
            "quarter": observe.quarters(start_year, step),
            "route": pd.array(np.tile(ids, n), dtype="str"),
            "capacity_t": open_t.ravel(),
            "carried_t": carried.ravel(),
            "open_share": np.divide(open_t.ravel(), cap, out=np.zeros(n * r), where=cap > 0),
        }
    )


def flows_frame(snaps: dict[int, tuple], start_year: int, ids: list[str], holders: tuple[str, ...]) -> pd.DataFrame:
    """One row per observed quarter × route × commodity × holder with a flow: tonnes exported that quarter over the
    route (``route`` = ``stranded``: exports no open route could take). Rows sum to the quarter's exports.
    """
    labels = np.array([*ids, STRANDED], dtype=object)
    parts = [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=object), np.zeros(0, int), np.zeros(0, int), np.zeros(0))]
    for step, (_, _, carried, stranded) in snaps.items():
        flows = np.concatenate([carried, stranded[None]], axis=0)  # routes + 1 × commodities × holders
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
        "markets": markets_frame(snaps, start, model.base_price),
        "routes": routes_frame(snaps, start, ids, model.routes.table.capacity),
        "route_flows": flows_frame(snaps, start, ids, model.holders),
    }

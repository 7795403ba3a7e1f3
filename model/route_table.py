"""The export corridors' table (``data/routes.csv``) and the dated investments in them
(``data/route_investments.csv``), read and checked once per file and shared read-only between runs; the flows
over them are ``model/routes.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd

from model.deposit_table import table_path
from model.errors import InputError
from model.file_cache import by_file
from model.inputs import read_csv

COLUMNS = ("id", "name", "via", "capacity_t_per_year", "mineral_share", "cost_usd_per_t", "transit_days")
COLUMNS += ("disruption_prob_per_year", "serves", "known_by")


@dataclass
class RouteTable:
    """The corridors, one entry per route."""

    ids: list[str]
    names: list[str]
    capacity: np.ndarray  # t of minerals a year
    cost: np.ndarray  # USD per t
    transit_days: np.ndarray
    disruption: np.ndarray  # probability a year
    serves: np.ndarray  # routes × holders
    via_russia: np.ndarray
    via_china: np.ndarray
    share: np.ndarray  # mineral share of the cargo capacity (for investments in cargo capacity)

    def __len__(self) -> int:
        return len(self.ids)


def load(path: str, holders: tuple[str, ...], host: int) -> RouteTable:
    """The routes of ``path``; a holder no route names is served by every route; the host by none. Runs share the
    table's read-only arrays (``model/file_cache.py``); each gets its own lists.
    """
    table = _table(table_path(path), tuple(holders), host)
    return replace(table, ids=list(table.ids), names=list(table.names))


@by_file
def _table(full, holders: tuple[str, ...], host: int) -> RouteTable:
    frame = _routes(full)
    where = str(full)
    serves = np.zeros((len(frame), len(holders)), dtype=bool)
    for i, text in enumerate(frame["serves"].astype(str)):
        codes = [c.strip() for c in text.split(";") if c.strip()]
        if not codes or any(c not in holders for c in codes):
            raise InputError(where, f"row {i + 2} column serves", f"allowed: codes of {', '.join(holders)} with ';'")
        serves[i] = [h in codes for h in holders]
    named = serves.any(axis=0)
    serves[:, ~named] = True
    serves[:, host] = False
    via = frame["via"].astype(str)
    num = {c: pd.to_numeric(frame[c], errors="coerce") for c in COLUMNS[3:8]}
    if any(v.isna().any() or (v < 0).any() for v in num.values()):
        raise InputError(where, "capacity, share, cost, transit, disruption", "allowed: numbers >= 0 on every row")
    arrays = {
        "capacity": (num["capacity_t_per_year"] * num["mineral_share"]).to_numpy(float),
        "cost": num["cost_usd_per_t"].to_numpy(float),
        "transit_days": num["transit_days"].to_numpy(float),
        "disruption": num["disruption_prob_per_year"].to_numpy(float),
        "serves": serves,
        "via_russia": via.str.contains("Russia").to_numpy(),
        "via_china": via.str.contains("China").to_numpy(),
        "share": num["mineral_share"].to_numpy(float),
    }
    freeze(*arrays.values())
    return RouteTable(ids=frame["id"].tolist(), names=frame["name"].tolist(), **arrays)


def investments(path: str, table: RouteTable, start_year: int) -> list[tuple[int, int, float]]:
    """(step it opens, route, t of minerals a year) for each capacity step known by the start: announced plus its
    build time (step 1 is the start year's first quarter; steps before the start open at once).
    """
    return list(_openings(table_path(path), tuple(table.ids), tuple(table.share.tolist()), start_year))


@by_file
def _openings(full, ids: tuple[str, ...], share: tuple[float, ...], start_year: int) -> tuple:
    frame = _investments(full)
    start = pd.Timestamp(date(start_year, 1, 1))
    out = []
    for r in frame.itertuples(index=False):
        added = float(r.capacity_added_t_per_year or 0.0)
        if added <= 0 or pd.Timestamp(r.known_by) > start:
            continue
        if r.route not in ids:
            raise InputError(str(full), f"row {r.id} column route", f"allowed: {', '.join(ids)}")
        k = ids.index(r.route)
        opens = pd.Timestamp(r.announced).year + pd.Timestamp(r.announced).day_of_year / 365.0 + float(r.build_years)
        out.append((max(0, int(np.ceil((opens - start_year) * 4))) + 1, k, added * share[k]))
    return tuple(out)


def route_ids(path: str) -> list[str]:
    """The route ids of a routes table (for checking shocks before a run)."""
    return _routes(table_path(path))["id"].tolist()


def freeze(*arrays: np.ndarray) -> None:
    """Read-only: the route table is shared between runs, and a quarter's flows are new arrays each quarter, never
    written after, so the observation keeps them as they are (``model/market_tables.py``); a write in place raises
    rather than change what another run or the history reads.
    """
    for a in arrays:
        a.flags.writeable = False


@by_file
def _routes(full):
    return read_csv(full, "a CSV of export routes (data/markets_sources.md)", "run.routes", COLUMNS)


@by_file
def _investments(full):
    cols = ("id", "route", "announced", "capacity_added_t_per_year", "build_years", "known_by")
    frame = read_csv(full, "a CSV of route investments (data/markets_sources.md)", "run.route_investments", cols)
    frame["capacity_added_t_per_year"] = pd.to_numeric(frame["capacity_added_t_per_year"], errors="coerce").fillna(0)
    return frame

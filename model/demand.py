"""Paths the world follows whatever the model's actors do: demand (world and EU), the rest of the world's supply
capacity and the exogenous prices, per commodity, each a low, central or high path from
``data/demand_paths.csv``, ``data/world_supply.csv`` and ``data/price_paths.csv`` (2024 USD; sources and
choices in ``data/markets_sources.md``). Between the data's years a path is interpolated linearly, and it holds
its end values outside them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from model.commodities import INDEX as COMMODITY_INDEX
from model.commodities import NAMES as COMMODITIES
from model.deposit_table import table_path
from model.errors import InputError
from model.file_cache import by_file
from model.inputs import read_csv
from model.libm import log

PATHS = ("low", "central", "high")
REGIONS = ("world", "EU")


class YearPath:
    """One quantity per commodity over the years: ``values`` commodities × years, linear in between. Read-only, and
    each year's values are kept once worked out: runs share a path (``model/file_cache.py``) and ask for the same
    quarters every run.
    """

    def __init__(self, years: np.ndarray, values: np.ndarray) -> None:
        self.years, self.values = years.astype(float), values.astype(float)
        self.years.flags.writeable = self.values.flags.writeable = False
        self._at: dict[float, np.ndarray] = {}
        self._log_at: dict[float, np.ndarray] = {}

    def at(self, year: float) -> np.ndarray:
        """The path's value for every commodity at ``year`` (a year fraction: 2030.5 is mid-2030), read-only."""
        out = self._at.get(year)
        if out is None:
            y = min(max(year, self.years[0]), self.years[-1])
            i = min(int(np.searchsorted(self.years, y, side="right")) - 1, self.years.size - 2)
            w = (y - self.years[i]) / (self.years[i + 1] - self.years[i])
            out = self._at[year] = self.values[:, i] * (1.0 - w) + self.values[:, i + 1] * w
            out.flags.writeable = False
        return out

    def log_at(self, year: float) -> np.ndarray:
        """``log(self.at(year))``, kept as ``at`` keeps its values (read-only)."""
        out = self._log_at.get(year)
        if out is None:
            out = self._log_at[year] = log(self.at(year))
            out.flags.writeable = False
        return out


def demand(path: str | Path, region: str, which: int) -> YearPath:
    """World or EU demand per commodity (t a year, each commodity's unit) on path ``which`` (0 low, 1 central,
    2 high).
    """
    return _demand_path(table_path(path), region, which)


def exogenous_prices(path: str | Path, which: int, base: np.ndarray) -> YearPath:
    """Real price paths per commodity (USD 2024 per unit); a commodity without one stays at its ``base`` price."""
    return _price_path(table_path(path), which, tuple(base.tolist()))


def rest_of_world(path: str | Path, which: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Per commodity: the rest of the world's 2024 supply (t a year: world supply less Kazakhstan's share), its
    growth a year on path ``which``, and the year they are given for (read-only arrays).
    """
    return _rest_of_world(table_path(path), which)


@by_file
def _demand_path(full, region: str, which: int) -> YearPath:
    frame = _demand(full)
    rows = frame[(frame["region"] == region) & (frame["path"] == PATHS[which])]
    return _grid(rows, "demand", str(full))


@by_file
def _price_path(full, which: int, base: tuple[float, ...]) -> YearPath:
    frame = _prices(full)
    years = np.array(sorted(frame["year"].unique()), dtype=float)
    values = np.repeat(np.array(base)[:, None], years.size, axis=1)
    column = f"price_{PATHS[which]}"
    for c, rows in frame.groupby("commodity"):
        if c not in COMMODITY_INDEX or len(rows) != years.size:
            raise InputError(str(full), f"commodity {c}", f"allowed: a model commodity with a row for each of {years}")
        values[COMMODITY_INDEX[c]] = rows.sort_values("year")[column].to_numpy(dtype=float)
    return YearPath(years, values)


@by_file
def _rest_of_world(full, which: int) -> tuple[np.ndarray, np.ndarray, float]:
    frame = _world(full).set_index("commodity").reindex(COMMODITIES)
    if frame["world_supply"].isna().any():
        missing = frame.index[frame["world_supply"].isna()][0]
        raise InputError(str(full), f"commodity {missing}", "missing; allowed: a row for every model commodity")
    rest = frame["world_supply"].to_numpy(float) * (1.0 - frame["kz_share"].to_numpy(float))
    growth = frame[f"growth_{PATHS[which]}_pct"].to_numpy(float) / 100.0
    rest.flags.writeable = growth.flags.writeable = False
    return rest, growth, float(frame["year"].iloc[0])


def _grid(rows, column: str, where: str) -> YearPath:
    years = np.array(sorted(rows["year"].unique()), dtype=float)
    values = np.zeros((len(COMMODITIES), years.size))
    for c, g in rows.groupby("commodity"):
        if c not in COMMODITY_INDEX or len(g) != years.size:
            raise InputError(where, f"commodity {c}", f"allowed: a model commodity with a row for each of {years}")
        values[COMMODITY_INDEX[c]] = g.sort_values("year")[column].to_numpy(dtype=float)
    if set(rows["commodity"]) != set(COMMODITIES):
        missing = sorted(set(COMMODITIES) - set(rows["commodity"]))[0]
        raise InputError(where, f"commodity {missing}", "missing; allowed: a path for every model commodity")
    return YearPath(years, values)


def _labels(frame, full, column: str, allowed) -> None:
    """Every row's ``column`` is one of ``allowed``: a row no run reads is still checked (``run.py check``)."""
    bad = frame.loc[~frame[column].isin(allowed), column]
    if len(bad):
        raise InputError(str(full), f"column {column} value {bad.iloc[0]!r}", f"allowed: {', '.join(allowed)}")


@by_file
def _demand(full):
    what = "a CSV of demand paths (data/markets_sources.md)"
    frame = read_csv(full, what, "run.demand_paths", ("commodity", "region", "path", "year", "demand"))
    for column, allowed in (("commodity", COMMODITIES), ("region", ("world", "EU")), ("path", PATHS)):
        _labels(frame, full, column, allowed)
    return frame


@by_file
def _prices(full):
    what = "a CSV of exogenous price paths (data/markets_sources.md)"
    frame = read_csv(full, what, "run.price_paths", ("commodity", "year", "price_low", "price_central", "price_high"))
    _labels(frame, full, "commodity", COMMODITIES)
    return frame


@by_file
def _world(full):
    what = "a CSV of world supply (data/markets_sources.md)"
    frame = read_csv(full, what, "run.world_supply", ("commodity", "year", "world_supply", "kz_share"))
    _labels(frame, full, "commodity", COMMODITIES)
    return frame

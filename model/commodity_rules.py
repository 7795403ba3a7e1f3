"""Per-commodity rules from data: the mineral extraction tax and where the host's own output is exported.

``data/commodity_rules.csv`` (sources per row, ``data/pipeline_and_rules.md``): MET rates of Tax Code Art. 746,
and the destination shares of Kazakh exports by commodity (China, EU, US, Russia, other/kept at home).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from model.commodities import NAMES
from model.deposit_table import table_path
from model.errors import InputError
from model.inputs import read_csv

DESTINATIONS = ("CN", "EU", "US", "RU")  # the rest ("share_other") stays with the host or goes elsewhere


def load_eu_demand(path: str | Path) -> np.ndarray:
    """The EU's yearly demand by commodity (tonnes in each commodity's unit; data/eu_demand.csv)."""
    full = table_path(path)
    df = read_csv(full, "a CSV of EU demand by commodity (data/eu_demand.md)", "run.eu_demand", text=True)
    out = np.full(len(NAMES), np.nan)
    for i, r in df.iterrows():
        try:
            value = float(r["eu_demand_t_per_year"])
        except (KeyError, ValueError):
            raise InputError(str(full), f"row {i + 2} column eu_demand_t_per_year", "allowed: a number > 0") from None
        if r.get("commodity") not in NAMES or not 0 < value < 1e12:
            raise InputError(str(full), f"row {i + 2}", "allowed: a model commodity and a demand in (0, 1e12)")
        out[NAMES.index(r["commodity"])] = value
    return out


@dataclass(frozen=True)
class CommodityRules:
    """``met[c]``: tax as a share of revenue; ``exports[c, j]``: share of the host's output sold to ``DESTINATIONS[j]``."""

    met: np.ndarray
    exports: np.ndarray


def load_rules(path: str | Path) -> CommodityRules:
    """Read and check the rules table (every commodity once; shares in [0, 1] summing to 1 ± 0.001)."""
    full = table_path(path)
    try:
        stat = full.stat()
        return _cached(str(full.resolve()), stat.st_size, stat.st_mtime_ns)
    except OSError:
        return _load(str(full))


@lru_cache(maxsize=8)
def _cached(path: str, size: int, mtime: int) -> CommodityRules:
    return _load(path)


def _load(path: str) -> CommodityRules:
    cols = ("commodity", "met_rate", *(f"share_{d}" for d in DESTINATIONS), "share_other")
    what = "a CSV of commodity rules (see data/pipeline_and_rules.md)"
    df = read_csv(Path(path), what, "run.commodity_rules", cols, text=True)
    rows = {}
    for i, r in df.iterrows():
        c = r["commodity"]
        if c not in NAMES or c in rows:
            raise InputError(
                path, f"row {i + 2} column commodity", f"got {c!r}; allowed: each of {', '.join(NAMES)} once"
            )
        try:
            values = np.array([float(r[k]) for k in cols[1:]])
        except ValueError:
            raise InputError(path, f"row {i + 2}", "allowed: numbers for the rate and the shares") from None
        if not (np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all()):
            raise InputError(path, f"row {i + 2}", "allowed: rate and shares in [0, 1]")
        if abs(values[1:].sum() - 1) > 1e-3:
            raise InputError(path, f"row {i + 2}", f"shares sum to {values[1:].sum():.4g}; allowed: 1 ± 0.001")
        rows[c] = values
    absent = [c for c in NAMES if c not in rows]
    if absent:
        raise InputError(path, "commodity", f"{absent[0]} missing; allowed: one row per commodity")
    table = np.array([rows[c] for c in NAMES])
    return CommodityRules(met=table[:, 0], exports=table[:, 1 : 1 + len(DESTINATIONS)])

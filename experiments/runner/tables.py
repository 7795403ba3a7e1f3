"""The tidy tables of one run, as ``python run.py run`` writes them and as Python gets them.

``series`` is the long table (one row per quarter × measure, holder and commodity in their own columns);
``timeseries`` is its wide convenience view (one column per measure, ``capacity_share_eu``). Holdings and event
participants are long tables of their own. Every table starts with ``scenario`` and ``seed``, so the tables of
several runs stack as they are.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import chain_tables, market_tables
from model.observe import CLOCK, result_parts
from model.powers import POWERS

TABLES = (
    "series",
    "timeseries",
    "commodity_shares",
    "events",
    "event_participants",
    "deposits",
    "deposit_holders",
    "plants",
    "plant_holders",
    "contracts",
    "packages",
    "markets",
    "routes",
    "route_flows",
)


def parts_of(model) -> dict[str, tuple[str, str | None, str | None]]:
    """Each measure column of ``model`` → (measure, holder, commodity), for the long tables."""
    parts = result_parts(model.holders, (*POWERS, *model.params.extra_powers))
    return {name: part for name, part in parts.items() if name not in CLOCK}


def long_series(frame: pd.DataFrame, parts: dict, names: list[str]) -> pd.DataFrame:
    """``frame`` (``step``, ``quarter`` and measure columns, one row per quarter) as one row per quarter and
    measure: ``step``, ``quarter``, ``measure``, ``holder``, ``commodity``, ``value`` (null where none)."""
    n, m = len(frame), len(names)
    measure, holder, commodity = (np.array([parts[c][i] for c in names], dtype=object) for i in range(3))
    return pd.DataFrame(
        {
            "step": np.repeat(frame["step"].to_numpy(np.int64), m),
            "quarter": frame["quarter"].repeat(m).array,
            "measure": pd.array(np.tile(measure, n), dtype="str"),
            "holder": pd.array(np.tile(holder, n), dtype="str"),
            "commodity": pd.array(np.tile(commodity, n), dtype="str"),
            "value": frame[names].to_numpy(np.float64).ravel(),
        }
    )


def run_tables(model, scenario: str, seed: int) -> dict[str, pd.DataFrame]:
    """Every table of a run (``TABLES``), each with ``scenario`` and ``seed`` first."""
    wide = model.timeseries().reset_index()
    parts = parts_of(model)
    tables = {
        "series": long_series(wide, parts, list(parts)),
        "timeseries": wide[["step", "quarter", *parts]],
        "commodity_shares": model.commodity_shares(),
        "events": model.events.frame(),
        "event_participants": model.events.participants(),
        "deposits": model.deposit_frame(),
        "deposit_holders": model.deposit_holders(),
        "plants": chain_tables.plants(model),
        "plant_holders": chain_tables.plant_holders(model),
        "contracts": chain_tables.contracts(model),
        "packages": chain_tables.packages(model),
        **market_tables.tables(model),
    }
    for frame in tables.values():
        frame.insert(0, "seed", np.int64(seed))
        frame.insert(0, "scenario", pd.array([scenario] * len(frame), dtype="str"))
    return tables

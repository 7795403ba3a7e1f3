"""The long tables of what powers hold beyond licences, at the end of a run: plants and their holders, offtake
contracts, and the powers' packages (``experiments.runner.tables.run_tables`` writes them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model import contracts as C
from model.commodities import NAMES as COMMODITIES
from model.observe import quarters
from model.power_entries import ENTRIES
from model.pursuits import STATUS

STATUSES = ("active", "ended", "broken")


def _quarter(model, steps, valid=None) -> pd.PeriodIndex:
    """The quarter ending at each step (null where not ``valid``)."""
    steps = np.asarray(steps)
    return quarters(model.start_year, pd.array(np.where(True if valid is None else valid, steps, None), dtype="Int64"))


def plants(model) -> pd.DataFrame:
    """One row per plant: what it refines, how much, from when, and why it exists (the table or a commitment)."""
    pl, ids = model.chains.plants, model.deposits.table.ids
    online = np.maximum(pl.online, 0)
    return pd.DataFrame(
        {
            "plant": pd.array(pl.ids, dtype="str"),
            "name": pd.array(pl.names, dtype="str"),
            "commodity": pd.array(np.array(COMMODITIES)[pl.commodity], dtype="str"),
            "intake_t_per_q": pl.intake_q,
            "value_added_share": pl.value_added,
            "online_step": online,
            "online_quarter": _quarter(model, online),
            "origin": pd.array(np.where(pl.origin == 0, "table", "processing commitment"), dtype="str"),
            "source_deposit": pd.array([ids[s] if s >= 0 else None for s in pl.source], dtype="str"),
            "lon": pl.lon,
            "lat": pl.lat,
        }
    )


def plant_holders(model) -> pd.DataFrame:
    """One row per plant and holder with equity: its share, and whether it holds it as a state (led)."""
    pl = model.chains.plants
    rows, cols = np.nonzero(pl.equity > 0)
    return pd.DataFrame(
        {
            "plant": pd.array(np.array(pl.ids, dtype=object)[rows], dtype="str"),
            "holder": pd.array(np.array(model.holders)[cols], dtype="str"),
            "equity_share": pl.equity[rows, cols],
            "led": pl.led[rows, cols],
        }
    )


def contracts(model) -> pd.DataFrame:
    """One row per offtake contract of the run: its source, buyer, share, term, price basis and how it ended."""
    k, n = model.chains.contracts, model.chains.contracts.n
    deposit = k.kind[:n] == C.DEPOSIT
    names = np.where(
        deposit,
        np.array(model.deposits.table.ids, dtype=object)[np.where(deposit, k.source[:n], 0)],
        np.array([*model.chains.plants.ids, ""], dtype=object)[np.where(deposit, -1, k.source[:n])],
    )
    start = k.start[:n]
    return pd.DataFrame(
        {
            "contract": np.arange(n, dtype=np.int64),
            "source_kind": pd.array(np.where(deposit, "deposit", "plant"), dtype="str"),
            "source": pd.array(names, dtype="str"),
            "buyer": pd.array(np.array(model.holders)[k.buyer[:n]], dtype="str"),
            "share": k.share[:n],
            "start_quarter": _quarter(model, start),
            "end_quarter": _quarter(model, k.end[:n]),
            "price_basis": pd.array(np.array(C.BASES)[k.basis[:n]], dtype="str"),
            "led": k.led[:n],
            "status": pd.array(np.array(STATUSES)[k.status[:n]], dtype="str"),
            "renewals": k.renewals[:n],
        }
    )


def packages(model) -> pd.DataFrame:
    """One row per package (a power's own pursuit): its parts (public finance, lender and rate, offtake terms,
    processing, framework agreement, the private capital it brought) and what became of it.
    """
    pur, d, m = model.pursuits, model.deposits, model
    ids = (~pur.solo[: pur.n]).nonzero()[0]
    power, dep = pur.power[ids], pur.deposit[ids]
    codes = np.array(m.holders)[power]
    lenders = {e.code: e.lender for e in ENTRIES}
    ended = pur.ended[ids]
    return pd.DataFrame(
        {
            "package": ids.astype(np.int64),
            "power": pd.array(codes, dtype="str"),
            "deposit": pd.array(np.array(d.table.ids, dtype=object)[dep], dtype="str"),
            "commodity": pd.array(np.array(COMMODITIES)[d.table.commodity[dep]], dtype="str"),
            "start_quarter": _quarter(m, pur.start[ids]),
            "status": pd.array(np.array(STATUS)[pur.status[ids]], dtype="str"),
            "end_quarter": _quarter(m, ended, ended >= 0),
            "public_usd_m": pur.public[ids],
            "lender": pd.array([lenders.get(c, "its public lenders") for c in codes], dtype="str"),
            "rate": np.array([m.params.powers[c].discount_rate for c in codes], dtype=float),
            "private_usd_m": pur.private[ids],
            "bonus_usd_m": pur.bonus[ids],
            "offtake_share": pur.offtake[ids],
            "offtake_term_q": np.full(ids.size, m.params.host.offtake_term_q, dtype=np.int64),
            "processing_share": pur.processing[ids],
            "framework": m.chains.frameworks[d.table.commodity[dep], power],
        }
    )

"""The event log: awards, missed windows, pre-emptions, withdrawals, revocations and shocks, one row each."""

from __future__ import annotations

import pandas as pd

from model.commodities import NAMES as COMMODITIES

COLUMNS = ("step", "quarter", "kind", "deposit", "commodity", "power", "others", "amount_usd_m", "detail")
KINDS = ("award", "missed_window", "pre-empted", "withdrawal", "revocation", "discovery", "extension", "shock")


class EventLog:
    """What happened, in order; ``model`` gives the clock and the deposit names."""

    def __init__(self, model) -> None:
        self.model = model
        self.rows: list[tuple] = []

    def add(self, kind: str, dep: int = -1, power: str = "", others: str = "", amount: float = 0.0, detail: str = ""):
        """Log one event of ``kind`` (one of ``KINDS``) about deposit row ``dep`` (-1: none)."""
        m = self.model
        table = m.deposits.table
        name, commodity = (table.names[dep], COMMODITIES[table.commodity[dep]]) if dep >= 0 else ("", "")
        self.rows.append((m.steps, m.quarter, kind, name, commodity, power, others, float(amount), detail))

    def frame(self) -> pd.DataFrame:
        """Every event as a table (columns ``COLUMNS``)."""
        return pd.DataFrame(self.rows, columns=list(COLUMNS))

    def latest(self, n: int) -> list[dict]:
        """The ``n`` newest events, newest first."""
        return [dict(zip(COLUMNS, r)) for r in reversed(self.rows[-n:])]

"""The event log: awards, missed windows, revocations, withdrawals and shocks, one dict each."""

from __future__ import annotations

import pandas as pd

COLUMNS = ("step", "quarter", "kind", "deposit", "commodity", "power", "others", "amount_usd_m", "detail")


class EventLog:
    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def add(self, step, quarter, kind, deposit="", commodity="", power="", others="", amount=0.0, detail=""):
        self.rows.append((step, quarter, kind, deposit, commodity, power, others, float(amount), detail))

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=list(COLUMNS))

    def latest(self, n: int) -> list[dict]:
        return [dict(zip(COLUMNS, r)) for r in reversed(self.rows[-n:])]

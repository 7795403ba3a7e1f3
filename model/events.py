"""The event log: awards, missed windows, pre-emptions, withdrawals, revocations and shocks, one row each.

Each event is kept as it is told (``Event``: its others in words, ``"US (in approval), CN"``), so that the
dashboard can narrate it; :meth:`EventLog.frame` and :meth:`EventLog.participants` are the tidy tables, one row
per event and one row per holder taking part in an event.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

import pandas as pd

from model.commodities import NAMES as COMMODITIES
from model.observe import quarter_label, quarters

COLUMNS = ("step", "quarter", "kind", "deposit", "commodity", "power", "others", "amount_usd_m", "detail")
KINDS = (
    "award",
    "missed_window",
    "pre-empted",
    "withdrawal",
    "revocation",
    "discovery",
    "extension",
    "shock",
    "exploration_licences",
    "package_proposed",
    "package_binding",
    "package_accepted",
    "package_declined",
    "package_delivered",
    "package_slipped",
    "contract",
    "plant",
)
# each kind's role for its ``power`` and for the holders in ``others`` (a "(label)" after a code overrides it)
ROLES = {
    "award": ("winner", "outbid"),
    "missed_window": ("missed", "other"),
    "pre-empted": ("pre_empted", "other"),
    "withdrawal": ("withdrew", "other"),
    "revocation": ("revoked", "other"),
    "discovery": ("finder", "other"),
    "extension": ("holder", "other"),
    "shock": ("affected", "buyer"),
    "exploration_licences": ("licensee", "licensee"),  # first-come licences of a quarter in one region
    "package_proposed": ("proposer", "other"),
    "package_binding": ("proposer", "other"),
    "package_accepted": ("accepted", "outbid"),
    "package_declined": ("declined", "other"),
    "package_delivered": ("deliverer", "other"),
    "package_slipped": ("slipped", "other"),
    "contract": ("buyer", "other"),
    "plant": ("owner", "other"),
}
_TYPES = {"step": "int64", "amount_usd_m": "float64", "kind": "str", "detail": "str"}
_OTHER = re.compile(r"\s*([A-Za-z]+)(?:\s*\(([^)]*)\))?\s*")


class Event(NamedTuple):
    """One event, as told: ``others`` names the other holders taking part, each with its state in brackets."""

    step: int
    quarter: str
    kind: str
    deposit: str
    commodity: str
    power: str
    others: str
    amount_usd_m: float
    detail: str


class EventLog:
    """What happened, in order; ``model`` gives the clock and the deposit names.

    ``len(log)`` is the number of events and iterating gives each :class:`Event` (so ``pd.DataFrame(log)``
    works); an event's number (``event`` in the tables) is its position in the log. Events are kept as logged and
    told in full (quarter, deposit and commodity names) only when read, which a run rarely does.
    """

    def __init__(self, model) -> None:
        self.model = model
        self._logged: list[tuple] = []  # (step, kind, deposit row, power, others, amount, detail) or (step, tell)
        self._read = 0  # entries of _logged told so far
        self._told: list[Event] = []

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.rows)

    def add(self, kind: str, dep: int = -1, power: str = "", others: str = "", amount: float = 0.0, detail: str = ""):
        """Log one event of ``kind`` (one of ``KINDS``) about deposit row ``dep`` (-1: none)."""
        self._logged.append((self.model.steps, kind, int(dep), power, others, float(amount), detail))

    def add_later(self, tell: Callable[[], list[tuple]]) -> None:
        """Log events that are cheap to keep and costly to word (a quarter's first-come licences: one event per
        region, naming every licensee): ``tell()`` gives each as ``add``'s arguments when the log is read, so it
        must hold copies of what it reads, not live arrays.
        """
        self._logged.append((self.model.steps, tell))

    @property
    def rows(self) -> list[Event]:
        """Every event, told in full."""
        if self._read < len(self._logged):
            m = self.model
            table = m.deposits.table
            for entry in self._logged[self._read :]:
                step = entry[0]
                for kind, dep, power, others, amount, detail in entry[1]() if len(entry) == 2 else (entry[1:],):
                    name, commodity = (table.names[dep], COMMODITIES[table.commodity[dep]]) if dep >= 0 else ("", "")
                    quarter = quarter_label(m.start_year, step)
                    self._told.append(Event(step, quarter, kind, name, commodity, power, others, amount, detail))
            self._read = len(self._logged)
        return self._told

    def frame(self) -> pd.DataFrame:
        """One row per event: ``event`` (its number), step, quarter, kind, deposit, commodity, power, amount and
        detail; a missing deposit, commodity or power is null. Who else took part is in :meth:`participants`.
        """
        frame = pd.DataFrame(self.rows, columns=list(COLUMNS)).drop(columns="others").astype(_TYPES)
        frame.insert(0, "event", range(len(frame)))
        frame["quarter"] = quarters(self.model.start_year, frame["step"]).to_numpy()
        for col in ("deposit", "commodity", "power"):
            frame[col] = frame[col].astype("str").replace("", None)
        return frame

    def participants(self) -> pd.DataFrame:
        """One row per holder taking part in an event: ``event``, ``holder`` and its ``role`` (``ROLES``: the
        winner and the outbid of an award, those still in approval or pre-empted, a shock's seller and buyer).
        """
        rows = []
        for i, e in enumerate(self.rows):
            own, other = ROLES[e.kind]
            if e.power:
                rows.append((i, e.power, own))
            for part in filter(None, e.others.split(",")):
                told = _OTHER.fullmatch(part)
                code, label = told.groups() if told else (part.strip(), None)
                rows.append((i, code, re.sub(r"\W+", "_", label) if label else other))
        return pd.DataFrame(rows, columns=["event", "holder", "role"]).astype(
            {"event": "int64", "holder": "str", "role": "str"}
        )

    def latest(self, n: int) -> list[dict]:
        """The ``n`` newest events, newest first."""
        return [e._asdict() for e in reversed(self.rows[-n:])]

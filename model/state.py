"""Physical state as arrays: each deposit's stage, remaining tonnes, holders and development. Agents are views.

Deposits enter during a run (state releases, discoveries): :meth:`Deposits.append` grows every array. Random
draws per deposit are made over ``slots`` (the count rounded up to a multiple of ``SLOT``), so two runs that
differ in a few deposits still draw the same numbers for the deposits they share.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.deposit_table import DepositTable
from model.vocabulary import Channel, Stage

SLOT = 256

MATRICES = ("equity", "offtake", "led")  # deposits × holders
_DYNAMIC = {  # state arrays and their fill value for a new deposit
    "equity": 0.0,
    "offtake": 0.0,
    "led": False,
    "leader": -1,
    "tender_open": -1,
    "tender_close": -1,
    "tender_extended": False,
    "free_from": 0,
    "dev_left": 0,
    "dev_elapsed": 0,
    "dev_planned": 0,
    "slips": 0,
    "finance": 0.0,
    "processing": 0.0,
    "public_lead": False,
    "tranche": 0.0,
    "tranche_holder": -1,
    "award_step": -1,
    "first_output": -1,
    "contract_end": -1,
}

_ARRIVING = ("capex", "remaining", "stage", *_DYNAMIC)  # the arrays an arrival grows (``Deposits.append``)


def _dtype(fill) -> type:
    return bool if isinstance(fill, bool) else np.int64 if isinstance(fill, int) else float


@dataclass
class Deposits:
    """Deposit state; holder matrices are deposits × holder codes (rows sum to 1 when licensed)."""

    table: DepositTable
    n_holders: int
    capex: np.ndarray  # USD million (the table's where sourced, else estimated; model/economics.py)
    channel_rule: int = 0  # host.channel_rule: 0 as the data say, 1 every plot by auction, 2 every plot negotiated
    remaining: np.ndarray = field(init=False)
    stage: np.ndarray = field(init=False)
    equity: np.ndarray = field(init=False)
    offtake: np.ndarray = field(init=False)
    led: np.ndarray = field(init=False)  # deposits × holders: the holding was won or bought by the holder as a state
    leader: np.ndarray = field(init=False)  # holder index controlling the licence, -1 if none
    tender_open: np.ndarray = field(init=False)  # step the current offer (auction or negotiation) opened
    tender_close: np.ndarray = field(init=False)  # step it closes (a negotiation may be kept open longer)
    tender_extended: np.ndarray = field(init=False)  # the host already kept it open for a preferred partner
    free_from: np.ndarray = field(init=False)  # first step it may be offered (again)
    dev_left: np.ndarray = field(init=False)  # quarters of development still to go
    dev_elapsed: np.ndarray = field(init=False)
    dev_planned: np.ndarray = field(init=False)
    slips: np.ndarray = field(init=False)
    finance: np.ndarray = field(init=False)  # leader's public finance share (affects slippage)
    processing: np.ndarray = field(init=False)  # leader's processing commitment (a plant when it produces)
    public_lead: np.ndarray = field(init=False)  # led by a power's own pursuit (its conduct moves trust)
    tranche: np.ndarray = field(init=False)  # leader's budget tied up per quarter while developing
    tranche_holder: np.ndarray = field(init=False)
    award_step: np.ndarray = field(init=False)  # step of the last award, -1 if none in this run
    first_output: np.ndarray = field(init=False)  # step production started, -1 if not in this run
    contract_end: np.ndarray = field(init=False)  # step the mining contract's term ends, -1 if unknown

    def __post_init__(self) -> None:
        t, n = self.table, len(self.table)
        self._count(n)
        self.channel_changes = 0  # bumped whenever a deposit's channel changes (cached views check it)
        self._room: dict[str, np.ndarray] = {}  # the buffers the state arrays view, from the first arrival (_grow)
        self.remaining = np.where(t.stage == Stage.DEPLETED, 0.0, t.contained.astype(float))
        self.stage = t.stage.copy()
        for name, fill in _DYNAMIC.items():
            shape = (n, self.n_holders) if name in MATRICES else n
            setattr(self, name, np.full(shape, fill, dtype=_dtype(fill)))
        self.dev_left = np.where(t.stage == Stage.DEVELOPING, t.lead_time, 0).astype(np.int64)
        self.dev_planned = self.dev_left.copy()

    def __len__(self) -> int:
        return self.n

    def _count(self, n: int) -> None:
        """Note the number of deposits ``n`` (read many times a quarter) and ``slots``, the size of the
        per-deposit random draws (``n`` rounded up to a multiple of ``SLOT``).
        """
        self.n, self.slots = n, -(-n // SLOT) * SLOT

    def append(self, rows: DepositTable, capex: np.ndarray) -> np.ndarray:
        """Add deposits (no holders, in their table stage); returns their row indices."""
        start = len(self.table)
        self.table.append(rows)
        self._count(len(self.table))
        self.channel_changes += 1  # new channels: is_direct is computed again
        end = start + len(rows)
        self._grow(start, end)
        for name, value in zip(_ARRIVING, (capex, rows.contained, rows.stage, *_DYNAMIC.values()), strict=True):
            buf = self._room[name]
            buf[start:end] = value
            setattr(self, name, buf[:end])
        return np.arange(start, end)

    def _grow(self, n: int, end: int) -> None:
        """Room for deposits up to ``end`` in each state array: every array is a view of the first rows of a
        buffer that doubles when full (as ``Pursuits`` grows), since deposits arrive every few quarters and a copy
        of some 25 arrays each time cost more than the rest of the arrival.
        """
        if self._room and end <= len(self._room["stage"]):
            for name, buf in self._room.items():  # an array replaced in place of its view is copied back once
                if getattr(self, name).base is not buf:
                    buf[:n] = getattr(self, name)
            return
        for name in _ARRIVING:
            old = getattr(self, name)
            self._room[name] = np.empty((max(end, 2 * n), *old.shape[1:]), dtype=old.dtype)
            self._room[name][:n] = old

    def licensed(self) -> np.ndarray:
        """Mask of deposits under licence (awarded, developing or producing)."""
        return (self.stage >= Stage.AWARDED) & (self.stage <= Stage.PRODUCING)

    def value_usd_m(self, price: np.ndarray, rows=slice(None)) -> np.ndarray:
        """Reserve value of ``rows`` (remaining tonnes at ``price``, one price per commodity), USD million."""
        return self.remaining[rows] * price[self.table.commodity[rows]] / 1e6

    def set_channel(self, rows, channel: int) -> None:
        """Move deposits to another allocation channel (a defined prospect, a revoked licence)."""
        self.table.channel[rows] = channel
        self.channel_changes += 1

    def is_direct(self) -> np.ndarray:
        """Mask of deposits allocated by direct negotiation (the rest of the offered ones go to auction); kept
        until a channel changes or deposits arrive, as it is read several times a quarter (read-only).
        """
        key = (self.channel_changes, self.channel_rule)  # every channel is written by set_channel or append
        if getattr(self, "_direct_key", None) != key:
            if self.channel_rule:  # an ablation: one channel for every plot
                self._direct = np.full(self.table.channel.shape, self.channel_rule == 2)
            else:
                self._direct = self.table.channel == Channel.NEGOTIATION
            self._direct.flags.writeable = False  # shared by every reader this quarter
            self._direct_key = key
        return self._direct

"""Physical state as arrays: deposits and pursuits. Agents are thin views over these."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.deposit_table import STAGE, DepositTable

STAGE_DEPLETED = STAGE["depleted"]

PENDING, BINDING, WON, LOST, MISSED, WITHDRAWN = range(6)
STATUS = ("pending", "binding", "won", "lost", "missed_window", "withdrawn")


@dataclass
class Deposits:
    """Deposit state; holder matrices are deposits × holder codes (rows sum to 1 when licensed)."""

    table: DepositTable
    n_holders: int
    remaining: np.ndarray = field(init=False)
    stage: np.ndarray = field(init=False)
    equity: np.ndarray = field(init=False)
    offtake: np.ndarray = field(init=False)
    leader: np.ndarray = field(init=False)  # holder index controlling the licence, -1 if none
    tender_open: np.ndarray = field(init=False)  # step the current tender opened
    tender_close: np.ndarray = field(init=False)  # step the current tender closes
    free_from: np.ndarray = field(init=False)  # first step it may be tendered again
    dev_left: np.ndarray = field(init=False)  # quarters of development still to go
    dev_elapsed: np.ndarray = field(init=False)
    dev_planned: np.ndarray = field(init=False)
    slips: np.ndarray = field(init=False)
    finance: np.ndarray = field(init=False)  # leader's public finance share (affects slippage)
    tranche: np.ndarray = field(init=False)  # leader's budget tied up per quarter while developing
    award_step: np.ndarray = field(init=False)
    first_output: np.ndarray = field(init=False)  # step production started, -1 if not in this run

    def __post_init__(self) -> None:
        t, n = self.table, len(self.table)
        self.remaining = np.where(t.stage == STAGE_DEPLETED, 0.0, t.contained.astype(float))
        self.stage = t.stage.copy()
        self.equity = np.zeros((n, self.n_holders))
        self.offtake = np.zeros((n, self.n_holders))
        self.leader = np.full(n, -1, dtype=np.int64)
        self.tender_open = np.full(n, -1, dtype=np.int64)
        self.tender_close = np.full(n, -1, dtype=np.int64)
        self.free_from = np.zeros(n, dtype=np.int64)
        self.dev_left = np.where(t.stage == STAGE["developing"], t.lead_time, 0).astype(np.int64)
        self.dev_elapsed = np.zeros(n, dtype=np.int64)
        self.dev_planned = self.dev_left.copy()
        self.slips = np.zeros(n, dtype=np.int64)
        self.finance = np.zeros(n)
        self.tranche = np.zeros(n)
        self.award_step = np.full(n, -1, dtype=np.int64)
        self.first_output = np.full(n, -1, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.table)


class Pursuits:
    """Every pursuit a power (or a lone investor) opened, as growable column arrays."""

    COLUMNS = {
        "power": np.int64,
        "deposit": np.int64,
        "start": np.int64,
        "ready": np.int64,
        "ok": bool,
        "status": np.int64,
        "public": float,
        "tranche": float,
        "bonus": float,
        "private": float,
        "offtake": float,
        "processing": float,
        "finance": float,
        "end": np.int64,
        "solo": bool,  # an investor bidding alone, under its home power's code
    }

    def __init__(self) -> None:
        self.n = 0
        self._cap = 64
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(self._cap, dtype=dtype))

    def add(self, **row) -> int:
        if self.n == self._cap:
            self._cap *= 2
            for name in self.COLUMNS:
                old = getattr(self, name)
                new = np.zeros(self._cap, dtype=old.dtype)
                new[: self.n] = old[: self.n]
                setattr(self, name, new)
        i = self.n
        for name, value in row.items():
            getattr(self, name)[i] = value
        self.status[i], self.end[i] = PENDING, -1
        self.n += 1
        return i

    def active(self) -> np.ndarray:
        return np.flatnonzero(self.status[: self.n] <= BINDING)

"""Physical state as arrays: each deposit's stage, remaining tonnes, holders and development. Agents are views."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.deposit_table import STAGE, DepositTable


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
    award_step: np.ndarray = field(init=False)  # step of the last award, -1 if none in this run
    first_output: np.ndarray = field(init=False)  # step production started, -1 if not in this run

    def __post_init__(self) -> None:
        t, n = self.table, len(self.table)
        self.remaining = np.where(t.stage == STAGE["depleted"], 0.0, t.contained.astype(float))
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
        self.award_step = np.full(n, -1, dtype=np.int64)
        self.first_output = np.full(n, -1, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.table)

    def licensed(self) -> np.ndarray:
        """Mask of deposits under licence (awarded, developing or producing)."""
        return (self.stage >= STAGE["awarded"]) & (self.stage <= STAGE["producing"])

    def value_usd_m(self, price: np.ndarray, rows=slice(None)) -> np.ndarray:
        """Reserve value of ``rows`` (remaining tonnes at ``price``, one price per commodity), USD million."""
        return self.remaining[rows] * price[self.table.commodity[rows]] / 1e6

    def licensed_value_usd_m(self, price: np.ndarray) -> np.ndarray:
        """Reserve value of every deposit under licence (0 for the others), USD million."""
        return np.where(self.licensed(), self.value_usd_m(price), 0.0)

    def open_tenders(self, step: int) -> np.ndarray:
        """Deposits whose tender is open at ``step``."""
        return np.flatnonzero((self.stage == STAGE["tendered"]) & (self.tender_close > step))

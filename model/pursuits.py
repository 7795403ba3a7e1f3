"""The pursuit lifecycle: open (in approval) → binding → won, lost, pre-empted, missed, withdrawn.

A pursuit is one power's (or one lone investor's) attempt at one tender. Its status changes only in
:meth:`Pursuits.end` (and :meth:`Pursuits.bind`), which also frees what an ended pursuit tied up: the power's
earmarked budget (unless it won) and the investors inside it (their stake is spent if it won).
"""

from __future__ import annotations

import numpy as np

OPEN, BINDING, WON, LOST, PREEMPTED, MISSED, WITHDRAWN = range(7)
STATUS = ("open", "binding", "won", "lost", "pre-empted", "missed_window", "withdrawn")


class Pursuits:
    """Every pursuit of a run, as growable column arrays."""

    COLUMNS = {
        "power": np.int64,  # holder index
        "deposit": np.int64,
        "start": np.int64,  # step it opened
        "ready": np.int64,  # step its approval is due
        "ok": bool,  # whether approval will succeed
        "status": np.int64,
        "public": float,  # public finance offered, USD m
        "tranche": float,  # budget earmarked per quarter, USD m
        "bonus": float,  # signature bonus, USD m
        "private": float,  # private capital inside, USD m
        "offtake": float,  # share of output the power would take
        "processing": float,
        "finance": float,
        "ended": np.int64,  # step it ended, -1 while active
        "solo": bool,  # an investor bidding alone, under its home power's code
    }

    def __init__(self, budgets, investors=None, n_holders: int = 0) -> None:
        self.n = 0
        self._cap = 64
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(self._cap, dtype=dtype))
        self.budgets, self.investors = budgets, investors
        self._active: np.ndarray | None = None  # cache; every status change below resets it
        self.running = np.zeros(n_holders, dtype=np.int64)  # active pursuits of each power (not lone investors)

    def add(self, **row) -> int:
        """Open a pursuit (status ``OPEN``); its tranche is earmarked from the power's budget."""
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
        self.status[i], self.ended[i] = OPEN, -1
        self.n += 1
        self._active = None
        if not self.solo[i]:
            self.running[self.power[i]] += 1
        if self.tranche[i] > 0:
            self.budgets.commit(int(self.power[i]), float(self.tranche[i]))
        return i

    def active(self) -> np.ndarray:
        """Ids of open and binding pursuits (read-only)."""
        if self._active is None:
            self._active = np.flatnonzero(self.status[: self.n] <= BINDING)
            self._active.flags.writeable = False
        return self._active

    def in_status(self, status: int, ids: np.ndarray | None = None) -> np.ndarray:
        """The pursuits (of ``ids``, default all active) in ``status``."""
        ids = self.active() if ids is None else ids
        return ids[self.status[ids] == status]

    def bind(self, ids: np.ndarray) -> None:
        """Approval came through: the offers are binding."""
        self.status[ids] = BINDING
        self._active = None

    def end(self, ids: np.ndarray, status: int, step: int) -> None:
        """End pursuits in ``status``; free the budget of those that did not win and release their investors."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size == 0:
            return
        powers = ids[~self.solo[ids]]
        self.running -= np.bincount(self.power[powers], minlength=len(self.running))
        self.status[ids], self.ended[ids] = status, step
        self._active = None
        if status != WON:
            self.budgets.release(self.power[ids], self.tranche[ids])
        if self.investors is not None:
            self.investors.release(ids, invested=status == WON)

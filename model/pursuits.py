"""The pursuit lifecycle: open (in approval) → binding → won, lost, pre-empted, missed, withdrawn.

A pursuit is one power's (or one lone investor's) attempt at one tender. Its status changes only in
:meth:`Pursuits.end` (and :meth:`Pursuits.bind`), which also frees what an ended pursuit tied up: the power's
earmarked budget (unless it won) and the investors inside it (their stake is spent if it won). Ending pursuits
is one compiled pass (``_end``), as it happens several times a quarter.
"""

from __future__ import annotations

import numpy as np
from numba import njit

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

    def _grow(self, k: int) -> None:
        if self.n + k <= self._cap:
            return
        while self.n + k > self._cap:
            self._cap *= 2
        for name in self.COLUMNS:
            old = getattr(self, name)
            new = np.zeros(self._cap, dtype=old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)

    def add(
        self, *, power, deposit, start, ready, ok, public, tranche, bonus, private, offtake, processing, finance, solo
    ) -> np.ndarray:
        """Open pursuits (status ``OPEN``), one per entry of ``deposit`` (the other columns are arrays as long, or
        scalars); their tranches are earmarked from the powers' budgets, in order. Returns their ids.
        """
        n, k = self.n, np.size(deposit)
        self._grow(k)
        _add(n, k, power, deposit, start, ready, ok, public, tranche, bonus, private, offtake, processing, finance, solo,
             self.power, self.deposit, self.start, self.ready, self.ok, self.public, self.tranche, self.bonus,
             self.private, self.offtake, self.processing, self.finance, self.solo, self.status, self.ended,
             self.running, self.budgets.committed)  # fmt: skip
        self.n += k
        self._active = None
        return np.arange(n, n + k)

    def active(self) -> np.ndarray:
        """Ids of open and binding pursuits (read-only)."""
        if self._active is None:
            self._active = (self.status[: self.n] <= BINDING).nonzero()[0]
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
        inv = self.investors
        _close(
            ids,
            status,
            step,
            self.power,
            self.solo,
            self.tranche,
            self.private,
            self.status,
            self.ended,
            self.running,
            self.budgets.committed,
            inv.pursuit if inv is not None else np.zeros(0, dtype=np.int64),
            inv.stake if inv is not None else np.zeros(0),
            inv.capital if inv is not None else np.zeros(0),
        )
        self._active = None

    def settle(self, winners: np.ndarray, deposits: np.ndarray, closed: np.ndarray, step: int):
        """Settle every pursuit on ``deposits`` (each closed or not, ``closed``): the ``winners`` win, the other
        binding offers lose, and those still in approval miss the window where the tender closed, else are
        pre-empted (a rival was accepted before the close). Returns the losers, the missed and the pre-empted
        (pursuit ids, in order), for the consequences their owners bear.
        """
        inv = self.investors
        out = _settle(
            np.asarray(winners, dtype=np.int64),
            np.asarray(deposits, dtype=np.int64),
            np.asarray(closed, dtype=np.bool_),
            step,
            self.n,
            self.deposit,
            self.power,
            self.solo,
            self.tranche,
            self.private,
            self.status,
            self.ended,
            self.running,
            self.budgets.committed,
            inv.pursuit if inv is not None else np.zeros(0, dtype=np.int64),
            inv.stake if inv is not None else np.zeros(0),
            inv.capital if inv is not None else np.zeros(0),
        )
        self._active = None
        return out


@njit(cache=True)
def _add(n, k, power, deposit, start, ready, ok, public, tranche, bonus, private, offtake, processing, finance, solo,
         c_power, c_deposit, c_start, c_ready, c_ok, c_public, c_tranche, c_bonus, c_private, c_offtake, c_processing,
         c_finance, c_solo, status, ended, running, committed):  # fmt: skip
    """``Pursuits.add``'s writes in one call: rows ``n`` to ``n + k`` of each column (``c_*``) take their value (an
    array of ``k`` or a scalar), open and not ended; then each new pursuit of a power (not a lone investor) counts
    as running and earmarks its tranche, in order.
    """
    end = n + k
    c_power[n:end], c_deposit[n:end], c_start[n:end], c_ready[n:end], c_ok[n:end] = power, deposit, start, ready, ok
    c_public[n:end], c_tranche[n:end], c_bonus[n:end], c_private[n:end] = public, tranche, bonus, private
    c_offtake[n:end], c_processing[n:end], c_finance[n:end], c_solo[n:end] = offtake, processing, finance, solo
    status[n:end], ended[n:end] = OPEN, -1
    for i in range(n, end):
        if not c_solo[i]:
            running[c_power[i]] += 1
        if c_tranche[i] > 0:
            committed[c_power[i]] += c_tranche[i]


@njit(cache=True)
def _settle(winners, deps, closed, step, n, deposit, power, solo, tranche, private, state, ended, running, committed,
            member_of, stake, capital):  # fmt: skip
    """``Pursuits.settle``: four ends in turn (won, lost, missed, pre-empted), each freeing budgets as one."""
    n_dep = 0
    for d in deps:
        n_dep = max(n_dep, d + 1)
    on = np.zeros(n_dep, dtype=np.int8)  # 0 not settled, 1 closed, 2 accepted before the close
    for k in range(deps.size):
        on[deps[k]] = 1 if closed[k] else 2
    if winners.size:
        _end(
            winners,
            WON,
            step,
            power,
            solo,
            tranche,
            private,
            state,
            ended,
            running,
            committed,
            member_of,
            stake,
            capital,
        )
    groups = []
    for status, wanted, mark in ((LOST, BINDING, 0), (MISSED, OPEN, 1), (PREEMPTED, OPEN, 2)):
        ids = np.empty(n, dtype=np.int64)
        k = 0
        for i in range(n):
            dep = deposit[i]
            if state[i] == wanted and dep < n_dep and on[dep] > 0 and (mark == 0 or on[dep] == mark):
                ids[k] = i
                k += 1
        ids = ids[:k]
        if k:
            _end(ids, status, step, power, solo, tranche, private, state, ended, running, committed, member_of, stake,
                 capital)  # fmt: skip
        groups.append(ids)
    return groups[0], groups[1], groups[2]


@njit(cache=True)
def _close(ids, status, step, power, solo, tranche, private, state, ended, running, committed, member_of, stake,
           capital):  # fmt: skip
    """``_end`` called from Python (``Pursuits.end``): ``_settle`` calls ``_end`` too, and a compiled function that
    other kernels call is not called from Python as well (numba's cache, ``tests/test_kernels.py``).
    """
    _end(ids, status, step, power, solo, tranche, private, state, ended, running, committed, member_of, stake, capital)


@njit(cache=True)
def _end(ids, status, step, power, solo, tranche, private, state, ended, running, committed, member_of, stake, capital):
    """Statuses, running counts, budgets (a pursuit that did not win gives its tranche back: per holder the sum of
    its tranches, in order, is taken from what it had committed, floored at 0) and members (the investors of a
    pursuit with private capital are freed; they spend their stake if it won).
    """
    n_holders = running.size
    back = np.zeros(n_holders)
    ended_now = np.zeros(state.size, dtype=np.bool_)
    members = False
    for i in ids:
        if not solo[i]:
            running[power[i]] -= 1
        state[i], ended[i] = status, step
        back[power[i]] += tranche[i]
        if private[i] > 0:
            ended_now[i] = True
            members = True
    if status != WON:
        for h in range(n_holders):
            committed[h] = max(committed[h] - back[h], 0.0)
    if members:
        for j in range(member_of.size):
            p = member_of[j]
            if p >= 0 and ended_now[p]:
                if status == WON:
                    capital[j] -= stake[j]
                member_of[j], stake[j] = -1, 0.0

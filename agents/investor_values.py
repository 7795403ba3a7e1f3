"""The investors' quarterly matrix of values (rate classes × pursuits and tenders), as ``npv_usd_m`` gives it, from
powers of the discount factor kept between quarters.

Each rate class's discount factor ``v`` is fixed for a run, a deposit's lead ``max(lead_time, 1)`` is a whole
number of quarters, and its life left changes only when its reserves or capacity do; most columns wait for
nobody (a tender, a pursuit that binds), and ``v**0 == 1``. So ``v**lead`` is kept per lead, ``v**life`` per
deposit (recomputed when its life changed), and only the waiting columns take fresh powers. Every power is the C
library's (``model.libm.power``, as in ``npv_usd_m``), so it is the same number however it is laid out. The rest
is exactly rounded arithmetic, in numpy's order, in one compiled pass.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.exact import maximum
from model.libm import power


@njit(cache=True)
def project(deposits, capacity, commodity, price, margin, met, remaining, capex, lead_time, stakes):
    """What valuing ``deposits`` reads, in one pass: capex, yearly cash at capacity after the extraction tax
    (``economics.annual_cash_usd_m``), lead time, quarters of life left (``economics.life_q``) and the state's
    stake (``stakes``: per deposit), each numpy's arithmetic in its order.
    """
    n = deposits.size
    cost, cash, life, stake = np.empty(n), np.empty(n), np.empty(n), np.empty(n)
    lead = np.empty(n, dtype=lead_time.dtype)
    for j in range(n):
        d = deposits[j]
        c = commodity[d]
        cost[j], lead[j], stake[j] = capex[d], lead_time[d], stakes[d]
        cash[j] = capacity[d] * 4.0 * price[c] * (margin - met[c]) / 1e6
        life[j] = remaining[d] / maximum(capacity[d], 1e-12)
    return cost, cash, lead, life, stake


def _powers(v: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``v ** x[None, :]`` (classes × len(x)), the C library's."""
    return power(v, x[None, :])


@njit(cache=True)
def _stale(deposits, bits, row, life, rows):
    """The positions in ``deposits`` (the first of each deposit) whose kept life (``life``, int64 bits, by
    deposit) is not ``bits``, or that have no row of ``row`` yet: the next row (from ``rows``) is theirs. Notes
    their lives; returns those positions, every position's row and the number of rows now in use.
    """
    out, at = np.empty(deposits.size, dtype=np.int64), np.empty(deposits.size, dtype=np.int64)
    n = 0
    for j in range(deposits.size):
        d = deposits[j]
        if row[d] < 0:
            row[d], rows = rows, rows + 1
        elif life[d] == bits[j]:
            at[j] = row[d]
            continue
        life[d], out[n], at[j] = bits[j], j, row[d]
        n += 1
    return out[:n], at, rows


@njit(cache=True, error_model="numpy")
def _matrix(lead, row, waiting, capex, cash, stake, pays, v_lead, lasts, v_wait, v_later):
    """``(1 - stake) * npv_usd_m(...)`` (classes × columns) from its parts: ``pays`` and ``v_lead`` by lead, ``lasts``
    by ``row``, and for a column that waits (``waiting`` >= 0, else -1) its powers ``v_wait`` and ``v_later``.
    Written column by column (a column's classes are contiguous: the order the kept rows are read in).
    """
    n, k = pays.shape[1], lead.size
    out = np.empty((k, n))
    for j in range(k):
        w, r, a = waiting[j], row[j], lead[j]
        cost, income, keep = capex[j] / a, cash[j] / 4.0, 1.0 - stake[j]
        if w >= 0:
            for i in range(n):
                out[j, i] = keep * (income * v_later[i, w] * lasts[r, i] - cost * v_wait[i, w] * pays[a, i])
        else:  # v**0 == 1 and v**(0 + lead) == v**lead
            for i in range(n):
                out[j, i] = keep * (income * v_lead[a, i] * lasts[r, i] - cost * 1.0 * pays[a, i])
    return out.T


class Discounting:
    """The powers of a fixed set of discount factors that the quarter's values need, kept between quarters."""

    def __init__(self, rates: np.ndarray):
        """``rates``: the yearly rate of each class (``v = (1 + rate) ** -0.25``, as ``npv_usd_m`` has it)."""
        self.v = power(1.0 + np.asarray(rates[:, None], dtype=float), -0.25)
        self.below, self.den = self.v < 1.0, np.maximum(1.0 - self.v, 1e-12)
        # by lead (rows; lead 0 keeps two columns or more): v**lead and the annuity of `lead` payments
        self.v_lead = self.pays = np.empty((0, self.v.size))
        # by deposit: its row of `lasts` (-1: none yet) and the life that row is for (as int64 bits)
        self.row, self.life = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        self.lasts, self.rows = np.empty((0, self.v.size)), 0

    def matrix(self, lead, life, wait, capex, cash, stake, deposits) -> np.ndarray:
        """``(1 - stake) * npv_usd_m(rates[:, None], capex, cash, lead, life, wait[None, :])`` bit for bit, where
        ``lead`` is already at least 1 and ``life`` at least 0; ``deposits`` key the kept lives.
        """
        if lead.size and lead.max() >= len(self.pays):
            n = np.arange(lead.max() + 1)
            self.v_lead, self.pays = np.ascontiguousarray(_powers(self.v, n).T), self._annuities(n)
        row = self._rows(deposits, life)
        on = (wait != 0).nonzero()[0]
        waiting = np.full(wait.size, -1, dtype=np.int64)
        waiting[on] = np.arange(on.size)
        v_wait, v_later = _powers(self.v, wait[on]), _powers(self.v, wait[on] + lead[on])
        return _matrix(lead, row, waiting, capex, cash, stake, self.pays, self.v_lead, self.lasts, v_wait, v_later)

    def _annuities(self, n: np.ndarray) -> np.ndarray:
        """``annuities(v, n)`` of ``npv_usd_m`` for a vector ``n``, one row per entry of ``n``."""
        return np.ascontiguousarray(np.where(self.below, (1.0 - _powers(self.v, n)) / self.den, n).T)

    def _rows(self, deposits: np.ndarray, life: np.ndarray) -> np.ndarray:
        """The rows of ``lasts`` for ``deposits`` with ``life`` quarters left (computed where not kept for it)."""
        if deposits.size and deposits.max() >= self.row.size:
            grow = deposits.max() + 1 - self.row.size
            self.row = np.concatenate((self.row, np.full(grow, -1, dtype=np.int64)))
            self.life = np.concatenate((self.life, np.zeros(grow, dtype=np.int64)))
        stale, row, self.rows = _stale(deposits, life.view(np.int64), self.row, self.life, self.rows)
        if self.rows > len(self.lasts):
            more = np.empty((max(self.rows, 2 * len(self.lasts)) - len(self.lasts), self.v.size))
            self.lasts = np.concatenate((self.lasts, more))
        if stale.size:
            self.lasts[row[stale]] = self._annuities(life[stale])
        return row

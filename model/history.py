"""Each deposit's state and holdings at every observed quarter, kept as the rows that changed since the last one.

The deposit and holder tables can be asked for at any observed step, so the recorder keeps that state for each
one. A full copy a quarter grows with deposits × quarters (40 MB for 10,000 deposits over 100 quarters) and is
most of what observing costs at scale, while a quarter changes few deposits' stage or holders. So the history
keeps those fields of a deposit only where one of them changed, compared bit for bit (a ``-0.0`` or a NaN is kept
as it was), with a whole copy every ``KEEP_EVERY`` observations so that a step is rebuilt from at most that many
records, and the remaining tonnes whole (they move for every producing deposit each quarter). What a step gives
back is exactly what the model held then.
"""

from __future__ import annotations

import bisect

import numpy as np
from numba import njit

INTS = 4  # first the integer fields: stage, controller (leader), award step, first output; then equity, offtake


@njit(cache=True)
def _changes(last, n_last, stage, leader, award, first, equity_float, offtake_float):
    """The deposits whose fields differ from their row in ``last`` in any bit, or that are new (at or after
    ``n_last``), and those fields (int64; floats as their bits, C-contiguous arrays); ``last`` is brought up to date
    in place. The scan has no branches (each row is written to the next free place, which moves on only for a
    change).
    """
    equity, offtake = equity_float.view(np.int64), offtake_float.view(np.int64)
    n, h = stage.size, equity.shape[1]
    rows = np.empty(n + 1, dtype=np.int64)
    k = 0
    for r in range(n):
        diff = r >= n_last
        if not diff:
            diff = (stage[r] != last[r, 0]) | (leader[r] != last[r, 1]) | (award[r] != last[r, 2]) | (
                first[r] != last[r, 3])  # fmt: skip
            for j in range(h):
                diff |= (equity[r, j] != last[r, INTS + j]) | (offtake[r, j] != last[r, INTS + h + j])
        rows[k] = r
        k += diff
    values = np.empty((k, last.shape[1]), dtype=np.int64)
    for i in range(k):
        r = rows[i]
        values[i, 0], values[i, 1], values[i, 2], values[i, 3] = stage[r], leader[r], award[r], first[r]
        values[i, INTS : INTS + h], values[i, INTS + h :] = equity[r], offtake[r]
        last[r] = values[i]
    return rows[:k], values


class DepositHistory:
    """The deposits' ``stage``, ``leader``, ``award_step``, ``first_output``, ``remaining``, ``equity`` and
    ``offtake`` at each recorded step.
    """

    KEEP_EVERY = 64  # a whole copy every this many observations: a lookup replays at most this many records

    def __init__(self) -> None:
        self._records: dict[int, tuple[int, np.ndarray, np.ndarray]] = {}  # step -> (rows, changed rows, values)
        self._remaining: dict[int, np.ndarray] = {}  # whole: it moves on every producing deposit each quarter
        self._order: list[int] = []
        self._whole: list[int] = []  # the records that hold every row
        self._last = np.empty((0, 0), dtype=np.int64)
        self._n = 0

    def __contains__(self, step: object) -> bool:
        return step in self._records

    def steps(self) -> list[int]:
        """The recorded steps, in order."""
        return list(self._order)

    def record(self, step: int, d) -> None:
        """Keep the deposits' state now (``d``: the model's ``Deposits``)."""
        if self._order and step <= self._order[-1]:
            raise ValueError(f"step {step} recorded after step {self._order[-1]}: steps are recorded in order, once")
        n, width = len(d.stage), INTS + 2 * d.equity.shape[1]
        whole = len(self._order) % self.KEEP_EVERY == 0 or n < self._n or width != self._last.shape[1]
        if width != self._last.shape[1] or n > len(self._last):  # room for new deposits, doubling as they come
            grown = np.empty((max(n, 2 * len(self._last)), width), dtype=np.int64)
            if not whole:
                grown[: self._n] = self._last[: self._n]
            self._last = grown
        if whole:
            self._whole.append(len(self._order))
        rows, values = _changes(self._last, 0 if whole else self._n, d.stage, d.leader, d.award_step, d.first_output,
                                d.equity, d.offtake)  # fmt: skip
        self._records[step] = (n, rows, values)
        self._remaining[step] = d.remaining.copy()
        self._order.append(step)
        self._n = n

    def _columns(self, step: int) -> np.ndarray:
        at = self._order.index(step)
        start = self._whole[bisect.bisect_right(self._whole, at) - 1]  # the last whole copy at or before
        out = np.empty((self._records[step][0], self._last.shape[1]), dtype=np.int64)
        for s in self._order[start : at + 1]:
            _, rows, values = self._records[s]
            out[rows] = values
        return out

    def deposits(self, step: int) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
        """``(stage, leader, award_step, first_output), remaining`` at ``step``."""
        c = self._columns(step)
        remaining = self._remaining[step].view()
        remaining.flags.writeable = False  # handed out read-only: a reader cannot change the history
        return tuple(c[:, i] for i in range(INTS)), remaining

    def holdings(self, step: int) -> tuple[np.ndarray, np.ndarray]:
        """``equity, offtake`` (deposits × holders) at ``step``."""
        c = self._columns(step)[:, INTS:].view(np.float64)
        holders = c.shape[1] // 2
        return np.ascontiguousarray(c[:, :holders]), np.ascontiguousarray(c[:, holders:])


@njit(cache=True)
def holding_cells(equity, offtake):
    """Every (deposit, holder) with equity or offtake, in row-major order: their indices (2 × n: deposit, holder)
    and the two shares (2 × n: equity, offtake); two arrays, as each returned array costs a conversion. Both passes
    run over the cells laid flat (C order), which the compiler vectorises where a loop of a few holders per row it
    does not; few cells hold something (about one in ten at scale), so the branch that writes one is seldom taken.
    """
    held, took, width = equity.ravel(), offtake.ravel(), equity.shape[1]
    n = 0
    for i in range(held.size):
        n += (held[i] > 0) | (took[i] > 0)
    index, shares = np.empty((2, n), dtype=np.int64), np.empty((2, n))
    k = 0
    for i in range(held.size):
        if (held[i] > 0) | (took[i] > 0):
            index[0, k], index[1, k], shares[0, k], shares[1, k] = i // width, i % width, held[i], took[i]
            k += 1
    return index, shares

"""What an award gives: the state's stake, the equity after an award or a contract extension, and who takes the
output (the offtake split). Pure functions over arrays, kept apart from the host's decision (model/host_rules.py),
with hand-worked tests (tests/test_award_rules.py).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.exact import row_sums


def state_stake(
    is_uranium: np.ndarray, strategic: np.ndarray, direct: np.ndarray, uranium: float, other: float
) -> np.ndarray:
    """The state's share in new awards: Kazatomprom's in uranium; Tau-Ken Samruk's in strategic projects allocated
    by direct negotiation; none in auctioned plots.
    """
    return np.where(is_uranium, uranium, np.where(strategic | direct, other, 0.0))


def award_equity(n_holders: int, host: int, winner, stake) -> np.ndarray:
    """Equity after an award: the state's stake, the rest to the winner (arrays of winners give one row each)."""
    w = np.atleast_1d(np.asarray(winner, dtype=np.int64))
    share = np.ascontiguousarray(np.broadcast_to(np.asarray(stake, dtype=float), w.shape))
    out = _award_equity(n_holders, host, w, share)
    return out if np.ndim(winner) else out[0]


@njit(cache=True)
def _award_equity(n_holders, host, winner, share):
    out = np.zeros((winner.size, n_holders))
    for i in range(winner.size):
        out[i, host] += share[i]
        out[i, winner[i]] += 1.0 - share[i]
    return out


def award_holdings(
    n_holders: int, host: int, winner: np.ndarray, stake: np.ndarray, offtake_share: np.ndarray, exports: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``award_equity`` and ``offtake_split`` of a batch of awards at once (arrays, one entry per award)."""
    equity = _award_equity(n_holders, host, winner, stake)
    offtake = equity.copy()
    _offtake_split(offtake, winner, offtake_share, host, exports)
    return equity, offtake


def extension_equity(equity: np.ndarray, host: int, stake: float) -> np.ndarray:
    """Equity after a contract extension at which the state takes at least ``stake``: partners shrink pro rata."""
    if equity[host] >= stake:
        return equity.copy()
    out = equity * (1.0 - stake) / max(1.0 - equity[host], 1e-12)
    out[host] = stake
    return out


def offtake_split(equity: np.ndarray, winner, offtake_share, host: int, exports: np.ndarray) -> np.ndarray:
    """Who takes a new award's output: the winner at least its equity and up to ``offtake_share`` out of the
    host's part; the host exports ``exports[holder]`` of what remains of its part (the commodity's routing), and
    keeps the rest. Rows of ``equity`` (and of ``exports``) are awards; a single row works too.
    """
    out = np.array(equity, dtype=float, ndmin=2)
    rows = out.shape[0]
    exports = np.ascontiguousarray(np.broadcast_to(np.array(exports, dtype=float, ndmin=2), out.shape))
    w = np.ascontiguousarray(np.broadcast_to(np.asarray(winner, dtype=np.int64), (rows,)))
    share = np.ascontiguousarray(np.broadcast_to(np.asarray(offtake_share, dtype=float), (rows,)))
    _offtake_split(out, w, share, host, exports)
    return out if np.ndim(equity) == 2 else out[0]


@njit(cache=True)
def _offtake_split(out, winner, share, host, exports):
    """In place, row by row, the same operations as numpy's whole-array ones (``exact.row_sums`` for the sum)."""
    total = row_sums(exports)
    for i in range(out.shape[0]):
        w = winner[i]
        extra = min(max(0.0, share[i] - out[i, w]), out[i, host])
        out[i, w] += extra
        out[i, host] -= extra
        kept = out[i, host]
        for j in range(out.shape[1]):
            out[i, j] += kept * exports[i, j]
        out[i, host] -= kept * total[i]

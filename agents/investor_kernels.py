"""The investors' quarterly choices as compiled loops (``agents/investor.py`` prepares their inputs): who leaves,
who joins which consortium with how much, who bids alone where, who files for exploration. Only comparisons,
exactly rounded arithmetic and numpy's own cumsum and sorts, so that they give what the numpy code they replace gave.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.exact import maximum
from model.pursuits import OPEN


@njit(cache=True)
def columns(act, deposit, power, start, status, solo, power_delay, steps, sensitivity, open_, direct, capex, solo_max):
    """The quarter's columns of values: the deposits of the active pursuits ``act`` then the tenders open to a lone
    investor (auctions, not direct, of at most ``solo_max`` capex, with no lone bidder on them yet), each column's
    expected wait (a pursuit still open: its power's mean delay less what has passed, at least 0, times
    ``sensitivity``; else 0), and how many tenders. The numpy of ``_tenders`` and ``expected_wait`` element by
    element, in its order.
    """
    n = act.size
    solo_on = np.zeros(capex.size, dtype=np.bool_)
    for j in act:
        if solo[j]:
            solo_on[deposit[j]] = True
    deps = np.empty(n + open_.size, dtype=np.int64)
    wait = np.zeros(n + open_.size)
    for k in range(n):
        j = act[k]
        deps[k] = deposit[j]
        waited = steps - start[j]
        wait[k] = sensitivity * (maximum(power_delay[power[j]] - waited, 0.0) if status[j] == OPEN else 0.0)
    m = n
    for r in open_:
        if not direct[r] and capex[r] <= solo_max and not solo_on[r]:
            deps[m] = r
            m += 1
    return deps[:m], wait[:m], m - n


@njit(cache=True)
def leavers(pursuit, status, start, patience, rate_of, act, value, steps, impatient):
    """The investors who leave an open pursuit: kept waiting past their patience (``impatient``: when speed counts)
    or no longer paid (``value``: rate classes × ``act``, the active pursuits in order); members of binding
    pursuits stay.
    """
    out = np.empty(pursuit.size, dtype=np.int64)
    n = 0
    for i in range(pursuit.size):
        j = pursuit[i]
        if j < 0 or status[j] != OPEN:
            continue
        if (impatient and steps - start[j] > patience[i]) or value[rate_of[i], np.searchsorted(act, j)] < 0:
            out[n] = i
            n += 1
    return out[:n]


@njit(cache=True)
def join(value, act, deposit, public, private, solo, power_of, capex, trust_of, trust_weight, pivot, bonus, rate_of,
         affinity, draw, capital, pursuit, stake):  # fmt: skip
    """The free investors (no pursuit, some capital) join the consortia of ``act`` that still need capital (not a
    lone bidder's; ``value``: rate classes × ``act``): each consortium's need, value index (value over capex) and
    trust term, then ``join_consortia``. numpy's arithmetic of ``InvestorPool._join`` (before ``leave_and_join``),
    in its order.
    """
    cols, need = np.empty(act.size, dtype=np.int64), np.empty(act.size)
    n = 0
    for a in range(act.size):
        j = act[a]
        short = capex[deposit[j]] - public[j] - private[j]
        if not solo[j] and short > 1e-9:
            cols[n], need[n] = a, short
            n += 1
    free = np.flatnonzero((pursuit < 0) & (capital > 1e-9))
    if n == 0 or free.size == 0:
        return
    joinable, power, trust = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), np.empty(n)
    index = np.empty((value.shape[0], n))
    for k in range(n):
        j = act[cols[k]]
        joinable[k], power[k] = j, power_of[j]
        trust[k] = trust_weight * (trust_of[power_of[j]] - pivot)
        scale = maximum(capex[deposit[j]], 1e-9)
        for r in range(value.shape[0]):
            index[r, k] = value[r, cols[k]] / scale
    join_consortia(index, trust, bonus, power, need[:n], joinable, free, rate_of, affinity, draw, capital, pursuit,
                   stake, private)  # fmt: skip


@njit(cache=True)
def leave_and_join(value, act, pursuit, status, start, patience, rate_of, steps, impatient, deposit, public, private,
                   solo, power_of, capex, trust_of, trust_weight, pivot, bonus, affinity, draw, capital, stake,
                   walked):  # fmt: skip
    """The investors' choices on the active pursuits ``act`` in one call (``value``: rate classes × ``act``, and
    the tenders after them): ``leavers`` leave (each one's stake comes off its consortium's ``private`` capital and
    is counted in ``walked`` by the consortium's power, in leaving order, as ``np.subtract.at`` and ``np.add.at``
    take them), then the free ones ``join``.
    """
    for i in leavers(pursuit, status, start, patience, rate_of, act, value, steps, impatient):
        private[pursuit[i]] -= stake[i]
        walked[power_of[pursuit[i]]] += stake[i]
        pursuit[i], stake[i] = -1, 0.0
    join(value, act, deposit, public, private, solo, power_of, capex, trust_of, trust_weight, pivot, bonus, rate_of,
         affinity, draw, capital, pursuit, stake)  # fmt: skip


@njit(cache=True)
def join_consortia(
    index, trust, bonus, power, need, act, free, rate_of, affinity, draw, capital, pursuit, stake, private
):
    """Each free investor (rows ``free``) picks its best consortium among ``act`` (the highest surplus: its rate
    class's value index, plus the trust term, plus the home bonus; ties to the first) and joins if the surplus is
    positive; each consortium takes its joiners in the order of their draws until its need is met. The joiners'
    ``pursuit`` and ``stake`` are set and the consortia's ``private`` capital grows in joining order (as np.add.at
    adds); the arithmetic is numpy's, in its order (argmax, lexsort, cumsum, clip).
    """
    n_free, n_act = free.size, act.size
    best = np.empty(n_free, dtype=np.int64)
    keep = np.zeros(n_free, dtype=np.bool_)
    for i in range(n_free):
        f = free[i]
        top, at = -np.inf, 0
        for a in range(n_act):
            s = index[rate_of[f], a] + trust[a] + bonus * (1.0 if affinity[f] == power[a] else 0.0)
            if s > top:
                top, at = s, a
        best[i], keep[i] = at, top > 0
    joiners = np.flatnonzero(keep)
    by_draw = joiners[np.argsort(draw[free[joiners]], kind="mergesort")]
    order = by_draw[_by_key(best[by_draw], n_act)]
    amount = capital[free[order]]
    before = np.cumsum(amount) - amount
    group_start = 0.0
    for k in range(order.size):
        a = best[order[k]]
        if k == 0 or a != best[order[k - 1]]:
            group_start = before[k]
        take = min(max(need[a] - (before[k] - group_start), 0.0), amount[k])
        if take > 1e-9:
            pursuit[free[order[k]]], stake[free[order[k]]] = act[a], take
            private[act[a]] += take


@njit(cache=True)
def _by_key(key, n_keys):
    """``np.argsort(key, kind="stable")`` for keys in ``0 .. n_keys - 1``: a counting sort, one pass each way."""
    start = np.zeros(n_keys + 1, dtype=np.int64)
    for k in key:
        start[k + 1] += 1
    for k in range(n_keys):
        start[k + 1] += start[k]
    out = np.empty(key.size, dtype=np.int64)
    for i in range(key.size):
        out[start[key[i]]] = i
        start[key[i]] += 1
    return out


@njit(cache=True)
def lone_bidders(value, which, capital, capex, draw):
    """For each tender in turn, one free investor not yet bidding elsewhere, picked by the tender's uniform
    ``draw`` among those who can afford it and whose rate class values it above zero (``value``: rate classes ×
    tenders; ``which``: each free investor's class); tenders that pay nobody free are skipped. Returns the tenders
    and the picked investors' positions among the free.
    """
    n_free, n_tenders = which.size, capex.size
    picked = np.zeros(n_free, dtype=np.bool_)
    tenders, chosen = [], []
    able = np.empty(n_free, dtype=np.int64)
    for k in range(n_tenders):
        n_able = 0
        for j in range(n_free):
            if capital[j] >= capex[k] and value[which[j], k] > 0 and not picked[j]:
                able[n_able] = j
                n_able += 1
        if n_able == 0:
            continue
        pos = able[min(n_able - 1, int(draw[k] * n_able))]
        picked[pos] = True
        tenders.append(k)
        chosen.append(pos)
    return np.array(tenders, dtype=np.int64), np.array(chosen, dtype=np.int64)


@njit(cache=True)
def first_able(pursuit, capital, need, draw, k):
    """The ``k`` free investors with ``need`` of capital whose ``draw`` (in [0, 1)) is smallest, in the order of
    their draws (ties by row): ``able[np.argsort(draw[able], kind="stable")[:k]]``. When fewer than all of them
    file, one pass keeps the k smallest so far in a sorted buffer (a new draw goes after the equal ones, as a
    later row does in a stable sort), instead of sorting them all.
    """
    able = np.flatnonzero((pursuit < 0) & (capital >= need))
    if k <= 0 or k >= able.size:
        return able[np.argsort(draw[able], kind="mergesort")[:k]]
    out, best = np.empty(k, dtype=np.int64), np.empty(k)
    n = 0
    for i in able:
        x = draw[i]
        if n == k and not x < best[k - 1]:
            continue
        j = n if n < k else k - 1  # where it goes: after every kept draw at most x
        while j > 0 and best[j - 1] > x:
            best[j], out[j] = best[j - 1], out[j - 1]
            j -= 1
        best[j], out[j] = x, i
        n = min(n + 1, k)
    return out[:n]

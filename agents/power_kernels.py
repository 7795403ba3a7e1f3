"""A power's quarter in compiled passes: the candidates, their worth, the pick the budget carries.

Only exactly rounded arithmetic runs here, element by element in numpy's order, so the numbers are numpy's bit for
bit; the powers of the discount factor and the odds (transcendental functions) are computed with numpy in between.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.exact import maximum as _max
from model.exact import minimum as _min


@njit(cache=True)
def candidates(open_, active, power, solo, deposit, me, n_deposits, close, step, wait_q, direct, delay, capex,
               min_capex, priorities, commodity, by_delay):  # fmt: skip
    """The open plots a power considers: not already its own pursuit, large enough for its public finance, of a
    commodity it wants (with ``by_delay``, the foundation's rule, only those whose offers it expects to make binding
    before the host decides); in the order of ``open_``, with the quarters until the host decides on each (the
    close, plus the wait for a preferred partner in a negotiation, which a power counts on).
    """
    taken = np.zeros(n_deposits, dtype=np.bool_)
    for i in active:
        if power[i] == me and not solo[i]:
            taken[deposit[i]] = True
    out, reach = np.empty(open_.size, dtype=np.int64), np.empty(open_.size, dtype=np.int64)
    n = 0
    for r in open_:
        q = close[r] - step + (wait_q if direct[r] else 0)
        if not taken[r] and (delay <= q or not by_delay) and capex[r] >= min_capex and priorities[commodity[r]] > 0:
            out[n], reach[n] = r, q
            n += 1
    return out[:n], reach[:n]


@njit(cache=True, error_model="numpy")
def exponents(cand, lead_time, remaining, capacity, wait):
    """What ``npv_usd_m`` raises the discount factor to for each candidate: its lead ``max(lead_time, 1)``, its
    wait plus lead, and its life ``max(remaining / max(capacity, 1e-12), 0)``, in quarters.
    """
    lead, later, life = np.empty(cand.size, np.int64), np.empty(cand.size), np.empty(cand.size)
    for i in range(cand.size):
        r = cand[i]
        lead[i] = max(lead_time[r], 1)
        later[i] = wait + lead[i]
        life[i] = _max(remaining[r] / _max(capacity[r], 1e-12), 0.0)
    return lead, later, life


@njit(cache=True, error_model="numpy")
def weigh(cand, reach, me, by_odds, commodity, capacity, remaining, capex, lead_time, price, met, margin, stake,
          priorities, incumbency, incumbency_weight, finance_share, odds, v, den, v_wait, v_lead, v_later, v_life, lead,
          life, offer_cost, carry, delay):  # fmt: skip
    """Each candidate's reserve value, public finance and tranche, and its score: by the odds, the power's expected
    gain (as ``Power.weigh`` says), kept where positive; else, the foundation's rule, priority × value (at least
    1e-9) × incumbency. The discount factor ``v``, ``den = max(1 - v, 1e-12)`` and ``v`` to the power's delay, and
    per candidate to its lead, its wait plus lead and its life, are the parts of ``npv_usd_m``.
    Returns the kept positions in ``cand`` and those four columns for them.
    """
    n = cand.size
    keep, value, public, tranche, score = (np.empty(n, np.int64), np.empty(n), np.empty(n), np.empty(n),
                                           np.empty(n))  # fmt: skip
    k = 0
    for i in range(n):
        r, c = cand[i], commodity[cand[i]]
        val = remaining[r] * price[c] / 1e6
        pub = finance_share * capex[r]
        tr = pub / lead_time[r]
        inc = 1.0 + incumbency_weight * incumbency[c, me]
        if by_odds:
            cash = capacity[r] * 4.0 * price[c] * (margin - met[c]) / 1e6
            pays = (1.0 - v_lead[i]) / den if v < 1.0 else float(lead[i])
            lasts = (1.0 - v_life[i]) / den if v < 1.0 else life[i]
            npv = cash / 4.0 * v_later[i] * lasts - capex[r] / lead[i] * v_wait * pays
            worth = priorities[c] * inc * (1.0 - stake[i]) * npv
            s = odds[i] * worth - (offer_cost + tr * _min(delay, float(reach[i])) * carry)
            if not s > 0:
                continue
        else:
            s = priorities[c] * _max(val, 1e-9) * inc
        keep[k], value[k], public[k], tranche[k], score[k] = i, val, pub, tr, s
        k += 1
    return keep[:k], value[:k], public[:k], tranche[:k], score[:k]


@njit(cache=True)
def pick(wish, tranche, free, slots):
    """The most wanted candidates (by ``wish``, ties in order) whose tranche the free budget still carries, up to
    ``slots``, in the order taken; and whether the budget stopped one it wanted.
    """
    take = np.empty(wish.size, dtype=np.int64)
    n, bound = 0, False
    for j in np.argsort(-wish, kind="mergesort"):
        if n == slots:
            break
        if tranche[j] > free:
            bound = True
            continue
        take[n] = j
        n += 1
        free -= tranche[j]
    return take[:n], bound


@njit(cache=True)
def ready(z, mean, sd, cap, step):
    """The step each offer binds, from standard normal draws ``z``: a delay ``mean + sd * z`` floored at 0, capped
    by any fast-track ``cap > 0``, rounded.
    """
    out = np.empty(z.size, dtype=np.int64)
    for j in range(z.size):
        delay = _max(0.0, mean + sd * z[j])
        if cap > 0:
            delay = _min(delay, cap)
        out[j] = step + np.int64(np.rint(delay))
    return out

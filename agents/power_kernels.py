"""A power's quarter in compiled passes: the candidates, then their worth and the pick the budget carries.

What reaches the tables (a candidate's value, public finance and tranche) is exactly rounded arithmetic in numpy's
order, numpy's numbers bit for bit. What only the choice reads (the score's powers of the discount factor, the
odds, the log of the score and the Gumbel taste) takes the C library's functions: the last bits of a score may
differ from numpy's; a one-ulp change of every score moves no choice in 100 baseline runs
(``benchmarks/kernel_bits.py --runs``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from model.exact import maximum as _max
from model.exact import minimum as _min


@njit(cache=True)
def candidates(open_, active, power, solo, deposit, powers, n_holders, n_deposits, close, step, wait_q, direct, delay,
               capex, min_capex, priorities, commodity, by_delay):  # fmt: skip
    """The open plots each power considers, for every power in one pass (``powers``: their holder indices; ``delay``,
    ``min_capex`` and ``priorities`` by power, in that order): not already its own pursuit, large enough for its
    public finance, of a commodity it wants (with ``by_delay``, the foundation's rule, only those whose offers it
    expects to make binding before the host decides); in the order of ``open_``, with the quarters until the host
    decides on each (the close, plus the wait for a preferred partner in a negotiation, which a power counts on).
    Power ``k``'s are at ``start[k]:start[k + 1]`` of the plots and quarters returned.
    """
    k = powers.size
    slot = np.full(n_holders, -1, dtype=np.int64)
    for j in range(k):
        slot[powers[j]] = j
    taken = np.zeros((k, n_deposits), dtype=np.bool_)
    for i in active:
        if slot[power[i]] >= 0 and not solo[i]:
            taken[slot[power[i]], deposit[i]] = True
    out, reach = np.empty(k * open_.size, dtype=np.int64), np.empty(k * open_.size, dtype=np.int64)
    start = np.empty(k + 1, dtype=np.int64)
    n = 0
    for j in range(k):
        start[j] = n
        for r in open_:
            q = close[r] - step + (wait_q if direct[r] else 0)
            if (
                not taken[j, r]
                and (delay[j] <= q or not by_delay)
                and capex[r] >= min_capex[j]
                and priorities[j, commodity[r]] > 0
            ):
                out[n], reach[n] = r, q
                n += 1
    start[k] = n
    return out[:n], reach[:n], start


@njit(cache=True, error_model="numpy")
def weigh(cand, reach, me, by_odds, commodity, capacity, remaining, capex, lead_time, price, met, margin, stake,
          priorities, incumbency, incumbency_weight, finance_share, v, v_wait, offer_cost, carry, delay,
          approval_prob, delay_mean, delay_sd, cap):  # fmt: skip
    """``_worth`` called from Python (a kernel that other kernels call is not called from Python too: numba's
    cache can then lose what it needs to return arrays).
    """
    return _worth(cand, reach, me, by_odds, commodity, capacity, remaining, capex, lead_time, price, met, margin,
                  stake, priorities, incumbency, incumbency_weight, finance_share, v, v_wait, offer_cost, carry,
                  delay, approval_prob, delay_mean, delay_sd, cap)  # fmt: skip


@njit(cache=True, error_model="numpy")
def choose(cand, reach, me, by_odds, commodity, capacity, remaining, capex, lead_time, price, met, margin, stake,
           priorities, incumbency, incumbency_weight, finance_share, v, v_wait, offer_cost, carry, delay,
           approval_prob, delay_mean, delay_sd, cap, taste, free, slots):  # fmt: skip
    """A power's choice among its candidates in one pass: ``_worth``, then each kept candidate's wish (the log of
    its score plus a Gumbel draw from its ``taste``, a uniform per candidate) and ``_take`` of the most wanted
    that ``free`` budget carries, up to ``slots``. Returns the kept positions in ``cand``, their value, public
    finance and tranche, the positions taken among the kept, and whether the budget stopped one.
    """
    keep, value, public, tranche, score = _worth(cand, reach, me, by_odds, commodity, capacity, remaining, capex,
                                                 lead_time, price, met, margin, stake, priorities, incumbency,
                                                 incumbency_weight, finance_share, v, v_wait, offer_cost, carry,
                                                 delay, approval_prob, delay_mean, delay_sd, cap)  # fmt: skip
    wish = np.empty(keep.size)
    for j in range(keep.size):  # streams.gumbel's variate, clipped as it clips
        u = _min(_max(taste[keep[j]], 1e-300), 1.0 - 1e-16)
        wish[j] = np.log(score[j]) - np.log(-np.log(u))
    take, bound = _take(wish, tranche, free, slots)
    return keep, value, public, tranche, take, bound


@njit(cache=True, error_model="numpy")
def _worth(cand, reach, me, by_odds, commodity, capacity, remaining, capex, lead_time, price, met, margin, stake,
           priorities, incumbency, incumbency_weight, finance_share, v, v_wait, offer_cost, carry, delay,
           approval_prob, delay_mean, delay_sd, cap):  # fmt: skip
    """Each candidate's reserve value, public finance and tranche, and its score: by the odds, the power's expected
    gain (as ``Power.inputs`` says), kept where positive; else, the foundation's rule, priority × value (at least
    1e-9) × incumbency. The gain is ``npv_usd_m``'s arithmetic at the quarterly discount factor ``v`` (``v_wait``: to the
    power's expected delay), its odds ``approval_prob`` times the chance that a delay ``rint(max(0, N(delay_mean,
    delay_sd)))``, capped by a fast-track ``cap > 0``, is within each candidate's ``reach``.
    Value, finance and tranche are numpy's numbers bit for bit; the score, which only the choice reads, takes its
    powers and normal probability from the C library, whose last bits may differ from numpy's and scipy's.
    Returns the kept positions in ``cand`` and those four columns for them.
    """
    n = cand.size
    keep, value, public, tranche, score = (np.empty(n, np.int64), np.empty(n), np.empty(n), np.empty(n),
                                           np.empty(n))  # fmt: skip
    den = _max(1.0 - v, 1e-12)
    k = 0
    for i in range(n):
        r, c = cand[i], commodity[cand[i]]
        val = remaining[r] * price[c] / 1e6
        pub = finance_share * capex[r]
        tr = pub / lead_time[r]
        inc = 1.0 + incumbency_weight * incumbency[c, me]
        if by_odds:
            lead = float(max(lead_time[r], 1))
            life = _max(remaining[r] / _max(capacity[r], 1e-12), 0.0)
            cash = capacity[r] * 4.0 * price[c] * (margin - met[c]) / 1e6
            pays = (1.0 - v**lead) / den if v < 1.0 else lead
            lasts = (1.0 - v**life) / den if v < 1.0 else life
            npv = cash / 4.0 * v ** (delay + lead) * lasts - capex[r] / lead * v_wait * pays
            worth = priorities[c] * inc * (1.0 - stake[i]) * npv
            if delay_sd > 0:
                within = 0.5 * math.erfc(-(reach[i] + 0.5 - delay_mean) / delay_sd / math.sqrt(2.0))
            else:
                within = 1.0 if np.rint(_max(0.0, delay_mean)) <= reach[i] else 0.0
            if cap > 0 and cap < reach[i] + 0.5:  # a fast track binds it in time
                within = 1.0
            s = approval_prob * within * worth - (offer_cost + tr * _min(delay, float(reach[i])) * carry)
            if not s > 0:
                continue
        else:
            s = priorities[c] * _max(val, 1e-9) * inc
        keep[k], value[k], public[k], tranche[k], score[k] = i, val, pub, tr, s
        k += 1
    return keep[:k], value[:k], public[:k], tranche[:k], score[:k]


@njit(cache=True)
def pick(wish, tranche, free, slots):
    """``_take`` called from Python (see ``weigh``)."""
    return _take(wish, tranche, free, slots)


@njit(cache=True)
def _take(wish, tranche, free, slots):
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

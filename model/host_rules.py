"""The host's whole decision as pure functions over arrays: what it offers and how each channel decides (what an
award gives the state is in model/award_rules.py).

Three channels, as the Subsoil Code has them (docs/ODD.md §7.5): first-come-first-served exploration licences
(model/ground.py), auctions of state plots won by the highest signature bonus among bids that meet the legal
conditions (pass/fail), and direct negotiation for strategic deposits, decided by the host's objective (its
decisions in model/negotiation.py). Kept apart from the bidders (agents/) and the physical state (model/state.py), as ASSUME keeps bidding,
market and units apart, so that each rule is tested on a hand-worked book (tests/test_host_rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from model.exact import maximum, minimum, sorts_after
from model.vocabulary import Channel, Stage


@dataclass(frozen=True)
class Weights:
    """The host's objective weights (``host.w_*``) and its incumbency bonus."""

    revenue: float
    processing: float
    finance: float
    diversification: float
    incumbency: float
    framework: float = 0.0

    @classmethod
    def of(cls, host, packages: bool = True) -> Weights:
        """The weights of a ``HostParams`` (a framework agreement weighs only with packages on)."""
        return cls(
            host.w_revenue,
            host.w_processing,
            host.w_finance,
            host.w_diversification,
            host.incumbency,
            host.w_framework if packages else 0.0,
        )


@dataclass(frozen=True)
class Offers:
    """What the host sees in each offer: the state's revenue from it (USD m, present value), the processing it
    commits, the share of capex it finances, the partner's share of the foreign-held value of the commodity,
    the host's trust in the partner, the partner's incumbency in the commodity (its plants and contracts) and
    whether a framework agreement with the partner covers the commodity.
    """

    revenue: np.ndarray
    processing: np.ndarray
    coverage: np.ndarray
    foreign_share: np.ndarray
    trust: np.ndarray
    incumbent_share: np.ndarray
    framework: np.ndarray | float = 0.0


@njit(cache=True)
def fiscal_pv(deps, commodity, capacity, remaining, lead_q, price, met, stake, margin, rate, n):
    """Present value to the state (USD m, one entry per deposit of ``n``, zero outside ``deps``) of extraction tax
    and its stake's cash if deposit ``deps[j]`` were awarded now with state stake ``stake[j]``: a year's revenue
    at capacity times the tax, plus the stake's part of the margin left after tax, from the end of the lead time
    for the deposit's life, discounted at the host's yearly ``rate``. Only decisions read it (the host's objective),
    and its powers are the C library's, not numpy's: their last bits may differ from numpy's, no table's do.
    """
    out = np.zeros(n)
    v = (1.0 + rate) ** -0.25
    den = max(1.0 - v, 1e-12)
    for j in range(deps.size):
        d, c = deps[j], commodity[deps[j]]
        revenue = capacity[d] * 4.0 * price[c] / 1e6
        yearly = revenue * met[c] + stake[j] * revenue * maximum(margin - met[c], 0.0)
        life = remaining[d] / maximum(capacity[d], 1e-12)
        lasts = (1.0 - v**life) / den if v < 1.0 else life
        out[d] = yearly / 4.0 * v ** float(lead_q[d]) * lasts  # a float power, as numpy takes it
    return out


@njit(cache=True)
def offer_features(offers, deposit, power, bonus, fiscal, processing, public, private, capex, commodity,
                   foreign_shares, trust, incumbency, frameworks):  # fmt: skip
    """What the host sees in each of ``offers`` (pursuit ids; the other arrays are the pursuits', the deposits' and
    the holders'), as the rows of :class:`Offers`, in one pass: the state's revenue (the signature bonus plus the
    present value of tax and dividends, ``fiscal``), the processing committed, the share of capex financed (public
    and private money over capex), and the partner's foreign share, trust, incumbency and framework agreement in the
    commodity. Each number is numpy's, bit for bit (sums and quotients, ``maximum`` as numpy's).
    """
    out = np.empty((7, offers.size))
    for j in range(offers.size):
        i = offers[j]
        d, p = deposit[i], power[i]
        c = commodity[d]
        out[0, j] = bonus[i] + fiscal[d]
        out[1, j] = processing[i]
        out[2, j] = (public[i] + private[i]) / maximum(capex[d], 1e-9)
        out[3, j] = foreign_shares[c, p]
        out[4, j] = trust[p]
        out[5, j] = incumbency[c, p]
        out[6, j] = 1.0 if frameworks[c, p] else 0.0
    return out


def objective(deposit: np.ndarray, o: Offers, w: Weights) -> np.ndarray:
    """The host's objective for each offer (direct negotiation); revenue counts relative to the best offer for the
    same deposit, so the objective is in [0, trust].

    objective = trust × (w_revenue·revenue/best + w_processing·min(1, processing + incumbency × incumbent share)
                         + w_finance·coverage + w_diversification·(1 − foreign share) + w_framework·framework)

    Incumbency works through processing (a partner's plants and contracts in the commodity make its processing
    offer worth more); diversification works against its holdings: the host's multi-vector policy; a framework
    agreement in force for the commodity counts for the partner.
    """
    framework = o.framework if np.ndim(o.framework) else np.full(np.size(o.revenue), float(o.framework))
    return _objective(np.asarray(deposit, dtype=np.int64), o.revenue, o.processing, o.coverage, o.foreign_share,
                      o.trust, o.incumbent_share, framework, w.revenue, w.processing, w.finance, w.diversification,
                      w.incumbency, w.framework)  # fmt: skip


@njit(cache=True)
def _objective(deposit, revenue, processing, coverage, foreign_share, trust, incumbent_share, framework, w_revenue,
               w_processing, w_finance, w_diversification, w_incumbency, w_framework):  # fmt: skip
    """``objective`` in one pass (its dozen numpy calls on a few offers cost more than the arithmetic): the best
    revenue of each deposit as ``np.maximum.at`` finds it, then each offer's sum in numpy's order, ``np.clip``'s
    numbers (``tests/test_host_rules.py`` holds it to the numpy code it replaced).
    """
    n = deposit.size
    best = np.zeros(deposit.max() + 1 if n else 0)
    for j in range(n):
        best[deposit[j]] = maximum(best[deposit[j]], revenue[j])
    out = np.empty(n)
    for j in range(n):
        top = best[deposit[j]]
        rel = revenue[j] / top if top > 0 else 0.0
        base = (
            w_revenue * _unit(rel)
            + w_processing * _unit(processing[j] + w_incumbency * incumbent_share[j])
            + w_finance * _unit(coverage[j])
            + w_diversification * _unit(1.0 - foreign_share[j])
            + w_framework * framework[j]
        )
        out[j] = trust[j] * base
    return out


@njit(cache=True)
def _unit(x):
    """``np.clip(x, 0.0, 1.0)``'s number for one float (a NaN kept)."""
    return minimum(maximum(x, 0.0), 1.0)


def pick_winners(deposit: np.ndarray, score: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Index of the best offer for each distinct deposit, by deposit; equal scores are decided by ``tiebreak``."""
    return _pick(np.asarray(deposit), np.asarray(score, dtype=float), np.asarray(tiebreak, dtype=float))


@njit(cache=True)
def _pick(deposit, score, tiebreak):
    """``best_offers`` called from Python: a compiled function that other kernels call (``negotiation._decide``)
    is not called from Python too, as numba's cache can then lose what it needs to return an array.
    """
    return best_offers(deposit, score, tiebreak)


@njit(cache=True)
def best_offers(deposit, score, tiebreak):
    """``pick_winners`` compiled: the last offer of each deposit as ``np.lexsort((tiebreak, score, deposit))``
    orders them (a NaN after every number, equal keys in their order), found in one pass over the offers sorted
    stably by deposit.
    """
    order = np.argsort(deposit, kind="mergesort")
    out = np.empty(deposit.size, dtype=np.int64)
    n, i = 0, 0
    while i < order.size:
        b, j = order[i], i + 1
        while j < order.size and deposit[order[j]] == deposit[b]:
            c = order[j]
            if not (
                sorts_after(score[b], score[c]) or (_same(score[b], score[c]) and sorts_after(tiebreak[b], tiebreak[c]))
            ):
                b = c  # at least as late in lexsort's order, and after b: lexsort puts it after b
            j += 1
        out[n] = b
        n, i = n + 1, j
    return out[:n]


@njit(cache=True)
def _same(a, b):
    """Whether neither sorts after the other."""
    return not (sorts_after(a, b) or sorts_after(b, a))


def qualifies(processing: np.ndarray, coverage: np.ndarray, min_processing: float, min_coverage: float) -> np.ndarray:
    """The auction's legal conditions, pass or fail: an in-country processing commitment and a financed work
    programme.
    """
    return (processing >= min_processing - 1e-12) & (coverage >= min_coverage - 1e-12)


def auction_winners(deposit: np.ndarray, bonus: np.ndarray, ok: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Index of the winning bid for each deposit with a qualified bid: the highest signature bonus."""
    idx = ok.nonzero()[0]
    return idx[pick_winners(deposit[idx], bonus[idx], tiebreak[idx])]


def priority_buyer(scores: np.ndarray, reservation: float) -> int:
    """Art. 43: on a sale in a strategic deposit the state buys first unless a buyer's objective reaches
    ``reservation``; returns the index of the approved buyer, or -1 for the state.
    """
    if scores.size == 0 or scores.max() < reservation:
        return -1
    return int(np.argmax(scores))


@njit(cache=True)
def free_plots(stage, free_from, remaining, channel, step):
    """The plots the host may offer now, in row order: unlicensed, free again by ``step``, with reserves left, and
    not exploration ground.
    """
    out, n = np.empty(stage.size, dtype=np.int64), 0
    for r in range(stage.size):
        if (
            stage[r] == Stage.UNLICENSED
            and free_from[r] <= step
            and remaining[r] > 0
            and channel[r] != Channel.EXPLORATION
        ):
            out[n] = r
            n += 1
    return out[:n]


@njit(cache=True)
def decision_book(active, status, deposit, binding, stage, tender_close, direct, step):
    """What the host decides on this quarter: the binding offers (pursuits of ``active`` in status ``binding``) on
    plots still tendered, in order; whether each is on a plot allocated by negotiation (``direct``); the plots
    whose tender closes by ``step`` (a mask); and whether there is anything to decide.
    """
    offers, n = np.empty(active.size, dtype=np.int64), 0
    for i in active:
        if status[i] == binding and stage[deposit[i]] == Stage.TENDERED:
            offers[n] = i
            n += 1
    negotiated = np.empty(n, dtype=np.bool_)
    for j in range(n):
        negotiated[j] = direct[deposit[offers[j]]]
    closing, any_closing = np.empty(stage.size, dtype=np.bool_), False
    for r in range(stage.size):
        closing[r] = stage[r] == Stage.TENDERED and tender_close[r] <= step
        any_closing |= closing[r]
    return offers[:n], negotiated, closing, n > 0 or any_closing


def tenders_to_open(free: np.ndarray, draws: np.ndarray, rate: float) -> np.ndarray:
    """The free plots offered: ``max(1, round(rate × free))`` of them (none at rate 0), those with the lowest draws.

    ``draws`` holds one uniform number per deposit (this quarter's offer stream), so which of two free plots
    goes first never depends on what else is free.
    """
    if free.size == 0 or rate <= 0:
        return free[:0]
    k = min(free.size, max(1, round(rate * free.size)))
    d = draws[free]
    few = (d < min(1.0, 1.1 * k / free.size + 0.01)).nonzero()[0]  # uniform draws: a few more than k pass
    if few.size >= k:  # then the k lowest are all among them, and a stable sort keeps their order
        return free[few[d[few].argsort(kind="stable")[:k]]]
    return free[d.argsort(kind="stable")[:k]]

"""The host's whole decision as pure functions over arrays: what it offers, how each channel decides, what an
award gives the state.

Three channels, as the Subsoil Code has them (docs/ODD.md §7.5): first-come-first-served exploration licences
(model/ground.py), auctions of state plots won by the highest signature bonus among bids that meet the legal
conditions (pass/fail), and direct negotiation for strategic deposits, decided by the host's objective.
Kept apart from the bidders (agents/) and the physical state (model/state.py), as ASSUME keeps bidding,
market and units apart, so that each rule is tested on a hand-worked book (tests/test_host_rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numba import njit

from model.exact import row_sums

_PAST = np.iinfo(np.int64).max  # a deposit row past every other


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


def state_revenue_usd_m(bonus: np.ndarray, fiscal_pv: np.ndarray) -> np.ndarray:
    """The state's take from an offer: its signature bonus plus the present value of tax and dividends."""
    return bonus + fiscal_pv


def objective(deposit: np.ndarray, o: Offers, w: Weights) -> np.ndarray:
    """The host's objective for each offer (direct negotiation); revenue counts relative to the best offer for the
    same deposit, so the objective is in [0, trust].

    objective = trust × (w_revenue·revenue/best + w_processing·min(1, processing + incumbency × incumbent share)
                         + w_finance·coverage + w_diversification·(1 − foreign share) + w_framework·framework)

    Incumbency works through processing (a partner's plants and contracts in the commodity make its processing
    offer worth more); diversification works against its holdings: the host's multi-vector policy; a framework
    agreement in force for the commodity counts for the partner.
    """
    best = np.zeros(int(deposit.max()) + 1 if deposit.size else 0)
    np.maximum.at(best, deposit, o.revenue)
    rel = np.divide(o.revenue, best[deposit], out=np.zeros(np.shape(o.revenue)), where=best[deposit] > 0)
    base = (
        w.revenue * unit(rel)
        + w.processing * unit(o.processing + w.incumbency * o.incumbent_share)
        + w.finance * unit(o.coverage)
        + w.diversification * unit(1.0 - o.foreign_share)
        + w.framework * o.framework
    )
    return o.trust * base


def pick_winners(deposit: np.ndarray, score: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Index of the best offer for each distinct deposit; equal scores are decided by ``tiebreak``."""
    if deposit.size == 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((tiebreak, score, deposit))
    sorted_deposit = deposit[order]
    return order[then(sorted_deposit[1:] != sorted_deposit[:-1], True)]


def then(a: np.ndarray, last) -> np.ndarray:
    """``np.append(a, last)`` for a 1-d ``a`` whose dtype holds ``last``, without numpy's Python-level wrappers
    (a few microseconds a call in the host's every decision).
    """
    out = np.empty(a.size + 1, dtype=a.dtype)
    out[:-1] = a
    out[-1] = last
    return out


def unit(x: np.ndarray) -> np.ndarray:
    """``np.clip(x, 0.0, 1.0)`` (the same numbers, NaN kept) without numpy's Python-level wrappers."""
    return np.minimum(np.maximum(x, 0.0), 1.0)


def qualifies(processing: np.ndarray, coverage: np.ndarray, min_processing: float, min_coverage: float) -> np.ndarray:
    """The auction's legal conditions, pass or fail: an in-country processing commitment and a financed work
    programme.
    """
    return (processing >= min_processing - 1e-12) & (coverage >= min_coverage - 1e-12)


def auction_winners(deposit: np.ndarray, bonus: np.ndarray, ok: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Index of the winning bid for each deposit with a qualified bid: the highest signature bonus."""
    idx = ok.nonzero()[0]
    return idx[pick_winners(deposit[idx], bonus[idx], tiebreak[idx])]


def accepted_now(
    score: np.ndarray, closing: np.ndarray, reservation: float | np.ndarray, minimum: float | np.ndarray = 0.0
) -> np.ndarray:
    """Which best negotiation offers the host takes now: those at its reservation objective, and at the close
    those that reach its minimum (below it, the host declines and keeps the deposit). Either bar may be given
    per offer (a strategic deposit's bars include what the state's own firm is worth).
    """
    return (score >= reservation) | (closing & (score >= minimum))


def keep_open(best_now: float, pending_best: float, pending_ready: int, close: int, wait_q: int) -> int:
    """The step until which the host keeps a closing negotiation open for a preferred partner, or ``close``.

    It waits when an offer still in approval would serve its objective better than the best binding one, and
    comes within ``wait_q`` quarters of the close.
    """
    if pending_best > best_now and pending_ready <= close + wait_q:
        return max(close + 1, int(pending_ready))
    return close


class Verdict(IntEnum):
    """What the host decides about a negotiated deposit this quarter."""

    ACCEPT = 0  # the best binding offer reaches the reservation objective: taken now, closing or not
    ACCEPT_AT_CLOSE = 1  # at the close, the best binding offer reaches the host's minimum
    KEEP_OPEN = 2  # at the close, wait once for a preferred partner still in approval
    STATE_FIRM = 3  # at the close, the state's own firm is worth more than any partner (strategic deposits)
    DECLINE = 4  # at the close, nothing acceptable: the plot is offered again later


@dataclass(frozen=True)
class Book:
    """A quarter's negotiations, as the host sees them (arrays passed in; nothing is read from a model).

    Per binding offer: its deposit, its objective, its tiebreak draw, whether its deposit closes this quarter and
    whether it is strategic. Per closing negotiated deposit (``rows``, ascending): whether it is strategic and
    whether it was already kept open once. Per offer still in approval on a closing deposit: its deposit, its
    objective and the step its approval is due.
    """

    deposit: np.ndarray
    score: np.ndarray
    tiebreak: np.ndarray
    closing: np.ndarray
    strategic: np.ndarray
    rows: np.ndarray
    row_strategic: np.ndarray
    row_extended: np.ndarray
    pending_deposit: np.ndarray
    pending_score: np.ndarray
    pending_ready: np.ndarray


@dataclass(frozen=True)
class Bars:
    """The host's bars: the reservation objective (accept at once), the minimum (accept at the close), what the
    state's own firm is worth in a strategic deposit, how long it waits for a preferred partner, and the step.
    """

    reservation: float
    minimum: float
    state_firm: float
    wait_q: int
    step: int


@dataclass(frozen=True)
class Decisions:
    """One decision per deposit, in the order the host applies them: awards taken now (by deposit), then the
    closing deposits (by deposit). ``offer`` indexes the book's binding offers (-1: none); ``until`` is the step a
    kept-open negotiation closes.
    """

    deposit: np.ndarray
    verdict: np.ndarray
    offer: np.ndarray
    until: np.ndarray

    def of(self, verdict: Verdict) -> np.ndarray:
        """Positions of the decisions with this verdict."""
        return (self.verdict == verdict).nonzero()[0]


def negotiate(book: Book, bars: Bars) -> Decisions:
    """The host's decisions in its negotiations (direct negotiation, Subsoil Code).

    The best binding offer for each deposit (by objective, ties by draw) is accepted at once if it reaches the
    reservation objective, closing or not. At a deposit's close: the host waits once, up to ``wait_q`` quarters,
    for an offer still in approval that it would prefer (``keep_open``); else, in a strategic deposit, its own firm
    takes the deposit when no offer reaches what the firm is worth; else it accepts the best offer that reaches
    its minimum; else it declines. In a strategic deposit both bars are at least what the state's firm is worth.
    A deposit accepted now may also be kept open at its close (the award stands; pursuits still in approval are
    then pre-empted, not missed).
    """
    rows, step = book.rows, bars.step
    best = pick_winners(book.deposit, book.score, book.tiebreak)  # one per deposit, by deposit
    dep, score = book.deposit[best].astype(np.int64, copy=False), book.score[best]
    firm = np.where(book.strategic[best], bars.state_firm, 0.0)
    reservation, minimum = np.maximum(bars.reservation, firm), np.maximum(bars.minimum, firm)
    take = accepted_now(score, book.closing[best], reservation, minimum)
    now = take & (score >= reservation)
    # each closing row's best offer, if any (a last entry past every deposit stands for none)
    past = then(dep, _PAST)
    at = past.searchsorted(rows)
    has = past[at] == rows
    now_best = np.where(has, then(score, -np.inf)[at], -np.inf)
    until = np.full(rows.size, step, dtype=np.int64)
    waiting = np.isin(rows, book.pending_deposit) if book.pending_deposit.size else np.zeros(rows.size, dtype=bool)
    for k in waiting.nonzero()[0]:  # most have no offer in approval: no search
        until[k] = _wait(book, bars, int(rows[k]), float(now_best[k]), bool(book.row_extended[k]))
    verdict = np.full(rows.size, Verdict.DECLINE, dtype=np.int64)  # the first that holds, set last
    verdict[has & then(take, False)[at]] = Verdict.ACCEPT_AT_CLOSE
    verdict[book.row_strategic & (bars.state_firm > 0) & (now_best < bars.state_firm)] = Verdict.STATE_FIRM
    verdict[has & then(now, False)[at]] = -1  # accepted now: decided already
    verdict[until != step] = Verdict.KEEP_OPEN
    kept = verdict >= 0
    verdict, at, until = verdict[kept], at[kept], until[kept]
    n = int(now.sum())
    return Decisions(
        deposit=np.concatenate([dep[now], rows[kept]]).astype(np.int64),
        verdict=np.concatenate([np.full(n, Verdict.ACCEPT), verdict]).astype(np.int64),
        offer=np.concatenate([best[now], np.where(verdict == Verdict.ACCEPT_AT_CLOSE, then(best, -1)[at], -1)]),
        until=np.concatenate([np.full(n, -1), np.where(verdict == Verdict.KEEP_OPEN, until, -1)]).astype(np.int64),
    )


def _wait(book: Book, bars: Bars, row: int, best_now: float, extended: bool) -> int:
    """Until when the host keeps ``row`` open for its preferred pending offer (the first best by pursuit order)."""
    if extended or bars.wait_q == 0:
        return bars.step
    on_row = book.pending_deposit == row
    if not on_row.any():
        return bars.step
    k = int(np.argmax(book.pending_score[on_row]))
    return keep_open(
        best_now, float(book.pending_score[on_row][k]), int(book.pending_ready[on_row][k]), bars.step, bars.wait_q
    )


def priority_buyer(scores: np.ndarray, reservation: float) -> int:
    """Art. 43: on a sale in a strategic deposit the state buys first unless a buyer's objective reaches
    ``reservation``; returns the index of the approved buyer, or -1 for the state.
    """
    if scores.size == 0 or scores.max() < reservation:
        return -1
    return int(np.argmax(scores))


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

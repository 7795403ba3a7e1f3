"""The host's decisions in direct negotiation (Subsoil Code 2018), a pure function of a quarter's book.

``agents/host.py`` gathers the book (binding offers with the host's objective, the deposits closing, the offers
still in approval); ``negotiate`` returns one typed decision per deposit, and the agent applies them through
``model/licences.py``. The decision runs as one compiled pass (``_decide``): a quarter's book holds a few offers,
and some thirty numpy calls on arrays that small cost far more than the decisions. Only comparisons run there,
so the decisions are those of the numpy code it replaced (``tests/test_rule_references.py`` holds it to the
per-row loop before that, and ``tests/test_host_rules.py`` to hand-worked books).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from numba import njit

from model.exact import maximum
from model.host_rules import best_offers


class Verdict(IntEnum):
    """What the host decides about a negotiated deposit this quarter."""

    ACCEPT = 0  # the best binding offer reaches the reservation objective: taken now, closing or not
    ACCEPT_AT_CLOSE = 1  # at the close, the best binding offer reaches the host's minimum
    KEEP_OPEN = 2  # at the close, wait once for a preferred partner still in approval
    STATE_FIRM = 3  # at the close, the state's own firm is worth more than any partner (strategic deposits)
    DECLINE = 4  # at the close, nothing acceptable: the plot is offered again later


# plain integers for the compiled pass
_ACCEPT, _AT_CLOSE, _KEEP_OPEN, _STATE_FIRM, _DECLINE = (int(v) for v in Verdict)
_DECIDED = -1  # a closing row whose deposit was accepted now: no second decision


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


@njit(cache=True)
def accepted_now(score, closing, reservation, minimum=0.0):
    """Whether the host takes a best negotiation offer now: at its reservation objective, or at the close if it
    reaches its minimum (below it, the host declines and keeps the deposit). A strategic deposit's bars include
    what the state's own firm is worth. Scalars (returning an array to Python from a function that a kernel also
    calls can fail in numba's cache).
    """
    return score >= reservation or (closing and score >= minimum)


@njit(cache=True)
def keep_open(best_now, pending_best, pending_ready, close, wait_q):
    """The step until which the host keeps a closing negotiation open for a preferred partner, or ``close``.

    It waits when an offer still in approval would serve its objective better than the best binding one, and
    comes within ``wait_q`` quarters of the close.
    """
    if pending_best > best_now and pending_ready <= close + wait_q:
        return max(close + 1, int(pending_ready))
    return close


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
    b = book
    deposit, verdict, offer, until = _decide(
        np.asarray(b.deposit, dtype=np.int64),
        np.asarray(b.score, dtype=float),
        np.asarray(b.tiebreak, dtype=float),
        np.asarray(b.closing, dtype=np.bool_),
        np.asarray(b.strategic, dtype=np.bool_),
        np.asarray(b.rows, dtype=np.int64),
        np.asarray(b.row_strategic, dtype=np.bool_),
        np.asarray(b.row_extended, dtype=np.bool_),
        np.asarray(b.pending_deposit, dtype=np.int64),
        np.asarray(b.pending_score, dtype=float),
        np.asarray(b.pending_ready, dtype=np.int64),
        float(bars.reservation),
        float(bars.minimum),
        float(bars.state_firm),
        int(bars.wait_q),
        int(bars.step),
    )
    return Decisions(deposit=deposit, verdict=verdict, offer=offer, until=until)


@njit(cache=True)
def _preferred(row, pending_deposit, pending_score):
    """The first best offer in approval on ``row`` (``np.argmax`` over its offers, in pursuit order: a NaN wins),
    or -1 if it has none.
    """
    k = -1
    for j in range(pending_deposit.size):
        if pending_deposit[j] != row:
            continue
        if k < 0:
            k = j
            continue
        s, best = pending_score[j], pending_score[k]
        if best == best and (s > best or s != s):
            k = j
    return k


@njit(cache=True)
def _decide(deposit, score, tiebreak, closing, strategic, rows, row_strategic, row_extended, pending_deposit,
            pending_score, pending_ready, reservation, minimum, state_firm, wait_q, step):  # fmt: skip
    """``negotiate`` in one pass: the best offers and which are taken now, then each closing row's verdict (the
    last that holds of: decline, accept at the close, the state's firm, accepted now already, keep open).
    """
    best = best_offers(deposit, score, tiebreak)  # one per deposit, by deposit
    take, now = np.zeros(best.size, np.bool_), np.zeros(best.size, np.bool_)
    for i in range(best.size):
        firm = state_firm if strategic[best[i]] else 0.0
        bar, floor = maximum(reservation, firm), maximum(minimum, firm)
        s = score[best[i]]
        take[i] = accepted_now(s, closing[best[i]], bar, floor)
        now[i] = take[i] and s >= bar
    dep = deposit[best]
    verdict, until = np.full(rows.size, _DECLINE), np.full(rows.size, step)
    at = np.full(rows.size, -1)
    for r in range(rows.size):
        row = rows[r]
        k = np.searchsorted(dep, row)
        if k < dep.size and dep[k] == row:
            at[r] = k
        now_best = score[best[k]] if at[r] >= 0 else -np.inf
        if not (row_extended[r] or wait_q == 0):
            j = _preferred(row, pending_deposit, pending_score)
            if j >= 0:
                until[r] = keep_open(now_best, pending_score[j], pending_ready[j], step, wait_q)
        if at[r] >= 0 and take[k]:
            verdict[r] = _AT_CLOSE
        if row_strategic[r] and state_firm > 0 and now_best < state_firm:
            verdict[r] = _STATE_FIRM
        if at[r] >= 0 and now[k]:
            verdict[r] = _DECIDED
        if until[r] != step:
            verdict[r] = _KEEP_OPEN
    n = int(now.sum()) + int((verdict != _DECIDED).sum())
    out_deposit, out_verdict = np.empty(n, np.int64), np.empty(n, np.int64)
    out_offer, out_until = np.full(n, -1), np.full(n, -1)
    o = 0
    for i in range(best.size):
        if now[i]:
            out_deposit[o], out_verdict[o], out_offer[o] = dep[i], _ACCEPT, best[i]
            o += 1
    for r in range(rows.size):
        if verdict[r] != _DECIDED:
            out_deposit[o], out_verdict[o] = rows[r], verdict[r]
            if verdict[r] == _AT_CLOSE:
                out_offer[o] = best[at[r]]
            if verdict[r] == _KEEP_OPEN:
                out_until[o] = until[r]
            o += 1
    return out_deposit, out_verdict, out_offer, out_until

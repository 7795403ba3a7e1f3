"""The host's whole decision as pure functions over arrays: offer features, scoring, acceptance, award terms.

Kept apart from the bidders' strategies (agents/) and the physical state (model/state.py), as ASSUME keeps
bidding, market and units apart, so that each rule can be tested on a hand-worked book
(tests/test_host_rules.py). ``agents/host.py`` only gathers the arrays and applies the results.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Weights:
    """The host's scoring weights (``host.w_*``) and its incumbency bonus."""

    money: float
    processing: float
    finance: float
    speed: float
    diversification: float
    incumbency: float

    @classmethod
    def of(cls, host) -> Weights:
        """The weights of a ``HostParams``."""
        return cls(
            host.w_money, host.w_processing, host.w_finance, host.w_speed, host.w_diversification, host.incumbency
        )


@dataclass(frozen=True)
class Features:
    """What the host sees in each offer, each in [0, 1] except ``money`` (USD m, normalised when scored)."""

    money: np.ndarray  # bonus + capital + the value of the offtake the bidder takes for a year
    coverage: np.ndarray  # share of capex the offer finances
    processing: np.ndarray
    finance: np.ndarray
    speed: np.ndarray  # 1 − share of the window gone before the offer became binding
    diversification: np.ndarray  # 1 − the bidder's share of the foreign-held value of the commodity
    trust: np.ndarray
    incumbent_share: np.ndarray  # the bidder's share of the commodity's licensed value


def offer_features(
    *,
    bonus: np.ndarray,
    public: np.ndarray,
    private: np.ndarray,
    offtake: np.ndarray,
    processing: np.ndarray,
    finance: np.ndarray,
    capex: np.ndarray,
    annual_revenue: np.ndarray,
    binding_step: np.ndarray,
    tender_open: np.ndarray,
    tender_close: np.ndarray,
    foreign_share: np.ndarray,
    trust: np.ndarray,
    incumbent_share: np.ndarray,
) -> Features:
    """The features of each offer from its terms and the tender it answers."""
    window = np.maximum(1, tender_close - tender_open)
    return Features(
        money=bonus + public + private + offtake * annual_revenue,
        coverage=np.divide(public + private, capex, out=np.zeros_like(capex, dtype=float), where=capex > 0),
        processing=processing,
        finance=finance,
        speed=1.0 - (binding_step - tender_open) / window,
        diversification=1.0 - foreign_share,
        trust=trust,
        incumbent_share=incumbent_share,
    )


def score_offers(deposit: np.ndarray, f: Features, w: Weights) -> np.ndarray:
    """Score of each offer; money is normalised by the best money offered for the same deposit.

    score = trust × (w_money·(money/best + coverage)/2 + w_proc·processing + w_fin·finance
                     + w_speed·speed + w_div·diversification) × (1 + incumbency × incumbent_share)
    """
    best = np.zeros(int(deposit.max()) + 1 if deposit.size else 0)
    np.maximum.at(best, deposit, f.money)
    rel = np.divide(f.money, best[deposit], out=np.zeros_like(f.money, dtype=float), where=best[deposit] > 0)
    base = (
        w.money * 0.5 * (rel + np.clip(f.coverage, 0.0, 1.0))
        + w.processing * f.processing
        + w.finance * f.finance
        + w.speed * np.clip(f.speed, 0.0, 1.0)
        + w.diversification * np.clip(f.diversification, 0.0, 1.0)
    )
    return f.trust * base * (1.0 + w.incumbency * f.incumbent_share)


def pick_winners(deposit: np.ndarray, score: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Index of the best offer for each distinct deposit; equal scores are decided by ``tiebreak``.

    ``tiebreak`` is one uniform draw per offer from the host's tie-break stream, so ties are random but
    reproducible.
    """
    if deposit.size == 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((tiebreak, score, deposit))
    last = np.r_[deposit[order][1:] != deposit[order][:-1], True]
    return order[last]


def accepted(score: np.ndarray, first_come: np.ndarray, closing: np.ndarray, reservation: float) -> np.ndarray:
    """Which best offers the host takes now: first-come deposits, offers at the reservation score, closing tenders."""
    return first_come | (score >= reservation) | closing


def tenders_to_open(free: np.ndarray, draws: np.ndarray, rate: float) -> np.ndarray:
    """The free deposits put to tender: ``max(1, round(rate × free))`` of them, those with the lowest draws.

    ``draws`` holds one uniform number per deposit of the table (this quarter's tender stream), so which of
    two free deposits goes first never depends on what else is free.
    """
    if free.size == 0:
        return free
    k = min(free.size, max(1, round(rate * free.size)))
    return free[np.argsort(draws[free], kind="stable")[:k]]


def state_stake(is_uranium: np.ndarray, uranium: float, other: float) -> np.ndarray:
    """The state's share in new awards: Kazatomprom's in uranium, Tau-Ken Samruk's otherwise."""
    return np.where(is_uranium, uranium, other)


def award_equity(n_holders: int, host: int, winner: int, stake: float) -> np.ndarray:
    """Equity after an award: the state's stake, the rest to the winner."""
    out = np.zeros(n_holders)
    out[host] += stake
    out[winner] += 1.0 - stake
    return out


def offtake_split(
    equity: np.ndarray, winner: int, offtake_share: float, host: int, exports: dict[int, float]
) -> np.ndarray:
    """Who takes a new award's output: the winner at least its equity and up to ``offtake_share`` out of the
    host's part; the host exports ``exports[holder]`` of what remains of its part, and keeps the rest.
    """
    out = equity.copy()
    extra = min(max(0.0, offtake_share - out[winner]), out[host])
    out[winner] += extra
    out[host] -= extra
    kept = out[host]
    for holder, share in exports.items():
        out[holder] += kept * share
        out[host] -= kept * share
    return out

"""The host's market institution as pure functions: score bundled offers and pick winners.

Kept apart from the bidders (agents/) and the physical state (model/state.py), as in ASSUME, so that the
rules can be tested by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Weights:
    money: float
    processing: float
    finance: float
    speed: float
    diversification: float
    incumbency: float


def score_offers(
    deposit: np.ndarray,
    money: np.ndarray,
    coverage: np.ndarray,
    processing: np.ndarray,
    finance: np.ndarray,
    speed: np.ndarray,
    diversification: np.ndarray,
    trust: np.ndarray,
    incumbent_share: np.ndarray,
    w: Weights,
) -> np.ndarray:
    """Score of each offer; money is normalised by the best money offered for the same deposit.

    score = trust × (w_money·(money/best + coverage)/2 + w_proc·processing + w_fin·finance
                     + w_speed·speed + w_div·diversification) × (1 + incumbency × incumbent_share)
    """
    best = np.zeros(int(deposit.max()) + 1 if deposit.size else 0)
    np.maximum.at(best, deposit, money)
    rel = np.divide(money, best[deposit], out=np.zeros_like(money, dtype=float), where=best[deposit] > 0)
    base = (
        w.money * 0.5 * (rel + np.clip(coverage, 0.0, 1.0))
        + w.processing * processing
        + w.finance * finance
        + w.speed * np.clip(speed, 0.0, 1.0)
        + w.diversification * np.clip(diversification, 0.0, 1.0)
    )
    return trust * base * (1.0 + w.incumbency * incumbent_share)


def pick_winners(deposit: np.ndarray, score: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Index of the best offer for each distinct deposit; equal scores are decided by ``tiebreak``.

    ``tiebreak`` is one uniform draw per offer from the model's rng, so ties are random but reproducible.
    """
    if deposit.size == 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((tiebreak, score, deposit))
    last = np.r_[deposit[order][1:] != deposit[order][:-1], True]
    return order[last]

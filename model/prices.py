"""Commodity prices: a log random walk with rare jumps and scenario shocks around a pull that the markets give
(``model/markets.py``: reversion to a path, or the answer to a supply-demand gap), and, where term contracts
carry most sales, a term price that follows the spot price slowly.

The random draws come from the ``prices`` stream in a fixed block per quarter (one normal, one uniform and one
jump size per commodity), so the shocks are the same whatever the markets do (common random numbers).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from model.commodities import COMMODITIES
from model.libm import exp, power


class PriceProcess:
    """Spot, term and realised prices by commodity; ``price`` (realised) is what every valuation reads."""

    def __init__(self, base: np.ndarray, p, rng: np.random.Generator, term_share=None, term_reset_q=1.0) -> None:
        vol = {"base": p.vol_base, "high": p.vol_high, "speculative": p.vol_speculative}
        self.base = base.astype(float)
        self.spot = self.base.copy()
        self.term = self.base.copy()
        self.price = self.base.copy()
        self.term_share = np.zeros_like(self.base) if term_share is None else np.asarray(term_share, dtype=float)
        self._held = self.term_share > 0  # where term contracts carry sales (fixed for the run)
        self._any_held, self._spot_share = bool(self._held.any()), 1.0 - self.term_share
        self.term_reset_q = term_reset_q
        self.sigma = np.array([vol[c.volatility] for c in COMMODITIES])
        self.jump_prob, self.log_jump = p.jump_prob, math.log(p.jump_max)
        self.rng = rng

    def step(self, drift: np.ndarray) -> None:
        """One quarter's move of the spot price: ``drift`` (the markets' pull), a normal shock and, rarely, a jump;
        the term price follows the spot over ``term_reset_q`` quarters; the realised price mixes the two by the
        term share.
        """
        n = len(self.spot)
        normal, uniform = self.rng.standard_normal(n), self.rng.random(n)
        change = _change(
            drift, self.sigma, normal, uniform, self.jump_prob, self.rng.uniform(-self.log_jump, self.log_jump, n)
        )
        self.spot = self.spot * exp(change)
        if self._any_held:
            follow = power(self.spot / self.term, 1.0 / self.term_reset_q)
            self.term, self.price = _realised(self.term, follow, self.spot, self._held, self.term_share,
                                              self._spot_share)  # fmt: skip
        else:
            self.term = self.spot
            self.price = self._mix()

    def shock(self, commodity: int, factor: float) -> None:
        """Multiply one commodity's spot price (a scenario's price shock); the market then takes over."""
        self.spot[commodity] *= factor
        self.price = self._mix()

    def _mix(self) -> np.ndarray:
        return self.term_share * self.term + self._spot_share * self.spot


@njit(cache=True)
def _change(drift, sigma, normal, uniform, jump_prob, jump):
    """The quarter's log change: ``drift + sigma * normal``, plus ``jump`` where ``uniform < jump_prob`` (numpy's
    arithmetic in its order: a jump is added as ``jump * 1.0``, no jump as ``jump * 0.0``).
    """
    out = np.empty(drift.size)
    for c in range(drift.size):
        out[c] = drift[c] + sigma[c] * normal[c]
        out[c] += (1.0 if uniform[c] < jump_prob else 0.0) * jump[c]
    return out


@njit(cache=True)
def _realised(term, follow, spot, held, term_share, spot_share):
    """The term price (where term contracts carry sales, ``term * follow``; elsewhere the spot) and the realised
    price, ``term_share * term + spot_share * spot``: numpy's arithmetic in its order.
    """
    terms, price = np.empty(term.size), np.empty(term.size)
    for c in range(term.size):
        terms[c] = term[c] * follow[c] if held[c] else spot[c]
        price[c] = term_share[c] * terms[c] + spot_share[c] * spot[c]
    return terms, price

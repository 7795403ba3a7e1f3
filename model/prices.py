"""Commodity prices: mean-reverting log random walk with rare jumps, plus scenario shocks."""

from __future__ import annotations

import numpy as np

from model.commodities import COMMODITIES


class PriceProcess:
    """Prices by commodity, from their own random stream (the same path whatever the powers do)."""

    def __init__(self, base: np.ndarray, p, rng: np.random.Generator) -> None:
        vol = {"base": p.vol_base, "high": p.vol_high, "speculative": p.vol_speculative}
        self.base = base.astype(float)
        self.price = self.base.copy()
        self.sigma = np.array([vol[c.volatility] for c in COMMODITIES])
        self.reversion, self.jump_prob, self.log_jump = p.reversion, p.jump_prob, np.log(p.jump_max)
        self.rng = rng

    def step(self) -> None:
        """One quarter's move: reversion to base, a normal shock and, rarely, a jump (fixed draws per quarter)."""
        n = len(self.price)
        log_gap = np.log(self.base) - np.log(self.price)
        change = self.reversion * log_gap + self.sigma * self.rng.standard_normal(n)
        jumps = self.rng.random(n) < self.jump_prob
        change += jumps * self.rng.uniform(-self.log_jump, self.log_jump, n)
        self.price = self.price * np.exp(change)

    def shock(self, commodity: int, factor: float) -> None:
        """Multiply one commodity's price (a scenario's price shock)."""
        self.price[commodity] *= factor

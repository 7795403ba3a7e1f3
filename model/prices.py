"""Commodity prices: mean-reverting log random walk with rare jumps, plus scenario shocks."""

from __future__ import annotations

import numpy as np

from model.commodities import COMMODITIES


class PriceProcess:
    def __init__(self, base: np.ndarray, values: dict, rng: np.random.Generator):
        self.base = base.astype(float)
        self.price = self.base.copy()
        self.sigma = np.array([values[f"price.vol_{c.volatility}"] for c in COMMODITIES])
        self.reversion = values["price.reversion"]
        self.jump_prob = values["price.jump_prob"]
        self.log_jump = np.log(values["price.jump_max"])
        self.rng = rng

    def step(self) -> None:
        n = len(self.price)
        log_gap = np.log(self.base) - np.log(self.price)
        change = self.reversion * log_gap + self.sigma * self.rng.standard_normal(n)
        jumps = self.rng.random(n) < self.jump_prob
        change += jumps * self.rng.uniform(-self.log_jump, self.log_jump, n)
        self.price = self.price * np.exp(change)

    def shock(self, commodity: int, factor: float) -> None:
        self.price[commodity] *= factor

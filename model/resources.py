"""How big a new deposit is and how fast it can be mined, fitted to the real table.

Sizes follow a log-normal size–frequency law per commodity: the mean of log contained tonnes of the commodity's
rows in the deposit table, and one spread pooled over the commodities with at least three rows (most have too
few rows for their own). Capacity follows Taylor's rule (mine life ∝ tonnage^0.25, data/README.md), anchored at
the commodity's median life in the table, so a deposit ten times larger lives 1.8 times longer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.commodities import NAMES
from model.libm import exp, log, power

TAYLOR_EXPONENT = 0.25  # Taylor (1986): life ∝ ore tonnage^0.25 (data/README.md)
DEFAULT_LIFE_Q = 80  # 20 years where the table has no rows of the commodity (data/README.md's rule)
_FITTED: dict[tuple, SizeLaw] = {}  # SizeLaw.fit's laws, by the rows' bytes


@dataclass(frozen=True)
class SizeLaw:
    """Per commodity: log-mean of size (``mu``, NaN if no table rows), a pooled ``sigma``, and the Taylor anchor."""

    mu: np.ndarray
    sigma: float
    median_size: np.ndarray
    median_life_q: np.ndarray

    @classmethod
    def fit(cls, commodity: np.ndarray, contained: np.ndarray, capacity: np.ndarray) -> SizeLaw:
        """Fit to the table's rows (commodity index, contained tonnes, capacity per quarter). A batch builds
        thousands of models from one table, so fits are kept per process by the rows' bytes (read-only: shared).
        """
        key = tuple((a.dtype.str, a.tobytes()) for a in (commodity, contained, capacity))
        law = _FITTED.get(key)
        if law is None:
            if len(_FITTED) >= 16:  # a few tables per process; synthetic tables differ by seed
                _FITTED.clear()
            law = _FITTED[key] = cls._fit(commodity, contained, capacity)
            for a in (law.mu, law.median_size, law.median_life_q):
                a.flags.writeable = False
        return law

    @classmethod
    def _fit(cls, commodity: np.ndarray, contained: np.ndarray, capacity: np.ndarray) -> SizeLaw:
        n = len(NAMES)
        mu, med, life = np.full(n, np.nan), np.full(n, np.nan), np.full(n, float(DEFAULT_LIFE_Q))
        spreads, weights = [], []
        logs = log(np.maximum(contained, 1e-9))
        for c in range(n):
            rows = commodity == c
            if not rows.any():
                continue
            mu[c], med[c] = logs[rows].mean(), np.median(contained[rows])
            life[c] = np.median(contained[rows] / np.maximum(capacity[rows], 1e-9))
            if rows.sum() >= 3 and logs[rows].std() > 0:
                spreads.append(logs[rows].var(ddof=1))
                weights.append(rows.sum() - 1)
        sigma = float(np.sqrt(np.average(spreads, weights=weights))) if spreads else 1.0
        return cls(mu, sigma, med, life)

    def size(self, commodity: np.ndarray, u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
        """Contained tonnes of new deposits from two uniforms each (Box–Muller normal on the log scale)."""
        from model.streams import normal

        return exp(self.mu[commodity] + self.sigma * normal(u1, u2))

    def capacity(self, commodity: np.ndarray, contained: np.ndarray) -> np.ndarray:
        """Tonnes per quarter by Taylor's rule, anchored at the commodity's median life in the table."""
        med = np.where(np.isfinite(self.median_size[commodity]), self.median_size[commodity], contained)
        life = self.median_life_q[commodity] * power(contained / med, TAYLOR_EXPONENT)
        return contained / np.maximum(life, 4.0)

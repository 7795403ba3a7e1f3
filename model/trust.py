"""Asymmetric trust: built slowly by engagement and delivery, lost fast, drifting when idle."""

from __future__ import annotations

import numpy as np
from numba import njit

from model.exact import maximum, minimum


@njit(cache=True)
def update_trust(trust, gains, losses, build_rate, drift, baseline):
    """One quarter's trust: ``trust + build_rate·gains·(1 − trust) − losses``; idle holders drift to baseline.

    Gains shrink as trust nears 1 (it saturates); losses do not, so trust is lost faster than it is built.
    One compiled pass over the holders (a dozen numpy calls on arrays of six cost more than the arithmetic),
    numpy's arithmetic in its order and ``np.clip``'s numbers (``tests/test_trust.py`` holds it to the numpy code).
    """
    out = np.empty(trust.size)
    for i in range(trust.size):
        if gains[i] == 0 and losses[i] == 0:
            x = trust[i] + drift * (baseline - trust[i])
        else:
            x = trust[i] + build_rate[i] * gains[i] * (1.0 - trust[i]) - losses[i]
        out[i] = minimum(maximum(x, 0.0), 1.0)
    return out

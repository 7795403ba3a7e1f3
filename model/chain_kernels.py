"""The chains' per-quarter arithmetic compiled (``model/chains.py``): who takes the quarter's ore, and incumbency.

Each kernel does the numpy code it replaced one element at a time, in the same order: a sum over holders goes
through ``model/exact.py``, a masked matrix is the matrix times 1.0 or 0.0 (as numpy multiplies by a bool array), and
each partial result is kept apart until numpy would have added it. The numbers are the same, bit for bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.exact import row_sums


@njit(cache=True)
def delivered(out, ore, sent, offtake, equity, led, commodity, integrated, plant_offtake, plant_equity, plant_led,
              plant_commodity):  # fmt: skip
    """Fills ``out`` (3 × commodities × holders) with the tonnes each holder takes this quarter (ore-equivalent):
    the deposits' ore not sent to an integrated plant, by their offtake, and the integrated plants' product, by
    theirs; through every offtaker, the led holdings only, and the flagged ones (held, not led).
    """
    out[:] = 0.0
    _split(out, ore - sent, offtake, equity, led, commodity)
    if integrated.size:
        plants = np.zeros_like(out)
        _split(plants, integrated, plant_offtake, plant_equity, plant_led, plant_commodity)
        out += plants


@njit(cache=True)
def _split(out, value, offtake, equity, led, commodity):
    """``observe_kernels.by_commodity(commodity, n, value, offtake * mask)`` into ``out[k]`` for each of the three masks."""
    for r in range(value.size):
        v = value[r]
        if v != 0.0:
            c = commodity[r]
            for h in range(offtake.shape[1]):
                out[0, c, h] += v * offtake[r, h]
                out[1, c, h] += v * (offtake[r, h] * (1.0 if led[r, h] else 0.0))
                out[2, c, h] += v * (offtake[r, h] * (1.0 if equity[r, h] > 0 and not led[r, h] else 0.0))


@njit(cache=True)
def incumbency(step, plant_commodity, online, intake_q, plant_equity, ids, source, buyer, share, producing,
               commodity, capacity, n_commodities):  # fmt: skip
    """``Chains.incumbency``: the mean of each holder's share of the refining capacity online and of the producing
    capacity under contract to it (``ids``: the deposit contracts in force; ``producing``: a deposit mask).
    """
    refining = np.zeros((n_commodities, plant_equity.shape[1]))
    for p in range(intake_q.size):
        v = intake_q[p] if online[p] <= step else 0.0
        if v != 0.0:
            for h in range(plant_equity.shape[1]):
                refining[plant_commodity[p], h] += v * plant_equity[p, h]
    held = row_sums(refining)
    under = np.zeros_like(refining)
    for i in ids:
        r = source[i]
        if producing[r]:
            under[commodity[r], buyer[i]] += share[i] * capacity[r]
    total = np.zeros(n_commodities)
    for r in range(producing.size):
        if producing[r]:
            total[commodity[r]] += capacity[r]
    out = np.zeros_like(refining)
    for c in range(n_commodities):
        for h in range(refining.shape[1]):
            contracted = under[c, h] / total[c] if total[c] > 0 else 0.0
            out[c, h] = 0.5 * (refining[c, h] / (held[c] if held[c] != 0 else 1.0) + contracted)
    return out

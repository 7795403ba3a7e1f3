"""The observation's products in one compiled call (``result_products.Observation``): the pass over the deposits,
the holdings by holder and power, the shares, the route products, the single-number summaries and the tallies.

Made one by one they were a dozen calls (kernels and numpy's ``@``), and each call costs several times more inside
a running step than alone, as its code has gone cold (docs/performance-history.md, its eleventh part). Each part is the
kernel it was (``model/observe_kernels.py``), and each product with a matrix is numba's ``np.dot``, which calls
the same OpenBLAS ``gemv``/``ddot`` as numpy's ``@`` for these layouts, so every number is the one numpy gave, bit
for bit (``tests/test_observe_pass.py`` holds it to the numpy code it replaced). Two layouts go another way in
numpy and are done as numpy does them: a product with one column (numpy's ``ddot``), and what reached the EU per
route when there is one route (the caller passes numpy's product; ``NOT_GIVEN`` otherwise).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.observe_kernels import holder_shares, online_intake, routes_summary, summary, tallies, values

NOT_GIVEN = np.empty(0)  # ``eu_value`` left to the kernel (two routes or more)


@njit(cache=True)
def _times(v, m):
    """``v @ m`` (``m`` a C- or F-contiguous matrix) as numpy computes it: ``gemv``, or ``ddot`` for one column."""
    if m.shape[1] == 1:
        return np.array([np.dot(v, np.ascontiguousarray(m[:, 0]))])
    return np.dot(v, m)


@njit(cache=True)
def _eu_value(carried, eu, base):
    """``carried[:, :, eu] @ base`` for two routes or more: numpy's loop for a strided matrix (from 0, in order)."""
    out = np.zeros(carried.shape[0])
    for r in range(carried.shape[0]):
        s = 0.0
        for c in range(carried.shape[1]):
            s += carried[r, c, eu] * base[c]
        out[r] = s
    return out


@njit(cache=True, error_model="numpy")
def products(stage, channel, remaining, capacity, commodity, price, base, output_t, equity, led, powers, delivered,
             n_commodities, plant_online, plant_intake_q, plant_commodity, plant_equity, step, carried, stranded,
             via_russia, via_china, eu, demand_eu, eu_value, refined, host, two, pursuit, stake, pursuit_power,
             award_lag, awards, ground_holder):  # fmt: skip
    """Every product of an observation, in one call: the totals and the commodity table of ``values``; the
    licensed value held by each holder; ``holder_shares``; ``routes_summary``; ``summary``; ``tallies`` (their
    arguments as those kernels take them; ``eu_value`` as ``NOT_GIVEN`` describes).
    """
    per, totals, mined, table = values(stage, channel, remaining, capacity, commodity, price, base, output_t, equity,
                                       led, powers, delivered, n_commodities)  # fmt: skip
    k, capacity_value = powers.size, per[2]
    held = _times(per[0], equity)
    processing = _times(online_intake(plant_online, plant_intake_q, base, plant_commodity, step), plant_equity)
    shares = holder_shares(_times(capacity_value, equity), held, processing, _times(capacity_value, per[3 : 3 + k].T),
                           _times(capacity_value, per[3 + k :].T), delivered, base, powers)  # fmt: skip
    if eu_value.size == 0:
        eu_value = _eu_value(carried, eu, base)
    routes = routes_summary(carried, stranded, via_russia, via_china, eu, demand_eu, base, eu_value)
    return (
        totals,
        table,
        held,
        shares,
        routes,
        summary(mined, refined, base, routes, held, host, two),
        tallies(pursuit, stake, pursuit_power, equity.shape[1], award_lag, awards, powers, ground_holder),
    )

"""The observation's products in one compiled call (``result_products.Observation``): the pass over the deposits,
the holdings by holder and power, the shares, the route products, the single-number summaries and the tallies.

Made one by one they were a dozen calls (kernels and numpy's ``@``), and each call costs several times more inside
a running step than alone, as its code has gone cold (docs/performance-history.md, its eleventh part). Each part is the
kernel it was (``model/observe_kernels.py``), and each product with a matrix adds in a fixed order
(``model.exact.times``), where numpy's ``@`` took BLAS's order, which is the CPU's (``tests/test_observe_pass.py``
holds the pass to the calls it replaced).
"""

from __future__ import annotations

from numba import njit

from model.exact import times
from model.observe_kernels import holder_shares, online_intake, routes_summary, summary, tallies, values


@njit(cache=True, error_model="numpy")
def products(stage, channel, remaining, capacity, commodity, price, base, output_t, equity, led, powers, delivered,
             n_commodities, plant_online, plant_intake_q, plant_commodity, plant_equity, step, carried, stranded,
             via_russia, via_china, eu, demand_eu, refined, host, two, pursuit, stake, pursuit_power,
             award_lag, awards, ground_holder):  # fmt: skip
    """Every product of an observation, in one call: the totals and the commodity table of ``values``; the
    licensed value held by each holder; ``holder_shares``; ``routes_summary``; ``summary``; ``tallies`` (their
    arguments as those kernels take them).
    """
    per, totals, mined, table = values(stage, channel, remaining, capacity, commodity, price, base, output_t, equity,
                                       led, powers, delivered, n_commodities)  # fmt: skip
    k, capacity_value = powers.size, per[2]
    held = times(per[0], equity)
    processing = times(online_intake(plant_online, plant_intake_q, base, plant_commodity, step), plant_equity)
    shares = holder_shares(times(capacity_value, equity), held, processing, times(capacity_value, per[3 : 3 + k].T),
                           times(capacity_value, per[3 + k :].T), delivered, base, powers)  # fmt: skip
    routes = routes_summary(carried, stranded, via_russia, via_china, eu, demand_eu, base,
                            times(base, carried[:, :, eu].T))  # fmt: skip
    return (
        totals,
        table,
        held,
        shares,
        routes,
        summary(mined, refined, base, routes, held, host, two),
        tallies(pursuit, stake, pursuit_power, equity.shape[1], award_lag, awards, powers, ground_holder),
    )

"""Compiled helpers of the observation (``model/observe.py``, ``model/results.py``): one call where numpy would take
several on arrays of a few numbers, and related work in one call, as each call costs microseconds in a running step.
Only exact arithmetic, numpy's own summation order and products in a fixed order (``model/exact.py``), so every
result is the same number on every machine (``tests/test_observe_kernels.py``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.exact import dot, row_sums, total
from model.vocabulary import Channel, Stage

CORRIDORS = ((False, False), (True, False), (False, True))  # (via Russia, via China): Caspian, Russia, China
TOTAL_PARTS = ("licensed_value_usd_m", "output_value_usd_m", "free_plots", "licensed_value_usd_bn", "deposits")


@njit(cache=True)
def by_commodity(commodity: np.ndarray, n_commodities: int, value: np.ndarray, holders: np.ndarray) -> np.ndarray:
    """Commodities × holders: ``value`` split by the holder matrix and summed by commodity (deposits in order)."""
    out = np.zeros((n_commodities, holders.shape[1]))
    for r in range(value.size):
        v = value[r]
        if v != 0.0:
            c = commodity[r]
            for h in range(holders.shape[1]):
                out[c, h] += v * holders[r, h]
    return out


@njit(cache=True)
def _licensed_value(stage, remaining, price, commodity, r):
    """Deposit ``r``'s reserve value if under licence (awarded, developing, producing), else 0, USD m."""
    licensed = Stage.AWARDED <= stage[r] <= Stage.PRODUCING
    return remaining[r] * price[commodity[r]] / 1e6 if licensed else 0.0


@njit(cache=True)
def held_shares(stage, remaining, commodity, price, equity, n_commodities, host):
    """Commodities × holders: each holder's share of the licensed reserve value it holds (``by_commodity`` of the
    deposits' licensed value at ``price``), and its share of what the foreign holders hold (``host``'s column left
    out); each row divided by its sum (a row summing to zero stays zero), with numpy's row sums
    (``exact.row_sums``), in one call.
    """
    value = np.empty(stage.size)
    for r in range(stage.size):
        value[r] = _licensed_value(stage, remaining, price, commodity, r)
    held = by_commodity(commodity, n_commodities, value, equity)
    shares = _shares_of_rows(held)
    held[:, host] = 0.0
    return shares, _shares_of_rows(held)


@njit(cache=True)
def _shares_of_rows(m):
    """Each row divided by its sum, as numpy's ``m / m.sum(axis=1)[:, None]`` (rows summing to zero stay zero)."""
    total = row_sums(m)
    out = np.empty_like(m)
    for i in range(m.shape[0]):
        t = 1.0 if total[i] == 0 else total[i]
        for j in range(m.shape[1]):
            out[i, j] = m[i, j] / t
    return out


@njit(cache=True)
def values(stage, channel, remaining, capacity, commodity, price, base, output_t, equity, led, powers, delivered,
           n_commodities):  # fmt: skip
    """One pass over the deposits for the observation, as each call costs microseconds and each pass over 10,000
    deposits misses the cache. Returns:

    - per deposit ((3 + 2 × powers) × deposits): its licensed reserve value and this quarter's output value (USD m,
      current prices) and its capacity in operation at base prices (USD), numpy's elementwise arithmetic in its
      order; then each power's equity through led holdings, then through flagged ones, as numpy's
      ``equity[:, powers] * led[:, powers]`` and ``* ~led[:, powers]`` multiply (a boolean as 1.0 or 0.0): their
      transposes are laid out as numpy's products are, so a product with them goes to BLAS the same way and keeps
      its bits;
    - totals (``TOTAL_PARTS``): the licensed value and the output value summed as numpy's ``sum`` sums them, the
      plots free to be offered (unlicensed, off exploration ground), the licensed value in USD bn and the number
      of deposits;
    - the tonnes mined by commodity this quarter, as ``np.bincount(commodity, output_t)`` adds them (in order);
    - the commodity table (4 × commodities × holders): the value and the capacity held, each summed as
      ``by_commodity`` sums it (deposit by deposit, skipping zeros); the output taken at base prices
      (``delivered[0] * base[:, None]``); NaN in the last layer, where the caller puts the EU's supply security.
    """
    n, h, k = stage.size, equity.shape[1], powers.size
    per = np.empty((3 + 2 * k, n))
    table = np.zeros((4, n_commodities, h))
    mined = np.zeros(n_commodities)
    free = 0
    for r in range(n):
        c = commodity[r]
        mined[c] += output_t[r]
        v = per[0, r] = _licensed_value(stage, remaining, price, commodity, r)
        per[1, r] = output_t[r] * price[c] / 1e6
        cap = per[2, r] = (capacity[r] if stage[r] == Stage.PRODUCING else 0.0) * base[c]
        free += (stage[r] == Stage.UNLICENSED) & (channel[r] != Channel.EXPLORATION)
        for j in range(k):
            held, is_led = equity[r, powers[j]], led[r, powers[j]]
            per[3 + j, r] = held * (1.0 if is_led else 0.0)
            per[3 + k + j, r] = held * (0.0 if is_led else 1.0)
        if v != 0.0:
            for j in range(h):
                table[0, c, j] += v * equity[r, j]
        if cap != 0.0:
            for j in range(h):
                table[1, c, j] += cap * equity[r, j]
    for c in range(n_commodities):
        for j in range(h):
            table[2, c, j] = delivered[0, c, j] * base[c]
            table[3, c, j] = np.nan
    licensed = total(per[0])
    totals = np.array([licensed, total(per[1]), float(free), licensed / 1e3, float(n)])  # as TOTAL_PARTS
    return per, totals, mined, table


@njit(cache=True)
def corridors(carried, via_russia, via_china):
    """Tonnes carried over each corridor of ``CORRIDORS``: ``carried[mask].sum()`` (``carried`` C-contiguous), the
    selected routes' blocks laid end to end and summed as numpy sums them.
    """
    block = carried[0].size
    flat = carried.ravel()
    out, buf = np.empty(len(CORRIDORS)), np.empty(carried.size)
    for k in range(len(CORRIDORS)):
        russia, china = CORRIDORS[k]
        n = 0
        for r in range(carried.shape[0]):
            if via_russia[r] == russia and via_china[r] == china:
                buf[n : n + block] = flat[r * block : (r + 1) * block]
                n += block
        out[k] = total(buf[:n])
    return out


@njit(cache=True)
def shares(x):
    """``x / x.sum()`` if the sum is positive, else ``x * 0.0`` (a 1-D float64 array)."""
    s = total(x)
    return x / s if s > 0 else x * 0.0


@njit(cache=True)
def online_intake(online, intake_q, base, commodity, step):
    """Per plant: its intake a quarter at base prices if online by ``step``, else 0."""
    out = np.empty(intake_q.size)
    for p in range(intake_q.size):
        value = intake_q[p] * base[commodity[p]]
        out[p] = value if online[p] <= step else 0.0
    return out


TALLY_PARTS = ("private_capital", "award_lag", "ground_licensed")  # holders, powers, one number


@njit(cache=True)
def tallies(pursuit, stake, power, n_holders, award_lag, awards, powers, ground_holder):
    """The running tallies the results read, laid end to end (``TALLY_PARTS``): per holder the stakes of the
    investors inside a pursuit of its (``pursuit``: each investor's, -1 for none; ``power``: each pursuit's holder),
    added in order from 0 as ``np.bincount`` adds them; per power its summed lag over its awards (NaN with none);
    and how many exploration blocks a holder holds (``ground_holder`` >= 0).
    """
    k = powers.size
    out = np.zeros(n_holders + k + 1)
    for i in range(pursuit.size):
        if pursuit[i] >= 0:
            out[power[pursuit[i]]] += stake[i]
    for j in range(k):
        n = awards[powers[j]]
        out[n_holders + j] = award_lag[powers[j]] / (n if n > 0 else np.nan)
    held = 0
    for h in ground_holder:
        held += h >= 0
    out[n_holders + k] = held
    return out


@njit(cache=True, error_model="numpy")
def eu_supply(carried, eu, demand, base):
    """Per commodity (2 × commodities): what reached holder ``eu`` this quarter (t a year) against ``demand``, capped
    at 1, as numpy's ``np.minimum(4.0 * carried[:, :, eu].sum(axis=0) / demand, 1.0)`` (that sum runs over the
    routes in order from 0); and the demand's weights at base prices, ``demand * base / (demand * base).sum()``.
    """
    out = np.empty((2, carried.shape[1]))
    for c in range(carried.shape[1]):
        arrived = 0.0
        for r in range(carried.shape[0]):
            arrived += carried[r, c, eu]
        met = 4.0 * arrived / demand[c]
        out[0, c] = 1.0 if met > 1.0 else met  # NaN stays NaN, as np.minimum keeps it
    value = demand * base
    out[1] = value / total(value)
    return out


@njit(cache=True)
def exports(carried, stranded, via_russia, via_china):
    """Per commodity (2 × commodities), tonnes carried over all routes and tonnes stranded, as numpy's
    ``carried.sum(axis=(0, 2))`` (each route's sum over holders added in route order) and ``stranded.sum(axis=1)``
    (C-contiguous inputs); and the tonnes carried over each corridor (``corridors``): one call for the routes.
    """
    out = np.zeros((2, carried.shape[1]))
    for r in range(carried.shape[0]):
        for c in range(carried.shape[1]):
            out[0, c] += total(carried[r, c])
    out[1] = row_sums(stranded)
    return out, corridors(carried, via_russia, via_china)


@njit(cache=True)
def _of_total(x, whole, out):
    """``out[:] = x / whole`` if ``whole`` > 0, else ``x * 0.0``."""
    for i in range(x.size):
        out[i] = x[i] / whole if whole > 0 else x[i] * 0.0


# the parts of ``holder_shares``, laid end to end: holder-long ones, then power-long ones
HOLDER_PARTS = ("capacity", "output", "reserve", "processing")
POWER_PARTS = ("capacity_led", "capacity_flagged", "output_led", "output_flagged")


@njit(cache=True)
def holder_shares(capacity_held, held, processing, capacity_led, capacity_flagged, delivered, base, powers):
    """Every share by holder and power the results read, in one call, laid end to end: each holder's share of the
    capacity in operation (``capacity_held``), of this quarter's output (``taken_base``), of the licensed reserve
    value (``held``) and of the plants' intake online (``processing``), each as ``shares`` gives it; then per
    power, the capacity held through led and through flagged holdings (``capacity_led``, ``capacity_flagged``) and
    the output taken through them, each over the whole (0 where the whole is 0).
    """
    h, k = capacity_held.size, powers.size
    out = np.empty(len(HOLDER_PARTS) * h + len(POWER_PARTS) * k)
    taken = taken_base(delivered, base)
    out[:h], out[h : 2 * h], out[2 * h : 3 * h] = shares(capacity_held), shares(taken[0]), shares(held)
    out[3 * h : 4 * h] = shares(processing)
    at, capacity, output = 4 * h, total(capacity_held), total(taken[0])
    _of_total(capacity_led, capacity, out[at : at + k])
    _of_total(capacity_flagged, capacity, out[at + k : at + 2 * k])
    _of_total(taken[1][powers], output, out[at + 2 * k : at + 3 * k])
    _of_total(taken[2][powers], output, out[at + 3 * k :])
    return out


@njit(cache=True)
def _share_of(value, mask, whole):
    """``value[mask].sum() / whole`` if ``whole`` > 0, else 0.0, the masked sum as numpy sums the gathered copy."""
    buf, n = np.empty(value.size), 0
    for r in range(value.size):
        if mask[r]:
            buf[n] = value[r]
            n += 1
    return total(buf[:n]) / whole if whole > 0 else 0.0


ROUTE_PARTS = ("met", "weights", "carried", "stranded")  # commodity-long parts of ``routes_summary``, in order


@njit(cache=True, error_model="numpy")
def routes_summary(carried, stranded, via_russia, via_china, eu, demand, base, eu_value):
    """Every route product the results read, in one call, laid end to end: per commodity the EU's met demand and
    its weights (``eu_supply``), the tonnes carried and stranded (``exports``); then the tonnes over each corridor
    of ``CORRIDORS``; then the shares of ``eu_value`` (what reached the EU per route, at base prices) that crossed
    Russia and China, each ``eu_value[via].sum() / eu_value.sum()`` (0 when nothing reached it).
    """
    n = carried.shape[1]
    out = np.empty(len(ROUTE_PARTS) * n + len(CORRIDORS) + 2)
    out[: 2 * n] = eu_supply(carried, eu, demand, base).ravel()
    sums, over = exports(carried, stranded, via_russia, via_china)
    out[2 * n : 4 * n] = sums.ravel()
    out[4 * n : 4 * n + len(CORRIDORS)] = over
    whole = total(eu_value)
    out[-2] = _share_of(eu_value, via_russia, whole)
    out[-1] = _share_of(eu_value, via_china, whole)
    return out


@njit(cache=True)
def taken_base(delivered, base):
    """``np.einsum("kch,c->kh", delivered, base) / 1e6`` for a C-contiguous ``delivered``: einsum adds the
    commodities' products in order from 0, one rounding each (``tests/test_observe_kernels.py`` holds it to einsum).
    """
    out = np.zeros((delivered.shape[0], delivered.shape[2]))
    for k in range(delivered.shape[0]):
        for c in range(delivered.shape[1]):
            for h in range(delivered.shape[2]):
                out[k, h] += delivered[k, c, h] * base[c]
    return out / 1e6


SUMMARY_PARTS = ("refined_share", "eu_supply_security", "exports_stranded_share", "diversification")


@njit(cache=True)
def summary(mined, refined, base, routes, held, host, two):
    """The quarter's single-number results that weigh vectors against each other, in one call (``SUMMARY_PARTS``):
    the share of the mined output (at base prices) refined at home; the EU's supply security (its met demand
    weighted by its demand's value, from ``routes``, laid out as ``routes_summary`` lays it); the share of exports
    stranded (at base prices); and 1 minus the Herfindahl index of the foreign holders' licensed value (``held``,
    the host at ``host``). ``two`` is 2.0, passed in: numpy's scalar ``x ** 2`` is the C library's ``pow``, which
    LLVM keeps for an exponent it cannot see, and turns into ``x * x`` (another last bit, now and then) for a
    literal 2.
    """
    n = base.size
    out = np.empty(len(SUMMARY_PARTS))
    mined_value = dot(mined, base)
    out[0] = dot(refined, base) / mined_value if mined_value > 0 else 0.0
    out[1] = dot(routes[n : 2 * n], routes[:n])
    stranded = dot(routes[3 * n : 4 * n], base)
    whole = stranded + dot(routes[2 * n : 3 * n], base)
    out[2] = stranded / whole if whole > 0 else 0.0
    foreign = total(held) - held[host]
    out[3] = 1.0 - ((dot(held, held) - held[host] ** two) / foreign**two if foreign > 0 else 1.0)
    return out

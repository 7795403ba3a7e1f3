"""The chains' per-quarter arithmetic compiled (``model/chains.py``): who takes the quarter's ore, and incumbency.

Each kernel does the numpy code it replaced one element at a time, in the same order: a sum over holders goes
through ``model/exact.py``, a masked matrix is the matrix times 1.0 or 0.0 (as numpy multiplies by a bool array), and
each partial result is kept apart until numpy would have added it. The numbers are the same, bit for bit.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.contracts import plant_offtake
from model.exact import row_sums, total
from model.flows import route


@njit(cache=True)
def flow(out, output_t, commodity, leader, offtake, equity, led, plant_commodity, intake_q, online, plant_equity,
         plant_led, plant_value_added, step, lock_in, n_commodities, contract_plant, contract_share, contract_buyer,
         host, export_routing, base):  # fmt: skip
    """The quarter's flow of ore in one call (``Chains.quarter``): ``flows.route``; each plant's offtake
    (``contracts.plant_offtake``, its contracts in force given as their plant, share and buyer; the host's part
    routed as ``export_routing`` says for its commodity: commodities × holders); ``delivered`` into ``out``. Returns
    the tonnes refined by commodity (as ``np.bincount`` adds them), the value they added in Kazakhstan at base
    prices (USD m, numpy's sum) and the tonnes mined by commodity.
    """
    integrated, toll, sent, _ = route(output_t, commodity, leader, plant_commodity, intake_q, online, plant_equity,
                                      step, lock_in, n_commodities)  # fmt: skip
    routing = np.empty((intake_q.size, plant_equity.shape[1]))
    for p in range(intake_q.size):
        routing[p] = export_routing[plant_commodity[p]]
    taken = plant_offtake(plant_equity, contract_plant, contract_share, contract_buyer, host, routing)
    delivered(out, output_t, sent, offtake, equity, led, commodity, integrated, taken, plant_equity, plant_led,
              plant_commodity)  # fmt: skip
    refined, added = np.zeros(n_commodities), np.empty(intake_q.size)
    for p in range(intake_q.size):
        tonnes = integrated[p] + toll[p]
        refined[plant_commodity[p]] += tonnes
        added[p] = tonnes * base[plant_commodity[p]] * plant_value_added[p]
    mined = np.zeros(n_commodities)
    for r in range(output_t.size):
        mined[commodity[r]] += output_t[r]
    return refined, total(added) / 1e6, mined


@njit(cache=True)
def delivered(out, ore, sent, offtake, equity, led, commodity, integrated, plant_taken, plant_equity, plant_led,
              plant_commodity):  # fmt: skip
    """Fills ``out`` (3 × commodities × holders) with the tonnes each holder takes this quarter (ore-equivalent):
    the deposits' ore not sent to an integrated plant, by their offtake, and the integrated plants' product, by
    theirs; through every offtaker, the led holdings only, and the flagged ones (held, not led).
    """
    out[:] = 0.0
    _split(out, ore - sent, offtake, equity, led, commodity)
    if integrated.size:
        plants = np.zeros_like(out)
        _split(plants, integrated, plant_taken, plant_equity, plant_led, plant_commodity)
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
    """Each holder's incumbency in the host's picture (``model/host_picture.py``): the mean of its share of the
    refining capacity online and of the producing capacity under contract to it (``ids``: the deposit contracts in
    force; ``producing``: a deposit mask).
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
    producing_capacity = np.zeros(n_commodities)
    for r in range(producing.size):
        if producing[r]:
            producing_capacity[commodity[r]] += capacity[r]
    out = np.zeros_like(refining)
    for c in range(n_commodities):
        for h in range(refining.shape[1]):
            whole = producing_capacity[c]
            contracted = under[c, h] / whole if whole > 0 else 0.0
            out[c, h] = 0.5 * (refining[c, h] / (held[c] if held[c] != 0 else 1.0) + contracted)
    return out

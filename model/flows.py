"""Ore from the mines to the plants to the buyers, each quarter.

With lock-in (``mechanisms.lock_in``), a mine's ore goes first to the plants its leader owns a share of (an
integrated chain: Kazakhmys's mines feed its smelters, Kazatomprom's its fuel plant), and their product goes to the
plants' offtakers (owners and contracts: Ulba-FA's fuel assemblies to CGN). What plants have left refines other
ore at a toll, pro rata over the commodity's remaining ore: the product goes back to whoever takes that ore. The
rest is exported as mined, to the deposit's offtakers. Without lock-in every plant is open to all: all ore is
refined at a toll, pro rata, and nobody's plant holds a flow. Either way each refined tonne adds its plant's share of
value in Kazakhstan.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def route(output_t, commodity, leader, plant_commodity, intake_q, online, plant_equity, step, lock_in, n_commodities):
    """This quarter's ore: per plant, what it refines from integrated mines and at a toll; per deposit, what went to
    an integrated plant. Plants not yet online take nothing.
    """
    n_plants = intake_q.size
    left = np.zeros(n_plants)
    for p in range(n_plants):
        if online[p] <= step:
            left[p] = intake_q[p]
    integrated = np.zeros(n_plants)
    sent = np.zeros(output_t.size)  # each deposit's ore sent to an integrated plant
    if lock_in:
        for r in range(output_t.size):
            owner = leader[r]
            if output_t[r] <= 0 or owner < 0:
                continue
            for p in range(n_plants):
                if plant_commodity[p] == commodity[r] and left[p] > 0 and plant_equity[p, owner] > 0:
                    take = min(left[p], output_t[r] - sent[r])
                    integrated[p] += take
                    sent[r] += take
                    left[p] -= take
    ore_left = np.zeros(n_commodities)
    room = np.zeros(n_commodities)
    for r in range(output_t.size):
        ore_left[commodity[r]] += output_t[r] - sent[r]
    for p in range(n_plants):
        room[plant_commodity[p]] += left[p]
    toll = np.zeros(n_plants)
    tolled = np.zeros(n_commodities)  # share of each commodity's remaining ore refined at a toll
    for c in range(n_commodities):
        if room[c] > 0 and ore_left[c] > 0:
            tolled[c] = min(1.0, room[c] / ore_left[c])
    for p in range(n_plants):
        c = plant_commodity[p]
        if room[c] > 0:
            toll[p] = left[p] * min(room[c], ore_left[c]) / room[c]
    return integrated, toll, sent, tolled

"""The chains' compiled kernels give numpy's numbers bit for bit, and the start data cached per file is shared
read-only, so that one run cannot change the next one's plants.
"""

import numpy as np
import pytest
from test_chains import offtake
from test_observe_kernels import row_shares

from model import chain_kernels as K
from model import contracts as C
from model import flows
from model import scenario as sc
from model.observe_kernels import by_commodity


def world(seed: int, width: int):
    """Deposits and plants with sparse random holdings (zeros, led and flagged) over ``width`` holders."""
    rng = np.random.default_rng(seed)

    def holdings(n):
        x = rng.random((n, width)) * (rng.random((n, width)) < 0.5)
        return x, rng.random((n, width)) < 0.5

    n_d, n_p = rng.integers(0, 40), rng.integers(0, 12)
    ore = rng.random(n_d) * 1e4 * (rng.random(n_d) < 0.8)
    return rng, n_d, n_p, ore, holdings


def delivered_reference(output_t, sent, offtake, commodity, integrated, plant_offtake, plant_commodity, n):
    """The numpy code the kernel replaced (``model/flows.py`` before it): the deposits' ore not sent to an
    integrated plant by their offtake, and the integrated plants' product by theirs.
    """
    out = by_commodity(commodity, n, output_t - sent, offtake)
    if integrated.size:
        out += by_commodity(plant_commodity, n, integrated, plant_offtake)
    return out


@pytest.mark.parametrize("width", [3, 7, 9, 17])
def test_what_each_holder_takes_is_flows_delivered_under_each_mask(width):
    for seed in range(30):
        rng, n_d, n_p, ore, holdings = world(seed, width)
        sent, (offtake, led), (equity, _) = ore * rng.random(n_d) * 0.5, holdings(n_d), holdings(n_d)
        (plant_off, plant_led), (plant_eq, _) = holdings(n_p), holdings(n_p)
        commodity, plant_c, integrated = rng.integers(0, 5, n_d), rng.integers(0, 5, n_p), rng.random(n_p) * 100
        got = np.full((3, 5, width), np.nan)
        K.delivered(
            got, ore, sent, offtake, equity, led, commodity, integrated, plant_off, plant_eq, plant_led, plant_c
        )
        masks = ((True, True), (led, plant_led), ((equity > 0) & ~led, (plant_eq > 0) & ~plant_led))
        for k, (dep, plant) in enumerate(masks):
            want = delivered_reference(ore, sent, offtake * dep, commodity, integrated, plant_off * plant, plant_c, 5)
            assert got[k].tobytes() == want.tobytes()


@pytest.mark.parametrize("width", [3, 7, 9, 17])
def test_incumbency_is_the_numpy_formula(width):
    for seed in range(30):
        rng, n_d, n_p, _, holdings = world(seed, width)
        (plant_eq, _), intake, online = holdings(n_p), rng.random(n_p) * 50, rng.integers(0, 8, n_p)
        plant_c, commodity, capacity = rng.integers(0, 5, n_p), rng.integers(0, 5, n_d), rng.random(n_d) * 1e3
        producing = rng.random(n_d) < 0.6
        n_k = rng.integers(0, 20)
        source, buyer, share = rng.integers(0, max(n_d, 1), n_k), rng.integers(0, width, n_k), rng.random(n_k)
        ids = np.flatnonzero(rng.random(n_k) < 0.7) if n_d else np.zeros(0, dtype=np.int64)
        got = K.incumbency(4, plant_c, online, intake, plant_eq, ids, source, buyer, share, producing, commodity,
                           capacity, 5)  # fmt: skip
        refining = row_shares(by_commodity(plant_c, 5, np.where(online <= 4, intake, 0.0), plant_eq))
        ids = ids[producing[source[ids]]]
        under = np.zeros((5, width))
        np.add.at(under, (commodity[source[ids]], buyer[ids]), share[ids] * capacity[source[ids]])
        total = np.bincount(commodity[producing], capacity[producing], minlength=5)
        contracted = np.divide(under, total[:, None], out=np.zeros_like(under), where=total[:, None] > 0)
        assert got.tobytes() == (0.5 * (refining + contracted)).tobytes()


@pytest.mark.parametrize("width", [3, 7, 9])
def test_plant_offtake_is_the_loop_over_contracts(width):
    for seed in range(30):
        rng, _, n_p, _, holdings = world(seed, width)
        (equity, _), routing = holdings(n_p), rng.random((n_p, width)) * 0.3
        k = C.Contracts()
        for _ in range(rng.integers(0, 10) if n_p else 0):
            k.add(kind=C.PLANT, source=rng.integers(0, n_p), buyer=rng.integers(0, width), share=rng.random(),
                  start=rng.integers(0, 4), end=40, basis=0, led=False)  # fmt: skip
        want = equity.copy()
        for i in k.active(C.PLANT, 2):
            p, taken = k.source[i], want[k.source[i]].sum()
            if taken > 0:
                share = min(k.share[i], taken)
                want[p] *= (taken - share) / taken
                want[p, k.buyer[i]] += share
        kept = want[:, 0].copy()
        want += kept[:, None] * routing
        want[:, 0] -= kept * routing.sum(axis=1)
        assert offtake(equity, k, 0, routing, 2).tobytes() == want.tobytes()


@pytest.mark.parametrize("lock_in", [True, False])
@pytest.mark.parametrize("width", [3, 7, 9])
def test_a_quarters_flow_is_the_numpy_code_it_joined(width, lock_in):
    """``chain_kernels.flow`` against ``Chains.quarter``'s numpy code before it (``git show eaae036:model/chains.py``)."""
    for seed in range(30):
        rng, n_d, n_p, ore, holdings = world(seed, width)
        (offtake_d, led), (equity, _) = holdings(n_d), holdings(n_d)
        (plant_eq, plant_led), commodity, plant_c = holdings(n_p), rng.integers(0, 5, n_d), rng.integers(0, 5, n_p)
        leader = np.where(rng.random(n_d) < 0.7, rng.integers(0, width, n_d), -1)
        intake, online, added = rng.random(n_p) * 5e3, rng.integers(0, 8, n_p), rng.random(n_p) * 0.4
        n_k = rng.integers(0, 8) if n_p else 0
        plant, share, buyer = rng.integers(0, max(n_p, 1), n_k), rng.random(n_k), rng.integers(0, width, n_k)
        export_to, base = np.array([2, width - 1]), rng.random(5) * 1e4
        exports = rng.random((5, 2)) * 0.5
        export_routing = np.zeros((5, width))
        export_routing[:, export_to] = exports
        got = np.full((3, 5, width), np.nan)
        refined, value_added, mined = K.flow(got, ore, commodity, leader, offtake_d, equity, led, plant_c, intake,
                                             online, plant_eq, plant_led, added, 4, lock_in, 5, plant, share, buyer, 0,
                                             export_routing, base)  # fmt: skip
        integrated, toll, sent, _ = flows.route(
            ore, commodity, leader, plant_c, intake, online, plant_eq, 4, lock_in, 5
        )
        routing = np.zeros((n_p, width))
        routing[:, export_to] = exports[plant_c]
        want = np.full((3, 5, width), np.nan)
        taken = C.plant_offtake(plant_eq, plant, share, buyer, 0, routing)
        K.delivered(want, ore, sent, offtake_d, equity, led, commodity, integrated, taken, plant_eq, plant_led, plant_c)
        assert got.tobytes() == want.tobytes()
        assert refined.tobytes() == np.bincount(plant_c, integrated + toll, minlength=5).astype(float).tobytes()
        assert value_added == float(((integrated + toll) * base[plant_c] * added).sum() / 1e6)
        assert mined.tobytes() == np.bincount(commodity, ore, minlength=5).tobytes()


def test_the_start_data_is_shared_read_only():
    first = sc.load("baseline").build(rng=1)
    plants = first.chains.plants
    plants.equity[:] = 0.0  # a run may change its own plants ...
    plants.intake_q[:] = 0.0
    again = sc.load("baseline").build(rng=1).chains
    assert again.plants.equity.sum() > 0 and again.plants.intake_q.min() > 0  # ... never the next run's
    with pytest.raises(ValueError, match="read-only"):
        again.value_added[0] = 1.0

"""The observation's products in one compiled call (``model/observe_pass.py``) are the numbers its kernels give
called one by one, bit for bit: on the states of real runs, and on the layouts that once went other ways (one
power, one route, no plant or one plant).
"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench_observation import by_calls

from model import scenario
from model.exact import times
from model.observe_pass import products
from model.result_products import product_args
from tests.in_order import in_order

ROUTE_ARGS = slice(18, 22)  # carried, stranded, via_russia, via_china
PLANT_ARGS = slice(13, 17)  # online, intake_q, commodity, equity
POWERS = 10


def same(args) -> None:
    for got, want in zip(products(*args), by_calls(*args), strict=True):
        assert got.tobytes() == want.tobytes() and got.shape == want.shape


def args_of(model) -> list:
    return list(product_args(model, model.markets.demand_eu(model.steps)))


@pytest.mark.parametrize(("name", "seed"), [("baseline", 3), ("baseline", 11), ("eu_fast_track", 2)])
def test_every_quarters_products_are_the_numpy_codes(name, seed):
    model = scenario.load(name).build(rng=seed)
    for _ in range(40):
        model.step()
        same(args_of(model))


def test_a_synthetic_world_without_plants_or_ground():
    model = scenario.load("baseline").build(rng=5, run_synthetic_deposits=300, investors_count=40)
    model.run_for(6)
    args = args_of(model)
    assert args[PLANT_ARGS][3].shape[0] == 0
    same(args)


@pytest.fixture(scope="module")
def late_state():
    model = scenario.load("baseline").build(rng=7)
    model.run_for(60)
    return model


def test_one_power_one_column(late_state):
    args = args_of(late_state)
    for p in args[POWERS]:
        args[POWERS] = np.array([p])
        same(args)


@pytest.mark.parametrize("plants", [0, 1, 2])
def test_few_plants(late_state, plants):
    args = args_of(late_state)
    args[PLANT_ARGS] = [a[:plants] for a in args[PLANT_ARGS]]
    same(args)


def test_one_route(late_state):
    args = args_of(late_state)
    rng = np.random.default_rng(1)
    for _ in range(20):
        carried = rng.random((1, *args[ROUTE_ARGS][0].shape[1:])) * 1e5
        args[ROUTE_ARGS] = [carried, *(a[:1] for a in args[ROUTE_ARGS][1:])]
        same(args)


@pytest.mark.parametrize("routes", [0, 2, 3, 6, 11])
def test_what_reached_the_eu_per_route_adds_each_routes_products_in_order(routes):
    rng = np.random.default_rng(routes)
    for _ in range(50):
        carried, base = rng.random((routes, 12, 8)) * 1e5, rng.random(12) * 1e4
        want = [in_order(base, carried[r, :, 3]) for r in range(routes)]
        got = times(base, carried[:, :, 3].T)  # as the pass takes it: a strided slice, transposed
        assert got.tolist() == want
        assert np.allclose(got, carried[:, :, 3] @ base, rtol=1e-13)

"""``benchmarks/bench_observation.py`` measures what it says: its ``loops`` variant moves the observation's numbers
in the last bits only, the shipped products come back after it, and its warm-ups leave the model's observation as
it was.
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_observation as bench

from model import scenario


def series(variant: str):
    bench.use(variant)
    try:
        model = scenario.load("baseline").build(rng=4)
        model.run_for(12)
        return model.timeseries()
    finally:
        bench.use("shipped")


def test_the_loops_move_only_the_last_bits_and_the_shipped_products_come_back():
    shipped = series("shipped")
    loops = series("loops")  # the products as loops add in another order than BLAS may: the last bits only
    np.testing.assert_allclose(loops.to_numpy(float), shipped.to_numpy(float), rtol=1e-12, atol=0)
    assert series("shipped").equals(shipped)  # and the model's own products are back


def test_the_warm_ups_time_the_shipped_observation_and_put_it_back():
    shipped = bench.GreatGameModel._observe
    got = bench.warmed(runs=1, rounds=1)
    assert list(got) == ["none", "arrays", "code", "state"] and all(v > 0 for v in got.values())
    assert bench.GreatGameModel._observe is shipped

"""``benchmarks/bench_observation.py`` measures what it says: its ``calls`` variant (the products made one by one)
gives the shipped observation's numbers bit for bit, the shipped products come back after it, and its warm-ups
leave the model's observation as it was.
"""

import sys
from pathlib import Path

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


def test_the_products_one_by_one_are_the_shipped_ones_and_the_shipped_come_back():
    shipped = series("shipped")
    assert series("calls").equals(shipped)
    assert bench.result_products.products is bench.SHIPPED


def test_the_warm_ups_time_the_shipped_observation_and_put_it_back():
    shipped = bench.GreatGameModel._observe
    got = bench.warmed(runs=1, rounds=1)
    assert list(got) == ["none", "arrays", "code", "state"] and all(v > 0 for v in got.values())
    assert bench.GreatGameModel._observe is shipped

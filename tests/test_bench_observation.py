"""``benchmarks/bench_observation.py`` measures what it says: its ``joined`` variant keeps every number of the
observation bit for bit, and its ``loops`` variant moves them in the last bits only.
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


def test_the_variants_keep_the_observation_or_move_only_its_last_bits():
    shipped = series("shipped")
    assert series("joined").equals(shipped)
    loops = series("loops")  # the products as loops add in another order than BLAS may: the last bits only
    np.testing.assert_allclose(loops.to_numpy(float), shipped.to_numpy(float), rtol=1e-12, atol=0)
    assert series("shipped").equals(shipped)  # and the model's own products are back

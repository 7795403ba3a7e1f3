"""The last-bit probe of benchmarks/kernel_bits.py: it moves what it says by one ulp, and puts the model back."""

import importlib.util
from pathlib import Path

import numpy as np

from model import scenario

_spec = importlib.util.spec_from_file_location(
    "kernel_bits", Path(__file__).resolve().parent.parent / "benchmarks" / "kernel_bits.py"
)
bits = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bits)


def test_one_ulp_each_way_equal_values_alike_zeros_and_non_finite_kept():
    x = np.array([1.0, 1.0, -3.5, 1e-300, 0.0, -0.0, np.inf, -np.inf, np.nan, 2.0**60, 7.25])
    moved = bits._ulp(x, None)
    finite = (x != 0) & np.isfinite(x)
    assert (np.nextafter(x[finite], np.inf) == moved[finite]).sum() + (
        np.nextafter(x[finite], -np.inf) == moved[finite]
    ).sum() == finite.sum()
    assert moved[0] == moved[1]  # equal values move alike: a tie stays a tie
    kept = ~finite
    assert np.array_equal(moved[kept], x[kept], equal_nan=True)
    many = np.linspace(1.0, 2.0, 1001)
    up = bits._ulp(many, None) > many
    assert 0.3 < up.mean() < 0.7  # both directions, by the value's own bits
    again = bits._ulp(np.array([5.0, 5.0] * 50), np.random.default_rng(0))
    assert len(set(again.tolist())) == 2  # at random, equal values part


def test_the_probe_moves_the_run_and_puts_the_model_back():
    import agents.power as power
    import model.model as model

    before = (power.Power.inputs, model.update_trust)

    def prices(moved: bool) -> np.ndarray:
        m = scenario.load("baseline").build(rng=3)
        if moved:
            with bits._last_bits(None):
                m.run_for(4)
        else:
            m.run_for(4)
        return m.prices.price.copy()

    plain, moved = prices(False), prices(True)
    assert (plain != moved).any() and np.allclose(plain, moved, rtol=1e-12, atol=0)
    assert (power.Power.inputs, model.update_trust) == before
    assert np.array_equal(prices(False), plain)

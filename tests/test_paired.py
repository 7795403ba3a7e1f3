"""Paired effects, intervals and verdicts by hand (experiments/science/paired.py), as findings and the study use them."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.science import paired


def test_t_interval_by_hand_and_nan_left_out():
    m, lo, hi = paired.ci([1.0, 2.0, 3.0, np.nan])
    half = stats.t.ppf(0.975, 2) * 1.0 / np.sqrt(3)  # sd of 1, 2, 3 is 1
    assert (m, lo, hi) == pytest.approx((2.0, 2.0 - half, 2.0 + half))
    assert np.isnan(paired.ci([5.0])[1])


def test_effect_pairs_by_replicate_whatever_the_row_order():
    runs = pd.DataFrame(
        {
            "x": [0, 1, 0, 1, 1, 0],
            "replicate": [0, 0, 1, 1, 2, 2],
            "g": ["a"] * 6,
            "y": [10.0, 11.0, 20.0, 22.0, 33.0, 30.0],
        }
    )
    e = paired.effect(runs.iloc[::-1], "x", 1, 0, "y", ["g"])
    assert e["mean"].iloc[0] == pytest.approx(2.0)  # differences 1, 2, 3
    assert e["g"].iloc[0] == "a"


def test_verdicts_from_where_intervals_exclude_zero():
    def frame(*intervals):
        return pd.DataFrame([{"mean": (lo + hi) / 2, "lo": lo, "hi": hi} for lo, hi in intervals])

    assert paired.verdict(frame((0.1, 0.3), (0.2, 0.5))) == "**supported**"
    assert paired.verdict(frame((0.1, 0.3), (-0.2, 0.5))) == "**conditional**"
    assert paired.verdict(frame((-0.1, 0.3), (-0.2, 0.5))) == "**not supported**"
    assert paired.verdict(frame((-0.3, -0.1)), sign=-1) == "**supported**"
    assert paired.show(0.5, 0.1, 0.9) == "+0.50 [+0.10, +0.90]"
    assert paired.show(0.01, -0.002, 0.02, pct=True).endswith("≈0")

"""The speed-ups that replace a numpy call by a cheaper equivalent give exactly what the call gave."""

import numpy as np

from agents.investor import first_k
from model import scenario


def test_first_k_is_the_stable_sorts_first_k():
    rng = np.random.default_rng(0)
    for trial in range(500):
        x = rng.random(int(rng.integers(0, 2000)))
        if trial % 2:
            x = np.round(x, 2)  # many ties: they keep their order, as in the full sort
        for k in (0, 1, int(rng.integers(1, 300)), x.size, x.size + 3):
            assert np.array_equal(first_k(x, k), np.argsort(x, kind="stable")[:k])


def test_distinct_rates_are_nps_unique():
    pool = scenario.load("baseline").build(rng=3).investors
    rng = np.random.default_rng(1)
    for size in (0, 1, 5, 300):
        rate_of = pool.rate_of[rng.integers(0, pool.rate_of.size, size)]
        kinds, which = pool._kinds(rate_of)
        want_kinds, want_which = np.unique(rate_of, return_inverse=True)
        assert np.array_equal(kinds, want_kinds) and np.array_equal(which, want_which)

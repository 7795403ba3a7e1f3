"""The observation's compiled helpers give numpy's numbers bit for bit."""

import numpy as np
import pytest

from model.observe_kernels import CORRIDORS, corridors, free_plots, shares
from model.vocabulary import Channel, Stage


@pytest.mark.parametrize("routes", [1, 3, 6, 11])
def test_corridors_are_numpys_masked_sums(routes):
    rng = np.random.default_rng(routes)
    for _ in range(50):
        carried = rng.random((routes, 18, 7)) * rng.choice([0.0, 1e-3, 1.0, 1e6], (routes, 18, 7))
        russia, china = rng.random(routes) < 0.4, rng.random(routes) < 0.5
        want = [carried[(russia == r) & (china == c)].sum() for r, c in CORRIDORS]
        assert corridors(carried, russia, china).tolist() == want


@pytest.mark.parametrize("n", [0, 1, 5, 7, 9, 130])
def test_shares_are_numpys(n):
    rng = np.random.default_rng(n)
    for scale in (0.0, 1e-9, 1.0, 1e12):
        x = rng.random(n) * scale
        want = x / x.sum() if x.sum() > 0 else x * 0.0
        assert shares(x).tobytes() == want.tobytes()


def test_free_plots_counts_unlicensed_plots_off_exploration_ground():
    rng = np.random.default_rng(0)
    stage = rng.choice([int(s) for s in Stage], 500)
    channel = rng.choice([int(c) for c in Channel], 500)
    assert free_plots(stage, channel) == ((stage == Stage.UNLICENSED) & (channel != Channel.EXPLORATION)).sum()

"""Trust is asymmetric: built slowly, lost fast, drifting to a baseline when idle."""

import numpy as np

from model.trust import update_trust


def test_loss_outweighs_many_gains():
    t = np.array([0.5])
    gained = t
    for _ in range(5):
        gained = update_trust(gained, np.array([0.008]), np.zeros(1), np.ones(1), 0.02, 0.5)
    lost = update_trust(t, np.zeros(1), np.array([0.05]), np.ones(1), 0.02, 0.5)
    assert gained[0] - 0.5 < 0.5 - lost[0]  # five quarters of engagement < one missed window


def test_idle_drifts_to_baseline_and_stays_in_unit_interval():
    t = np.array([0.9, 0.1])
    for _ in range(300):
        t = update_trust(t, np.zeros(2), np.zeros(2), np.ones(2), 0.05, 0.5)
    assert np.allclose(t, 0.5, atol=1e-3)
    assert update_trust(np.array([0.99]), np.array([5.0]), np.zeros(1), np.ones(1), 0, 0.5)[0] == 1.0
    assert update_trust(np.array([0.01]), np.zeros(1), np.array([1.0]), np.ones(1), 0, 0.5)[0] == 0.0


def test_build_rate_scales_gains_only():
    t = np.array([0.5, 0.5])
    out = update_trust(t, np.array([0.01, 0.0]), np.array([0.0, 0.05]), np.array([3.0, 3.0]), 0.02, 0.5)
    assert np.allclose(out, [0.515, 0.45])


def _numpy_trust(trust, gains, losses, build_rate, drift, baseline):
    """The numpy code the kernel replaced (``git show c6f79ff:model/trust.py``)."""
    idle = (gains == 0) & (losses == 0)
    moved = trust + build_rate * gains * (1.0 - trust) - losses
    drifted = trust + drift * (baseline - trust)
    return np.minimum(np.maximum(np.where(idle, drifted, moved), 0.0), 1.0)


def test_the_kernel_gives_the_numpy_codes_numbers_bit_for_bit():
    rng = np.random.default_rng(7)
    for case in range(500):
        n = int(rng.integers(1, 9))
        trust = rng.random(n) * 1.2 - 0.1
        gains = np.where(rng.random(n) < 0.4, 0.0, rng.random(n) * 0.05)
        losses = np.where(rng.random(n) < 0.5, 0.0, rng.random(n) * 0.2)
        build = rng.choice([0.5, 1.0, 1.7, 3.0], n)
        drift, baseline = float(rng.random() * 0.1), float(rng.random())
        if case % 50 == 0:  # a NaN trust, and -0.0: np.clip's numbers
            trust[0], gains[-1], losses[-1] = np.nan, 0.0, 0.0
            trust[-1] = -0.0
        got = update_trust(trust, gains, losses, build, drift, baseline)
        want = _numpy_trust(trust, gains, losses, build, drift, baseline)
        assert np.array_equal(got.view(np.int64), want.view(np.int64)), case

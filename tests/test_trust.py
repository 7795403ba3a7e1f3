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

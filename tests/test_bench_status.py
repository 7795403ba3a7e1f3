"""The benchmarks' verdicts on the speed targets: met only when the whole 95% interval is (hand-worked cases)."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

from bench_revision import paired_ratio
from bench_sections import target_status


@pytest.mark.parametrize(
    ("lo", "hi", "verdict"),
    [(0.090, 0.099, "met"), (0.090, 0.100, "met"), (0.095, 0.105, "not distinguishable"), (0.101, 0.11, "NOT met")],
)
def test_a_target_is_met_only_when_its_whole_interval_is(lo, hi, verdict):
    assert target_status(lo, hi, 0.10).startswith(verdict)


@pytest.mark.parametrize(
    ("lo", "hi", "verdict"),
    [(4.0, 5.0, "met"), (4.1, 5.0, "met"), (3.9, 4.2, "not distinguishable"), (3.0, 3.9, "NOT met")],
)
def test_an_at_least_target_is_met_only_when_its_whole_interval_is(lo, hi, verdict):
    assert target_status(lo, hi, 4.0, at_least=True).startswith(verdict)


def test_a_paired_ratio_interval_is_the_t_interval_of_the_log_ratios():
    this, that = [1.0, 2.0, 4.0], [2.0, 4.0, 8.0]  # every round's ratio is exactly 0.5: a zero-width interval
    assert paired_ratio(this, that) == pytest.approx((0.5, 0.5))
    this, that = [1.0, 1.0, 1.0, 1.0], [1.0, np.e, 1.0, np.e]  # log ratios 0, -1, 0, -1: mean -0.5, sd 0.577
    half = 3.182446305284263 * 0.5773502691896257 / 2  # t(0.975, 3) * sd / sqrt(4)
    assert paired_ratio(this, that) == pytest.approx((np.exp(-0.5 - half), np.exp(-0.5 + half)))


def test_the_observations_share_is_each_sides_mean_over_the_rounds_with_its_t_interval(monkeypatch):
    import bench_revision

    shares = iter([0.5, 0.5, 0.08, 0.20, 0.10, 0.20, 0.12, 0.20])  # two warm-up rounds, then this/that alternating
    sizes = {"seconds": 0.1, "first_run_s": 0.2, "deposits": 1, "pursuits": 1, "events": 1, "blocks": 1}
    monkeypatch.setattr(bench_revision, "one_round", lambda *_: {**sizes, "observation": next(shares)})
    r = bench_revision.compare(Path("."), rounds=3, observe=True)
    half = 4.302652729749464 * 0.02 / np.sqrt(3)  # t(0.975, 2) * sd(0.08, 0.10, 0.12) / sqrt(3)
    assert r["this"]["observation"] == pytest.approx(0.10) and r["that"]["observation"] == pytest.approx(0.20)
    assert r["observation_ci"][0] == pytest.approx((0.10 - half, 0.10 + half))
    assert r["observation_ci"][1] == pytest.approx((0.20, 0.20))
    assert "10.00% (5.03%-14.97%) vs 20.00%" in bench_revision.text(r)

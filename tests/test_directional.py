"""Directional claims, tested statistically over paired seeds (common random numbers), not on one seed.

Measure: the EU's share of licensed reserve value averaged over the 100 quarters. One-sided Wilcoxon
signed-rank test on the per-seed differences, at p < 0.01.
"""

import numpy as np
import pytest
from scipy import stats

from model import GreatGameModel
from model import scenario as scenarios

pytestmark = pytest.mark.slow
SEEDS = [int(s) for s in np.random.SeedSequence(6).generate_state(80, dtype=np.uint64)]


def eu_share(seed: int, scenario: str = "baseline", **kw) -> float:
    m = GreatGameModel(**scenarios.load(scenario).model_kwargs(rng=seed, **kw))
    m.run_for(100)
    return float(m.timeseries()["share_EU"].mean())


def greater(a: dict, b: dict, n: int = 60) -> tuple[float, float, float]:
    x = np.array([eu_share(s, **a) for s in SEEDS[:n]])
    y = np.array([eu_share(s, **b) for s in SEEDS[:n]])
    return x.mean(), y.mean(), stats.wilcoxon(x - y, alternative="greater").pvalue


def test_eu_share_falls_as_delay_rises():
    delays = (0.0, 2.0, 4.0, 6.0, 8.0, 12.0)
    shares = {d: [eu_share(s, eu_delay_mean_q=d) for s in SEEDS[:25]] for d in delays}
    rho, p = stats.spearmanr(np.repeat(delays, 25), np.concatenate([shares[d] for d in delays]))
    assert rho < 0 and p < 0.01
    *_, p = greater({"eu_delay_mean_q": 2.0}, {"eu_delay_mean_q": 6.0})
    assert p < 0.01


def test_faster_trust_building_raises_eu_share():
    a, b, p = greater({"eu_trust_build_rate": 3.0}, {"eu_trust_build_rate": 0.3})
    assert a > b and p < 0.01


def test_later_start_lowers_eu_share():
    # With a fast EU (approval in about a quarter) the start year matters; at the baseline's four quarters the
    # EU's public pursuits rarely win at any start, which docs/findings.md reports.
    fast = {"eu_delay_mean_q": 1.0}
    a, b, p = greater({**fast, "eu_start_year": 2026}, {**fast, "eu_start_year": 2034})
    assert a > b and p < 0.01


def test_sanctions_move_holdings_to_others():
    moved = []
    for seed in SEEDS[:20]:
        scn = scenarios.load("sanctions_shock")
        m = GreatGameModel(**scn.model_kwargs(rng=seed))
        m.run_for(8)  # up to 2027Q4, the quarter before the sanctions
        held = m.deposits.equity[:, m.index["RU"]].copy()
        rows = held > 0
        others = m.deposits.equity[rows].copy()
        m.step()  # 2028Q1: forced sale
        assert rows.any()
        assert m.deposits.equity[:, m.index["RU"]].sum() == 0
        gained = (m.deposits.equity[rows] - others).sum(axis=0)
        gained[m.index["RU"]] = 0
        np.testing.assert_allclose(gained.sum(), held.sum(), rtol=1e-9)
        moved.append(gained)
        assert m.timeseries()["share_RU"].iloc[-1] == 0
    buyers = np.array(moved).sum(axis=0)
    assert (buyers > 0).sum() >= 2  # more than one buyer across seeds: the sale is a draw, not a rule

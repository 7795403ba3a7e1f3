"""Invariants over random valid parameters: mass balance, shares, budgets."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import GreatGameModel
from model import params as P
from model.shocks import Sanctions

SWEPT = [
    "eu.delay_mean_q",
    "eu.budget_usd_m",
    "cn.budget_usd_m",
    "us.finance_share",
    "host.offer_rate",
    "host.auction_window_q",
    "host.negotiation_window_q",
    "host.w_finance",
    "host.reservation_score",
    "econ.slip_prob",
    "investors.count",
    "investors.patience_mean_q",
    "host.revocation_overrun",
    "price.vol_speculative",
    "eu.approval_cap_q",
]


def value_in(key: str):
    p = P.PARAMS[key]
    lo, hi = p.bounds
    hi = min(hi, lo + 50) if p.kind is int or key == "investors.count" else hi
    if p.kind is int:
        return st.integers(int(lo), int(hi))
    return st.floats(lo, min(hi, 1e4), allow_nan=False)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.fixed_dictionaries({k: value_in(k) for k in SWEPT}),
    seed=st.integers(0, 2**32 - 1),
    shock=st.sampled_from(["none", "RU", "CN", "EU"]),
)
def test_invariants(values, seed, shock):
    shocks = [] if shock == "none" else [Sanctions(power=shock, year=2028)]
    m = GreatGameModel(**values, **{"run.synthetic_deposits": 40}, shocks=shocks, rng=seed)
    initial = m.deposits.remaining.copy()
    extracted = np.zeros_like(initial)
    for _ in range(24):
        m.step()
        extracted += m.output_t
        d = m.deposits
        assert (d.remaining >= 0).all()
        np.testing.assert_allclose(extracted + d.remaining, initial, rtol=1e-9)
        licensed = d.equity.sum(axis=1) > 0
        np.testing.assert_allclose(d.equity[licensed].sum(axis=1), 1.0, atol=1e-9)
        assert (d.equity >= -1e-12).all() and (d.offtake >= -1e-12).all()
        shares = np.array([m.measures[f"reserve_share_{h.lower()}"] for h in m.holders])
        assert ((shares >= 0) & (shares <= 1 + 1e-12)).all()
        assert abs(shares.sum() - 1.0) < 1e-9 or shares.sum() == 0
        assert (m.budgets.committed >= -1e-9).all()
        assert (m.investors.capital >= -1e-9).all()
        assert 0 <= m.measures["eu_supply_security"] <= 1
        assert ((m.trust >= 0) & (m.trust <= 1)).all()

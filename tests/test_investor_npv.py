"""The investors' quarterly values from kept powers (``agents/investor_values.py``) are ``npv_usd_m``'s bit for bit,
also after a deposit's life changes, deposits arrive or a longer lead appears: a stale kept power fails here.
"""

import numpy as np

from agents.investor_values import Discounting
from model import scenario
from model.economics import npv_usd_m


def reference(rates, lead, life, wait, capex, cash, stake):
    """What the quarter's matrix was: ``(1 - stake) * npv_usd_m`` over two columns or more (a spare column)."""
    spare = [*range(lead.size), 0]
    npv = npv_usd_m(rates[:, None], capex[spare], cash[spare], lead[spare], life[spare], wait[None, spare])
    return ((1.0 - stake[spare]) * npv)[:, : lead.size]


def same(got, want):
    return got.shape == want.shape and np.array_equal(got.view(np.int64), want.view(np.int64))


def test_kept_powers_give_npv_usd_m_bit_for_bit():
    rng = np.random.default_rng(7)
    # classes as investors have them (v < 1), and a zero and a negative rate (v >= 1: the annuities' other branch)
    rates = np.unique(np.r_[np.round(rng.uniform(0.03, 0.25, 60) / 0.0025) * 0.0025, 0.0, -0.01])
    disc = Discounting(rates)
    n = 400
    lead = rng.integers(1, 25, n)
    life = np.round(rng.uniform(0, 80, n), 1)
    capex, cash, stake = rng.uniform(5, 900, n), rng.uniform(-20, 300, n), rng.choice([0.0, 0.25, 0.5], n)
    lead[:6], life[:6] = [1, 2, 1, 2, 3, 1], [0.0, 0.5, 2.0, 0.0, 1.0, 2.0]

    def check(deps, wait):
        args = lead[deps], life[deps], wait, capex[deps], cash[deps], stake[deps]
        assert same(disc.matrix(*args, deps), reference(rates, *args))

    for quarter in range(30):
        k = int(rng.integers(1, 120))
        deps = rng.choice(min(n, 40 + 12 * quarter), k)  # more deposits arrive each quarter; some twice
        wait = np.where(rng.random(k) < 0.1, np.round(rng.uniform(0, 8, k), 1), 0.0)
        if quarter % 5 == 0:
            wait[rng.integers(k)] = 2.0  # numpy's shortcut exponents, alone in the waiting columns
        if quarter % 7 == 0:
            wait[:] = 0.0
            wait[-1] = 0.5
        check(deps, wait)
        changed = rng.choice(n, 10, replace=False)  # reserves move: lives change, some to the shortcut exponents
        life[changed] = np.where(rng.random(10) < 0.3, rng.choice([0.0, 0.5, 2.0], 10), life[changed] * 0.9)
        check(np.r_[changed[:1], changed[:1]], np.zeros(2))  # one changed life, alone
        check(changed, np.zeros(10))
    lead[:3] = [40, 60, 1]  # a longer lead than any before
    check(np.arange(5), np.array([0.0, 1.5, 0.0, 0.0, 3.0]))


def test_the_quarters_values_are_npv_as_the_model_changes():
    """In a run, every quarter: the pool's values of its pursuits, tenders and random deposits equal ``npv`` on
    the same inputs, also after reserves and capacities are changed behind the kept powers' back.
    """
    model = scenario.load("baseline").build(rng=5)
    pool, d, rng = model.investors, model.deposits, np.random.default_rng(2)
    for quarter in range(40):
        model.step()
        act = model.pursuits.active()
        cols, waits, _ = pool.columns(act)
        deps = np.r_[cols, rng.integers(0, len(d), 20)]
        wait = np.r_[waits[: act.size], np.where(rng.random(deps.size - act.size) < 0.2, 2.0, 0.0)]
        for _ in range(2):
            want = pool.npv(pool.rates[:, None], np.r_[deps, deps[:1]], np.r_[wait, wait[:1]][None, :])
            assert same(pool.values(deps, wait), want[:, : deps.size])
            hit = rng.choice(deps, 3)
            d.remaining[hit] *= 0.75
            if quarter % 4 == 0:
                d.table.capacity[hit[:1]] *= 2.0


def test_what_valuing_reads_is_the_numpy_codes():
    """``investor_values.project`` against ``InvestorPool._project`` at eaae036 (``economics.annual_cash_usd_m``,
    ``economics.life_q`` and the gathers), on random tables with idle deposits and thin margins.
    """
    from agents.investor_values import project
    from model.economics import annual_cash_usd_m, life_q

    rng = np.random.default_rng(4)
    for _ in range(200):
        n, k = int(rng.integers(1, 40)), int(rng.integers(0, 60))
        capacity = rng.random(n) * 1e3 * (rng.random(n) < 0.8)
        commodity, price, met = rng.integers(0, 6, n), rng.random(6) * 1e4, rng.random(6) * 0.2
        remaining, capex, lead = rng.random(n) * 1e5, rng.random(n) * 500, rng.integers(0, 30, n)
        stakes, deposits, margin = rng.random(n), rng.integers(0, n, k), float(rng.random() * 0.4)
        got = project(deposits, capacity, commodity, price, margin, met, remaining, capex, lead, stakes)
        c = commodity[deposits]
        want = (
            capex[deposits],
            annual_cash_usd_m(capacity[deposits], price[c], margin, met[c]),
            lead[deposits],
            life_q(remaining[deposits], capacity[deposits]),
            stakes[deposits],
        )
        for a, b in zip(got, want, strict=True):
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes()

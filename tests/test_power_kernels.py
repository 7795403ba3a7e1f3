"""A power's compiled weighing (``agents/power_kernels.py``) gives numpy's values bit for bit and its scores to the
last bits (their powers and odds are the C library's), and chooses as numpy's pipeline chose."""

import numpy as np
import pytest
from scipy.special import ndtr

from agents.power import Power
from agents.power_kernels import _max, _min, candidates, choose, pick, ready, weigh
from model import GreatGameModel
from model.economics import annual_cash_usd_m, life_q, npv_usd_m
from model.streams import gumbel


def odds(p, reach):
    """The chance that an offer binds within ``reach`` quarters, as numpy and scipy computed it."""
    if p.delay_sd_q > 0:
        within = ndtr((reach + 0.5 - p.delay_mean_q) / p.delay_sd_q)
    else:
        within = (np.rint(max(0.0, p.delay_mean_q)) <= reach).astype(float)
    if p.approval_cap_q > 0:
        within = np.where(p.approval_cap_q < reach + 0.5, 1.0, within)
    return p.approval_prob * within


def numpy_weigh(power, cand, reach, by_odds):
    """The weighing as numpy wrote it before the kernels: the reference."""
    m, d, p = power.model, power.model.deposits, power.p
    c = d.table.commodity[cand]
    value = d.value_usd_m(m.prices.price, cand)
    public = p.finance_share * d.capex[cand]
    tranche = public / d.table.lead_time[cand]
    incumbency = 1.0 + m.params.host.incumbency * m.host.incumbency[c, power.index]
    if not by_odds:
        return np.arange(cand.size), value, public, tranche, power.priorities[c] * np.maximum(value, 1e-9) * incumbency
    cash = annual_cash_usd_m(d.table.capacity[cand], m.prices.price[c], m.params.econ.margin, m.rules.met[c])
    life = life_q(d.remaining[cand], d.table.capacity[cand])
    npv = npv_usd_m(p.discount_rate, d.capex[cand], cash, d.table.lead_time[cand], life, power.expected_delay)
    worth = power.priorities[c] * incumbency * (1.0 - m.host.stake(cand)) * npv
    carry = (1.0 + p.discount_rate) ** 0.25 - 1.0
    gain = odds(p, reach) * worth - (p.offer_cost_usd_m + tranche * np.minimum(power.expected_delay, reach) * carry)
    keep = np.flatnonzero(gain > 0)
    return keep, value[keep], public[keep], tranche[keep], gain[keep]


@pytest.mark.parametrize("by_odds", [0, 1])
@pytest.mark.parametrize("rate", [0.0, 0.07])
@pytest.mark.parametrize("sd", [0.0, 1.5])
def test_weigh_is_numpys_and_chooses_as_numpy_did(by_odds, rate, sd):
    m = GreatGameModel(**{"mechanisms.odds": by_odds, "eu.discount_rate": rate, "eu.delay_sd_q": sd,
                          "cn.approval_cap_q": 1.0}, rng=3)  # fmt: skip
    for _ in range(12):
        m.step()
    rng = np.random.default_rng(0)
    for power in m.agents_by_type[Power]:
        for n in (1, 7, 8, 9, 33, len(m.deposits)):
            cand = rng.choice(len(m.deposits), n, replace=False)
            reach = rng.integers(0, 12, n)
            keep, value, public, tranche, score = weigh(*power.inputs(cand, reach))
            want = numpy_weigh(power, cand, reach, by_odds == 1)
            for g, w in zip((keep, value, public, tranche), want[:4], strict=True):
                assert g.tobytes() == w.tobytes()  # what reaches the tables: numpy's bits
            np.testing.assert_allclose(score, want[4], rtol=1e-12, atol=0)  # what only the choice reads
            taste, free = rng.random(n), float(rng.uniform(0.0, 2.0) * tranche.sum()) if keep.size else 1.0
            got = choose(*power.inputs(cand, reach), taste, free, 3)
            with np.errstate(divide="ignore"):  # a zero score (a commodity it does not want) is never wished for
                take, bound = pick(np.log(want[4]) + gumbel(taste[keep]), want[3], free, 3)
            assert got[0].tobytes() == keep.tobytes() and got[4].tolist() == take.tolist() and got[5] == bound


def test_adding_pursuits_counts_and_earmarks_in_order():
    from model.budgets import Budgets
    from model.pursuits import Pursuits

    rng = np.random.default_rng(1)
    pur = Pursuits(Budgets(4), None, 4)
    power, solo, tranche = rng.integers(0, 4, 50), rng.random(50) < 0.3, rng.random(50) - 0.2
    pur.add(power=power, deposit=np.arange(50), start=0, ready=1, ok=True, public=1.0, tranche=tranche, bonus=0.0,
            private=0.0, offtake=0.0, processing=0.0, finance=0.0, solo=solo)  # fmt: skip
    running, committed = np.zeros(4, dtype=np.int64), np.zeros(4)
    np.add.at(running, power[~solo], 1)
    np.add.at(committed, power[tranche > 0], tranche[tranche > 0])
    assert (pur.running == running).all() and pur.budgets.committed.tobytes() == committed.tobytes()


@pytest.mark.parametrize("cap", [0.0, 2.0])
def test_pick_is_numpys(cap):
    rng = np.random.default_rng(2)
    for n in (1, 5, 40):
        wish, z, tranche = np.round(rng.normal(size=n), 1), rng.normal(size=n), rng.random(n)  # ties in wish
        order = np.argsort(-wish, kind="stable")
        delay = np.maximum(0.0, 3.0 + 1.5 * z)
        delay = np.minimum(delay, cap) if cap > 0 else delay
        take, free, bound = [], 2.0, False
        for j in order:
            if len(take) == 4:
                break
            if tranche[j] > free:
                bound = True
                continue
            take.append(j)
            free -= tranche[j]
        got_take, got_bound = pick(wish, tranche, 2.0, 4)
        assert got_take.tolist() == take and got_bound == bound
        assert (ready(z[take], 3.0, 1.5, cap, 7) == 7 + np.rint(delay).astype(np.int64)[take]).all()


@pytest.mark.parametrize("a, b", [(-0.0, 0.0), (0.0, -0.0), (np.nan, 1.0), (1.0, np.nan), (1.0, 2.0), (2.0, 1.0)])
def test_max_and_min_are_numpys_with_nans_and_signed_zeros(a, b):
    for mine, theirs in ((_max, np.maximum), (_min, np.minimum)):
        want = theirs(np.full(20, a), np.full(20, b))[0]  # numpy's loop over arrays, as the replaced code ran
        assert np.float64(mine(a, b)).tobytes() == want.tobytes()


def one_powers_candidates(open_, active, power, solo, deposit, me, close, step, wait_q, direct, delay, capex,
                          min_capex, priorities, commodity, by_delay):  # fmt: skip
    """One power's candidates as its own call found them before 2026-12-07 (in plain Python): the reference."""
    taken = {int(deposit[i]) for i in active if power[i] == me and not solo[i]}
    out, reach = [], []
    for r in open_:
        q = close[r] - step + (wait_q if direct[r] else 0)
        if r not in taken and (delay <= q or not by_delay) and capex[r] >= min_capex and priorities[commodity[r]] > 0:
            out.append(r)
            reach.append(q)
    return out, reach


@pytest.mark.parametrize("seed", range(40))
def test_every_powers_candidates_in_one_pass_are_what_each_found_alone(seed):
    """Powers not in holder order, a power with no pursuit, pursuits of holders that are no power, solo ones, plots
    already pursued, capex at the bar, a commodity not wanted, and the foundation's rule by delay.
    """
    rng = np.random.default_rng(seed)
    n, h, n_c = int(rng.integers(1, 60)), 8, 5
    powers = rng.permutation(np.arange(1, h))[: int(rng.integers(1, 6))]
    pursuits = int(rng.integers(0, 40))
    power, deposit = rng.integers(0, h, pursuits), rng.integers(0, n, pursuits)
    solo, active = rng.random(pursuits) < 0.3, np.flatnonzero(rng.random(pursuits) < 0.8)
    open_ = rng.permutation(n)[: int(rng.integers(0, n + 1))]
    close, direct = rng.integers(0, 12, n), rng.random(n) < 0.5
    capex, commodity = rng.choice([0.0, 50.0, 100.0, 400.0], n), rng.integers(0, n_c, n)
    delay, min_capex = rng.choice([0.0, 2.0, 4.5, 9.0], powers.size), rng.choice([0.0, 100.0, 500.0], powers.size)
    priorities = rng.choice([0.0, 0.5, 1.0], (powers.size, n_c))
    for by_delay in (False, True):
        plots, reach, start = candidates(open_, active, power, solo, deposit, powers, h, n, close, 3, 2, direct, delay,
                                         capex, min_capex, priorities, commodity, by_delay)  # fmt: skip
        assert start[0] == 0 and start[-1] == plots.size == reach.size
        for k, me in enumerate(powers):
            want = one_powers_candidates(open_, active, power, solo, deposit, me, close, 3, 2, direct, delay[k], capex,
                                         min_capex[k], priorities[k], commodity, by_delay)  # fmt: skip
            got = plots[start[k] : start[k + 1]].tolist(), reach[start[k] : start[k + 1]].tolist()
            assert got == want

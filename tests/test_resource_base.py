"""The resource base: deposit economics, the size law, exploration licences, discoveries, state releases."""

import numpy as np
import pandas as pd
import pytest

from model import GreatGameModel
from model import params as P
from model.commodities import INDEX
from model.deposit_table import table_path
from model.economics import annual_cash_usd_m, annuities, capex_usd_m, npv_usd_m
from model.ground import _plain_blocks
from model.pipeline import StatePipeline
from model.resources import SizeLaw
from model.vocabulary import Channel
from tests.conftest import QUIET_POWERS


def test_npv_by_hand():
    # capex 8 over 2 quarters, then cash 4/yr = 1/q for 2 quarters, at a rate making v = 0.5 per quarter
    rate = 0.5**-4 - 1.0
    got = npv_usd_m(np.array(rate), np.array(8.0), np.array(4.0), np.array(2), np.array(2), np.array(0))
    cost = 4 * (1 + 0.5)  # 4 now, 4 a quarter later
    income = 1 * (0.5**2 + 0.5**3)
    assert float(got) == pytest.approx(income - cost)
    later = npv_usd_m(np.array(rate), np.array(8.0), np.array(4.0), np.array(2), np.array(2), np.array(1))
    assert float(later) == pytest.approx(0.5 * (income - cost))  # a quarter of waiting halves it at v = 0.5
    assert annuities(np.array(1.0), np.array(3))[0] == 3  # no discounting


def test_capex_cash_and_tax():
    assert capex_usd_m(np.array([120.0, np.nan]), np.array([1.0, 250.0]), np.array([1e6, 4e3]), 1.5).tolist() == [
        120.0,
        1.5 * 250 * 4 * 4e3 / 1e6,
    ]
    # 1,000 t/q at $5,000/t: $20m a year; margin 44% before tax, 21% tax: 23% left
    assert annual_cash_usd_m(np.array(1000.0), np.array(5000.0), 0.44, np.array(0.21)) == pytest.approx(4.6)


def test_size_law_fits_the_table_and_taylor_capacity_grows_slower_than_size():
    commodity = np.array([0, 0, 0, 1])
    contained = np.array([1e5, 1e6, 1e7, 5e4])
    capacity = contained / 80.0  # a 20-year life each
    law = SizeLaw.fit(commodity, contained, capacity)
    assert law.mu[0] == pytest.approx(np.log(1e6)) and np.isnan(law.mu[2])
    assert law.sigma == pytest.approx(np.log(1e6) - np.log(1e5))  # the copper rows' spread
    small, big = law.capacity(np.array([0, 0]), np.array([1e6, 1e7]))
    assert big / small == pytest.approx(10**0.75)  # life ∝ size^0.25
    u = np.random.default_rng(0).random((2, 20000))
    sizes = law.size(np.zeros(20000, dtype=int), u[0], u[1])
    assert np.log(sizes).mean() == pytest.approx(np.log(1e6), abs=0.05)


def test_a_size_law_is_fitted_once_per_table_and_shared_read_only():
    """A batch builds many models from one table: the fit is kept by the rows' bytes, equal to a fresh one,
    read-only (runs share it), and other rows give another law.
    """
    commodity, contained = np.array([0, 0, 0, 1]), np.array([1e5, 1e6, 1e7, 5e4])
    law = SizeLaw.fit(commodity, contained, contained / 80.0)
    again = SizeLaw.fit(commodity.copy(), contained.copy(), contained / 80.0)
    fresh = SizeLaw._fit(commodity, contained, contained / 80.0)
    assert again is law and law.sigma == fresh.sigma
    for name in ("mu", "median_size", "median_life_q"):
        assert getattr(law, name).tobytes() == getattr(fresh, name).tobytes()
    with pytest.raises(ValueError, match="read-only"):
        law.mu[0] = 0.0
    other = SizeLaw.fit(commodity, contained * 2.0, contained / 80.0)
    assert other is not law and other.mu[0] == pytest.approx(np.log(2e6))


def test_state_pipeline_releases_yearly_at_the_data_rate(tmp_path):
    path = tmp_path / "pipe.csv"
    path.write_text(
        "id,name,commodity,contained_t,count,release_year,release_rate_per_year,region,lon,lat,channel,in_deposits_csv\n"
        "cu,typical copper,copper,1000,1,2026-2035,2.5,Abai Region,79,47,auction,false\n"
        "ga,classified gallium,gallium,300,3,2027,,Pavlodar Region,76,52,auction,false\n"
        "d1,named,copper,1,1,2028,,Abai Region,79,47,auction,true\n"
    )
    pipe = StatePipeline(str(path), 1.0, 2026, 2030, ["d1"])
    assert pipe.named == {"d1": (9, Channel.AUCTION)}  # offered from 2028Q1 (step 1 is 2026Q1), by auction
    per_year = [sum(n for _, n in pipe.due(step)) for step in range(1, 41)]
    assert per_year[1:4] == [0, 0, 0] and per_year[0] == 2  # first quarter only; 2.5/yr accumulates
    yearly = [sum(per_year[4 * y : 4 * y + 4]) for y in range(10)]
    assert yearly == [2, 6, 2, 3, 2, 0, 0, 0, 0, 0]  # 2.5 a year to 2030, plus 3 gallium plots in 2027
    off = StatePipeline(str(path), 0.0, 2026, 2030, ["d1"])
    assert all(not off.due(s) for s in range(1, 41))


def world(**over):
    kw = {**QUIET_POWERS, "investors.count": 200, "price.jump_prob": 0.0}
    return GreatGameModel(**{**kw, **P.from_model_kwargs(over)}, rng=3)


def test_exploration_licences_first_come_first_served_worked_or_revoked():
    m = world(explore_filings_per_q=40.0, explore_state_release_scale=0.0)
    g = m.ground
    m.step()
    assert len(g.licensed()) == 40 and (g.holder[g.licensed()] >= 0).all()
    filed = m.tally.licences_filed.sum()
    assert filed == 40
    capital = m.investors.capital.copy()
    m.step()
    assert len(g.licensed()) <= 80
    assert (m.investors.capital <= capital + m.params.investors.capital_inflow * m.investors.capital0 + 1e-9).all()
    broke = world(
        explore_filings_per_q=40.0,
        explore_work_usd_m_per_q=5.0,
        explore_revocation_unworked_q=1.0,
        investors_capital_inflow=0.0,
    )
    broke.run_for(10)  # filers can pay a year of work, then not: their unworked licences are revoked
    assert broke.tally.licences_revoked.sum() > 0


def test_the_ground_files_blocks_are_read_once_shared_read_only_and_jittered_per_run():
    a, b = world(), GreatGameModel(**QUIET_POWERS, rng=2)
    blocks = pd.read_csv(table_path("data/exploration_ground.csv"))
    n = int(blocks["blocks"].sum())
    assert a.ground.region[:n] == b.ground.region[:n] == np.repeat(blocks["region"], blocks["blocks"]).tolist()
    assert (a.ground.commodity[:n] == b.ground.commodity[:n]).all()
    assert not np.array_equal(a.ground.lon[:n], b.ground.lon[:n])  # each run's own jitter
    shared = _plain_blocks(table_path("data/exploration_ground.csv"))
    assert shared is _plain_blocks(table_path("data/exploration_ground.csv"))
    with pytest.raises(ValueError, match="read-only"):
        shared[1][0] = 0
    a.ground.commodity[0] = -1  # a run's arrays are its own
    assert world().ground.commodity[0] == shared[1][0]


def test_licences_expire_or_are_extended_with_relinquishment():
    m = world(
        explore_filings_per_q=10.0,
        explore_licence_term_q=2,
        explore_extension_q=3,
        explore_discovery_scale=0.0,
        explore_work_usd_m_per_q=0.0,  # nothing to find, but work costs nothing: every licence is worked
    )
    g = m.ground
    m.step()
    first = g.licensed().copy()
    m.run_for(2)  # the term ends: worked licences are extended once, giving up 40% of their ground
    assert g.extended[first].all() and np.allclose(g.factor[first], 0.6)
    m.run_for(3)
    assert not np.isin(first, g.licensed()[g.extended[g.licensed()]]).any()


def test_a_licensee_works_ground_only_when_a_find_is_worth_the_work():
    from agents.exploration import discovery_value

    m = world(explore_filings_per_q=40.0)
    value = discovery_value(m)
    assert (value >= 0).all() and value[INDEX["copper"]] > 0
    dear = world(explore_filings_per_q=40.0, explore_work_usd_m_per_q=100.0, explore_revocation_unworked_q=1.0)
    dear.run_for(3)  # no find is worth 100 million a quarter: ground is filed but left unworked, then revoked
    assert dear.tally.licences_filed.sum() > 0 and dear.tally.licences_revoked.sum() > 0
    g = dear.ground
    assert not g.ever_worked[g.deposit < 0].any()  # plain ground; a known prospect is always worked


def test_discoveries_become_deposits_and_the_finder_decides():
    m = world(explore_filings_per_q=200.0, explore_discovery_scale=100.0, explore_state_release_scale=0.0)
    n0 = len(m.deposits)
    m.run_for(4)
    found = np.flatnonzero(m.deposits.table.origin == 2)
    assert found.size > 0 and len(m.deposits) == n0 + found.size
    assert m.tally.discoveries.sum() >= found.size
    t = m.deposits.table
    assert (t.contained[found] > 0).all() and (t.capacity[found] > 0).all()
    kinds = m.events.frame()
    details = set(kinds.loc[kinds.kind == "discovery", "detail"])
    assert details <= {"its finder develops it", "returned to the state", "sold: the plot goes to auction"}
    uranium = found[t.commodity[found] == INDEX["uranium"]]
    assert t.strategic[uranium].all()


def test_no_discovery_and_no_release_when_switched_off():
    m = world(explore_discovery_scale=0.0, explore_state_release_scale=0.0)
    n0 = len(m.deposits)
    m.run_for(12)
    assert len(m.deposits) == n0 and m.tally.discoveries.sum() <= 4  # only the table's known prospects


def test_mass_balance_and_holdings_hold_for_new_deposits_too():
    m = world()
    initial = m.deposits.remaining.copy()
    extracted = np.zeros(0)
    for _ in range(40):
        m.step()
        d = m.deposits
        extracted = np.r_[extracted, np.zeros(len(d) - len(extracted))] + m.output_t
        start = np.r_[initial, d.table.contained[len(initial) :]]
        np.testing.assert_allclose(extracted + d.remaining, start, rtol=1e-9)
        held = d.equity.sum(axis=1)
        assert (held <= 1 + 1e-9).all() and (d.equity >= -1e-12).all()
        np.testing.assert_allclose(held[d.licensed()], 1.0, atol=1e-9)


def test_channel_mix_lever_moves_every_kth_typical_plot_to_negotiation(tmp_path):
    path = tmp_path / "pipe.csv"
    path.write_text(
        "id,name,commodity,contained_t,count,release_year,release_rate_per_year,region,lon,lat,channel,in_deposits_csv\n"
        "cu,typical copper,copper,1000,1,2026-2035,4,Abai Region,79,47,auction,false\n"
    )
    from model.resources import SizeLaw

    law = SizeLaw.fit(np.array([0]), np.array([1e6]), np.array([1e4]))
    plots = StatePipeline(str(path), 1.0, 2026, 2030, [], direct=0.25).plots(1, law)
    assert (plots.channel == Channel.NEGOTIATION).sum() == 1 and len(plots) == 4


def test_a_prospect_whose_licence_ended_undefined_is_free_again():
    """A known prospect's licence that ends before the prospect is defined (term over, unworked for want of
    capital) frees the prospect, so that the next filing on its block finds it unlicensed (found by the study
    over posterior draws: the filing raised a TransitionError)."""
    from agents.exploration import _release_prospects
    from model.vocabulary import Stage

    m = GreatGameModel(rng=1)
    g = m.ground
    block = int(np.flatnonzero(g.deposit >= 0)[0])
    dep = int(g.deposit[block])
    m.licences.explore(dep, m.index["EU"])
    assert m.deposits.stage[dep] == Stage.PROSPECT
    g.holder[block] = -1  # the term ended, not extended
    _release_prospects(m)
    assert m.deposits.stage[dep] == Stage.UNLICENSED
    m.licences.explore(dep, m.index["CN"])  # a new filing on the block
    assert m.deposits.stage[dep] == Stage.PROSPECT

"""The rules of the model, each on a tiny hand-made deposit table (exploration and state releases off)."""

import numpy as np
import pytest

from model import GreatGameModel
from model import params as P
from model.pursuits import BINDING, LOST, MISSED, PREEMPTED, WON
from model.shocks import ExportControl, PriceShock, Sanctions
from model.vocabulary import Stage
from tests.conftest import QUIET_POWERS

QUIET_WORLD = {  # a tiny hand-made world: no exploration, releases, jumps, the national plants of data/plants.csv,
    # or world markets (prices revert to their base levels, as the rules' hand-worked numbers assume)
    "explore.filings_per_q": 0.0,
    "explore.state_release_scale": 0.0,
    "price.jump_prob": 0.0,
    "mechanisms.plants": 0,
    "mechanisms.markets": 0,
}


def only_eu(table_path, seed=1, **over):
    """A model where only the EU bids (approval certain, no spread), on ``table_path``."""
    kw = {
        **QUIET_POWERS,
        **QUIET_WORLD,
        "run.deposits": table_path,
        "investors.count": 0,
        "eu.budget_usd_m": 500.0,
        "eu.start_year": 2000,
        "eu.approval_prob": 1.0,
        "eu.delay_sd_q": 0.0,
        "eu.finance_share": 0.6,
        "host.offer_rate": 1.0,
    }
    special = {k: over.pop(k) for k in ("extra_powers", "shocks") if k in over}
    return GreatGameModel(**{**kw, **P.from_model_kwargs(over)}, **special, rng=seed)


def test_a_power_only_pursues_what_it_can_make_binding_in_time(table):
    slow = only_eu(table({}), eu_delay_mean_q=6.0, host_auction_window_q=2)
    slow.run_for(6)
    assert slow.pursuits.n == 0  # a 6-quarter pipeline cannot bid in a 2-quarter auction
    fast = only_eu(table({}), eu_delay_mean_q=6.0, host_auction_window_q=2, eu_approval_cap_q=2.0)
    fast.run_for(3)
    assert fast.pursuits.status[0] == WON  # the fast-track cap brings the auction within reach


def test_approval_after_the_close_is_missed_and_the_budget_returns(table):
    # expected delay 2 fits the 2-quarter auction, but the drawn delays spread widely: some come too late
    rows = [{"id": f"d{i}"} for i in range(8)]
    m = only_eu(table(*rows), eu_delay_mean_q=2.0, eu_delay_sd_q=3.0, host_auction_window_q=2, eu_max_pursuits=8)
    eu = m.index["EU"]
    trust0 = m.trust[eu]
    m.run_for(4)
    pur = m.pursuits
    missed = np.flatnonzero(pur.status[: pur.n] == MISSED)
    assert missed.size and (pur.ready[missed] > pur.start[missed] + 2).all()
    assert m.tally.missed[eu] == missed.size and m.tally.missed_value[eu] > 0
    assert m.trust[eu] < trust0 + 8 * m.params.host.trust_gain_engagement
    assert "missed_window" in set(m.events.frame().kind)
    active_tranches = pur.tranche[pur.active()].sum() + m.deposits.tranche.sum()
    assert m.budgets.committed[eu] == pytest.approx(active_tranches)  # missed ones gave their earmark back


def test_auction_goes_to_the_highest_qualified_bonus(table):
    # China bids a higher bonus than the EU, but commits too little processing: the EU wins
    def auction(cn_processing: float):
        m = only_eu(
            table({}),
            eu_delay_mean_q=0.0,
            cn_budget_usd_m=500.0,
            cn_start_year=2000,
            cn_delay_mean_q=0.0,
            cn_delay_sd_q=0.0,
            cn_approval_prob=1.0,
            cn_premium=0.05,
            cn_processing=cn_processing,
            host_auction_window_q=1,
        )
        m.run_for(2)
        return m

    m = auction(0.1)
    assert m.deposits.leader[0] == m.index["EU"]
    qualified = auction(0.6)
    assert qualified.deposits.leader[0] == qualified.index["CN"]  # with the processing, the higher bonus wins
    assert qualified.deposits.equity[0, qualified.host_index] == 0.0  # no state stake in an auctioned plot


def test_negotiation_accepts_early_and_preempts_a_pursuit_in_approval(table):
    # a direct deal: China binds at once and reaches the reservation; the EU, two quarters out, is pre-empted
    m = only_eu(
        table({"channel": "negotiation"}),
        eu_delay_mean_q=2.0,
        cn_budget_usd_m=500.0,
        cn_start_year=2000,
        cn_delay_mean_q=0.0,
        cn_delay_sd_q=0.0,
        cn_approval_prob=1.0,
        cn_trust0=1.0,
        host_reservation_score=0.3,
    )
    eu = m.index["EU"]
    m.step()
    pur = m.pursuits
    eu_pursuit = int(np.flatnonzero(pur.power[: pur.n] == eu)[0])
    assert pur.status[eu_pursuit] == PREEMPTED and m.deposits.leader[0] == m.index["CN"]
    assert m.tally.preempted[eu] == 1 and m.tally.missed[eu] == 0
    assert m.trust_loss[eu] == 0.0  # not late: no trust lost
    assert m.deposits.equity[0, m.host_index] == pytest.approx(m.params.host.state_stake_strategic)


def test_the_host_keeps_a_negotiation_open_for_a_preferred_partner(table):
    # China binds at once but below the reservation; the EU, which the host prefers, is due one quarter after
    # the close: the host waits for it
    common = {
        "eu_delay_mean_q": 3.0,
        "eu_trust0": 1.0,
        "eu_processing": 1.0,
        "cn_budget_usd_m": 500.0,
        "cn_start_year": 2000,
        "cn_delay_mean_q": 0.0,
        "cn_delay_sd_q": 0.0,
        "cn_approval_prob": 1.0,
        "cn_trust0": 0.3,
        "host_negotiation_window_q": 2,
        "host_reservation_score": 2.0,
    }
    waiting = only_eu(table({"channel": "negotiation"}), host_preferred_wait_q=2, **common)
    waiting.run_for(4)
    assert waiting.deposits.leader[0] == waiting.index["EU"]
    impatient = only_eu(table({"channel": "negotiation"}), host_preferred_wait_q=0, host_min_objective=0.0, **common)
    impatient.run_for(4)
    assert impatient.deposits.leader[0] == impatient.index["CN"]
    # and with its minimum, an impatient host declines China's weak offer and keeps the deposit
    declining = only_eu(table({"channel": "negotiation"}), host_preferred_wait_q=0, host_min_objective=0.3, **common)
    declining.run_for(3)
    assert declining.deposits.leader[0] == -1 and declining.deposits.stage[0] == Stage.UNLICENSED


def test_uranium_award_gives_the_state_its_stake(table):
    m = only_eu(
        table({"commodity": "uranium", "contained_t": "20000", "capacity_t_per_q": "200", "channel": "negotiation"}),
        eu_delay_mean_q=0.0,
        host_reservation_score=0.0,
        **{"eu.priorities.copper": 0.0, "eu.priorities.uranium": 1.0},
    )
    m.run_for(2)
    assert m.deposits.equity[0, m.host_index] == pytest.approx(0.75)
    assert m.deposits.equity[0, m.index["EU"]] == pytest.approx(0.25)
    assert m.deposits.offtake[0].sum() == pytest.approx(1.0)


def test_the_state_firm_takes_a_strategic_deposit_no_partner_beats(table):
    row = {"commodity": "uranium", "contained_t": "20000", "capacity_t_per_q": "200", "channel": "negotiation"}
    kw = {
        "eu_delay_mean_q": 0.0,
        "host_reservation_score": 0.0,
        "eu.priorities.copper": 0.0,
        "eu.priorities.uranium": 1.0,
    }
    high = only_eu(table({**row, "strategic": "true"}), host_state_firm_objective=2.0, **kw)
    high.run_for(6)
    assert high.deposits.equity[0, high.host_index] == pytest.approx(1.0)  # no offer reaches the bar
    assert "the state's own firm" in high.events.frame().detail.iloc[-1]
    pur = high.pursuits
    assert (pur.status[: pur.n] != BINDING).all()  # the declined partner's offer ended: nothing stays binding
    assert high.budgets.committed[high.index["EU"]] == pytest.approx(0.0)  # and its budget came back
    off = only_eu(table({**row, "strategic": "true"}), host_state_firm_objective=0.0, **kw)
    off.run_for(6)
    assert off.deposits.equity[0, off.index["EU"]] == pytest.approx(0.25)  # the partner wins, the state keeps 75%
    plain = only_eu(table({**row, "strategic": "false"}), host_state_firm_objective=2.0, **kw)
    plain.run_for(6)
    assert plain.deposits.equity[0, plain.index["EU"]] == pytest.approx(0.25)  # only strategic deposits


def test_a_declined_negotiation_ends_its_binding_offers(table):
    row = {"commodity": "uranium", "contained_t": "20000", "capacity_t_per_q": "200", "channel": "negotiation"}
    m = only_eu(
        table(row),
        eu_delay_mean_q=0.0,
        host_reservation_score=2.0,
        host_min_objective=2.0,  # no offer can reach the host's minimum
        host_retender_q=40,
        **{"eu.priorities.copper": 0.0, "eu.priorities.uranium": 1.0},
    )
    m.run_for(8)
    pur = m.pursuits
    assert pur.n >= 1 and (pur.status[: pur.n] == LOST).all()
    assert m.deposits.stage[0] == Stage.UNLICENSED and m.budgets.committed.sum() == pytest.approx(0.0)


def test_investors_expect_the_fast_tracked_delay(table):
    m = only_eu(table({}), eu_delay_mean_q=6.0, eu_approval_cap_q=2.0)
    assert m.power_delay[m.index["EU"]] == 2.0


def test_uranium_contract_extension_raises_the_state_stake(table):
    row = {
        "commodity": "uranium",
        "stage_2026": "producing",
        "holders_2026": "KZ:0.6;EU:0.4",
        "start_year": "2001",
        "channel": "negotiation",
        "strategic": "true",
        "contained_t": "50000",
        "capacity_t_per_q": "100",
    }
    m = only_eu(table(row), host_contract_term_q=100)  # 2001 + 25 years: the term ends at the start of 2026
    assert m.deposits.contract_end[0] == 1
    m.step()
    assert m.deposits.equity[0, m.host_index] == pytest.approx(0.9)
    assert m.deposits.equity[0, m.index["EU"]] == pytest.approx(0.1)
    assert m.events.frame().kind.tolist() == ["extension"]


def test_depletion_and_mass_balance(table):
    m = only_eu(
        table({"stage_2026": "producing", "holders_2026": "KZ:1", "contained_t": "100", "capacity_t_per_q": "30"})
    )
    extracted = 0.0
    for _ in range(5):
        m.step()
        extracted += m.output_t.sum()
    assert m.deposits.remaining[0] == 0.0
    assert extracted == pytest.approx(100.0)
    assert m.deposits.stage[0] == Stage.DEPLETED


def test_a_slipping_holder_loses_its_licence_but_the_state_firm_does_not(table):
    rows = [
        {"id": "us", "stage_2026": "developing", "holders_2026": "US:0.7;KZ:0.3", "lead_time_q": "2"},
        {"id": "kz", "stage_2026": "developing", "holders_2026": "KZ:1", "lead_time_q": "2", "strategic": "true"},
        {"id": "junior", "stage_2026": "developing", "holders_2026": "KZ:1", "lead_time_q": "2"},
    ]
    m = only_eu(table(*rows), econ_slip_prob=1.0, host_revocation_overrun=1.0, us_trust0=0.5, host_retender_q=40)
    m.run_for(4)
    ev = m.events.frame()
    assert sorted(ev.loc[ev.kind == "revocation", "deposit"]) == sorted([m.deposits.table.names[i] for i in (0, 2)])
    assert m.deposits.stage[0] == Stage.UNLICENSED and m.deposits.equity[0].sum() == 0
    assert m.deposits.stage[1] == Stage.DEVELOPING  # the state firm: host.state_firm_revocation = 0
    assert m.deposits.stage[2] == Stage.UNLICENSED  # a Kazakh private holder answers for its conduct
    assert m.trust[m.index["US"]] < 0.5


def test_production_start_builds_trust_for_the_power_that_led_it(table):
    m = only_eu(
        table({"stage_2026": "developing", "holders_2026": "EU:1", "lead_time_q": "2"}),
        econ_slip_prob=0.0,
        eu_engagement=0.0,
    )
    t0 = m.trust[m.index["EU"]]
    m.run_for(2)
    assert m.deposits.stage[0] == Stage.PRODUCING
    assert m.trust[m.index["EU"]] > t0


def test_sanctions_the_state_buys_first_in_a_strategic_deposit_unless_a_buyer_reaches_the_bar(table):
    rows = [
        {
            "id": "u1",
            "commodity": "uranium",
            "stage_2026": "producing",
            "holders_2026": "KZ:0.5;RU:0.5",
            "contained_t": "50000",
            "capacity_t_per_q": "100",
            "strategic": "true",
            "channel": "negotiation",
        },
        {"id": "c1", "stage_2026": "producing", "holders_2026": "KZ:0.5;RU:0.5"},
    ]
    shocks = [Sanctions(power="RU", year=2026)]
    high_bar = only_eu(
        table(*rows), cn_budget_usd_m=100.0, cn_start_year=2000, shocks=shocks, host_priority_reservation=2.0
    )
    high_bar.step()
    eq = high_bar.deposits.equity
    assert eq[0, high_bar.host_index] == pytest.approx(1.0)  # the priority right: Kazatomprom buys
    assert eq[1, high_bar.index["RU"]] == 0.0 and eq[1, high_bar.host_index] == pytest.approx(0.5)
    assert high_bar.sanctioned[high_bar.index["RU"]]
    low_bar = only_eu(
        table(*rows), cn_budget_usd_m=100.0, cn_start_year=2000, shocks=shocks, host_priority_reservation=0.0
    )
    low_bar.step()
    assert low_bar.deposits.equity[0, low_bar.host_index] == pytest.approx(0.5)  # sold to an approved buyer
    assert low_bar.deposits.equity[0, [low_bar.index["EU"], low_bar.index["CN"]]].sum() == pytest.approx(0.5)


def test_several_shocks_in_one_run_price_and_export_control(table):
    rows = [{"id": "p", "stage_2026": "producing", "holders_2026": "KZ:1", "offtake_2026": "KZ:0.5;CN:0.5"}]
    shocks = [
        PriceShock(commodity="copper", factor=3.0, year=2026),
        ExportControl(commodity="copper", power="CN", year=2026, quarter=2),
    ]
    m = only_eu(table(*rows), shocks=shocks, price_vol_base=0.0)
    m.step()
    assert m.prices.price[0] == pytest.approx(3 * 9500.0) and m.deposits.offtake[0, m.index["CN"]] == 0.5
    m.step()
    assert m.deposits.offtake[0, m.index["CN"]] == 0.0 and m.deposits.offtake[0, m.host_index] == 1.0
    assert m.events.frame().kind.tolist() == ["shock", "shock"]


def test_slow_pursuits_lose_private_capital_unless_investors_ignore_speed(table):
    rows = [{"id": f"d{i}", "capacity_t_per_q": "2000", "channel": "negotiation"} for i in range(4)]
    common = {"investors_count": 200, "host_negotiation_window_q": 12, "eu_finance_share": 0.1, "eu_max_pursuits": 4}
    fast = only_eu(table(*rows), eu_delay_mean_q=0.0, **common)
    slow = only_eu(table(*rows), eu_delay_mean_q=10.0, **common)
    indifferent = only_eu(table(*rows), eu_delay_mean_q=10.0, investors_speed_sensitivity=0.0, **common)
    for m in (fast, slow, indifferent):
        m.run_for(12)
    eu = fast.index["EU"]
    assert slow.tally.private_walked[eu] > fast.tally.private_walked[eu]
    assert indifferent.tally.private_walked[eu] < slow.tally.private_walked[eu]


def test_declared_power_is_a_power_like_the_others(table):
    more = {"gulf.budget_usd_m": 80.0, "gulf.start_year": 2000, "gulf.delay_mean_q": 0.0}
    m = only_eu(table({}), extra_powers=("GULF",), **more)
    assert "GULF" in m.holders and "capacity_share_gulf" in m.timeseries().columns
    assert m.params.powers["GULF"].budget_usd_m == 80.0 and np.isfinite(m.trust[m.index["GULF"]])
    sanctioned = only_eu(table({}), extra_powers="GULF", shocks=[Sanctions(power="GULF", year=2026)], **more)
    sanctioned.step()
    assert sanctioned.sanctioned[sanctioned.index["GULF"]]


def test_agents_are_views_of_the_state_for_mesa_tools(table):
    from agents import Deposit, Investor

    m = only_eu(table({"stage_2026": "producing", "holders_2026": "KZ:0.6;EU:0.4"}), investors_count=5)
    m.step()
    deposits, investors = m.agents_by_type[Deposit], m.agents_by_type[Investor]
    assert deposits.get("stage") == ["producing"] and deposits.get("commodity") == ["copper"]
    assert deposits.get("holders") == [{"KZ": 0.6, "EU": 0.4}] and deposits.get("controller") == ["EU"]
    assert deposits.get("remaining_t") == [m.deposits.remaining[0]]
    assert investors.get("capital_usd_m") == m.investors.capital.tolist()
    assert investors.get("in_pursuit") == (m.investors.pursuit >= 0).tolist()
    assert set(investors.get("affinity")) <= {"KZ", "EU", "US", "CN", "neutral"}

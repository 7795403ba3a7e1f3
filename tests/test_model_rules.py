"""The rules of model.md, each on a tiny hand-made deposit table."""

import numpy as np
import pytest

from model import GreatGameModel
from model import params as P
from model.deposit_table import STAGE
from model.pursuits import MISSED, WON
from model.shocks import PriceShock, Sanctions
from tests.conftest import QUIET_POWERS


def only_eu(table_path, **over):
    kw = {
        **QUIET_POWERS,
        "run.deposits": table_path,
        "investors.count": 0,
        "eu.budget_usd_m": 500.0,
        "eu.start_year": 2000,
        "eu.approval_prob": 1.0,
        "eu.delay_sd_q": 0.0,
        "host.tender_rate": 1.0,
        "price.jump_prob": 0.0,
    }
    special = {k: over.pop(k) for k in ("extra_powers", "shocks") if k in over}
    return GreatGameModel(**{**kw, **P.from_model_kwargs(over)}, **special, rng=1)


def test_approval_after_window_is_missed_and_budget_returns(table):
    m = only_eu(table({}), eu_delay_mean_q=10.0, host_tender_window_q=2)
    eu = m.index["EU"]
    m.step()
    assert m.pursuits.n == 1 and m.budgets.committed[eu] > 0  # budget earmarked while in approval
    trust_before = m.trust[eu]
    m.run_for(2)  # tender closes at step 3, approval would come at step 11
    assert m.pursuits.status[0] == MISSED
    assert m.budgets.committed[eu] == pytest.approx(0.0)
    assert m.tally.missed[eu] == 1 and m.tally.missed_value[eu] > 0
    assert m.trust[m.index["EU"]] < trust_before
    ev = m.events.frame()
    assert ev.kind.tolist() == ["missed_window"] and ev.power.tolist() == ["EU"]
    assert m.deposits.stage[0] == STAGE["unlicensed"]


def test_fast_track_cap_turns_the_miss_into_an_award(table):
    m = only_eu(table({}), eu_delay_mean_q=10.0, host_tender_window_q=4, eu_approval_cap_q=2.0)
    m.run_for(5)
    assert m.pursuits.status[0] == WON
    assert m.deposits.stage[0] == STAGE["developing"]
    assert m.deposits.equity[0, m.index["EU"]] == pytest.approx(0.7)  # state takes 30%
    assert m.events.frame().kind.tolist() == ["award"]


def test_uranium_award_gives_the_state_its_stake(table):
    m = only_eu(
        table({"commodity": "uranium", "contained_t": "20000", "capacity_t_per_q": "200"}),
        eu_delay_mean_q=0.0,
        **{"eu.priorities.copper": 0.0, "eu.priorities.uranium": 1.0},
    )
    m.run_for(5)
    assert m.deposits.equity[0, m.host_index] == pytest.approx(0.75)
    assert m.deposits.equity[0, m.index["EU"]] == pytest.approx(0.25)
    assert m.deposits.offtake[0].sum() == pytest.approx(1.0)


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
    assert m.deposits.stage[0] == STAGE["depleted"]
    assert not m.running


def test_undeveloped_licence_is_revoked(table):
    m = only_eu(
        table({"stage_2026": "developing", "holders_2026": "US:0.7;KZ:0.3", "lead_time_q": "2"}),
        econ_slip_prob=1.0,
        host_revocation_overrun=1.0,
        us_trust0=0.5,
        host_retender_q=40,
    )
    m.run_for(4)
    ev = m.events.frame()
    assert "revocation" in ev.kind.tolist()
    assert ev.loc[ev.kind == "revocation", "power"].iloc[0] == "US"
    assert m.deposits.stage[0] == STAGE["unlicensed"] and m.deposits.equity[0].sum() == 0
    assert m.trust[m.index["US"]] < 0.5


def test_production_start_on_time_builds_trust(table):
    m = only_eu(
        table({"stage_2026": "developing", "holders_2026": "EU:1", "lead_time_q": "2"}),
        econ_slip_prob=0.0,
        eu_engagement=0.0,
    )
    t0 = m.trust[m.index["EU"]]
    m.run_for(2)
    assert m.deposits.stage[0] == STAGE["producing"]
    assert m.trust[m.index["EU"]] > t0


def test_sanctions_force_a_sale(table):
    rows = [
        {
            "id": "u1",
            "commodity": "uranium",
            "stage_2026": "producing",
            "holders_2026": "KZ:0.5;RU:0.5",
            "contained_t": "50000",
            "capacity_t_per_q": "100",
        }
    ]
    m = only_eu(table(*rows), cn_budget_usd_m=100.0, shocks=[Sanctions(power="RU", year=2026)])
    m.step()
    eq = m.deposits.equity[0]
    assert eq[m.index["RU"]] == 0.0 and eq.sum() == pytest.approx(1.0)
    assert eq[m.index["CN"]] + eq[m.index["EU"]] == pytest.approx(0.5)
    assert m.events.frame().kind.tolist()[0] == "shock"
    assert m.power_by_index[m.index["RU"]].sanctioned


def test_slow_pursuits_lose_private_capital(table):
    rows = [{"id": f"d{i}", "capacity_t_per_q": "2000"} for i in range(4)]
    fast = only_eu(
        table(*rows), investors_count=200, eu_delay_mean_q=0.0, host_tender_window_q=12, eu_finance_share=0.1
    )
    slow = only_eu(
        table(*rows), investors_count=200, eu_delay_mean_q=12.0, host_tender_window_q=12, eu_finance_share=0.1
    )
    fast.run_for(12)
    slow.run_for(12)
    assert slow.tally.private_walked[slow.index["EU"]] > fast.tally.private_walked[fast.index["EU"]]


def test_price_shock_is_applied_and_logged(table):
    m = only_eu(table({}), shocks=[PriceShock(commodity="copper", factor=3.0, year=2026)], price_vol_base=0.0)
    m.step()
    assert m.prices.price[0] == pytest.approx(3 * 9500.0)
    assert m.events.frame().kind.tolist()[0] == "shock"


def test_declared_power_is_a_power_like_the_others(table):
    more = {"gulf.budget_usd_m": 80.0, "gulf.start_year": 2000, "gulf.delay_mean_q": 0.0}
    m = only_eu(table({}), extra_powers=("GULF",), **more)
    assert "GULF" in m.holders and "share_GULF" in m.timeseries().columns
    assert m.params.powers["GULF"].budget_usd_m == 80.0 and np.isfinite(m.trust[m.index["GULF"]])
    sanctioned = only_eu(table({}), extra_powers="GULF", shocks=[Sanctions(power="GULF", year=2026)], **more)
    sanctioned.step()
    assert sanctioned.power_by_index[sanctioned.index["GULF"]].sanctioned


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

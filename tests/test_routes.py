"""Export routes (model/routes.py): the generalised cost and the allocation on hand-worked books, and the routes
at work in a run: closures, investments, what reaches the EU and through whom."""

import numpy as np
import pandas as pd
import pytest

from model import market_tables
from model import scenario as sc
from model.commodities import INDEX
from model.route_table import RouteTable, investments, load
from model.routes import _largest, allocate, generalised_cost, value_at_stake
from model.shocks import RouteInvestment, RouteShock

U = INDEX["uranium"]


def tiny_table() -> RouteTable:
    return RouteTable(
        ids=["a", "b"],
        names=["A", "B"],
        capacity=np.array([400.0, 400.0]),
        cost=np.array([100.0, 75.0]),
        transit_days=np.array([20.0, 12.0]),
        disruption=np.array([0.10, 0.15]),
        serves=np.ones((2, 2), dtype=bool),
        via_russia=np.array([False, True]),
        via_china=np.array([False, False]),
        share=np.array([0.25, 0.1]),
    )


def test_generalised_cost_is_freight_plus_carrying_plus_expected_disruption():
    table = tiny_table()
    cost = generalised_cost(table.cost, np.array([208_000.0, 280.0]), value_at_stake(table, carry=0.08, loss=0.25))
    # uranium by a: 100 + 208,000 x (20/365 x 0.08 + 0.10 x 0.25) = 6,311.6; by b: 75 + 208,000 x (12/365 x 0.08 +
    # 0.15 x 0.25) = 8,422.1: the dearer freight wins for valuable cargo; chromite goes the cheap way
    assert cost[:, 0] == pytest.approx(
        [100 + 208_000 * (20 / 365 * 0.08 + 0.025), 75 + 208_000 * (12 / 365 * 0.08 + 0.0375)]
    )
    assert cost[0, 0] < cost[1, 0] and cost[1, 1] < cost[0, 1]


def test_allocation_fills_the_cheapest_route_pro_rata_then_spills_then_strands():
    # two commodities x two holders; route 0 cheapest for everything, capacity 60; route 1 capacity 30
    flows = np.array([[40.0, 40.0], [20.0, 0.0]])  # 100 t asked
    cost = np.array([[1.0, 1.0], [2.0, 2.0]])
    serves = np.array([[True, True], [True, False]])  # holder 1 may not use route 1
    carried, stranded = allocate(flows, cost, serves, np.array([60.0, 30.0]))
    # round 1: route 0 asked 100, carries 60% of each: 24, 24, 12
    np.testing.assert_allclose(carried[0], [[24.0, 24.0], [12.0, 0.0]])
    # round 2: the rest of holder 0 (16 + 8 = 24) goes to route 1 (30 left); holder 1's 16 has no second route
    np.testing.assert_allclose(carried[1], [[16.0, 0.0], [8.0, 0.0]])
    np.testing.assert_allclose(stranded, [[0.0, 16.0], [0.0, 0.0]])
    assert carried.sum() + stranded.sum() == pytest.approx(flows.sum())


def test_a_full_route_has_nothing_left_for_later_rounds():
    """Route 1 carries commodity 1's three requests pro rata (49.1 of 200.6 t asked); its shares add up to 7e-15 t
    less than 49.1, and that residue once went to commodity 0's spill in round 2 as a flow of 7e-15 t."""
    flows = np.array([[100.0, 0.0, 0.0], [61.9, 39.0, 99.7]])
    cost = np.array([[1.0, 2.0], [2.0, 1.0]])  # commodity 0 by route 0 first, commodity 1 by route 1
    shares = [a * (49.1 / flows[1].sum()) for a in flows[1].tolist()]
    assert 49.1 - (shares[0] + shares[1] + shares[2]) > 0.0  # the residue the rule takes out
    carried, stranded = allocate(flows, cost, np.ones((2, 3), bool), np.array([10.0, 49.1]))
    assert carried[1, 1].tolist() == shares
    assert carried[1, 0].tolist() == [0.0, 0.0, 0.0]  # route 1 is full: nothing of commodity 0's spill
    assert stranded[0].tolist() == [90.0, 0.0, 0.0]


def test_the_compiled_cost_and_its_largest_are_numpys():
    rng = np.random.default_rng(5)
    for _ in range(300):
        n_r, n_c = rng.integers(1, 8, 2)
        freight, price, at_stake = rng.random(n_r) * 200, rng.random(n_c) * 1e5, rng.random((n_r, 1)) * 0.1
        want = freight[:, None] + price[None, :] * at_stake
        assert generalised_cost(freight, price, at_stake).tobytes() == want.tobytes()
        odd = want.copy()
        odd.flat[rng.integers(0, odd.size, 2)] = rng.choice([np.nan, np.inf, -np.inf, -0.0, 0.0], 2)
        for cost in (want, odd, -odd, np.zeros_like(want) * -1.0):
            got, top = _largest(cost), cost.max()
            assert (np.isnan(got) and np.isnan(top)) or got == top  # a zero's sign aside, which + 1.0 takes out


def test_unlimited_routes_carry_everything_by_the_cheapest():
    flows = np.array([[40.0, 40.0]])
    carried, stranded = allocate(flows, np.array([[2.0], [1.0]]), np.ones((2, 2), bool), np.full(2, np.inf))
    np.testing.assert_allclose(carried[1], flows)
    assert stranded.sum() == 0


def test_the_data_routes_serve_their_buyers_and_know_their_transit():
    holders = ("KZ", "EU", "CN", "US", "RU", "JK", "GULF", "PRIVATE")
    t = load("data/routes.csv", holders, host=0)
    assert t.ids[:2] == ["titr", "northern"] and t.via_russia.tolist() == [False, True, False, False, False, False]
    assert t.serves[:, 0].sum() == 0  # the host's own part needs no route
    assert t.serves[:, holders.index("GULF")].all()  # a buyer no route names may use any
    assert not t.serves[0, holders.index("CN")] and t.serves[2, holders.index("CN")]
    assert t.capacity[0] == pytest.approx(6_000_000 * 0.25)  # the Middle Corridor's share for minerals


def test_runs_share_the_route_table_read_only():
    """A table is parsed once per file (model/file_cache.py): no run can change the next one's."""
    holders = ("KZ", "EU", "CN", "US", "RU", "JK", "PRIVATE")
    a, b = load("data/routes.csv", holders, host=0), load("data/routes.csv", holders, host=0)
    assert a.capacity is b.capacity and a.ids == b.ids and a.ids is not b.ids
    with pytest.raises(ValueError, match="read-only"):
        a.capacity[0] = 0.0
    openings = investments("data/route_investments.csv", a, 2026)
    openings.append((1, 0, 1.0))  # a shock's investment joins one run's list only
    assert investments("data/route_investments.csv", a, 2026) == openings[:-1]


def test_a_quarters_flows_are_kept_as_they_were():
    """The observation keeps each quarter's route flows without a copy (model/market_tables.py): they are new
    arrays every quarter and read-only, so a write in place raises instead of changing an earlier snapshot.
    """
    m = sc.load("baseline").build(rng=1)
    m.run_for(3)
    kept = {s: (v.carried.copy(), v.stranded.copy(), v.open.copy()) for s, v in m.datacollector.markets.items()}
    for name in ("carried", "stranded", "open"):
        with pytest.raises(ValueError, match="read-only"):
            getattr(m.routes, name)[...] = 0.0
    m.run_for(2)
    snaps = m.datacollector.markets
    assert snaps[2].carried is not snaps[3].carried
    for s, (carried, stranded, open_t) in kept.items():
        assert (snaps[s].carried == carried).all() and (snaps[s].stranded == stranded).all()
        assert (snaps[s].open == open_t).all()


def test_only_investments_known_by_the_start_add_capacity():
    holders = ("KZ", "EU", "CN", "US", "RU", "JK", "PRIVATE")
    t = load("data/routes.csv", holders, host=0)
    by_2026 = {(t.ids[k], step) for step, k, _ in investments("data/route_investments.csv", t, 2026)}
    assert ("titr", 6) in by_2026  # Global Gateway (29 Jan 2024 + 3 years): built during 2027Q1, open from 2027Q2
    assert investments("data/route_investments.csv", t, 2022) == []  # none was known by 2022


def test_a_closed_route_carries_nothing_and_its_flows_go_elsewhere_or_strand():
    shock = RouteShock(route="northern", share=0.0, quarters=4, year=2026, quarter=2)
    m = sc.load("baseline").build(rng=2, shocks=(shock,))
    open_ = sc.load("baseline").build(rng=2)
    m.run_for(6)
    open_.run_for(6)
    north = m.routes.table.ids.index("northern")
    ts, base = m.timeseries(), open_.timeseries()
    assert (ts["exports_via_russia_t"].iloc[2:6] == 0).all() and (base["exports_via_russia_t"].iloc[2:6] > 0).all()
    assert ts["exports_via_caspian_t"].iloc[3] > base["exports_via_caspian_t"].iloc[3]  # rerouted
    assert ts["exports_stranded_share"].iloc[3] > 0  # Russia's own take has no other route
    assert m.routes.carried[north].sum() > 0  # open again after four quarters (steps 2-5 closed)
    assert "route northern closed for 4 quarters" in m.events.frame().detail.tolist()


def test_an_investment_opens_after_its_build_time():
    shock = RouteInvestment(route="titr", capacity_t_per_year=4e6, build_quarters=3, year=2026, quarter=2)
    m = sc.load("baseline").build(rng=2, shocks=(shock,))
    titr = m.routes.table.ids.index("titr")
    m.run_for(4)
    before = m.routes.capacity[titr]
    m.run_for(1)  # step 5 = 2 + 3
    assert m.routes.capacity[titr] - before == pytest.approx(4e6 * 0.25)


def test_eu_supply_security_is_what_arrived_against_demand_weighted_by_value():
    m = sc.load("baseline").build(rng=3)
    m.run_for(8)
    eu = m.index["EU"]
    arrived = 4.0 * m.routes.carried[:, :, eu].sum(axis=0)
    demand = m.markets.demand_eu(m.steps)
    weight = demand * m.base_price / (demand * m.base_price).sum()
    want = float(weight @ np.minimum(arrived / demand, 1.0))
    assert m.timeseries()["eu_supply_security"].iloc[-1] == pytest.approx(want)
    per = m.commodity_shares()
    last = per[(per.step == 8) & (per.holder == "EU")].set_index("commodity")["eu_supply_security"]
    assert last["uranium"] == pytest.approx(min(1.0, arrived[U] / demand[U]))


def test_with_routes_unconstrained_nothing_strands_even_when_a_route_closes():
    shock = RouteShock(route="northern", share=0.0, quarters=8, year=2026, quarter=2)
    m = sc.load("baseline").build(rng=2, shocks=(shock,), **{"mechanisms.routes": 0})
    m.run_for(6)
    assert (m.timeseries()["exports_stranded_share"].iloc[1:] == 0).all()


def test_the_route_tables_show_a_closure_and_sum_to_the_exports():
    shock = RouteShock(route="northern", share=0.0, quarters=4, year=2026, quarter=2)
    m = sc.load("baseline").build(rng=2, shocks=(shock,))
    m.run_for(6)
    t = market_tables.tables(m)
    north = t["routes"][t["routes"].route == "northern"].set_index("step")
    assert north.loc[2:5, "open_share"].eq(0).all() and north.loc[[1, 6], "open_share"].eq(1).all()
    flows = t["route_flows"]
    assert flows[(flows.route == "northern") & flows.step.between(2, 5)].empty
    assert (flows.route == market_tables.STRANDED).any()  # Russia's own take had nowhere to go
    exports = m.chains.delivered[0].copy()  # the last quarter's take, less the host's own part
    exports[:, m.host_index] = 0.0
    assert flows[flows.step == 6].tonnes_t.sum() == pytest.approx(exports.sum())
    carried = flows[(flows.step == 6) & (flows.route != market_tables.STRANDED)].groupby("route").tonnes_t.sum()
    by_route = t["routes"][t["routes"].step == 6].set_index("route").carried_t
    assert carried.to_dict() == pytest.approx(by_route[by_route > 0].to_dict())


def test_the_markets_table_holds_prices_demand_and_supply_by_quarter():
    m = sc.load("baseline").build(rng=2)
    m.run_for(4)
    t = market_tables.tables(m)["markets"]
    u = t[t.commodity == "uranium"].set_index("step")
    assert len(u) == 5 and u.loc[0, "price_index"] == 1.0 and u.endogenous.all()
    assert np.isnan(u.loc[0, "supply_kz_t_per_year"]) and u.loc[4, "supply_kz_t_per_year"] > 0
    assert u.loc[4, "price_usd_per_t"] == pytest.approx(m.prices.price[U])
    assert u.loc[4, "demand_eu_t_per_year"] == pytest.approx(m.markets.demand_eu(4)[U])
    assert not t[t.commodity == "copper"].endogenous.any()  # copper follows its exogenous path


def test_the_route_closure_block_pairs_by_replicate_and_reports_each_arm():
    """experiments/science/route_closure.py on a hand-made book: effects are closed − baseline per replicate."""
    from experiments.runner.worker import column
    from experiments.science import route_closure as rc

    rows = []
    for rep, shift in enumerate((0.0, 10.0, 20.0)):
        for on in (1, 0):
            for scenario, extra in (("baseline", 0.0), ("northern_closed", (100.0 + rep) * on)):
                row = {"replicate": rep, "scenario": scenario, "mechanisms_markets": on}
                for name in rc.OUTCOMES:
                    for year in rc.WHEN:
                        row[column(name, year)] = 1000.0 + shift + extra
                rows.append(row)
    text = rc.block(pd.DataFrame(rows))
    # markets on: effects 100, 101, 102 → +101 ± t(2) × 1 / √3 = [+98.5, +103.5]; off: identical pairs → +0 ≈0
    assert "| uranium price (USD/t U) | closed (2031Q4) | 1,010 | +101 [+99, +103] | 1,010 | +0 [+0, +0] ≈0 |" in text
    assert "the paired closure effect: 1 against 0" in text


def test_nominal_capacity_is_the_tables_plus_the_investments_open_by_then():
    """What a closure is measured against: the capacity the run had at a step, shocks and disruptions aside."""
    shock = RouteInvestment(route="titr", capacity_t_per_year=4e6, build_quarters=3, year=2026, quarter=2)
    m = sc.load("baseline").build(rng=2, shocks=(shock,))
    m.run_for(6)
    r, titr = m.routes, m.routes.table.ids.index("titr")
    assert r.nominal(0) == pytest.approx(r.table.capacity) and r.nominal(6) == pytest.approx(r.capacity)
    assert r.nominal(5)[titr] - r.nominal(4)[titr] == pytest.approx(4e6 * 0.25)  # opened at step 5 = 2 + 3


def test_the_open_share_is_measured_against_what_is_built():
    """A route whose investments opened is not more than fully open; one not built yet has no open share."""
    m = sc.load("baseline").build(rng=2)
    m.run_for(16)
    t = market_tables.tables(m)["routes"]
    assert t.open_share.dropna().between(0.0, 1.0).all()
    bakhty = t[t.route == "china_bakhty"].set_index("step")
    assert bakhty.loc[1, ["built_t", "capacity_t"]].eq(0).all() and np.isnan(bakhty.loc[1, "open_share"])
    assert bakhty.loc[16, "built_t"] > 0  # the Bakhty-Ayagoz line opens about 2029 (data/route_investments.csv)
    dostyk = t[(t.route == "china_dostyk") & (t.step >= 1)]  # the second track (2025) opens with the first quarter
    assert (dostyk.built_t > m.routes.table.capacity[m.routes.table.ids.index("china_dostyk")] / 4).all()


def test_a_snapshot_rebuilds_what_was_built_then_whatever_is_invested_later():
    """The recorder keeps how many investments were made by each quarter, not the capacity built: read back, the
    built capacity is what ``nominal`` gave at that quarter, bit for bit, though a later investment opened at once.
    """
    shock = RouteInvestment(route="titr", capacity_t_per_year=4e6, build_quarters=3, year=2026, quarter=2)
    m = sc.load("baseline").build(rng=2, shocks=(shock,))
    m.run_for(6)
    r, titr = m.routes, m.routes.table.ids.index("titr")
    then = {step: r.nominal(step) / 4.0 for step in (0, 4, 5, 6)}
    r.invest("titr", 8e6, 0)  # opens now: nominal(6) would count it
    assert r.nominal(6)[titr] > then[6][titr]
    for step, want in then.items():
        assert market_tables.built(r, m.datacollector.markets[step]).tobytes() == want.tobytes()

"""Plants, contracts and packages (issue 20): each rule on a hand-worked case, then in a small run."""

import numpy as np
import pytest

from model import chain_kernels as K
from model import contracts as C
from model import flows
from model import host_rules as rules
from model import scenario as sc
from model.vocabulary import Stage
from tests.test_model_rules import only_eu

NEGOTIATED = {"lead_time_q": "2", "channel": "negotiation"}  # the state takes host.state_stake_strategic


def test_ore_goes_first_to_its_leaders_plants_then_at_a_toll():
    # copper (0) from two mines: 100 t led by holder 1, 50 t led by holder 2; zinc (1): 30 t led by holder 1.
    # Plant P0 (copper, 60 t, owned by 1), P1 (copper, 40 t, owned by 3), P2 (zinc, 10 t, owned by 1, not yet online).
    output, commodity, leader = np.array([100.0, 50.0, 30.0]), np.array([0, 0, 1]), np.array([1, 2, 1])
    plant_c, intake, online = np.array([0, 0, 1]), np.array([60.0, 40.0, 10.0]), np.array([0, 0, 5])
    owners = np.zeros((3, 4))
    owners[0, 1] = owners[1, 3] = owners[2, 1] = 1.0
    integrated, toll, sent, tolled = flows.route(output, commodity, leader, plant_c, intake, online, owners, 2, True, 2)
    # with lock-in: mine 0 fills its leader's plant P0 (60); what is left of copper ore (40 + 50 = 90) fills P1's 40 at
    # a toll; P2 is not online yet
    assert integrated.tolist() == [60.0, 0.0, 0.0] and toll.tolist() == [0.0, 40.0, 0.0]
    assert sent.tolist() == [60.0, 0.0, 0.0] and tolled[0] == pytest.approx(40 / 90)
    integrated, toll, sent, _ = flows.route(output, commodity, leader, plant_c, intake, online, owners, 2, False, 2)
    # open to all: 150 t of copper ore for 100 t of room, every plant full at a toll, nothing integrated
    assert integrated.sum() == 0 and toll.tolist() == [60.0, 40.0, 0.0] and sent.sum() == 0


def test_what_each_holder_takes_after_the_plants():
    # the mine (copper, 100 t) sent 60 t to an integrated plant whose product holder 2 takes under contract; the
    # other 40 t go by the mine's offtake (holder 1: 0.75, holder 0: 0.25)
    offtake = np.array([[0.25, 0.75, 0.0]])
    plant_offtake = np.array([[0.0, 0.0, 1.0]])
    got, nobody = np.full((3, 2, 3), np.nan), np.zeros((1, 3), dtype=bool)
    K.delivered(got, np.array([100.0]), np.array([60.0]), offtake, offtake, nobody, np.array([0]), np.array([60.0]),
                plant_offtake, plant_offtake, nobody, np.array([0]))  # fmt: skip
    assert got[0, 0].tolist() == [10.0, 30.0, 60.0] and got[0, 1].sum() == 0  # every offtaker; commodity 1: none
    assert got[1].sum() == 0 and got[2, 0].tolist() == [10.0, 30.0, 60.0]  # none led; all flagged (held, not led)


def offtake(equity, contracts, host, routing, step):
    """``contracts.plant_offtake`` with the plant contracts of ``contracts`` in force at ``step``."""
    ids = contracts.active(C.PLANT, step)
    return C.plant_offtake(equity, contracts.source[ids], contracts.share[ids], contracts.buyer[ids], host, routing)


def test_a_plants_contracts_come_first_and_the_hosts_part_is_exported():
    # plant 0: the host (0) holds 51%, holder 2 holds 49% and has a contract for all its output; plant 1: the host
    # holds all; its part goes abroad as the routing says (60% to holder 2, 10% to holder 1, the rest stays)
    k = C.Contracts()
    k.add(kind=C.PLANT, source=0, buyer=2, share=1.0, start=0, end=40, basis=0, led=True)
    equity = np.array([[0.51, 0.0, 0.49], [1.0, 0.0, 0.0]])
    routing = np.array([[0.0, 0.1, 0.6], [0.0, 0.1, 0.6]])
    out = offtake(equity, k, 0, routing, step=1)
    assert out[0] == pytest.approx([0.0, 0.0, 1.0])
    assert out[1] == pytest.approx([0.3, 0.1, 0.6])
    # a contract that starts later takes nothing yet: the owners take by equity, the host's part exported
    k = C.Contracts()
    k.add(kind=C.PLANT, source=0, buyer=2, share=1.0, start=5, end=40, basis=0, led=True)
    assert offtake(equity, k, 0, routing, step=1)[0] == pytest.approx([0.51 * 0.3, 0.051, 0.49 + 0.306])


def test_a_contract_on_an_exhausted_deposit_ends():
    m = sc.load("baseline").build(rng=1)
    k = m.chains.contracts
    ids = k.active(C.DEPOSIT)
    row = int(k.source[ids[0]])
    m.deposits.stage[row] = Stage.DEPLETED
    m.chains.quarter()
    assert k.status[ids[0]] == C.ENDED


def test_a_contract_is_renewed_for_a_trusted_buyer_with_lock_in_only():
    trust, sanctioned = np.array([0.5, 0.6, 0.25]), np.array([False, True, False])
    buyers = np.array([0, 1, 2])
    assert C.renews(trust, buyers, sanctioned, 0.3, True).tolist() == [True, False, False]  # 1 is sanctioned
    assert C.renews(trust, buyers, sanctioned, 0.3, False).tolist() == [False, False, False]


def test_a_framework_agreement_counts_in_the_hosts_objective():
    o = rules.Offers(
        revenue=np.array([100.0, 100.0]),
        processing=np.zeros(2),
        coverage=np.zeros(2),
        foreign_share=np.ones(2),
        trust=np.array([0.5, 0.5]),
        incumbent_share=np.zeros(2),
        framework=np.array([1.0, 0.0]),
    )
    w = rules.Weights(revenue=0.3, processing=0.3, finance=0.2, diversification=0.2, incumbency=0.5, framework=0.1)
    # each offer is the best for its own deposit: 0.5 × (0.3 + 0.1) against 0.5 × 0.3
    assert rules.objective(np.array([0, 1]), o, w) == pytest.approx([0.2, 0.15])


def test_an_award_makes_a_contract_and_a_commitment_a_plant(table):
    # the EU wins a negotiated copper deposit (the state takes 30%) with offtake 0.8: the 0.8 beyond its equity of
    # 0.7 is its contract's, and its processing commitment (0.6) is a plant of 0.6 x the deposit's capacity when
    # production starts
    m = only_eu(table(NEGOTIATED), eu_delay_mean_q=0.0, eu_offtake_share=0.8, eu_processing=0.6, mechanisms_plants=1)
    m.run_for(6)
    k, eu = m.chains.contracts, m.index["EU"]
    mine = np.flatnonzero(k.buyer[: k.n] == eu)
    routed = m.rules.exports[0, 0]  # the host's part of copper exported to the EU (data/commodity_rules.csv)
    assert mine.size == 1 and k.share[mine[0]] == pytest.approx(0.8)
    assert m.deposits.offtake[0, eu] == pytest.approx(0.8 + 0.2 * routed)  # and the trade routed to it
    assert k.end[mine[0]] == k.start[mine[0]] + m.params.host.offtake_term_q
    built = np.flatnonzero(m.chains.plants.origin == 1)
    assert built.size == 1 and m.chains.plants.intake_q[built[0]] == pytest.approx(0.6 * m.deposits.table.capacity[0])
    assert m.chains.plants.equity[built[0], eu] == pytest.approx(m.deposits.equity[0, eu])
    kinds = m.events.frame().kind.tolist()
    assert {"package_proposed", "package_binding", "award", "package_accepted", "package_delivered", "plant"} <= set(
        kinds
    )


def test_a_contract_ends_at_its_term_and_the_offtake_returns_to_the_host(table):
    m = only_eu(table(NEGOTIATED), eu_delay_mean_q=0.0, eu_offtake_share=0.8, host_offtake_term_q=3)
    m.run_for(3)
    eu, routed = m.index["EU"], m.rules.exports[0, 0]
    assert m.deposits.offtake[0, eu] == pytest.approx(0.8 + 0.2 * routed)
    m.trust[eu] = 0.0  # the host no longer trusts the buyer: no renewal at the term's end
    m.run_for(4)
    assert m.deposits.offtake[0, eu] == pytest.approx(0.7 + 0.3 * routed)  # its equity, and trade
    assert "ended" in " ".join(m.events.frame().query("kind == 'contract'").detail)


def test_without_lock_in_contracts_last_a_quarter(table):
    m = only_eu(table(NEGOTIATED), eu_delay_mean_q=0.0, eu_offtake_share=0.8, mechanisms_lock_in=0)
    m.run_for(4)
    eu = m.index["EU"]
    assert m.deposits.offtake[0, eu] == pytest.approx(0.7 + 0.3 * m.rules.exports[0, 0])  # at once: equity, trade


def test_the_package_pace_check_counts_the_deals_by_hand(tmp_path):
    """experiments/science/package_pace.py: led, binding package deals only (no framework, lapsed or firm deal);
    public finance per deal is the public lender's amount, else the deal's."""
    from experiments.science.package_pace import deals

    path = tmp_path / "deals.csv"
    path.write_text(
        "holder,led,instrument,status,public_usd_m,amount_usd_m\n"
        "CN,true,equity,signed,,100\n"
        "CN,true,public_finance,completed,300,900\n"
        "CN,true,framework,signed,,\n"  # a framework is no package
        "CN,true,equity,lapsed,,50\n"  # nor a lapsed deal
        "CN,false,equity,signed,,70\n"  # nor a firm's deal
        "EU,true,offtake,under_way,,10\n"
    )
    table = deals(path)
    assert table.loc["CN", "deals"] == 2 and table.loc["CN", "size"] == pytest.approx(200.0)
    assert table.loc["EU", "deals"] == 1 and table.loc["EU", "size"] == pytest.approx(10.0)


def test_the_contracts_in_force_follow_every_addition_and_ending():
    """``Contracts.active`` is kept between calls: adding a contract or ending one must show at once."""
    k = C.Contracts()
    k.add(kind=C.DEPOSIT, source=[3, 4], buyer=1, share=0.5, start=[0, 6], end=40, basis=0, led=True)
    assert k.active().tolist() == [0, 1] and k.active(C.DEPOSIT, 2).tolist() == [0]
    k.add(kind=C.PLANT, source=0, buyer=2, share=1.0, start=0, end=40, basis=0, led=True)
    assert k.active().tolist() == [0, 1, 2] and k.active(C.PLANT, 2).tolist() == [2]
    k.set_status(0, C.ENDED)
    assert k.active().tolist() == [1, 2] and k.active(C.DEPOSIT, 2).tolist() == []
    assert k.active(C.DEPOSIT, 6).tolist() == [1] and not k.active().flags.writeable

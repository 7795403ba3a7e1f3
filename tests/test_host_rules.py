"""Hand-worked books for each of the host's rules (model/host_rules.py)."""

import numpy as np
import pytest

from model import host_rules as rules

W = rules.Weights(money=0.3, processing=0.2, finance=0.2, speed=0.15, diversification=0.15, incumbency=0.5)


def features(**over) -> rules.Features:
    n = len(next(iter(over.values())))
    base = {name: np.zeros(n) for name in rules.Features.__dataclass_fields__}
    base["trust"] = np.ones(n)
    return rules.Features(**{**base, **over})


def test_offer_features_by_hand():
    # One offer: bonus 2, public 30, private 10 of a 100 capex, takes 40% of a 50/yr revenue; binding in
    # quarter 11 of a tender open 10..14; the bidder holds 25% of the foreign-held value, 10% of all.
    f = rules.offer_features(
        bonus=np.array([2.0]),
        public=np.array([30.0]),
        private=np.array([10.0]),
        offtake=np.array([0.4]),
        processing=np.array([0.6]),
        finance=np.array([0.3]),
        capex=np.array([100.0]),
        annual_revenue=np.array([50.0]),
        binding_step=np.array([11]),
        tender_open=np.array([10]),
        tender_close=np.array([14]),
        foreign_share=np.array([0.25]),
        trust=np.array([0.5]),
        incumbent_share=np.array([0.1]),
    )
    assert f.money[0] == pytest.approx(2 + 30 + 10 + 0.4 * 50)  # 62
    assert f.coverage[0] == pytest.approx(0.4)
    assert f.speed[0] == pytest.approx(1 - 1 / 4)
    assert f.diversification[0] == pytest.approx(0.75)
    assert (f.processing[0], f.finance[0], f.trust[0], f.incumbent_share[0]) == (0.6, 0.3, 0.5, 0.1)


def test_score_by_hand():
    # Two offers for deposit 0: A brings 100 money, full coverage; B brings 50, half coverage but processes.
    dep = np.array([0, 0])
    f = features(
        money=np.array([100.0, 50.0]),
        coverage=np.array([1.0, 0.5]),
        processing=np.array([0.0, 1.0]),
        finance=np.array([0.5, 0.0]),
        speed=np.array([1.0, 0.5]),
        diversification=np.array([0.4, 1.0]),
        trust=np.array([0.5, 0.8]),
        incumbent_share=np.array([0.2, 0.0]),
    )
    s = rules.score_offers(dep, f, W)
    a = 0.5 * (0.3 * 0.5 * (1.0 + 1.0) + 0.2 * 0.5 + 0.15 * 1.0 + 0.15 * 0.4) * (1 + 0.5 * 0.2)
    b = 0.8 * (0.3 * 0.5 * (0.5 + 0.5) + 0.2 * 1.0 + 0.15 * 0.5 + 0.15 * 1.0)
    assert s == pytest.approx([a, b])
    assert rules.pick_winners(dep, s, np.array([0.1, 0.2])).tolist() == [1]  # B wins: trust and processing


def test_money_is_relative_within_each_deposit():
    s = rules.score_offers(np.array([0, 1]), features(money=np.array([10.0, 1000.0])), W)
    assert s[0] == pytest.approx(s[1])  # each is the best offer for its own deposit


def test_tie_broken_by_the_draws_reproducibly():
    dep = np.array([3, 3, 3])
    score = np.array([0.7, 0.7, 0.2])
    assert rules.pick_winners(dep, score, np.array([0.9, 0.1, 0.5])).tolist() == [0]
    assert rules.pick_winners(dep, score, np.array([0.1, 0.9, 0.5])).tolist() == [1]


def test_one_winner_per_deposit():
    dep = np.array([2, 0, 2, 0, 1])
    score = np.array([0.1, 0.9, 0.5, 0.3, 0.4])
    assert sorted(rules.pick_winners(dep, score, np.zeros(5)).tolist()) == [1, 2, 4]


def test_acceptance_first_come_reservation_or_close():
    score = np.array([0.1, 0.5, 0.1, 0.1])
    first_come = np.array([True, False, False, False])
    closing = np.array([False, False, True, False])
    assert rules.accepted(score, first_come, closing, 0.38).tolist() == [True, True, True, False]


def test_tenders_open_the_free_deposits_with_the_lowest_draws():
    draws = np.array([0.9, 0.1, 0.5, 0.3, 0.2])
    free = np.array([0, 2, 3])  # deposits 1 and 4 are licensed: their low draws do not matter
    assert rules.tenders_to_open(free, draws, 0.5).tolist() == [3, 2]  # round(1.5) = 2
    assert rules.tenders_to_open(free, draws, 0.0).tolist() == [3]  # at least one
    assert rules.tenders_to_open(np.array([], dtype=int), draws, 0.5).size == 0


def test_state_stake_and_award_equity():
    assert rules.state_stake(np.array([True, False]), 0.75, 0.3).tolist() == [0.75, 0.3]
    assert rules.award_equity(4, host=0, winner=2, stake=0.3).tolist() == [0.3, 0.0, 0.7, 0.0]
    assert rules.award_equity(3, host=0, winner=0, stake=0.3).tolist() == [1.0, 0.0, 0.0]  # the state wins


def test_offtake_split_by_hand():
    # Equity KZ 0.3 / CN 0.7; CN contracts 80%: it takes 0.1 of KZ's part; KZ exports 50% of its 0.2 to the EU.
    equity = np.array([0.3, 0.0, 0.7])
    out = rules.offtake_split(equity, winner=2, offtake_share=0.8, host=0, exports={1: 0.5})
    assert out == pytest.approx([0.1, 0.1, 0.8])
    assert out.sum() == pytest.approx(1.0)
    # A winner asking less than its equity still takes its equity.
    assert rules.offtake_split(equity, 2, 0.2, 0, {}) == pytest.approx(equity)

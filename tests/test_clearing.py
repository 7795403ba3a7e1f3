"""Hand-worked cases for the host's scoring and award."""

import numpy as np
import pytest

from model.clearing import Weights, pick_winners, score_offers

W = Weights(money=0.3, processing=0.2, finance=0.2, speed=0.15, diversification=0.15, incumbency=0.5)


def test_score_by_hand():
    # Two offers for deposit 0: A brings 100 money, full coverage; B brings 50, half coverage but processes.
    dep = np.array([0, 0])
    s = score_offers(
        dep,
        money=np.array([100.0, 50.0]),
        coverage=np.array([1.0, 0.5]),
        processing=np.array([0.0, 1.0]),
        finance=np.array([0.5, 0.0]),
        speed=np.array([1.0, 0.5]),
        diversification=np.array([0.4, 1.0]),
        trust=np.array([0.5, 0.8]),
        incumbent_share=np.array([0.2, 0.0]),
        w=W,
    )
    a = 0.5 * (0.3 * 0.5 * (1.0 + 1.0) + 0.2 * 0.5 + 0.15 * 1.0 + 0.15 * 0.4) * (1 + 0.5 * 0.2)
    b = 0.8 * (0.3 * 0.5 * (0.5 + 0.5) + 0.2 * 1.0 + 0.15 * 0.5 + 0.15 * 1.0)
    assert s == pytest.approx([a, b])
    assert pick_winners(dep, s, np.array([0.1, 0.2])).tolist() == [1]  # B wins: trust and processing


def test_money_is_relative_within_each_deposit():
    dep = np.array([0, 1])
    kw = dict(
        coverage=np.zeros(2),
        processing=np.zeros(2),
        finance=np.zeros(2),
        speed=np.zeros(2),
        diversification=np.zeros(2),
        trust=np.ones(2),
        incumbent_share=np.zeros(2),
        w=W,
    )
    s = score_offers(dep, money=np.array([10.0, 1000.0]), **kw)
    assert s[0] == pytest.approx(s[1])  # each is the best offer for its own deposit


def test_tie_broken_by_rng_reproducibly():
    dep = np.array([3, 3, 3])
    score = np.array([0.7, 0.7, 0.2])
    winners = set()
    for seed in range(30):
        rng = np.random.default_rng(seed)
        w = pick_winners(dep, score, rng.random(3))
        assert w.tolist() == pick_winners(dep, score, np.random.default_rng(seed).random(3)).tolist()
        assert w[0] in (0, 1)
        winners.add(int(w[0]))
    assert winners == {0, 1}


def test_one_winner_per_deposit():
    dep = np.array([2, 0, 2, 0, 1])
    score = np.array([0.1, 0.9, 0.5, 0.3, 0.4])
    w = pick_winners(dep, score, np.zeros(5))
    assert sorted(w.tolist()) == [1, 2, 4]

"""Hand-worked cases for what an award gives (model/award_rules.py)."""

import numpy as np
import pytest

from model import award_rules


def test_state_stake_by_commodity_list_and_channel():
    uranium = np.array([True, False, False, False])
    strategic = np.array([True, True, False, False])
    direct = np.array([True, False, True, False])
    assert award_rules.state_stake(uranium, strategic, direct, 0.75, 0.3).tolist() == [0.75, 0.3, 0.3, 0.0]


def test_award_and_extension_equity():
    assert award_rules.award_equity(4, host=0, winner=2, stake=0.3).tolist() == [0.3, 0.0, 0.7, 0.0]
    assert award_rules.award_equity(3, host=0, winner=0, stake=0.3).tolist() == [1.0, 0.0, 0.0]  # the state wins
    assert award_rules.award_equity(3, 0, np.array([1, 2]), np.array([0.0, 0.75])).tolist() == [
        [0, 1, 0],
        [0.75, 0, 0.25],
    ]
    # Inkai: KZ 60% / CA 40% at extension to 90%: the partner keeps 10%
    assert award_rules.extension_equity(np.array([0.6, 0.4]), host=0, stake=0.9) == pytest.approx([0.9, 0.1])
    # a JV at KZ 0.25, partners 0.5 and 0.25 at 0.75: partners shrink pro rata to 1/6 and 1/12
    assert award_rules.extension_equity(np.array([0.25, 0.5, 0.25]), 0, 0.75) == pytest.approx([0.75, 1 / 6, 1 / 12])
    assert award_rules.extension_equity(np.array([0.95, 0.05]), 0, 0.9).tolist() == [0.95, 0.05]  # already above


def test_offtake_split_by_hand():
    # Equity KZ 0.3 / CN 0.7; CN contracts 80%: it takes 0.1 of KZ's part; KZ exports 50% of its 0.2 to the EU.
    equity = np.array([0.3, 0.0, 0.7])
    out = award_rules.offtake_split(equity, winner=2, offtake_share=0.8, host=0, exports=np.array([0.0, 0.5, 0.0]))
    assert out == pytest.approx([0.1, 0.1, 0.8])
    assert out.sum() == pytest.approx(1.0)
    assert award_rules.offtake_split(equity, 2, 0.2, 0, np.zeros(3)) == pytest.approx(equity)  # at least its equity
    # two awards at once, rows in, rows out
    both = award_rules.offtake_split(
        np.array([equity, [0.75, 0.25, 0.0]]),
        np.array([2, 1]),
        np.array([0.8, 0.25]),
        0,
        np.array([[0, 0.5, 0], [0, 0, 0.2]]),
    )
    np.testing.assert_allclose(both, [[0.1, 0.1, 0.8], [0.6, 0.25, 0.15]])

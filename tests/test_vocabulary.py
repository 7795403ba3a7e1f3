"""The closed vocabularies: the integers the arrays and tables use, labels, and refusal of unknown labels."""

import numpy as np
import pytest

from model.errors import InputError
from model.vocabulary import LICENSED, Channel, Route, Stage


def test_integers_are_the_ones_arrays_and_tables_use():
    assert [int(s) for s in Stage] == list(range(7)) and Stage.PROSPECT == 6
    assert Channel.labels() == ("auction", "negotiation", "exploration")
    assert Route.labels() == ("auction", "negotiation", "state_firm", "finder")
    assert [r.channel for r in Route] == [
        Channel.AUCTION,
        Channel.NEGOTIATION,
        Channel.NEGOTIATION,
        Channel.EXPLORATION,
    ]


def test_arrays_compare_with_members_element_wise():
    stage = np.array([0, 4, 4, 6])
    assert (stage == Stage.PRODUCING).tolist() == [False, True, True, False]
    assert np.isin(stage, LICENSED).tolist() == [False, True, True, False]


def test_unknown_label_is_refused_with_the_closest():
    assert Channel.parse("negotiation") is Channel.NEGOTIATION
    with pytest.raises(InputError, match="negotiation"):
        Channel.parse("negotation", "x.csv", "row 2 column channel")
    with pytest.raises(InputError, match="allowed"):
        Stage.parse("direct")

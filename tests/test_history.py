"""The deposit history gives back, at every recorded step, exactly the state the model held then."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from model import GreatGameModel
from model.history import DepositHistory


def _copy(d) -> tuple[np.ndarray, ...]:
    return tuple(getattr(d, f).copy() for f in ("stage", "leader", "award_step", "first_output", "remaining",
                                                 "equity", "offtake"))  # fmt: skip


def _same(history: DepositHistory, step: int, want: tuple[np.ndarray, ...]) -> None:
    ints, remaining = history.deposits(step)
    got = (*ints, remaining, *history.holdings(step))
    for g, w in zip(got, want, strict=True):
        assert g.dtype == w.dtype and g.shape == w.shape and g.tobytes() == w.tobytes()


def test_every_observed_step_of_a_run_is_given_back_bit_for_bit():
    model = GreatGameModel(rng=3)
    kept = {0: _copy(model.deposits)}
    for _ in range(2 * DepositHistory.KEEP_EVERY + 3):  # past two whole copies
        model.step()
        kept[model.steps] = _copy(model.deposits)
    history = model.datacollector._history
    assert history.steps() == list(kept)
    for step, want in kept.items():
        _same(history, step, want)


@pytest.mark.parametrize("seed", range(6))
def test_signed_zeros_nans_new_and_fewer_deposits_are_kept(seed):
    rng = np.random.default_rng(seed)
    history, kept = DepositHistory(), {}
    history.KEEP_EVERY = 4
    pick = np.array([0.0, -0.0, np.nan, 1.5, 2.0])
    ints, floats = rng.integers(-1, 3, (4, 5)), rng.choice(pick, (5, 7))
    for step in range(23):
        grow = int(rng.integers(-1, 3))  # deposits come (and, here, go)
        if grow > 0:
            ints = np.hstack((ints, rng.integers(-1, 3, (4, grow))))
            floats = np.vstack((floats, rng.choice(pick, (grow, 7))))
        elif grow < 0 and len(floats) > 1:
            ints, floats = ints[:, :-1], floats[:-1]
        cells = rng.random(floats.shape) < 0.1  # a few numbers change, some only in sign or to NaN
        floats = np.where(cells, rng.choice(pick, floats.shape), floats)
        ints = np.where(rng.random(ints.shape) < 0.1, rng.integers(-1, 3, ints.shape), ints)
        d = SimpleNamespace(
            stage=ints[0].copy(), leader=ints[1].copy(), award_step=ints[2].copy(), first_output=ints[3].copy(),
            remaining=floats[:, 0].copy(), equity=floats[:, 1:4].copy(), offtake=floats[:, 4:].copy(),
        )  # fmt: skip
        history.record(step, d)
        kept[step] = _copy(d)
    for step, want in kept.items():
        _same(history, step, want)


def test_a_long_run_keeps_the_scratch_row_buffer_at_the_deposits_count():
    history, n = DepositHistory(), 7
    d = SimpleNamespace(stage=np.zeros(n, dtype=np.int64), leader=np.full(n, -1), award_step=np.full(n, -1),
                        first_output=np.full(n, -1), remaining=np.ones(n), equity=np.zeros((n, 3)),
                        offtake=np.zeros((n, 3)))  # fmt: skip
    for step in range(5 * history.KEEP_EVERY):  # several whole copies
        history.record(step, d)
    assert len(history._last) == n


def test_a_step_is_recorded_once_and_in_order_and_its_remaining_cannot_be_changed():
    model = GreatGameModel(rng=1)
    model.step()
    history = model.datacollector._history
    for step in (0, 1):
        with pytest.raises(ValueError, match="recorded in order, once"):
            history.record(step, model.deposits)
    with pytest.raises(ValueError, match="read-only"):
        history.deposits(1)[1][0] = 0.0

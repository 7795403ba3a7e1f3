"""The speed-ups that replace a numpy call by a cheaper equivalent give exactly what the call gave."""

import numpy as np

from agents.investor_kernels import first_able
from model import scenario


def test_first_able_is_the_stable_sorts_first_k():
    rng = np.random.default_rng(0)
    for trial in range(500):
        n = int(rng.integers(0, 2000))
        x = rng.random(n)
        if trial % 2:
            x = np.round(x, 2)  # many ties: they keep their order, as in the full sort
        pursuit = np.where(rng.random(n) < 0.2, 3, -1)
        capital = rng.uniform(0, 2, n)
        able = np.flatnonzero((pursuit < 0) & (capital >= 0.5))
        for k in (-1, 0, 1, 2, int(rng.integers(1, 300)), able.size - 1, able.size, able.size + 3):
            want = able[np.argsort(x[able], kind="stable")[:k]]
            assert np.array_equal(first_able(pursuit, capital, 0.5, x, k), want)


def test_the_counting_sort_of_the_joiners_is_numpys_stable_sort():
    from agents.investor_kernels import _by_key

    rng = np.random.default_rng(1)
    for _ in range(300):
        n_keys = int(rng.integers(1, 40))
        key = rng.integers(0, n_keys, int(rng.integers(0, 400)))
        assert np.array_equal(_by_key(key, n_keys), np.argsort(key, kind="stable"))


def test_the_quarters_matrix_of_values_holds_what_each_decision_valued():
    """The investors value every rate class against every pursuit and tender at once (two columns or more); each
    entry must be what a member's own value (aligned vectors) or a rate classes × several columns call gives.
    A lone column is valued apart (``_single``): numpy's power takes exact shortcuts there (exponent 2 below).
    """
    model = scenario.load("baseline").build(rng=3)
    for _ in range(30):
        model.step()
    pool, rng = model.investors, np.random.default_rng(1)
    deps = rng.integers(0, len(model.deposits), 40)
    wait = np.round(rng.uniform(0, 12, 40), 1) * (rng.random(40) < 0.7)
    wait[::4] = 2.0
    matrix = pool.npv(pool.rates[:, None], deps, wait[None, :])
    rows, cols = np.divmod(np.arange(matrix.size), deps.size)
    assert np.array_equal(pool.npv(pool.rates[rows], deps[cols], wait[cols]), matrix.ravel())
    for _ in range(60):
        kinds = np.sort(rng.choice(pool.rates.size, int(rng.integers(1, pool.rates.size)), replace=False))
        cols = np.sort(rng.choice(deps.size, int(rng.integers(2, 6)), replace=False))
        want = pool.npv(pool.rates[kinds, None], deps[cols], wait[None, cols])
        assert np.array_equal(want, matrix[np.ix_(kinds, cols)])
        free = np.flatnonzero(np.isin(pool.rate_of, kinds))
        j = cols[:1]  # a lone tender, valued on its own (it waits for nobody)
        alone = pool.npv(pool.rates[kinds, None], deps[j], np.zeros((1, 1)))
        assert np.array_equal(pool._single(free, deps[j])[kinds], alone)


def test_the_kept_direct_mask_follows_every_channel_change_and_new_deposit():
    from model import GreatGameModel
    from model.synthetic import synthetic_deposits
    from model.vocabulary import Channel

    m = GreatGameModel(rng=1)
    d = m.deposits
    first = d.is_direct()
    assert not first.flags.writeable and d.is_direct() is first  # kept while nothing changes
    row = int(np.flatnonzero(~first)[0])
    d.set_channel(np.array([row]), Channel.NEGOTIATION)
    assert d.is_direct()[row] and np.array_equal(d.is_direct(), d.table.channel == Channel.NEGOTIATION)
    m.add_deposits(synthetic_deposits(3, np.random.default_rng(0), m.base_price, m.holders))
    assert np.array_equal(d.is_direct(), d.table.channel == Channel.NEGOTIATION) and d.is_direct().size == len(d)


def test_arriving_deposits_grow_every_state_array_in_place_of_a_copy():
    """Deposits arrive every few quarters; each state array is a view of a buffer that doubles, so an arrival
    writes only the new rows. What the arrays hold is what concatenating gave, also for an array another writer
    replaced outright between arrivals (it is copied back into the buffer).
    """
    from model import GreatGameModel
    from model.state import _DYNAMIC
    from model.synthetic import synthetic_deposits

    m = GreatGameModel(rng=1)
    d = m.deposits
    names = ("capex", "remaining", "stage", *_DYNAMIC)
    before = {name: getattr(d, name).copy() for name in names}
    rows = synthetic_deposits(3, np.random.default_rng(0), m.base_price, m.holders)
    new = m.add_deposits(rows)
    bufs = {name: getattr(d, name).base for name in names}
    d.tender_close = d.tender_close + 7  # replaced, not written in place
    m.add_deposits(synthetic_deposits(2, np.random.default_rng(1), m.base_price, m.holders))
    n = len(before["stage"])
    for name, fill in _DYNAMIC.items():
        first = np.concatenate([before[name], np.full((3, *before[name].shape[1:]), fill)])
        first = first + 7 if name == "tender_close" else first
        assert np.array_equal(getattr(d, name)[: n + 3], first) and (getattr(d, name)[n + 3 :] == fill).all(), name
        assert getattr(d, name).base is bufs[name], name  # the second arrival fitted: no new buffer
        assert len(getattr(d, name)) == len(d) == n + 5
    assert np.array_equal(d.remaining[new], rows.contained) and np.array_equal(d.stage[new], rows.stage)

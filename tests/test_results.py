"""Each declared result carries its computation; widths are checked against what it is declared per."""

import pickle
from operator import attrgetter
from types import SimpleNamespace

import numpy as np
import pytest

from model import scenario as sc
from model.measure_row import Takes, layout, measures
from model.observe import observation
from model.result_products import power_columns
from model.result_reads import Count, Part, Read
from model.results import RESULTS, Result
from model.tally import COUNTS


def test_every_measure_has_a_computation_that_pickles():
    for r in RESULTS:
        assert r.per in ("", "holder", "power", "commodity"), r.name
        if r.name != "quarter":
            assert r.compute is not None, r.name
            pickle.loads(pickle.dumps(r.compute))


def test_a_result_of_the_wrong_width_is_refused(monkeypatch):
    m = sc.load("baseline").build(rng=1)
    o, _ = observation(m, power_columns(m.power_index))
    wrong = Result("trust", "power", "0–1", "host's trust in {p}", lambda o: o.model.trust)  # every holder
    monkeypatch.setattr("model.measure_row.RESULTS", (*RESULTS[:2], wrong))
    with pytest.raises(ValueError, match="declared one value per power"):
        measures(o, layout(m), check=True)


def test_columns_follow_the_declarations():
    m = sc.load("baseline").build(rng=1)
    names = list(m.timeseries().columns)
    assert names[:3] == ["step", "capacity_share_kz", "capacity_share_eu"]
    assert names[-1] == "price_thallium" and "trust_jk" in names and "trust_kz" not in names


def test_power_columns_pick_the_powers_entries():
    held = np.arange(10.0) * 1.5
    for powers in ([1, 2, 3, 4, 5], [2], [1, 3, 4], [0, 1, 2, 9], []):
        p = np.array(powers, dtype=np.int64)
        assert held[power_columns(p)].tolist() == held[p].tolist()
    assert power_columns(np.array([1, 2, 3])) == slice(1, 4)


def test_each_quarters_row_is_every_results_own_computation():
    """After the first quarter the recorder fills a row without per-result checks; each quarter's row equals the
    checked one, result by result, and what the recorder kept.
    """
    m = sc.load("baseline").build(rng=2)
    columns, powers = layout(m), power_columns(m.power_index)
    for _ in range(10):
        m.run_for(1)
        fast = measures(observation(m, powers)[0], columns)
        checked = measures(observation(m, m.power_index)[0], columns, check=True)
        assert fast.tobytes() == checked.tobytes() == m.datacollector._rows[-1].tobytes()


def test_a_results_entries_in_a_shared_array_are_what_its_computation_reads():
    """The recorder takes ``Part`` and ``Count`` results from their shared arrays by position; each position list
    picks exactly what the result's own computation returns, and every result is in the row once.
    """
    m = sc.load("baseline").build(rng=3)
    m.run_for(12)
    o = observation(m, m.power_index)[0]
    shared = [r for r in RESULTS if isinstance(r.compute, Part | Count | Read)]
    assert len(shared) >= 40  # the shares by holder and power, the route numbers, the tally's counts, the reads
    for r in shared:
        got = np.atleast_1d(r.compute(o)).astype(float)
        want = np.ravel(attrgetter(r.compute.source)(o)).take(r.compute.positions(m)).astype(float)
        assert got.tobytes() == want.tobytes(), r.name
    plan = layout(m)
    columns = np.concatenate([cols for _, cols, _ in plan.takes.takes] + [np.r_[cols] for _, cols in plan.rest])
    assert sorted(columns.tolist()) == list(range(plan.width))


def test_the_tallys_counts_are_one_array_changed_in_place():
    m = sc.load("baseline").build(rng=4)
    m.run_for(20)
    assert m.tally.counts[COUNTS.index("awards")].sum() > 0
    for i, name in enumerate(COUNTS):  # a count rebound to a new array would drop out of what the results take
        assert np.shares_memory(getattr(m.tally, name), m.tally.counts), name
        assert getattr(m.tally, name).tobytes() == m.tally.counts[i].tobytes()


def test_the_takes_fill_a_row_from_the_shared_arrays_laid_end_to_end():
    """Each entry lands in its column from its own array; an array that later changes size is refused."""
    takes = Takes((("a", np.array([0, 1]), np.array([1, 0])), ("b", np.array([2, 3]), np.array([4, 0]))))
    o, row = SimpleNamespace(a=np.array([5.0, 6.0]), b=np.arange(6.0).reshape(2, 3)), np.zeros(4)
    takes.fill(o, row)
    assert row.tolist() == [6.0, 5.0, 4.0, 0.0]
    o.b = np.arange(4.0)
    with pytest.raises(ValueError, match="changed size"):
        takes.fill(o, row)
    Takes(()).fill(o, row)  # a layout without shared arrays fills nothing
    one, scalar = Takes((("a", np.array([3]), np.array([1])),)), Takes((("n", np.array([0]), np.array([0])),))
    one.fill(o, row), scalar.fill(SimpleNamespace(n=7), row)  # one array; a number (the step)
    assert row.tolist() == [7.0, 5.0, 4.0, 6.0]


def test_a_result_declared_per_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="per='holders'"):
        Result("capacity_share", "holders", "share", "a misspelt per")
    assert Result("capacity_share", "holder", "share", "{h}'s share").pattern == "capacity_share_{h}"

"""The tolerant golden (``tests/golden/tolerant.py``) on hand-made tables, and on runs: it lets last bits pass and
stops any change of course or of a number beyond 1e-9.
"""

import numpy as np
import pandas as pd
import pytest

from experiments.runner.tables import run_tables
from model import GreatGameModel
from model import params as P
from tests.golden import tolerant


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "holder": ["EU", "CN", "KZ"],
            "step": [1, 2, 3],
            "share": [0.25, 0.5, np.nan],
            "tonnes": [1.0e9, -3.0e6, 7.5],
        }
    )


def kept(frame: pd.DataFrame, name: str = "deposits") -> dict:
    return {"baseline/1": {name: tolerant.shape(name, frame)}}


def test_the_same_table_and_last_bits_agree():
    base = table()
    moved = base.copy()
    moved["tonnes"] = np.nextafter(moved["tonnes"].to_numpy(), np.inf)  # one ulp up, every entry
    moved.loc[0, "share"] = np.nextafter(0.25, 0.0)
    assert tolerant.differences(kept(base), kept(base)) == []
    assert tolerant.differences(kept(base), kept(moved)) == []


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda f: f.assign(tonnes=f["tonnes"] * [1.0 + 1e-8, 1.0, 1.0]), "float column 1"),
        (lambda f: f.assign(share=[0.25, 0.5 + 1e-6, np.nan]), "float column 0"),
        (lambda f: f.assign(holder=["EU", "CN", "US"]), "text differ"),
        (lambda f: f.assign(step=[1, 2, 4]), "text differ"),
        (lambda f: f.assign(share=[0.25, np.nan, 0.5]), "text differ"),  # the nan moved, sums alike
        (lambda f: f.iloc[:2], "rows differ"),
        (lambda f: f.rename(columns={"share": "equity"}), "text differ"),
    ],
)
def test_a_change_beyond_last_bits_is_named(change, why):
    found = tolerant.differences(kept(table()), kept(change(table())))
    assert found and why in found[0]


def test_its_limit_a_small_entry_beside_large_ones():
    """A column is held to RTOL of its sum of absolute values: 7.5 t beside 1e9 t may move by up to 1 t unseen.
    Such a move changes the run's course or its headline measures, which are held apart, exactly and to 1e-12."""
    assert tolerant.differences(kept(table()), kept(table().assign(tonnes=[1.0e9, -3.0e6, 7.5075]))) == []
    assert tolerant.differences(kept(table()), kept(table().assign(tonnes=[1.0e9, -3.0e6, 9.5])))


def test_a_missing_run_or_table_is_named():
    assert tolerant.differences(kept(table()), {}) == ["baseline/1: missing"]
    assert tolerant.differences(kept(table()), kept(table(), "plants")) == ["baseline/1: deposits missing"]


def test_series_keeps_only_its_course():
    assert "sums" not in tolerant.shape("series", table())
    assert tolerant.differences(kept(table(), "series"), kept(table().assign(tonnes=0.0), "series")) == []


def shapes(**overrides) -> dict:
    m = GreatGameModel(rng=1, **overrides)
    m.run_for(40)
    return {"baseline/1": {t: tolerant.shape(t, f) for t, f in run_tables(m, "baseline", 1).items()}}


def test_a_run_moved_by_a_millionth_of_a_parameter_fails_and_its_rerun_passes():
    base = shapes()
    assert tolerant.differences(base, shapes()) == []
    assert tolerant.differences(base, shapes(**{"econ.margin": P.DEFAULTS["econ.margin"] * (1 + 1e-6)}))

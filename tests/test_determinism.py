"""Same seed, same results bit for bit, also in a fresh process; another seed, other results."""

import subprocess
import sys

import pandas as pd

from model import GreatGameModel
from model import scenario as scenarios

SCRIPT = """
import sys
from model import scenario as scenarios
from model import GreatGameModel
m = GreatGameModel(**scenarios.load("baseline").model_kwargs(rng=int(sys.argv[1])))
m.run_for(40)
m.timeseries().to_parquet(sys.argv[2])
"""


def run(seed: int, steps: int = 40) -> GreatGameModel:
    m = GreatGameModel(**scenarios.load("baseline").model_kwargs(rng=seed))
    m.run_for(steps)
    return m


def test_same_seed_identical_frames():
    a, b = run(7), run(7)
    pd.testing.assert_frame_equal(a.timeseries(), b.timeseries(), check_exact=True)
    pd.testing.assert_frame_equal(a.events.frame(), b.events.frame(), check_exact=True)
    pd.testing.assert_frame_equal(a.deposit_frame(), b.deposit_frame(), check_exact=True)


def test_other_seed_differs():
    assert not run(7).timeseries().equals(run(8).timeseries())


def test_fresh_process_gives_the_same_bits(tmp_path):
    out = tmp_path / "ts.parquet"
    subprocess.run([sys.executable, "-c", SCRIPT, "7", str(out)], check=True, cwd=scenarios.ROOT)
    pd.testing.assert_frame_equal(pd.read_parquet(out), run(7).timeseries(), check_exact=True)


def test_observing_less_often_changes_nothing_observed():
    every = run(11)
    sparse = GreatGameModel(**scenarios.load("baseline").model_kwargs(rng=11, run_collect_every=8))
    sparse.run_for(40)
    thin = sparse.timeseries()
    assert thin["step"].tolist() == [0, 8, 16, 24, 32, 40]
    pd.testing.assert_frame_equal(thin, every.timeseries().loc[thin.index], check_exact=True)
    pd.testing.assert_frame_equal(sparse.events.frame(), every.events.frame(), check_exact=True)

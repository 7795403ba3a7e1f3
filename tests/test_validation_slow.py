"""Slow: the discrimination table of docs/validation.md holds (the calibrated model, posterior draws, the same 50
seeds as `python run.py validate --posterior data/posterior.csv`): every deliberately wrong variant is told apart
except those ``NOT_TOLD_APART`` names, and those are not; the calibration gives the same particles on one process
or two."""

import pandas as pd
import pytest

from experiments.cli.analysis_cli import POSTERIOR
from experiments.science import calibrate
from experiments.science import validation as V

pytestmark = pytest.mark.stats  # the heavier statistical checks: pytest -m stats (docs/validation.md quotes them)
SEEDS = 50  # as `python run.py validate`


@pytest.fixture(scope="module")
def posterior() -> pd.DataFrame:
    return V.load_posterior(POSTERIOR)


@pytest.fixture(scope="module")
def model(posterior) -> pd.DataFrame:
    return V.run(SEEDS, workers=2, posterior=posterior)


@pytest.mark.parametrize("name", list(V.VARIANTS))
def test_each_wrong_variant_is_told_apart_as_documented(model, posterior, name):
    frame = V.run(SEEDS, V.VARIANTS[name], workers=2, posterior=posterior)
    failed, (gap, lo, hi) = V.told_apart(frame, model)
    apart = bool(failed) or lo > 0
    assert apart == (name not in V.NOT_TOLD_APART), (
        f"{name}: failed {failed}; Brier gap {gap:+.3f} [{lo:+.3f}, {hi:+.3f}]"
    )


def test_calibration_is_the_same_on_one_or_two_processes(tmp_path):
    kw = {"population": 4, "seeds": 1, "alpha": 0.5}
    one = calibrate.run(**kw, workers=1, db=tmp_path / "one.db")
    two = calibrate.run(**kw, workers=2, db=tmp_path / "two.db")
    assert len(one) == 4
    pd.testing.assert_frame_equal(one, two)

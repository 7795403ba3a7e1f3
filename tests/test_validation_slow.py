"""Slow: the validation tells every deliberately wrong variant apart (the table in docs/validation.md, on the same
50 seeds), and the calibration gives the same particles on one process or two."""

import pandas as pd
import pytest

from experiments import calibrate
from experiments import validation as V

pytestmark = pytest.mark.slow
SEEDS = 50  # as `python run.py validate`


@pytest.fixture(scope="module")
def model() -> pd.DataFrame:
    return V.run(SEEDS, workers=2)


@pytest.mark.parametrize("name", list(V.VARIANTS))
def test_each_wrong_variant_is_told_apart(model, name):
    frame = V.run(SEEDS, V.VARIANTS[name], workers=2)
    failed, (gap, lo, hi) = V.told_apart(frame, model)
    assert failed or lo > 0, f"{name}: passes what the model passes; Brier gap {gap:+.3f} [{lo:+.3f}, {hi:+.3f}]"


def test_calibration_is_the_same_on_one_or_two_processes(tmp_path):
    kw = {"population": 4, "seeds": 1, "alpha": 0.5}
    one = calibrate.run(**kw, workers=1, db=tmp_path / "one.db")
    two = calibrate.run(**kw, workers=2, db=tmp_path / "two.db")
    assert len(one) == 4
    pd.testing.assert_frame_equal(one, two)

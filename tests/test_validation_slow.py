"""Slow (CI runs it): the discrimination table of docs/validation.md holds (the model at its defaults from the known-by start,
the same 50 seeds as `python run.py validate`): every wrong variant named in ``variants.TOLD_APART`` is told apart
after Holm's correction and every other is not; the calibration's pool is the same on one process or two."""

import pandas as pd
import pytest

from experiments.science import calibrate
from experiments.science import validation as V
from experiments.science import variants as VR

pytestmark = pytest.mark.slow  # in CI: the discrimination table docs/validation.md quotes (about 3 minutes on 2 cores)
SEEDS = 50  # as `python run.py validate`


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    model = V.run(SEEDS, workers=2)
    results = {name: V.run(SEEDS, over, workers=2) for name, over in VR.VARIANTS.items()}
    return VR.table(results, model).set_index("variant")


@pytest.mark.parametrize("name", list(VR.VARIANTS))
def test_each_wrong_variant_is_told_apart_as_documented(table, name):
    r = table.loc[name]
    assert bool(r["told_apart"]) == (name in VR.TOLD_APART), (
        f"{name}: loss difference {r['mean']:+.3f} [{r['lo']:+.3f}, {r['hi']:+.3f}], p Holm {r['p_holm']:.3g}"
    )


def test_the_calibration_pool_is_the_same_on_one_or_two_processes():
    one = calibrate.pool(4, workers=1)
    two = calibrate.pool(4, workers=2)
    assert len(one) == 4
    pd.testing.assert_frame_equal(one, two)

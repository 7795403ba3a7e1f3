"""The baseline over fixed seeds must not change unless someone regenerates the golden file on purpose."""

import pandas as pd

from tests.golden.regenerate import GOLDEN, summary_rows


def test_baseline_matches_golden():
    expected = pd.read_csv(GOLDEN)
    actual = summary_rows()
    pd.testing.assert_frame_equal(
        actual[expected.columns], expected, check_exact=False, check_dtype=False, rtol=1e-9, atol=1e-12
    )

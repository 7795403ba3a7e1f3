"""The shipped scenarios over fixed seeds must not change unless someone regenerates the golden files on purpose.

First the headline measures (a readable diff), then every table of every run, bit for bit (a hash each).
"""

import json

import pandas as pd
import pytest

from tests.golden.regenerate import GOLDEN, HASHES, golden


@pytest.fixture(scope="module")
def now():
    return golden()


def test_headline_measures_match_golden(now):
    expected = pd.read_csv(GOLDEN)
    pd.testing.assert_frame_equal(
        now[0][expected.columns], expected, check_exact=False, check_dtype=False, rtol=1e-12, atol=1e-15
    )


def test_every_table_matches_golden_bit_for_bit(now):
    expected = json.loads(HASHES.read_text(encoding="utf-8"))
    assert sorted(now[1]) == sorted(expected)
    changed = [f"{run}: {t}" for run, tables in expected.items() for t, h in tables.items() if now[1][run][t] != h]
    assert not changed, "tables differ from the golden run: " + "; ".join(changed)

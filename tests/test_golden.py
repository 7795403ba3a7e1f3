"""The shipped scenarios over fixed seeds must not change unless someone regenerates the golden files on purpose.

First the headline measures (a readable diff), then every table's course and sums (on any machine), then every
table bit for bit (on a machine whose arithmetic has recorded hashes: ``experiments/safe_io/arithmetic.py``).
"""

import json

import pytest

from experiments.safe_io import arithmetic
from tests.golden import tolerant
from tests.golden.regenerate import SHAPES, golden, headline_differences, recorded


@pytest.fixture(scope="module")
def now():
    return golden()


def test_headline_measures_match_golden(now):
    assert not headline_differences(now[0])


def test_every_table_keeps_its_course_and_sums_on_any_machine(now):
    changed = tolerant.differences(json.loads(SHAPES.read_text(encoding="utf-8")), now[2])
    assert not changed, "tables differ from the golden run beyond last bits: " + "; ".join(changed)


def test_every_table_matches_golden_bit_for_bit(now):
    """Exact where this machine's probe has hashes; elsewhere exact if the tables equal another platform's."""
    platforms, here = recorded(), arithmetic.probe()
    if here not in platforms:
        if any(entry["tables"] == now[1] for entry in platforms.values()):
            return
        pytest.skip(
            f"no bit-for-bit golden for this machine's arithmetic (probe {here}: {arithmetic.describe()}); "
            f"recorded: {', '.join(sorted(platforms))}; the tolerant golden holds the behaviour here "
            "(`python tests/golden/regenerate.py --add-platform` records this machine)"
        )
    expected = platforms[here]["tables"]
    assert sorted(now[1]) == sorted(expected)
    changed = [f"{run}: {t}" for run, tables in expected.items() for t, h in tables.items() if now[1][run][t] != h]
    assert not changed, "tables differ from the golden run: " + "; ".join(changed)

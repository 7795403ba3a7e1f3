"""``benchmarks/bench_compile.py`` splits numba's nested compilations into each function's own time."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_compile as bench


def test_a_function_s_own_time_leaves_out_what_compiled_inside_it():
    records = [  # A compiles B and then C inside it; B compiles again on its own later
        ("start", "", 0.0),
        ("start", "", 1.0),
        ("end", "B", 3.0),
        ("start", "", 4.0),
        ("end", "C", 5.0),
        ("end", "A", 10.0),
        ("start", "", 11.0),
        ("end", "B", 12.0),
    ]
    got = bench.own_times(records)
    assert got == {"A": (7.0, 10.0, 1), "B": (3.0, 3.0, 2), "C": (1.0, 1.0, 1)}
    assert sum(own for own, _, _ in got.values()) == pytest.approx(11.0)  # the time inside compilations, once


def test_three_levels_deep_each_level_gives_only_its_own():
    records = [("start", "", 0.0), ("start", "", 1.0), ("start", "", 2.0), ("end", "C", 4.0), ("end", "B", 5.0),
               ("end", "A", 9.0)]  # fmt: skip
    got = bench.own_times(records)
    assert got == {"A": (5.0, 9.0, 1), "B": (2.0, 4.0, 1), "C": (2.0, 2.0, 1)}

"""``benchmarks/bench_functions.py`` times what it names, in a process of the checkout it is given, and says so
when a checkout lacks a function.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_functions as bench


def test_named_functions_are_timed_in_a_fresh_process_and_a_missing_one_is_said():
    got = bench.in_process(bench.ROOT, ["agents.host:Host.survey", "agents.host:Host.no_such_rule"], runs=1)
    micro, calls = got["agents.host:Host.survey"]
    assert micro > 0 and calls == 1.0  # the host surveys once a quarter
    assert got["agents.host:Host.no_such_rule"] is None

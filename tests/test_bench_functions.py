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


def test_a_function_imported_by_name_is_timed_where_it_is_called_and_an_unknown_module_is_missing():
    got = bench.in_process(bench.ROOT, ["model.trust:update_trust", "no_such_module:rule"], runs=1)
    micro, calls = got["model.trust:update_trust"]  # model/model.py calls it as ``update_trust``
    assert micro > 0 and calls == 1.0
    assert got["no_such_module:rule"] is None

"""The plausible ranges to sample (model/params/ranges.py): each names a parameter, lies within its validity
bounds and says where it comes from; every numeric parameter a shipped design or the docs' examples sample has
one; designs and the bridges use them by default."""

from __future__ import annotations

import re

import pytest

from experiments.runner import bridges, design
from model.errors import InputError
from model.params import PARAMS, registry
from model.params.ranges import RANGES, range_entry, sample_range
from model.powers import POWERS
from model.scenario import ROOT


def expanded(key: str) -> list[str]:
    return [key.format(power=p.lower()) for p in POWERS] if "{power}" in key else [key]


@pytest.mark.parametrize("key", sorted(RANGES))
def test_each_range_names_a_parameter_lies_within_its_bounds_and_has_a_source(key):
    lo, hi, source = RANGES[key]
    assert lo < hi and (source.startswith("assumption: ") or re.search(r"calibration\.md|data/|R\d+", source))
    for k in expanded(key):
        assert k in PARAMS, k
        blo, bhi = PARAMS[k].bounds
        assert blo <= lo < hi <= bhi and PARAMS[k].kind in (int, float), (k, (lo, hi), (blo, bhi))


def test_a_declared_power_takes_the_template():
    assert sample_range("gulf.delay_mean_q", ("GULF",)) == RANGES["{power}.delay_mean_q"][:2]
    assert range_entry("gulf.delay_mean_q") is None  # not declared: not a parameter at all


def sampled_keys() -> set[str]:
    """Every numeric parameter a shipped design sweeps or ranges over, and those the docs' examples sample."""
    keys = set()
    for name in design.names():
        exp = design.load(name)
        keys |= {k for k in exp.keys if k in PARAMS and PARAMS[k].kind in (int, float)}  # not "scenario"
    text = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    keys |= {k for k in re.findall(r'"([a-z]+\.[a-z_.]+)"', text) if k in PARAMS and PARAMS[k].kind in (int, float)}
    return keys


def test_every_sampled_parameter_has_a_plausible_range():
    assert sampled_keys() and not [k for k in sorted(sampled_keys()) if range_entry(k) is None]


def test_a_design_range_written_plausible_takes_it(tmp_path):
    path = tmp_path / "e.toml"
    path.write_text('[design]\nmethod = "lhs"\nsamples = 4\n[design.ranges]\n"eu.max_pursuits" = "plausible"\n')
    assert design.load(path).ranges == {"eu.max_pursuits": (1.0, 12.0)}
    path.write_text('[design]\nmethod = "lhs"\nsamples = 4\n[design.ranges]\n"price.base.zinc" = "plausible"\n')
    with pytest.raises(InputError, match=r"e\.toml: design\.ranges\.price\.base\.zinc: no plausible range"):
        design.load(path)


def test_a_sample_of_ones_own_runs_point_by_point(tmp_path):
    problem = bridges.salib_problem(["eu.max_pursuits", "eu.trust0"])
    points = {"eu.max_pursuits": [1.4, 11.6], "eu.trust0": [0.3, 0.8]}
    spec = {"steps": 1, "replicates": 1, "design": {"method": "sample", "points": points}}
    exp = design.from_dict(spec)
    assert design.expand(exp).points.to_dict("list") == {"eu.max_pursuits": [1, 12], "eu.trust0": [0.3, 0.8]}
    assert registry()["eu.max_pursuits"].kind is int and problem["bounds"][0] == [1.0, 12.0]
    spec["design"]["points"]["eu.trust0"] = [0.3]
    with pytest.raises(InputError, match=r"design\.points: columns of"):
        design.from_dict(spec)

"""Experiment files: loading, checking, design expansion and seeds."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.runner import design
from model.errors import InputError

HEAD = """
steps = 12
replicates = 2
seed = 5
[params]
"run.synthetic_deposits" = 30
"""


def write(tmp_path, body: str, name: str = "exp.toml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body))
    return path


def factorial(tmp_path, factors: str = '"eu.delay_mean_q" = [0, 6]\n"eu.trust0" = [0.3, 0.5, 0.7]', extra: str = ""):
    return write(tmp_path, HEAD + f"[design]\nmethod = 'factorial'\n[design.factors]\n{factors}\n{extra}")


def ranged(tmp_path, method: str, samples: int, extra: str = "", ranges: str | None = None):
    ranges = ranges or '"eu.delay_mean_q" = [0, 12]\n"eu.start_year" = [2026, 2034]\n"eu.trust0" = [0.3, 0.8]'
    return write(
        tmp_path, HEAD + f"[design]\nmethod = '{method}'\nsamples = {samples}\n{extra}\n[design.ranges]\n{ranges}\n"
    )


@pytest.mark.parametrize("name", design.names())
def test_shipped_experiments_load_and_expand(name):
    exp = design.load(name)
    des = design.expand(exp)
    assert des.n_points == design.n_points(exp) > 0
    assert exp.replicates >= 1 and exp.measures
    assert des.points.notna().all().all()


def test_factorial_is_the_product_in_file_order(tmp_path):
    exp = design.load(factorial(tmp_path))
    des = design.expand(exp)
    assert des.keys == ["eu.delay_mean_q", "eu.trust0"]
    assert des.points.to_numpy().tolist() == [[0, 0.3], [0, 0.5], [0, 0.7], [6, 0.3], [6, 0.5], [6, 0.7]]
    assert design.point_overrides(des, 4) == {"eu.delay_mean_q": 6.0, "eu.trust0": 0.5}
    assert exp.outcome_columns() == list(design.DEFAULT_MEASURES)


def test_factorial_keeps_parameter_types(tmp_path):
    tables = '["data/deposits.csv", "data/deposits_2022.csv"]'
    exp = design.load(factorial(tmp_path, f'"eu.start_year" = [2026, 2030]\n"run.deposits" = {tables}'))
    des = design.expand(exp)
    assert des.points["eu.start_year"].dtype == np.int64
    assert design.point_overrides(des, 3) == {"eu.start_year": 2030, "run.deposits": "data/deposits_2022.csv"}
    assert isinstance(design.point_overrides(des, 3)["eu.start_year"], int)


def test_lhs_is_stratified_and_rounds_integers(tmp_path):
    exp = design.load(ranged(tmp_path, "lhs", 20))
    des = design.expand(exp)
    assert des.n_points == 20
    for i, (lo, hi) in enumerate(exp.ranges.values()):
        strata = np.floor((des.sample[:, i] - lo) / (hi - lo) * 20).astype(int)
        assert sorted(strata) == list(range(20))  # one sample per stratum
    years = des.points["eu.start_year"]
    assert years.dtype == np.int64 and years.between(2026, 2034).all()


def test_sobol_size_bounds_and_determinism(tmp_path):
    exp = design.load(ranged(tmp_path, "sobol", 16))
    des = design.expand(exp)
    assert des.n_points == 16 * (3 + 2)
    assert des.points["eu.delay_mean_q"].between(0, 12).all()
    assert des.problem["names"] == des.keys
    again = design.expand(design.load(exp.path))
    assert np.array_equal(des.sample, again.sample)
    other = design.expand(design.load(ranged(tmp_path, "sobol", 16, "seed = 99")))
    assert not np.array_equal(des.sample, other.sample)
    second = design.load(ranged(tmp_path, "sobol", 16, "second_order = true"))
    assert design.expand(second).n_points == 16 * (2 * 3 + 2)


def test_morris_trajectories_move_one_parameter_at_a_time(tmp_path):
    exp = design.load(ranged(tmp_path, "morris", 5, "levels = 4"))
    des = design.expand(exp)
    d = len(des.keys)
    assert des.n_points == 5 * (d + 1)
    for t in range(5):
        block = des.sample[t * (d + 1) : (t + 1) * (d + 1)]
        changed = (np.abs(np.diff(block, axis=0)) > 1e-12).sum(axis=1)
        assert changed.tolist() == [1] * d


def test_seeds_are_common_across_points_and_distinct_across_replicates(tmp_path):
    seeds = design.seeds(20260101, 5)
    assert len(set(seeds)) == 5 and all(0 <= s < 2**63 for s in seeds)
    assert seeds == design.seeds(20260101, 5)
    assert seeds[:3] == design.seeds(20260101, 3)  # adding replicates keeps the earlier ones
    assert design.seeds(1, 5) != seeds


def test_measure_patterns_and_years(tmp_path):
    path = factorial(tmp_path, extra="[output]\nmeasures = ['trust_*', 'capacity_share_EU']\nyears = [2027, 2026]\n")
    exp = design.load(path)
    assert exp.measures == ["trust_eu", "trust_cn", "trust_us", "trust_ru", "trust_jk", "capacity_share_eu"]
    assert exp.years == [2026, 2027]
    assert "capacity_share_eu_2027" in exp.outcome_columns()  # upper-case codes are accepted


def test_fingerprint_follows_content_not_comments(tmp_path):
    a = design.load(factorial(tmp_path))
    path = tmp_path / "exp.toml"
    path.write_text("# a comment\n" + path.read_text())
    assert design.load(path).fingerprint() == a.fingerprint()
    b = design.load(factorial(tmp_path, '"eu.delay_mean_q" = [0, 7]\n"eu.trust0" = [0.3, 0.5, 0.7]'))
    assert b.fingerprint() != a.fingerprint()


BAD = {
    "malformed": ("steps = [", "file", "malformed TOML"),
    "unknown top key": (
        "colour = 1\n" + HEAD + "[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]",
        "colour",
        "unknown key",
    ),
    "unknown parameter": (
        HEAD + "[design]\nmethod='factorial'\n[design.factors]\n'eu.nonsense'=[1]",
        "design.factors.eu.nonsense",
        "unknown parameter",
    ),
    "unknown fixed parameter": (
        "[params]\n'xx.y' = 1\n[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]",
        "params.xx.y",
        "unknown parameter",
    ),
    "empty levels": (
        HEAD + "[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[]",
        "design.factors.eu.trust0",
        "non-empty list",
    ),
    "level out of bounds": (
        HEAD + "[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5, 2]",
        "eu.trust0",
        "allowed: float in [0, 1]",
    ),
    "empty range": (
        HEAD + "[design]\nmethod='lhs'\nsamples=4\n[design.ranges]\n'eu.trust0'=[0.5, 0.5]",
        "design.ranges.eu.trust0",
        "empty range",
    ),
    "lo above hi": (
        HEAD + "[design]\nmethod='lhs'\nsamples=4\n[design.ranges]\n'eu.trust0'=[0.8, 0.2]",
        "design.ranges.eu.trust0",
        "lo < hi",
    ),
    "range of a string": (
        HEAD + "[design]\nmethod='lhs'\nsamples=4\n[design.ranges]\n'run.deposits'=[0, 1]",
        "design.ranges.run.deposits",
        "numeric parameters",
    ),
    "bad method": (HEAD + "[design]\nmethod='grid'", "design.method", "factorial, lhs, sobol, morris"),
    "no method": (HEAD, "design.method", "one of factorial"),
    "key of another method": (
        HEAD + "[design]\nmethod='factorial'\nsamples=3\n[design.factors]\n'eu.trust0'=[0.5]",
        "design.samples",
        "not a key of method",
    ),
    "zero replicates": (
        "replicates = 0\n[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]",
        "replicates",
        "an integer in [1,",
    ),
    "negative replicates": (
        "replicates = -3\n[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]",
        "replicates",
        "an integer in [1,",
    ),
    "sobol not power of 2": (
        HEAD + "[design]\nmethod='sobol'\nsamples=12\n[design.ranges]\n'eu.trust0'=[0, 1]\n'eu.premium'=[0, 0.1]",
        "design.samples",
        "power of 2",
    ),
    "unknown measure": (
        HEAD
        + "[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]\n[output]\nmeasures=['capacity_share_XX']",
        "output.measures",
        "unknown measure",
    ),
    "year out of run": (
        HEAD + "[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]\n[output]\nyears=[2040]",
        "output.years",
        "2026 to 2028",
    ),
    "unsafe name": (
        "name = '../evil'\n[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]",
        "name",
        "no path separators",
    ),
    "unknown scenario": (
        "scenario = 'nope'\n[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]",
        "scenario",
        "not found",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_files_name_file_key_and_what_is_allowed(tmp_path, case):
    body, key, allowed = BAD[case]
    path = write(tmp_path, body)
    with pytest.raises(InputError) as err:
        design.load(path)
    message = str(err.value)
    assert message.startswith(str(path)) and "\n" not in message
    assert err.value.key == key or key in err.value.key, message
    assert allowed in message, message


def test_missing_file_lists_shipped_experiments(tmp_path):
    with pytest.raises(InputError, match="delay_cost"):
        design.load(tmp_path / "nope.toml")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lo=st.floats(0, 1), width=st.floats(-1, 0), key=st.sampled_from(["eu.trust0", "eu.processing", "host.w_speed"]))
def test_generated_empty_or_reversed_ranges_are_rejected(tmp_path, lo, width, key):
    path = write(
        tmp_path,
        HEAD + f"[design]\nmethod='lhs'\nsamples=4\n[design.ranges]\n'{key}'=[{lo!r}, "
        f"{min(1.0, max(0.0, lo + width))!r}]",
    )
    with pytest.raises(InputError) as err:
        design.load(path)
    assert err.value.where == str(path) and err.value.key == f"design.ranges.{key}"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.integers(-(10**6), 0), st.floats(allow_nan=True), st.text(max_size=5), st.booleans()))
def test_generated_bad_replicates_are_rejected(tmp_path, value):
    import json

    toml_value = json.dumps(value) if not isinstance(value, float) or np.isfinite(value) else "nan"
    if isinstance(value, bool):
        toml_value = str(value).lower()
    path = write(
        tmp_path, f"replicates = {toml_value}\n[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]"
    )
    with pytest.raises(InputError) as err:
        design.load(path)
    assert err.value.where == str(path)
    assert err.value.key in ("replicates", "file")


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(levels=st.lists(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=4), min_size=1, max_size=3))
def test_generated_factorials_expand_to_the_product(tmp_path, levels):
    keys = ["eu.trust0", "eu.processing", "eu.engagement"][: len(levels)]
    body = "\n".join(f"'{k}' = {[float(v) for v in vals]!r}" for k, vals in zip(keys, levels))
    exp = design.load(factorial(tmp_path, body))
    des = design.expand(exp)
    assert des.n_points == int(np.prod([len(v) for v in levels]))
    assert des.points.iloc[-1].tolist() == [vals[-1] for vals in levels]

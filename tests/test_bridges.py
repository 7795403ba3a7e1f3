"""The bridges from the registry to SALib and EMA Workbench, and the batch runner from Python, against the real
libraries."""

from __future__ import annotations

import textwrap

import numpy as np
import pytest
from ema_workbench import (
    ArrayOutcome,
    CategoricalParameter,
    IntegerParameter,
    RealParameter,
    SequentialEvaluator,
    perform_experiments,
)
from SALib.sample import sobol

from experiments.runner import batch, bridges
from model.errors import InputError
from model.params.ranges import sample_range


def test_salib_problem_takes_the_plausible_ranges_or_ones_given():
    problem = bridges.salib_problem(["eu.delay_mean_q", "eu.start_year"])
    assert problem == {
        "num_vars": 2,
        "names": ["eu.delay_mean_q", "eu.start_year"],
        "bounds": [list(sample_range("eu.delay_mean_q")), list(sample_range("eu.start_year"))],
    }
    narrow = bridges.salib_problem({"eu.delay_mean_q": (0, 6), "eu.trust0": None})
    assert narrow["bounds"] == [[0.0, 6.0], [0.3, 0.8]]
    assert sobol.sample(narrow, 4, calc_second_order=False, seed=1).shape == (16, 2)


@pytest.mark.parametrize(
    ("keys", "needle"),
    [
        (["eu.dealy_mean_q"], "did you mean"),
        ({"eu.trust0": (0.5, 0.5)}, "empty range"),
        ({"eu.trust0": (0, 9)}, "float in [0, 1]"),
        (["run.deposits"], "a path parameter"),
        ({"eu.trust0": [0.2, 0.4]}, "levels given"),
        (["price.base.copper"], "no plausible range"),
        ([], "none given"),
    ],
)
def test_bad_keys_are_one_line(keys, needle):
    with pytest.raises(InputError) as err:
        bridges.salib_problem(keys)
    assert needle in str(err.value)


def test_ema_parameters_follow_the_registry_kinds():
    params = bridges.ema_parameters(
        {"eu.delay_mean_q": (0, 12), "eu.max_pursuits": None, "run.deposits": ["data/deposits.csv", "x.csv"]}
    )
    real, integer, categorical = params
    assert isinstance(real, RealParameter) and (real.name, real.lower_bound, real.upper_bound) == (
        "eu_delay_mean_q",
        0,
        12,
    )
    assert isinstance(integer, IntegerParameter) and integer.upper_bound == sample_range("eu.max_pursuits")[1] == 12
    assert isinstance(categorical, CategoricalParameter) and categorical.name == "run_deposits"


def test_an_ema_replicator_model_runs_the_model_to_a_quarter():
    ema = bridges.ema_model("gg", {"eu.delay_mean_q": (0, 12)}, ["capacity_share_EU"], "2026Q1", seeds=(1, 2))
    assert isinstance(ema.outcomes["capacity_share_eu"], ArrayOutcome) and len(ema.replications) == 2
    with SequentialEvaluator(ema) as evaluator:
        experiments, outcomes = perform_experiments(ema, scenarios=1, evaluator=evaluator)
    point = {"eu_delay_mean_q": float(experiments["eu_delay_mean_q"].iloc[0])}
    alone = [bridges.outcomes_at(point, seed=s, quarter="2026Q1")["capacity_share_eu"] for s in (1, 2)]
    assert np.array_equal(outcomes["capacity_share_eu"], [alone])


def test_run_experiment_takes_a_toml_file(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(
        textwrap.dedent(
            """
            steps = 2
            replicates = 1
            [design]
            method = "factorial"
            [design.factors]
            "eu.start_year" = [2026, 2027]
            [output]
            measures = ["awards_eu"]
            """
        )
    )
    summary = bridges.run_experiment(path, tmp_path / "out")
    assert summary.ran == 2 and batch.load_runs(summary.out)["eu_start_year"].tolist() == [2026, 2027]
    with pytest.raises(InputError, match="<dict>: steps"):
        bridges.run_experiment({"steps": 0, "design": {"method": "factorial"}}, tmp_path / "bad")

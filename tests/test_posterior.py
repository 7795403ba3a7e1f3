"""Posterior draws in experiments and replicate runners: replicate r runs with draw r mod K at every design
point (paired), under the experiment's fixed parameters and the point's own values."""

import numpy as np
import pandas as pd
import pytest

from experiments.runner import batch, design, replicates
from experiments.safe_io import store
from model.errors import InputError

TOML = """
description = "draws"
scenario = "baseline"
steps = 4
replicates = 4
seed = 3
posterior = "draws.csv"

[params]
"host.offer_rate" = 0.3

[design]
method = "factorial"

[design.factors]
"eu.delay_mean_q" = [1, 6]

[output]
measures = ["awards_eu"]
final = true
"""


def write(tmp_path, draws: str, toml: str = TOML):
    (tmp_path / "draws.csv").write_text(draws, encoding="utf-8")
    (tmp_path / "exp.toml").write_text(toml, encoding="utf-8")
    return design.load(tmp_path / "exp.toml")


def test_each_replicate_runs_with_its_draw_under_the_fixed_parameters_and_the_point(tmp_path):
    exp = write(tmp_path, "host.w_processing,host.offer_rate,eu.delay_mean_q\n0.1,0.9,3\n0.5,0.9,3\n")
    assert exp.draw(0) == {"host.w_processing": 0.1, "eu.delay_mean_q": 3.0}  # [params] wins over the draw
    assert exp.draw(3) == exp.draw(1)  # r mod K
    out = tmp_path / "out"
    batch.run_experiment(exp, design.expand(exp), out)
    runs = store.load_runs(out).sort_values("run")
    assert sorted(runs["eu_delay_mean_q"].unique()) == [1.0, 6.0]  # the point wins over the draw's delay
    assert "host_w_processing" not in runs.columns  # a draw is not a design column


def test_a_changed_posterior_is_a_changed_experiment(tmp_path):
    a = write(tmp_path, "host.w_processing\n0.1\n")
    b = write(tmp_path, "host.w_processing\n0.2\n")
    assert a.fingerprint() != b.fingerprint()


@pytest.mark.parametrize(
    ("draws", "needle"),
    [
        ("host.w_processing\n", "no draws"),
        ("host.w_procesing\n0.1\n", "host.w_processing"),  # closest valid key
        ("host.w_processing\n7\n", "allowed"),
    ],
)
def test_bad_draws_are_one_line_errors(tmp_path, draws, needle):
    with pytest.raises(InputError, match=needle):
        write(tmp_path, draws)


def test_replicate_tasks_take_draws_in_turn():
    post = pd.DataFrame({"host.w_processing": [0.1, 0.2]})
    tasks = replicates.with_draws([5, 6, 7], {"eu.delay_mean_q": 2.0}, post)
    assert [t[0] for t in tasks] == [5, 6, 7]
    assert [t[1]["host.w_processing"] for t in tasks] == [0.1, 0.2, 0.1]
    assert all(t[1]["eu.delay_mean_q"] == 2.0 for t in tasks)
    assert replicates.seeds(1, 3) == replicates.seeds(1, 3) and len(set(replicates.seeds(1, 50))) == 50
    assert np.all(np.array(replicates.seeds(1, 3)) >= 0)

"""Tables as users meet them: one quarter type per format, batches in CSV too, a scenario as a design factor,
two experiments compared, and units on every report axis."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from experiments.runner import batch, design
from experiments.runner.single import run_model
from experiments.safe_io import schema
from experiments.science import report
from model import scenario as scenarios
from tests.cli_helpers import run_cli

EXP = """
steps = 4
replicates = 2
seed = 3
[params]
"investors.count" = 40
[design]
method = "factorial"
[design.factors]
scenario = ["baseline", "sanctions_shock"]
"eu.delay_mean_q" = [1, 6]
[output]
measures = ["awards_eu", "capacity_share_eu"]
series = true
"""


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("users")
    (folder / "exp.toml").write_text(textwrap.dedent(EXP))
    exp = design.load(folder / "exp.toml")
    batch.run_experiment(exp, design.expand(exp), folder / "out", workers=1)
    return folder / "out"


def test_each_level_of_a_scenario_factor_runs_as_that_scenario_alone(finished):
    runs = batch.load_runs(finished)
    row = runs.query("scenario == 'sanctions_shock' and eu_delay_mean_q == 6 and replicate == 1").iloc[0]
    alone = run_model(
        scenarios.load("sanctions_shock").with_overrides({"eu.delay_mean_q": 6, "investors.count": 40}, "t"),
        int(row.seed),
        4,
    )
    assert alone.timeseries().iloc[-1]["awards_eu"] == row.awards_eu
    assert list(runs["scenario"].unique()) == ["baseline", "sanctions_shock"]


def test_a_quarter_is_a_date_in_every_file_and_a_period_from_every_reader(finished):
    for name in ("runs", "design", "series"):
        assert (finished / f"{name}.csv").is_file()
    raw = pd.read_csv(finished / "series.csv")
    assert raw["quarter"].iloc[0] == "2025-10-01"  # step 0: the quarter before the start, by its first day
    for path in (finished / "series.csv", *sorted((finished / "series").glob("*.parquet"))):
        assert str(schema.read(path)["quarter"].dtype) == "period[Q-DEC]", path
    assert str(batch.load_series(finished)["quarter"].dtype) == "period[Q-DEC]"
    csv_runs = schema.read(finished / "runs.csv").sort_values("run").reset_index(drop=True)
    assert csv_runs["awards_eu"].tolist() == batch.load_runs(finished)["awards_eu"].tolist()


def test_compare_puts_two_experiments_side_by_side(finished, capsys, tmp_path):
    code, out, err = run_cli(capsys, "compare", str(finished), str(finished), "--out", str(tmp_path / "cmp"))
    assert code == 0, err
    assert "| eu.delay_mean_q | awards_eu |" in out and "(1→6)" in out and "(baseline→sanctions_shock)" in out
    assert (tmp_path / "cmp" / "compare.csv").is_file()
    code, _, err = run_cli(capsys, "compare", str(finished), str(tmp_path / "none"))
    assert code == 2 and "not found" in err and len(err.strip().splitlines()) == 1


def test_every_report_axis_names_its_unit(finished, monkeypatch):
    labels = []
    import matplotlib.axes

    for setter in ("set_xlabel", "set_ylabel"):
        original = getattr(matplotlib.axes.Axes, setter)

        def record(ax, text, *args, _original=original, **kwargs):
            labels.append(text)
            return _original(ax, text, *args, **kwargs)

        monkeypatch.setattr(matplotlib.axes.Axes, setter, record)
    report.make_report(finished, finished.parent / "report")
    assert labels and not [label for label in labels if label and "(" not in label]  # matplotlib clears some
    assert (
        "eu.delay_mean_q (quarters)" in labels
        and "awards_eu (licences, cumulative)" in labels
        and "scenario (level)" in labels
    )

"""Staying up: results never leave the results folder; the same seed gives the same numbers everywhere.

The fault tests proper are in tests/test_faults_kill.py (SIGKILL, SIGTERM, Ctrl-C, a dead pool worker),
tests/test_faults_dask.py (lost Dask workers) and tests/test_faults_inputs.py (generated bad files);
docs/reliability.md lists them all with their numbers.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments.cli import main as cli_module
from experiments.runner import batch, design, single
from experiments.runner.single import run_model
from experiments.safe_io import store
from model import GreatGameModel
from model.errors import InputError
from tests.cli_helpers import assert_one_line_error, run_cli
from tests.test_faults_inputs import base_experiment, to_toml

ROOT = Path(__file__).resolve().parent.parent

# --- names that would leave the results folder -----------------------------------------------------------

ESCAPES = [
    "../outside",
    "../../outside",
    "..",
    ".",
    "a/../../outside",
    "sub/dir",
    "./outside",
    "~",
    "~/outside",
    ".hidden",
    "a..b",
    "",
    " outside",
    "outside\n",
    "out\\side",
    "-rf",
    "{abs}",
    "{abs}/../x",
]


def snapshot(folder: Path) -> list:
    return (
        sorted((str(p.relative_to(folder)), p.stat().st_mtime_ns) for p in folder.rglob("*")) if folder.exists() else []
    )


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """results/ moved into tmp_path/sandbox, with tmp_path/outside beside it as the place an escape would land."""
    results = tmp_path / "sandbox" / "results"
    monkeypatch.setattr(single, "RESULTS", results)
    monkeypatch.setattr(cli_module, "RESULTS", results)
    return tmp_path


def _name(template: str, tmp_path: Path) -> str:
    return template.replace("{abs}", str(tmp_path / "outside" / "abs"))


@pytest.mark.parametrize("template", ESCAPES)
def test_an_experiment_name_cannot_leave_the_results_folder(sandbox, capsys, template):
    name = _name(template, sandbox)
    path = sandbox / "exp.toml"
    path.write_text(to_toml({"name": name, **base_experiment()}))
    before, repo = snapshot(sandbox), snapshot(ROOT / "results")
    code, out, err = run_cli(capsys, "experiment", str(path), "--workers", "1", "--quiet")
    assert_one_line_error(code, err, str(path), "name", "no path separators")
    assert out == "" and snapshot(sandbox) == before and snapshot(ROOT / "results") == repo


@pytest.mark.parametrize("template", ESCAPES)
def test_a_run_name_cannot_leave_the_results_folder(sandbox, capsys, template):
    name = _name(template, sandbox)
    before, repo = snapshot(sandbox), snapshot(ROOT / "results")
    code, out, err = run_cli(capsys, "run", "--steps", "1", f"--name={name}")
    assert_one_line_error(code, err, "--name", "no path separators")
    assert out == "" and snapshot(sandbox) == before and snapshot(ROOT / "results") == repo


def test_an_accepted_odd_name_lands_inside_the_results_folder(sandbox, capsys):
    path = sandbox / "exp.toml"
    path.write_text(to_toml({"name": "v1.2-final_b", **base_experiment()}))
    code, _, err = run_cli(capsys, "experiment", str(path), "--workers", "1", "--quiet")
    assert code == 0, err
    assert sorted(p.name for p in (sandbox / "sandbox" / "results").iterdir()) == ["v1.2-final_b"]
    code, _, err = run_cli(capsys, "run", "--steps", "1", "--name", "run.2")
    assert code == 0, err
    assert {p.name for p in (sandbox / "sandbox" / "results").iterdir()} == {"v1.2-final_b", "run.2"}
    assert not (sandbox / "outside").exists()


@settings(max_examples=300, deadline=None, database=None)
@given(name=st.text(st.characters(exclude_categories=("Cs",)), max_size=16) | st.sampled_from(ESCAPES))
def test_any_name_is_refused_or_a_direct_child_of_the_results_folder(name):
    results = Path("/srv/results")
    try:
        single.safe_name(name, "name")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    target = Path(*(Path(results, name).resolve(strict=False).parts))
    assert target.parent == results and target.name == name and not name.startswith(".")


# --- determinism: sequential, pool and Dask --------------------------------------------------------------

EXP = """
description = "determinism"
steps = 20
replicates = 3
seed = 99
[params]
"run.synthetic_deposits" = 80
"investors.count" = 60
[design]
method = "lhs"
samples = 4
[design.ranges]
"eu.delay_mean_q" = [0, 10]
"eu.trust0" = [0.2, 0.8]
[output]
measures = ["*"]
years = [2027, 2030]
series = true
"""


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["elapsed_s"]).sort_values("run").reset_index(drop=True)


@pytest.mark.slow
def test_the_same_seed_gives_identical_results_alone_in_the_pool_and_on_dask(tmp_path):
    """One experiment, every measure at every quarter, run four ways; every number equal, bit for bit."""
    path = tmp_path / "det.toml"
    path.write_text(textwrap.dedent(EXP))
    exp = design.load(path)
    des = design.expand(exp)
    outs = {}
    for label, kw in {
        "serial": {"workers": 1},
        "pool": {"workers": 2, "chunk_size": 1},
        "dask": {"workers": 2, "dask": "local", "chunk_size": 2},
    }.items():
        outs[label] = tmp_path / label
        summary = batch.run_experiment(exp, des, outs[label], **kw)
        assert summary.ran == 12 and summary.failed_total == 0, (label, summary.text())
    runs = {k: comparable(batch.load_runs(v)) for k, v in outs.items()}
    series = {k: batch.load_series(v) for k, v in outs.items()}
    for label in ("pool", "dask"):
        pd.testing.assert_frame_equal(runs["serial"], runs[label], check_exact=True)
        pd.testing.assert_frame_equal(series["serial"], series[label], check_exact=True)
    # and each run alone, one after the other in this process (as `python run.py run --seed` does), twice
    for _ in range(2):
        for row in runs["serial"].itertuples(index=False):
            point = {key: getattr(row, col) for key, col in exp.columns().items()}
            model = run_model(exp.base_scenario().with_overrides(point, "test"), int(row.seed), exp.steps)
            frame = model.timeseries()
            mine = series["serial"][series["serial"]["run"] == row.run].reset_index(drop=True)
            wide = mine.assign(col=store.series_column(mine)).pivot(index="quarter", columns="col", values="value")
            for m in exp.measures:
                assert np.array_equal(wide[m].to_numpy(), frame[m].to_numpy(), equal_nan=True), (row.run, m)
            assert wide.index.tolist() == frame.index.tolist()
    assert len(exp.measures) > 50 and len(series["serial"]) == 12 * 21 * len(exp.measures)


# --- seeds of any integer type (Mesa's tools pass numpy integers) --------------------------------------------

SMALL = {"run.synthetic_deposits": 12, "investors.count": 10}


def _shares(rng) -> list[float]:
    model = GreatGameModel(**SMALL, rng=rng)
    model.run_for(3)
    return model.timeseries()["capacity_share_eu"].tolist()


def test_mesa_batch_run_with_numpy_seeds():
    rng = np.array([1, 2], dtype=np.int64)  # what runs.seed.unique() gives
    rows = mesa.batch_run(
        GreatGameModel,
        parameters={"run_synthetic_deposits": 12, "investors_count": 10},
        rng=rng,
        max_steps=3,
        display_progress=False,
    )
    assert [r["capacity_share_eu"] for r in rows if r["Step"] == 3] == [_shares(1)[-1], _shares(2)[-1]]


@settings(max_examples=12, deadline=None, database=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    kind=st.sampled_from([int, np.int64, np.int32, np.uint32, np.uint64, str, lambda s: f" {s} "]),
)
def test_a_seed_of_any_integer_type_or_numeric_text_gives_the_same_run(seed, kind):
    assert _shares(kind(seed)) == _shares(seed)


@pytest.mark.parametrize("bad", [-1, np.int64(-5), "-3", "seven", "1.5", ""])
def test_a_negative_or_non_numeric_seed_is_one_line(bad):
    with pytest.raises(InputError) as err:
        GreatGameModel(**SMALL, rng=bad)
    assert "\n" not in str(err.value) and "seed" in str(err.value)

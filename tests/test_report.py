"""Reports of batch results: plots, Markdown, SALib indices."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from experiments.cli.main import main
from experiments.runner import batch, design
from experiments.safe_io import outdir
from experiments.science import report, report_figures
from model.errors import InputError

HEAD = """
steps = 8
seed = 3
[params]
"run.synthetic_deposits" = 30
"investors.count" = 40
"""


def results(tmp_path, body: str, name: str) -> tuple:
    path = tmp_path / f"{name}.toml"
    top, _, tables = textwrap.dedent(body).partition("[design]")
    path.write_text(top + HEAD + "[design]" + tables)
    exp = design.load(path)
    out = tmp_path / name
    batch.run_experiment(exp, design.expand(exp), out)
    return exp, out


def test_mean_ci_is_the_t_interval():
    frame = pd.DataFrame({"g": [0, 0, 0, 1, 1], "y": [1.0, 2.0, 4.0, 5.0, 5.0]})
    g = report_figures.mean_ci(frame, "g", "y")
    lo, hi = stats.t.interval(0.95, 2, loc=np.mean([1, 2, 4]), scale=stats.sem([1, 2, 4]))
    assert g.loc[0, "mean"] == pytest.approx(7 / 3) and g.loc[0, "half"] == pytest.approx((hi - lo) / 2)
    assert g.loc[1, "half"] == 0


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_factorial_report_with_series(tmp_path):
    _exp, out = results(
        tmp_path,
        """
        replicates = 3
        [design]
        method = "factorial"
        [design.factors]
        "eu.delay_mean_q" = [0, 8]
        "eu.trust0" = [0.3, 0.7]
        [output]
        measures = ["capacity_share_eu", "trust_eu"]
        years = [2027]
        series = true
        """,
        "fact",
    )
    assert main(["report", str(out)]) == 0
    rep = out / "report"
    names = {p.name for p in rep.iterdir()}
    assert {
        "report.md",
        "vs_eu_delay_mean_q.png",
        "vs_eu_trust0.png",
        "heatmap_eu_delay_mean_q__eu_trust0.png",
        "timeseries_capacity_share_eu.png",
        "timeseries_trust_eu.png",
    } <= names
    text = (rep / "report.md").read_text()
    assert "runs on disk: 12 of 12 (12 ok, 0 failed)" in text and "capacity_share_eu_2027" in text
    assert "## Main effects" in text and "| eu.delay_mean_q | 0 | 8 |" in text
    for png in names - {"report.md", outdir.MARKER}:
        assert f"]({png})" in text
        assert (rep / png).read_bytes()[:4] == b"\x89PNG"


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_sobol_and_morris_reports_show_indices(tmp_path):
    ranges = '[design.ranges]\n"eu.delay_mean_q" = [0, 12]\n"eu.trust0" = [0.3, 0.8]\n'
    _, sob = results(
        tmp_path,
        "replicates = 1\n[design]\nmethod = 'sobol'\nsamples = 8\n"
        + ranges
        + "[output]\nmeasures = ['capacity_share_eu', 'missed_eu']\n",
        "sob",
    )
    report.make_report(sob)
    text = (sob / "report" / "report.md").read_text()
    assert "## Sobol' indices" in text and "| parameter | S1 | S1 ± | ST | ST ± |" in text
    assert (sob / "report" / "sobol.png").exists()
    _, mor = results(
        tmp_path,
        "replicates = 2\n[design]\nmethod = 'morris'\nsamples = 4\n" + ranges + "[output]\nmeasures = ['missed_eu']\n",
        "mor",
    )
    report.make_report(mor, tmp_path / "elsewhere")
    text = (tmp_path / "elsewhere" / "report.md").read_text()
    assert "## Morris screening" in text and "mu_star" in text and "replicate noise" in text
    assert (tmp_path / "elsewhere" / "morris.png").exists()


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_lhs_and_series_only_reports(tmp_path):
    _, lhs = results(
        tmp_path,
        "replicates = 1\n[design]\nmethod = 'lhs'\nsamples = 20\n[design.ranges]\n"
        "'eu.delay_mean_q' = [0, 12]\n'eu.trust0' = [0.3, 0.8]\n[output]\nmeasures = ['missed_eu']\n",
        "lhs",
    )
    report.make_report(lhs)
    assert {"vs_eu_delay_mean_q.png", "heatmap_eu_delay_mean_q__eu_trust0.png"} <= {
        p.name for p in (lhs / "report").iterdir()
    }
    assert "quantile bins" in (lhs / "report" / "report.md").read_text()
    _, ser = results(
        tmp_path,
        "replicates = 2\n[design]\nmethod = 'factorial'\n[design.factors]\n"
        "'eu.delay_mean_q' = [0, 12]\n[output]\nmeasures = ['capacity_share_eu']\nfinal = false\nseries = true\n",
        "ser",
    )
    report.make_report(ser)
    assert {p.name for p in (ser / "report").iterdir()} == {
        "report.md",
        "timeseries_capacity_share_eu.png",
        outdir.MARKER,
    }


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_report_of_a_partial_batch_notes_what_is_missing(tmp_path):
    path = tmp_path / "part.toml"
    path.write_text(
        textwrap.dedent(
            "replicates = 2\n" + HEAD + "[design]\nmethod = 'sobol'\nsamples = 4\n"
            "[design.ranges]\n'eu.trust0' = [0.3, 0.8]\n'eu.premium' = [0, 0.01]\n"
        )
    )
    exp = design.load(path)
    batch.run_experiment(exp, design.expand(exp), tmp_path / "part", limit=5)
    text = (report.make_report(tmp_path / "part") / "report.md").read_text()
    assert "runs on disk: 5 of 32" in text and "27 not run yet" in text and "Not analysed" in text


def test_report_of_a_folder_without_results_is_one_line(tmp_path, capsys):
    with pytest.raises(InputError, match=r"manifest\.json"):
        report.make_report(tmp_path)
    assert main(["report", str(tmp_path / "missing")]) == 2
    assert capsys.readouterr().err.startswith("run.py: error: ")


def test_noise_share_counts_only_what_common_random_numbers_do_not_cancel():
    """A replicate effect shared by every point adds no noise between points; only the interaction does."""
    import numpy as np
    import pandas as pd

    from experiments.science.indices import noise_share

    points, reps = np.arange(4), np.arange(3)
    y = points[:, None] * 1.0 + 10.0 * reps[None, :]  # a large replicate effect, no interaction
    ok = pd.DataFrame({"point": np.repeat(points, 3), "replicate": np.tile(reps, 4), "y": y.ravel()})
    assert noise_share(ok, "y") == pytest.approx(0.0, abs=1e-12)
    y2 = y + np.array([[0.5, -0.5, 0.0]] * 2 + [[-0.5, 0.5, 0.0]] * 2)  # an interaction
    # residual = the interaction: sum of squares 2 over (4 - 1)(3 - 1) = 6 degrees of freedom, / 3 replicates;
    # the point means 0..3 (+ a constant) have variance 5/3
    assert noise_share(ok.assign(y=y2.ravel()), "y") == pytest.approx((2 / 6 / 3) / (5 / 3))

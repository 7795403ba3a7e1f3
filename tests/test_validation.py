"""The validation's machinery on hand-worked inputs: proper scores, the paired bootstrap, generated doc blocks,
PRIM's boxes, the calibration's distance and resampling, and one-line errors of the science commands."""

import numpy as np
import pandas as pd
import pytest

from experiments.safe_io import blocks
from experiments.science import calibrate, discover
from experiments.science import hindcast as H
from experiments.science import patterns as PT
from experiments.science import validation as V
from model.errors import InputError
from tests.cli_helpers import assert_one_line_error, run_cli


def test_probabilities_and_proper_scores_by_hand():
    classes = ("a", "b")
    p = H.probabilities([["a", "b"], ["a", "a"]], classes, pseudo=0.0)
    assert p.tolist() == [[1.0, 0.0], [0.5, 0.5]]
    s = H.scores(p, ["a", "b"], classes)
    # deposit 1: certain and right (Brier 0); deposit 2: (0.5-0)^2 + (0.5-1)^2 = 0.5; mean 0.25
    assert s["brier"] == pytest.approx(0.25)
    assert s["log"] == pytest.approx((0.0 + np.log(2)) / 2)
    assert H.scores(p, ["a", "b"], classes, np.array([False, True]))["brier"] == pytest.approx(0.5)


def test_nulls_are_the_2022_state_and_its_base_rates():
    obs = H.observed()
    still, _ = H.nothing_happens(obs)
    assert [H.CLASSES[k] for k in still.argmax(axis=1)] == obs.start_controller
    rates, _ = H.base_rates(obs)
    assert np.allclose(rates.sum(axis=1), 1.0) and obs.contested.sum() > 10


def test_the_same_frame_is_not_told_apart_from_itself():
    rng = np.random.default_rng(0)
    obs = H.observed()
    runs = [[rng.choice(H.CLASSES[:3]) for _ in obs.ids] for _ in range(20)]
    frame = pd.DataFrame({"_controller": runs})
    gap, lo, hi = V.brier_gap(frame, frame, boot=50)
    assert gap == 0.0 and lo == 0.0 and hi == 0.0
    truthful = pd.DataFrame({"_controller": [list(obs.controller)] * 20})
    gap, lo, _ = V.brier_gap(frame, truthful, boot=50)
    assert gap > 0 and lo > 0  # a model that always says what happened is told apart from noise


def test_doc_blocks_are_replaced_whole_and_checked_first():
    text = "head\n<!-- BEGIN X (cmd) -->\nold\n<!-- END X -->\ntail\n"
    assert (
        blocks.replace(text, "X", "cmd", "new", "doc.md") == "head\n<!-- BEGIN X (cmd) -->\nnew\n<!-- END X -->\ntail\n"
    )
    with pytest.raises(InputError, match="marker missing"):
        blocks.check("<!-- END X -->\n<!-- BEGIN X (cmd) -->", ["X"], "cmd", "doc.md")


def test_every_pattern_can_be_missed_by_the_inputs_alone():
    rows = [PT.measure_seed(s, PT.BEHAVIOUR_OFF) for s in V.seeds(3)]
    summary = PT.summarise(pd.DataFrame(rows))
    assert not summary["pass"].any(), summary[summary["pass"]]


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_prim_finds_the_box_that_holds_the_failures():
    rng = np.random.default_rng(1)
    x = pd.DataFrame({"a": rng.random(400), "b": rng.random(400), "c": rng.random(400)})
    y = ((x.a > 0.7) & (x.b < 0.4)).to_numpy()
    (box, *_) = discover.find_boxes(x, y, boxes=1, density=0.9)
    assert set(box.limits.index) == {"a", "b"} and box.density >= 0.9 and box.coverage > 0.8
    assert box.limits.loc["a", "min"] == pytest.approx(0.7, abs=0.05)
    assert (box.limits["qp"] < 1e-6).all()
    text = discover.report([box], "y", int(y.sum()), len(y), x)
    assert "coverage" in text and "`a`" in text


def test_a_bad_failure_condition_is_one_line():
    runs = pd.DataFrame({"eu_supply_security_2040": [0.1, 0.5]})
    assert discover.failures(runs, "eu_supply_security_2040 < 0.3").tolist() == [True, False]
    with pytest.raises(InputError, match="unknown column 'nonsense'; did you mean eu_supply_security_2040"):
        discover.failures(runs, "nonsense < 1")
    with pytest.raises(InputError, match="'eu_supply_security_2040 \\+ 1' is not allowed"):
        discover.failures(runs, "eu_supply_security_2040 + 1")
    with pytest.raises(InputError, match="not a true/false condition"):
        discover.failures(runs, "eu_supply_security_2040")


def test_calibration_distance_and_resampling_by_hand():
    assert calibrate.band_distance(0.5, (0.4, 0.6)) == 0.0
    assert calibrate.band_distance(0.8, (0.4, 0.6)) == pytest.approx(1.0)  # one band width above
    assert calibrate.band_distance(float("nan"), (0.4, 0.6)) == 1.0
    keys = list(calibrate.PRIORS)
    particles = pd.DataFrame({k: [0.1, 0.2] for k in keys}).assign(weight=[1.0, 0.0])
    draws = calibrate.resample(particles, draws=5)
    assert list(draws.columns) == keys and (draws[keys[0]] == 0.1).all()  # a zero weight is never drawn
    summary = calibrate.posterior_summary(particles)
    assert (summary["median"] == 0.1).all()


def test_science_commands_refuse_bad_input_in_one_line(capsys, tmp_path):
    code, _, err = run_cli(capsys, "validate", "--posterior", str(tmp_path / "none.csv"))
    assert_one_line_error(code, err, "none.csv")
    doc = tmp_path / "v.md"
    doc.write_text("no markers\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "validate", "--doc", str(doc))
    assert_one_line_error(code, err, "marker missing", "VALIDATION TABLE")
    code, _, err = run_cli(capsys, "calibrate", "--doc", str(doc))
    assert_one_line_error(code, err, "CALIBRATION")
    code, _, err = run_cli(capsys, "discover", "policy_failure", "--where", "x", "--density", "2")
    assert_one_line_error(code, err, "--density", "allowed: a number in (0, 1]")
    code, _, err = run_cli(capsys, "validate", "--previous", str(tmp_path))
    assert_one_line_error(code, err, "--previous", "no model/ folder")


def test_sobol_flags_name_what_noise_made_unreadable():
    from experiments.science import indices

    assert indices.flags(0.3, 0.05, 0.5, 0.05) == []
    assert indices.flags(0.6, 0.05, 0.5, 0.05) == ["S1 > ST"]
    assert "negative" in indices.flags(-0.1, 0.05, 0.5, 0.05)
    assert indices.flags(0.0, 0.0, 0.05, 0.2) == ["ST's interval wider than ST"]
    assert indices.flags(0.05, 0.2, 0.3, 0.1) == ["S1's interval wider than S1"]
    assert indices.noise_flag(0.1) == "" and "add replicates" in indices.noise_flag(0.5)

"""The validation's machinery on hand-worked inputs: proper scores, the nulls (schedule + legal rules among them),
exact per-holder intervals, the variants' paired loss and Holm's correction, the held-out rule, the windows'
estimates, generated doc blocks, PRIM's boxes, the calibration's distance and shrinkage, and one-line errors."""

import numpy as np
import pandas as pd
import pytest

from experiments.safe_io import blocks
from experiments.science import calibrate, discover, estimates, holdout
from experiments.science import hindcast as H
from experiments.science import patterns as PT
from experiments.science import validation as V
from experiments.science import variants as VR
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


def test_a_variant_is_told_apart_by_its_paired_loss_and_holm():
    obs = H.observed()
    wrong = [c if k else "EU" for c, k in zip(obs.controller, ~obs.contested)]  # every contested deposit to the EU
    seeds = list(range(6))
    base = {p.measure: [np.mean(p.band)] * 6 for p in PT.PATTERNS}
    truthful = pd.DataFrame({"seed": seeds, "_controller": [list(obs.controller)] * 6, **base})
    noisy = truthful.assign(_controller=[wrong if s % 2 else list(obs.controller) for s in seeds])
    assert (VR.loss(truthful) == 0).all()  # right holders, every pattern at its band's centre
    same = VR.paired(truthful, truthful)
    assert same["mean"] == 0 and same["p"] == 1.0
    worse = VR.paired(noisy, truthful)
    assert worse["mean"] > 0 and worse["lo"] < worse["mean"] < worse["hi"]
    table = VR.table({"same": truthful, "worse": noisy}, truthful)
    assert not table["told_apart"][0] and table["p_holm"][1] == pytest.approx(min(1.0, 2 * worse["p"]))


def test_holm_adjusts_step_down_by_hand():
    assert VR.holm(np.array([0.01, 0.04, 0.03, 0.5])).tolist() == pytest.approx([0.04, 0.09, 0.09, 0.5])


def test_at_least_twelve_variants_each_a_valid_setting():
    from model import scenario as scenarios

    assert len(VR.VARIANTS) >= 12
    for over in VR.VARIANTS.values():
        scenarios.load(PT.SCENARIO).with_overrides(over, "variant")
    prices = VR.VARIANTS["base prices rotated across commodities"]
    assert sorted(prices.values()) == sorted(VR.PARAMS[k].default for k in prices) and len(set(prices)) > 10


def test_the_schedule_and_legal_null_by_hand():
    obs = H.observed()
    p = H.schedule_legal(obs, H.SCHEDULE_2026)
    barred = H.barred(obs, H.SCHEDULE_2026)
    none = H.CLASSES.index("none")
    assert barred.sum() > 0 and (p[barred].argmax(axis=1) == none).all()
    uranium = obs.contested & ~barred & np.array([c == "uranium" for c in obs.commodity])
    assert uranium.any() and (p[uranium].argmax(axis=1) == H.CLASSES.index("KZ")).all()
    rest = obs.contested & ~barred & ~uranium
    assert np.allclose(p[rest], 1 / len(H.CLASSES))
    assert not H.barred(obs, H.SCHEDULE_KNOWN).any()  # the known-by schedule frees every named plot from 2022


def test_a_brier_difference_over_deposits_by_hand():
    obs = H.observed()
    truth = np.zeros((len(obs.ids), len(H.CLASSES)))
    truth[np.arange(len(obs.ids)), [H.CLASSES.index(c) for c in obs.controller]] = 1
    uniform = np.full_like(truth, 1 / len(H.CLASSES))
    m, lo, hi = H.difference(truth, uniform, obs.controller, obs.contested)
    k = len(H.CLASSES)  # uniform: (1 - 1/k)^2 + (k - 1)/k^2 = 1 - 1/k on every deposit
    assert m == pytest.approx(-(1 - 1 / k)) and lo == pytest.approx(m) and hi == pytest.approx(m)
    assert H.difference(truth, truth, obs.controller, obs.contested) == (0.0, 0.0, 0.0)


def test_per_holder_accuracy_has_exact_intervals():
    obs = H.observed()
    truth = np.zeros((len(obs.ids), len(H.CLASSES)))
    truth[np.arange(len(obs.ids)), [H.CLASSES.index(c) for c in obs.controller]] = 1
    rows = {r["holder"]: r for r in H.holder_accuracy(truth, obs, obs.contested)}
    us = rows["US"]
    assert us["observed"] == us["named"] == 4
    assert us["hi"] == 1.0 and us["lo"] == pytest.approx(0.025 ** (1 / 4))  # Clopper–Pearson: 4 of 4


def test_the_holdout_rule_splits_by_longitude_with_contested_on_both_sides():
    obs = H.observed()
    fit, held = holdout.halves(obs)
    assert not (fit & held).any() and (fit | held).all()
    assert (obs.lon[held] < holdout.HOLDOUT_LON).all()
    assert (fit & obs.contested).sum() >= 5 and (held & obs.contested).sum() >= 5


def test_window_estimates_come_from_the_round_calendar():
    w = estimates.windows()
    assert w["host.auction_window_q"]["spans"] == [0.69, 0.36, 0.7]
    assert w["host.auction_window_q"]["value"] == 1  # median 0.69 + 2/3 q announcement lead = 1.36 -> 1
    assert w["host.negotiation_window_q"]["value"] == 2  # median of 0.85, 1.25, 2.04, 2.06, 2.26, 4.0 = 2.05
    shares = estimates.home_shares()
    assert shares["kz"] == pytest.approx(305 / 330) and shares["jk"] == 0


def test_doc_blocks_are_replaced_whole_and_checked_first():
    text = "head\n<!-- BEGIN X (cmd) -->\nold\n<!-- END X -->\ntail\n"
    assert (
        blocks.replace(text, "X", "cmd", "new", "doc.md") == "head\n<!-- BEGIN X (cmd) -->\nnew\n<!-- END X -->\ntail\n"
    )
    with pytest.raises(InputError, match="marker missing"):
        blocks.check("<!-- END X -->\n<!-- BEGIN X (cmd) -->", ["X"], "cmd", "doc.md")


def test_every_counted_pattern_can_be_missed_by_the_inputs_alone():
    rows = [PT.measure_seed(s, PT.BEHAVIOUR_OFF) for s in V.seeds(3)]
    summary = PT.summarise(pd.DataFrame(rows))
    reached = set(summary.loc[summary["pass"], "measure"])
    assert reached == set(PT.INPUT_CARRIED), reached  # the others can be missed; these two are reported, not counted


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


def test_calibration_distance_acceptance_and_shrinkage_by_hand():
    assert calibrate.band_distance(0.5, (0.4, 0.6)) == 0.0
    assert calibrate.band_distance(0.8, (0.4, 0.6)) == pytest.approx(1.0)  # one band width above
    assert calibrate.band_distance(float("nan"), (0.4, 0.6)) == 1.0
    obs = H.observed()
    keys = list(calibrate.PRIORS)
    good = {m: float(np.mean({p.measure: p.band for p in PT.PATTERNS}[m])) for m in calibrate.FITTED}
    right, wrong = ";".join(obs.controller), ";".join(["EU"] * len(obs.ids))
    pool = pd.DataFrame([{**dict.fromkeys(keys, 0.1), **good, "_controller": right}] * 2)
    pool = pd.concat([pool, pool.assign(_controller=wrong, **dict.fromkeys(keys, 0.4))], ignore_index=True)
    assert calibrate.distance(pool, obs.contested).tolist()[:2] == [0.0, 0.0]
    post = calibrate.accept(pool, obs.contested, 0.5)
    assert len(post) == 2 and (post[keys[0]] == 0.1).all()
    assert (calibrate.shrinkage(post)["shrinkage"] == 1.0).all()  # a posterior with no spread: all information
    prior = calibrate.prior_draws(4000)
    assert calibrate.shrinkage(prior.assign())["shrinkage"].abs().max() < 0.05  # the prior itself: none


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
    code, _, err = run_cli(capsys, "validate", "--no-run", "--out", str(tmp_path / "empty"))
    assert_one_line_error(code, err, "--out", "no validation runs here")
    code, _, err = run_cli(capsys, "calibrate", "--pool", str(tmp_path / "none.csv"))
    assert_one_line_error(code, err, "--pool")
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


def test_runs_on_disk_from_an_earlier_call_with_variants_are_left_out_of_one_without(tmp_path):
    """`validate --no-variants --resume` over a folder that also holds an earlier call's variants reads only the
    runs this call asked for."""
    import json

    from experiments.science import validation_runs as VR_RUNS

    (tmp_path / "runs").mkdir()
    frame = pd.DataFrame({"seed": [1], **{c: [["a", "b"]] for c in VR_RUNS.LISTS}})
    VR_RUNS.save(frame, tmp_path / "runs" / "model.csv")
    VR_RUNS.save(frame, tmp_path / "runs" / "variant_03.csv")
    (tmp_path / "meta.json").write_text(json.dumps({"seeds": 1, "variants": []}), encoding="utf-8")
    meta, frames = VR_RUNS.load(tmp_path)
    assert meta["variants"] == []
    assert list(frames) == ["model"] and frames["model"][VR_RUNS.LISTS[0]][0] == ["a", "b"]

"""The claims over deep uncertainty (experiments/science/claims.py), the LHS crossed with contrasts
(experiments/runner/points.py) and the noise share's replicates (experiments/science/indices.py), by hand."""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import pytest

from experiments.runner import design
from experiments.science import claims, claims_block
from experiments.science.indices import noise_share_plain, replicates_for


def runs_of(effect_at: dict[int, float], n_rep: int = 4, noise: float = 0.1) -> pd.DataFrame:
    """Two contrasts (0 base, 1 treated) at each sampled point; treated = base + effect_at[point] + noise."""
    rng = np.random.default_rng(1)
    rows = []
    for lhs, eff in effect_at.items():
        for r in range(n_rep):
            base = 10.0 + r  # the replicate's own level, which pairing cancels
            jitter = noise * rng.standard_normal()
            for c, y in ((0, base), (1, base + eff + jitter)):
                rows.append({"point": lhs * 2 + c, "replicate": r, "x": float(lhs), "y": y})
    return claims.tag(pd.DataFrame(rows), 2)


def test_tag_reads_point_as_sampled_point_times_contrasts_plus_row():
    t = claims.tag(pd.DataFrame({"point": [0, 1, 2, 12, 13, 27]}), 13)
    assert t["lhs"].tolist() == [0, 0, 0, 0, 1, 2]
    assert t["contrast"].tolist() == [0, 1, 2, 12, 0, 1]


def test_point_effects_pair_within_point_and_replicate():
    e = claims.point_effects(runs_of({0: 2.0, 1: -1.0}, noise=0.0), {1: 1, 0: -1}, "y")
    assert e["mean"].tolist() == pytest.approx([2.0, -1.0])  # the replicate levels 10..13 cancel
    assert (e["n"] == 4).all()


def test_summary_counts_points_for_and_against_and_gives_the_verdict():
    everywhere = claims.summary(claims.point_effects(runs_of(dict.fromkeys(range(10), 1.0)), {1: 1, 0: -1}, "y"), 1)
    assert everywhere["holds"] == 1.0 and everywhere["against"] == 0.0 and everywhere["verdict"] == "supported"
    half = {i: (1.0 if i < 5 else 0.0) for i in range(10)}
    part = claims.summary(claims.point_effects(runs_of(half, noise=0.3), {1: 1, 0: -1}, "y"), 1)
    assert 0.2 <= part["holds"] <= 0.5 and part["verdict"] in ("conditional", "supported")
    nil = claims.summary(claims.point_effects(runs_of(dict.fromkeys(range(10), 0.0)), {1: 1, 0: -1}, "y"), 1)
    assert nil["holds"] <= claims.CHANCE and nil["verdict"] == "not supported"
    wrong_way = claims.summary(claims.point_effects(runs_of(dict.fromkeys(range(10), -1.0)), {1: 1, 0: -1}, "y"), 1)
    assert wrong_way["against"] == 1.0 and wrong_way["verdict"] == "not supported"
    assert (
        claims.summary(claims.point_effects(runs_of(dict.fromkeys(range(10), -1.0)), {1: 1, 0: -1}, "y"), -1)["verdict"]
        == "supported"
    )


def test_verdict_is_conditional_where_it_holds_in_part_but_not_on_average():
    s = {"mean": 0.1, "lo": -0.1, "hi": 0.3, "holds": 0.3, "against": 0.2}
    assert claims.verdict(s, 1) == "conditional"
    assert claims.verdict(s | {"lo": 0.05, "against": 0.0}, 1) == "supported"


def test_factors_are_the_columns_constant_within_a_sampled_point():
    r = runs_of({0: 1.0, 1: 2.0}).assign(elapsed_s=np.arange(16.0))
    assert claims.factors(r) == ["x"]
    e = claims.point_effects(r, {1: 1, 0: -1}, "y")
    assert "`x` ρ +1.00" in claims.drivers(e, r.groupby("lhs")[["x"]].first())


def test_the_design_file_has_the_contrasts_the_analysis_names():
    exp = design.load("deep_uncertainty")
    rows = {len(v) for v in exp.factors.values()}
    assert rows == {len(claims.CONTRASTS)}
    late = exp.factors["eu.start_year"]
    assert [claims.CONTRASTS[i] for i, y in enumerate(late) if y > 2026] == [
        "EU starts 2032",
        "lock-in off, EU starts 2032",
        "plants off, EU starts 2032",
    ]
    assert exp.factors["eu.approval_cap_q"][claims.C["package with a 2-quarter fast track"]] > 0
    for _, _, weights, _ in claims_block.TESTS:
        assert sum(weights.values()) == 0  # every test is a contrast: what all rows share cancels


def test_lhs_crossed_with_contrasts_repeats_each_sampled_point(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text(
        textwrap.dedent(
            """
            steps = 12
            replicates = 2
            seed = 5
            [params]
            "run.synthetic_deposits" = 30
            [design]
            method = "lhs"
            samples = 5
            [design.ranges]
            "eu.trust0" = [0.3, 0.8]
            [design.contrasts]
            "eu.delay_mean_q" = [4, 1, 8]
            "mechanisms.lock_in" = [1, 1, 0]
            """
        )
    )
    exp = design.load(path)
    des = design.expand(exp)
    assert des.n_points == design.n_points(exp) == 15
    p = des.points
    assert p["eu.delay_mean_q"].tolist() == [4, 1, 8] * 5
    assert (p.groupby(np.arange(15) // 3)["eu.trust0"].nunique() == 1).all()
    assert p["eu.trust0"].nunique() == 5 and des.sample.shape == (15, 3)


def test_a_contrast_may_not_also_be_sampled(tmp_path):
    path = tmp_path / "x.toml"
    body = 'steps = 12\n[design]\nmethod = "lhs"\nsamples = 4\n[design.ranges]\n"eu.trust0" = [0.3, 0.8]\n'
    path.write_text(body + '[design.contrasts]\n"eu.trust0" = [0.4, 0.5]\n')
    from model.errors import InputError

    with pytest.raises(InputError, match="also sampled"):
        design.load(path)


def test_noise_share_plain_by_hand_and_the_replicates_it_takes():
    # two points, two replicates: point means 1 and 3 (variance 2); replicate variances 2 and 0 (mean 1) over 2
    runs = pd.DataFrame({"point": [0, 0, 1, 1], "replicate": [0, 1, 0, 1], "y": [0.0, 2.0, 3.0, 3.0]})
    assert noise_share_plain(runs, "y") == pytest.approx(0.5 / 2.0)
    # a share s with R replicates: noise/true = s/(1-s); the limit 0.2 needs noise/true <= 0.25
    assert replicates_for(0.5, 8) == 32
    assert replicates_for(0.2, 8) == 8
    assert replicates_for(0.1, 8) == 4
    assert replicates_for(1.0, 8) == -1


def test_noise_table_measures_the_share_at_fewer_replicates_and_what_a_fifth_takes():
    from experiments.science.sobol_table import noise_table

    rng = np.random.default_rng(3)
    rows = [{"point": p, "replicate": r, "y": float(p) + rng.standard_normal()} for p in range(30) for r in range(8)]
    text = noise_table(pd.DataFrame(rows), ["y"], n_params=1)
    assert "N = 10 (30 points" in text and "| 4 replicates | 8 replicates |" in text
    share = noise_share_plain(pd.DataFrame(rows), "y")
    assert f"| {replicates_for(share, 8)} (" in text  # noise 1/8 against a spread of points of about 77
    common = pd.DataFrame(rows).assign(y=lambda f: f["replicate"] * 100.0 + f["point"] * 0.01)
    assert ">100% (0%)" in noise_table(common, ["y"], n_params=1)  # shifts common to every point: cancel


def test_the_window_claim_is_decided_by_lock_in():
    assert "lock-in" in claims_block.DECIDES["the window narrows"]
    assert claims_block.DECIDES["the window narrows"] in [t for _, t, _, _ in claims_block.TESTS]


def test_channel_rows_count_first_come_licences_and_budget_rows_by_setting():
    from experiments.science.study import budget_row, channel_rows

    full = pd.DataFrame(
        {
            "channel_auction_kz": [6.0, 6.0],
            "channel_auction_eu": [1.0, 1.0],
            "channel_negotiation_kz": [0.0, 0.0],
            "channel_negotiation_eu": [1.0, 1.0],
            "licences_filed_kz": [90.0, 90.0],
            "licences_filed_eu": [2.0, 2.0],
            "budget_bound_eu": [1.0, 3.0],
            "budget_active_eu": [10.0, 10.0],
        }
    )
    rows = {r["channel"]: r for r in channel_rows(full, ["auction", "negotiation"], ["kz", "eu"])}
    assert rows["first-come exploration licence"]["share of licences 2026–2050"].startswith("92.00%")  # 92 of 100
    assert rows["auction"]["share of licences 2026–2050"].startswith("7.00%") and rows["auction"]["KZ"] == "6.0"
    assert budget_row(full, "eu", "at the defaults")["budget binds, at the defaults"].startswith("20.00%")
    no_filed = channel_rows(full.drop(columns=["licences_filed_kz", "licences_filed_eu"]), ["auction"], ["kz"])
    assert [r["channel"] for r in no_filed] == ["auction"]  # records of an older study: awards only

"""The model works with Mesa's own batch runner."""

import mesa

from model import GreatGameModel


def test_batch_run_with_scalar_parameters():
    rows = mesa.batch_run(
        GreatGameModel,
        parameters={"eu_delay_mean_q": [2.0, 8.0], "run_synthetic_deposits": 30},
        rng=[1, 2],
        max_steps=12,
        number_processes=1,
        display_progress=False,
    )
    assert len(rows) == 4
    assert {r["eu_delay_mean_q"] for r in rows} == {2.0, 8.0}
    assert all("capacity_share_eu" in r and "eu_supply_security" in r and "step" not in r for r in rows)
    assert all(r["Step"] == 12 for r in rows)

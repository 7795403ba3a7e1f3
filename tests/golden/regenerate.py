"""Regenerate the golden baseline on purpose: `python tests/golden/regenerate.py`.

Run it only when a change of behaviour is intended, and say why in the commit message; the test
tests/test_golden.py fails on any unintended change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from experiments.runner.single import year_rows  # noqa: E402
from model import GreatGameModel  # noqa: E402
from model import scenario as scenarios  # noqa: E402

SEEDS = (1, 2, 3, 20260101)
YEARS = (2030, 2040, 2050)
GOLDEN = Path(__file__).with_name("baseline.csv")


def summary_rows() -> pd.DataFrame:
    rows = []
    for seed in SEEDS:
        m = GreatGameModel(**scenarios.load("baseline").model_kwargs(rng=seed))
        m.run_for(100)
        for year, row in year_rows(m.timeseries(), YEARS).items():
            keep = {k: row[k] for k in row.index if k.startswith(("share_", "awards_", "missed_", "trust_"))}
            rows.append(
                {
                    "seed": seed,
                    "year": year,
                    "eu_supply_security": row["eu_supply_security"],
                    "diversification": row["diversification"],
                    **keep,
                }
            )
    return pd.DataFrame(rows)


if __name__ == "__main__":
    summary_rows().to_csv(GOLDEN, index=False, float_format="%.12g")
    print(f"wrote {GOLDEN}")

"""Regenerate the golden baseline on purpose: `python tests/golden/regenerate.py`.

Run it only when a change of behaviour is intended, and say in the commit message what moved and why;
tests/test_golden.py fails on any unintended change. The golden holds, for a few seeds of the baseline and one
seed of every shipped scenario, a SHA-256 of each table of the run (``experiments.runner.tables.run_tables``:
series, events, deposits, holders ... as canonical CSV, floats written exactly) and, for a readable diff when a
hash differs, the headline measures at several years.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from experiments.runner.single import year_rows  # noqa: E402
from experiments.runner.tables import run_tables  # noqa: E402
from model import GreatGameModel  # noqa: E402
from model import scenario as scenarios  # noqa: E402

RUNS = (
    *(("baseline", seed) for seed in (1, 2, 3, 20260101)),
    *((name, 1) for name in scenarios.names() if name != "baseline"),
)
YEARS = (2026, 2030, 2035, 2040, 2050)
HEADLINE = ("capacity_share_", "output_share_", "awards_", "new_awards_", "missed_", "trust_")
GOLDEN = Path(__file__).with_name("baseline.csv")
HASHES = Path(__file__).with_name("tables.json")


def run(name: str, seed: int) -> GreatGameModel:
    """One run of a shipped scenario to its end (100 quarters, or fewer for a later start)."""
    m = GreatGameModel(**scenarios.load(name).model_kwargs(rng=seed))
    m.run_for(100 - 4 * (m.start_year - 2026) if m.start_year > 2026 else 100)
    return m


def table_hashes(m: GreatGameModel, name: str, seed: int) -> dict[str, str]:
    """SHA-256 of each table's canonical CSV (pandas writes floats with repr: exact)."""
    return {
        table: hashlib.sha256(frame.to_csv(index=False, lineterminator="\n").encode()).hexdigest()
        for table, frame in run_tables(m, name, seed).items()
    }


def headline(m: GreatGameModel, name: str, seed: int) -> list[dict]:
    rows = []
    for year, row in year_rows(m.timeseries(), YEARS).items():
        keep = {k: row[k] for k in row.index if k.startswith(HEADLINE)}
        rows.append(
            {
                "scenario": name,
                "seed": seed,
                "year": year,
                "eu_supply_security": row["eu_supply_security"],
                "diversification": row["diversification"],
                **keep,
            }
        )
    return rows


def golden() -> tuple[pd.DataFrame, dict[str, dict[str, str]]]:
    """The headline rows and the table hashes of every golden run."""
    rows, hashes = [], {}
    for name, seed in RUNS:
        m = run(name, seed)
        rows += headline(m, name, seed)
        hashes[f"{name}/{seed}"] = table_hashes(m, name, seed)
    return pd.DataFrame(rows), hashes


if __name__ == "__main__":
    frame, hashes = golden()
    frame.to_csv(GOLDEN, index=False, float_format="%.17g")
    HASHES.write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN} and {HASHES}")

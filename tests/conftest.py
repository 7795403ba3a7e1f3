"""Shared fixtures: tiny hand-made deposit tables so rule tests do not depend on the real data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from model.deposit_table import COLUMNS
from model.powers import POWERS

QUIET_POWERS = {f"{p.lower()}.budget_usd_m": 0.0 for p in POWERS}  # every power idle


def deposit_row(**over) -> dict:
    row = {
        "id": "d1",
        "name": "Test One",
        "commodity": "copper",
        "contained_t": "1000000",
        "capacity_t_per_q": "10000",
        "lead_time_q": "8",
        "stage_2026": "unlicensed",
        "start_year": "",
        "holders_2026": "",
        "offtake_2026": "",
        "region": "Abai Region",
        "lon": "79.0",
        "lat": "47.0",
        "coord_approx": "false",
        "channel": "auction",
        "strategic": "false",
        "capex_usd_m": "",
        "source": "test",
    }
    row.update({k: str(v) for k, v in over.items()})
    return row


def write_table(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*COLUMNS, "start_year"])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def table(tmp_path):
    """Factory: table(row_overrides, ...) -> path of a CSV with those rows."""

    def make(*rows: dict) -> str:
        return str(write_table(tmp_path / "deposits.csv", [deposit_row(**r) for r in rows]))

    return make

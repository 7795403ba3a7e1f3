"""Generated bad tables, by root cause: rows with a field too many or too few, tables a scenario names that are
missing or bad, deposit ids outside [a-z0-9_]+, points beyond Kazakhstan's outline, and posterior draws that
name tables or hold values a setting may not. Each must be one line naming the file and what is allowed, exit 2,
nothing written (``tests/test_faults_inputs.py``'s Runner checks all of that), and ``check`` must refuse
exactly what ``run`` refuses.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.deposit_load import BORDER_KM, DEPOSIT_ID, KM_PER_DEGREE, _outline, inside_kazakhstan
from tests.test_faults_inputs import SETTINGS, Case, Runner, csv_text, deposit_row

ROOT = Path(__file__).resolve().parent.parent
TABLES = {  # every table a scenario can name, with the shipped file
    "run.deposits": "data/deposits.csv",
    "run.commodity_rules": "data/commodity_rules.csv",
    "run.exploration_ground": "data/exploration_ground.csv",
    "run.discovery_rates": "data/discovery_rates.csv",
    "run.state_pipeline": "data/state_pipeline.csv",
    "run.plants": "data/plants.csv",
    "run.products": "data/products.csv",
    "run.contracts": "data/contracts.csv",
    "run.deals": "data/deals.csv",
    "run.demand_paths": "data/demand_paths.csv",
    "run.world_supply": "data/world_supply.csv",
    "run.price_paths": "data/price_paths.csv",
    "run.routes": "data/routes.csv",
    "run.route_investments": "data/route_investments.csv",
}
# tables whose every row names a model commodity (deals may name others; routes and contracts name none)
NO_COMMODITY = ("run.deals", "run.routes", "run.route_investments", "run.contracts")
SCALE = int(os.environ.get("FAULTS_SCALE", "1"))


@pytest.fixture
def runner(tmp_path, capsys, monkeypatch):
    return Runner(tmp_path, capsys, monkeypatch)


def records(key: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((ROOT / TABLES[key]).read_text(encoding="utf-8"))))


def written(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def naming(key: str, table: str = "t.csv") -> str:
    """A scenario that names ``table`` (beside it) as ``key``."""
    return f'deposits = "{table}"\n' if key == "run.deposits" else f'[params]\n"{key}" = "{table}"\n'


@st.composite
def ragged(draw) -> Case:
    """One row with fields added or removed, or every row with a trailing comma (which pandas read silently,
    each value one column to the left)."""
    key = draw(st.sampled_from(sorted(TABLES)))
    rows = records(key)
    if draw(st.booleans()):
        rows = [rows[0], *([*r, ""] for r in rows[1:])]
        n = 2
    else:
        n = draw(st.integers(2, len(rows)))
        extra = draw(st.integers(-3, 4).filter(bool))
        row = rows[n - 1]
        rows[n - 1] = (
            row[:extra]
            if extra < 0
            else [*row, *draw(st.lists(st.text("ab1,", max_size=3), min_size=extra, max_size=extra))]
        )
    return Case("ragged", "s.toml", {"s.toml": naming(key), "t.csv": written(rows)}, ("t.csv", f"row {n}", "fields"))


def test_generated_rows_with_a_field_too_many_or_too_few(runner):
    @settings(max_examples=40 * SCALE, **SETTINGS)
    @given(case=ragged(), command=st.sampled_from(["check", "run"]))
    def check(case, command):
        folder = runner.folder(case)
        argv = (
            [command, str(folder / "s.toml")] if command == "check" else ["run", "--scenario", str(folder / "s.toml")]
        )
        runner.refused(folder, argv, case.needles)

    check()


@st.composite
def named_table(draw) -> tuple[Case, bool]:
    """A scenario naming a table (relative to itself) that is missing, bad, or good; and whether it is good."""
    key = draw(st.sampled_from(sorted(TABLES)))
    rows = records(key)
    faults = ["missing", "ragged", "none"] + ([] if key in NO_COMMODITY else ["commodity"])
    fault = draw(st.sampled_from(faults))
    if fault == "missing":
        return Case(fault, "s.toml", {"s.toml": naming(key, "sub/none.csv")}, ("none.csv", "not found")), False
    if fault == "commodity":
        n = draw(st.integers(2, len(rows)))
        rows[n - 1][rows[0].index("commodity")] = draw(st.sampled_from(["unobtainium", "Copper", "", " copper"]))
    elif fault == "ragged":
        rows[-1].append("x")
    files = {"s.toml": naming(key, "sub/t.csv"), "sub/t.csv": written(rows)}
    return Case(fault, "s.toml", files, ("t.csv",)), fault == "none"


def test_check_refuses_exactly_what_run_refuses(runner, tmp_path):
    """A table's relative path resolves from the scenario's file, and check reads every table run reads."""

    @settings(max_examples=24 * SCALE, **SETTINGS)
    @given(case_ok=named_table())
    def check(case_ok):
        case, ok = case_ok
        folder = runner.folder(case)
        scenario = str(folder / "s.toml")
        if not ok:
            runner.refused(folder, ["check", scenario], case.needles)
            runner.refused(folder, ["run", "--scenario", scenario, "--steps", "1"], case.needles)
            return
        from tests.cli_helpers import run_cli

        assert run_cli(runner.capsys, "check", scenario)[0] == 0
        code, _, err = run_cli(
            runner.capsys, "run", "--scenario", scenario, "--steps", "1", "--out", str(tmp_path / "o")
        )
        assert code == 0, err

    check()


BAD_IDS = st.one_of(
    st.sampled_from(["D1", "d 1", "d1 ", " d1", "д1", "d-1", "d.1", "", "d1\t", "ÄÖ", "d1/x"]),
    # any other text the id rule refuses (a test of ``islower``/``isdigit`` let "_" or "1_" through now and then,
    # which are valid ids, and the run that drew one failed)
    st.text(min_size=1, max_size=8).filter(lambda t: not DEPOSIT_ID.fullmatch(t)),
)


def test_generated_deposit_ids_outside_a_z_0_9_and_underscore(runner):
    @settings(max_examples=30 * SCALE, **SETTINGS)
    @given(bad=BAD_IDS.filter(lambda t: "\n" not in t and "\r" not in t), row=st.integers(0, 1))
    def check(bad, row):
        rows = [deposit_row(), deposit_row(id="d2", stage_2026="producing", holders_2026="KZ:1")]
        rows[row]["id"] = bad
        case = Case("id", "s.toml", {"s.toml": naming("run.deposits"), "t.csv": csv_text(rows)}, ("t.csv", "column id"))
        folder = runner.folder(case)
        runner.refused(folder, ["check", str(folder / "s.toml")], (*case.needles, f"row {row + 2}"))

    check()


def distance_km(lon: float, lat: float) -> float:
    ring = _outline()
    k = np.cos(np.radians(lat))
    ax, ay = (ring[:-1, 0] - lon) * k, ring[:-1, 1] - lat
    dx, dy = (ring[1:, 0] - ring[:-1, 0]) * k, ring[1:, 1] - ring[:-1, 1]
    t = np.clip(-(ax * dx + ay * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0, 1)
    return float(np.hypot(ax + t * dx, ay + t * dy).min() * KM_PER_DEGREE)


@st.composite
def beyond_the_border(draw) -> tuple[float, float]:
    """A point pushed out from a random place on the outline, along the edge's normal, by 11 to 300 km."""
    ring = _outline()
    i = draw(st.integers(0, len(ring) - 2))
    t, km = draw(st.floats(0, 1)), draw(st.floats(BORDER_KM + 1, 300))
    (x1, y1), (x2, y2) = ring[i], ring[i + 1]
    x, y = x1 + t * (x2 - x1), y1 + t * (y2 - y1)
    k = np.cos(np.radians(y))
    nx, ny = (y2 - y1), -(x2 - x1) * k  # a normal on the local plane; its side is found below
    norm = float(np.hypot(nx, ny)) or 1.0
    for sign in (1, -1):
        lon, lat = x + sign * nx / norm * km / KM_PER_DEGREE / k, y + sign * ny / norm * km / KM_PER_DEGREE
        if not inside_kazakhstan(np.array([lon]), np.array([lat]), tolerance_km=0)[0]:
            return float(lon), float(lat)
    return float(x), 60.0  # both sides inside (pushed across a narrow neck): north of the country instead


def test_generated_points_beyond_the_outline(runner):
    @settings(max_examples=40 * SCALE, **SETTINGS)
    @given(point=beyond_the_border())
    def check(point):
        lon, lat = point
        if distance_km(lon, lat) <= BORDER_KM:  # pushed out, yet near another stretch of the border
            return
        rows = [deposit_row(lon=f"{lon:.5f}", lat=f"{lat:.5f}")]
        case = Case("outline", "s.toml", {"s.toml": naming("run.deposits"), "t.csv": csv_text(rows)}, ("outside",))
        folder = runner.folder(case)
        runner.refused(folder, ["check", str(folder / "s.toml")], ("t.csv", "row 2 columns lon, lat"))

    check()
    lon, lat = _outline()[:-1].T
    assert inside_kazakhstan(lon, lat).all(), "the outline itself is in Kazakhstan"


POSTERIOR_FAULTS = {
    "path column": ("run.deposits\ndata/deposits.csv\n", "a path parameter"),
    "unknown column": ("eu.trust0,eu.bogus\n0.5,1\n", "unknown parameter"),
    "nan": ("eu.trust0\nnan\n", "eu.trust0"),
    "out of range": ("eu.trust0\n7\n", "eu.trust0"),
    "ragged": ("eu.trust0\n0.5,0.6\n", "row 2"),
    "no rows": ("eu.trust0\n", "no draws"),
}


@pytest.mark.parametrize("fault", POSTERIOR_FAULTS)
def test_posterior_draws_hold_only_values_a_setting_may_take(runner, fault):
    """Refused at --dry-run, before any run (a path column used to pass it, and every run then failed)."""
    from tests.test_faults_inputs import base_experiment, to_toml

    text, needle = POSTERIOR_FAULTS[fault]
    exp = to_toml({"posterior": "p.csv", **base_experiment()})
    folder = runner.folder(Case("posterior", "e.toml", {"e.toml": exp, "p.csv": text}))
    runner.refused(folder, ["experiment", str(folder / "e.toml"), "--dry-run"], ("p.csv", needle))

"""Checks on the known-by tables of a hindcast start (data/evidence_sources.md).

Rule: every outcome-bearing input of a start carries ``known_by`` (when it was first public) and none is later than
the start. ``YYYY-MM`` counts as the last day of that month; ``unknown`` is allowed only for structural values.
The CSVs are read with pandas only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
START_2022 = pd.Timestamp("2022-01-01")
START_2018 = pd.Timestamp("2018-06-29")
CODES = {"KZ", "EU", "CN", "US", "RU", "JK", "PRIVATE"}
FIELDS = ("stage_2022", "holders_2022", "offtake_2022", "channel", "capex_usd_m", "strategic")
TABLE_COLUMN = {
    "stage_2022": "stage_2026",
    "holders_2022": "holders_2026",
    "offtake_2022": "offtake_2026",
    "channel": "channel",
    "capex_usd_m": "capex_usd_m",
    "strategic": "strategic",
}
OUTCOME_FIELDS = ("stage_2026", "holders_2026", "offtake_2026", "channel", "capex_usd_m", "strategic")

COLUMNS = {
    "known_by_2022.csv": ["deposit_id", "field", "value_2022", "known_by", "kind", "basis", "source"],
    "auction_lists_2022.csv": ["deposit_id", "listed_in", "list_date", "release_year", "known_by", "basis", "source"],
    "round_calendar.csv": ["item", "date", "quarters", "basis", "source"],
    "licence_register.csv": [
        "source",
        "date",
        "scope",
        "total",
        "kz",
        "eu",
        "cn",
        "us",
        "ru",
        "jk",
        "other_foreign",
        "known_by",
        "basis",
    ],
}


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def when(value: str) -> pd.Timestamp:
    """A known_by date: YYYY-MM-DD, or YYYY-MM read as the month's last day (the latest it can mean)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return pd.Timestamp(value)
    if re.fullmatch(r"\d{4}-\d{2}", value):
        return pd.Period(value, freq="M").end_time.normalize()
    raise ValueError(f"not a known_by date: {value!r}")


@pytest.fixture(scope="module")
def known() -> pd.DataFrame:
    return read("known_by_2022.csv")


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return read("deposits_2022_known.csv")


@pytest.fixture(scope="module")
def base() -> pd.DataFrame:
    return read("deposits_2022.csv")


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns_exactly(name):
    assert list(read(name).columns) == COLUMNS[name]


def test_table_columns(table, base):
    assert list(table.columns) == [*base.columns, "known_by"]
    pipe, pipe0 = read("state_pipeline_2022.csv"), read("state_pipeline.csv")
    assert list(pipe.columns) == [*pipe0.columns, "known_by"]
    assert list(pipe["id"]) == list(pipe0["id"])


@pytest.mark.parametrize(
    "name,column",
    [
        ("known_by_2022.csv", "known_by"),
        ("deposits_2022_known.csv", "known_by"),
        ("state_pipeline_2022.csv", "known_by"),
        ("auction_lists_2022.csv", "known_by"),
        ("licence_register.csv", "known_by"),
        ("round_calendar.csv", "date"),
    ],
)
def test_every_known_by_parses(name, column):
    df = read(name)
    for v in df[column]:
        if v == "unknown" and name == "known_by_2022.csv":
            continue
        when(v)


def test_unknown_only_for_structural(known):
    assert set(known["kind"]) <= {"outcome", "structural"}
    bad = known[(known["known_by"] == "unknown") & (known["kind"] != "structural")]
    assert bad.empty, bad[["deposit_id", "field"]].to_string()


def test_outcome_known_by_not_after_start(known, table):
    out = known[known["kind"] == "outcome"]
    late = out[out["known_by"].map(when) > START_2022]
    assert late.empty, late[["deposit_id", "field", "known_by"]].to_string()
    late = table[table["known_by"].map(when) > START_2022]
    assert late.empty, late[["id", "known_by"]].to_string()


def test_state_pipeline_known_by_not_after_start():
    pipe = read("state_pipeline_2022.csv")
    late = pipe[pipe["known_by"].map(when) > START_2022]
    assert late.empty, late[["id", "known_by"]].to_string()


def test_known_by_covers_every_field(known, table):
    named = set(read("state_pipeline.csv").query("in_deposits_csv == 'true'")["id"])
    expected = {(i, f) for i in table["id"] for f in FIELDS} | {(i, "release_year") for i in named}
    got = list(zip(known["deposit_id"], known["field"]))
    assert len(got) == len(set(got)), "one row per deposit and field"
    assert set(got) == expected


def test_known_values_are_the_table(known, table):
    rows = table.set_index("id")
    for _, k in known.iterrows():
        if k["field"] == "release_year":
            continue
        assert rows.at[k["deposit_id"], TABLE_COLUMN[k["field"]]] == k["value_2022"], (k["deposit_id"], k["field"])


def test_row_known_by_is_latest_outcome(known, table):
    out = known[known["kind"] == "outcome"]
    latest = out.groupby("deposit_id")["known_by"].agg(lambda s: max(s, key=when))
    for _, r in table.iterrows():
        assert when(r["known_by"]) == when(latest[r["id"]]), r["id"]


def test_unchanged_rows_identical(table, base):
    assert list(table["id"]) == list(base["id"])
    for (_, new), (_, old) in zip(table.iterrows(), base.iterrows()):
        changed = [c for c in base.columns if new[c] != old[c]]
        if changed:
            assert new["note"].startswith("known-by 2022-01-01:"), new["id"]
            allowed = set(OUTCOME_FIELDS) | {"lead_time_q", "start_year", "note"}
            assert set(changed) <= allowed, (new["id"], changed)


def test_table_validity(table):
    for _, r in table.iterrows():
        free = r["stage_2026"] == "unlicensed"
        assert (r["holders_2026"] == "") == free, r["id"]
        if free:
            assert r["offtake_2026"] == "", r["id"]
        for col in ("holders_2026", "offtake_2026"):
            if r[col]:
                parts = dict(p.split(":") for p in r[col].split(";"))
                assert set(parts) <= CODES, (r["id"], col)
                assert abs(sum(float(v) for v in parts.values()) - 1) <= 0.001, (r["id"], col)
        assert int(r["lead_time_q"]) > 0


def test_auction_list_ids_exist(base):
    lists = read("auction_lists_2022.csv")
    assert set(lists["deposit_id"]) <= set(base["id"])
    assert lists["deposit_id"].is_unique


def test_pipeline_release_years_come_from_lists():
    pipe = read("state_pipeline_2022.csv")
    lists = read("auction_lists_2022.csv").set_index("deposit_id")
    named = pipe[pipe["in_deposits_csv"] == "true"]
    for _, r in named.iterrows():
        listed = lists.at[r["id"], "release_year"]
        assert r["release_year"] == (listed or "2022"), r["id"]
        if not listed:
            assert "not listed by 2022: free from 2022" in lists.at[r["id"], "basis"]


def test_typical_rates_state_their_knowability():
    pipe = read("state_pipeline_2022.csv")
    typical = pipe[pipe["release_rate_per_year"].str.strip() != ""]
    assert len(typical)
    for _, r in typical.iterrows():
        assert "2018-2021" in r["basis"], r["id"]
        assert r["release_year"].split("-")[0] == "2022", r["id"]


def test_2018_window():
    path = DATA / "deposits_2018.csv"
    if not path.exists():
        assert (DATA / "window_2018_missing.md").exists(), "a 2018 start or a note on what is missing"
        return
    d18 = read("deposits_2018.csv")
    assert list(d18.columns)[: len(read("deposits_2022.csv").columns)] == list(read("deposits_2022.csv").columns)
    assert set(d18["id"]) <= set(read("deposits.csv")["id"])
    assert (d18["known_by"].map(when) <= START_2018).all()
    events = read("hindcast_events_2018_2022.csv")
    assert list(events.columns) == list(read("hindcast_events_2022_2025.csv").columns)
    assert set(events["deposit_id"]) <= set(read("deposits.csv")["id"])

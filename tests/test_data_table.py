"""Checks on the deposit tables and the national cross-check (data/README.md, "National cross-check").

The CSVs are read with pandas only; the model package is not imported, so these checks run
even while the model code is being changed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
CODES = {"KZ", "EU", "CN", "US", "RU", "JK", "PRIVATE"}
STAGES = {"unlicensed", "developing", "producing", "depleted"}
CHANNELS = {"auction", "negotiation", "exploration"}
# Price unit of each commodity, as in model/commodities.py and data/README.md.
UNITS = {
    "copper": "t Cu",
    "uranium": "t U",
    "chromium": "t chromite ore/concentrate",
    "tungsten": "t W",
    "rare_earths": "t REO",
    "nickel": "t Ni",
    "cobalt": "t Co",
    "lithium": "t LCE",
    "zinc": "t Zn",
    "lead": "t Pb",
    "manganese": "t Mn ore (44% Mn)",
    "vanadium": "t V2O5",
    "graphite": "t graphite",
    "titanium": "t TiO2",
}
TOLERANCE = 0.15  # producing capacity within ±15% of national output

# Commodities exempt from the ±15% check, each with the reason (kept in step with data/README.md).
FLAGGED = {
    "tungsten": "no national output figure in the sources; Boguty (from Nov-2024) is the only producer",
    "nickel": "no national output figure in the sources; the table has no producing nickel row",
    "cobalt": "no national output figure in the sources; the table has no cobalt row",
    "lead": "no national output figure in the sources; lead is mined as a co-product of the zinc rows",
    "manganese": "Ushkatyn-III, the only producing row, is assumed to be half of national output; "
    "the other Mn mines are not in the research files",
    "titanium": "the national figure is Ti sponge (TiO2 equivalent), whose feed is not all Satpaevskoye's; "
    "Satpaevskoye is assumed to supply about half",
}

# Rows whose 2022Q1 contained_t is the 2026 value plus this many years of output at table capacity
# (data/README.md, deposits_2022 section: rows whose 2026 figure is a remaining quantity).
ADDED_BACK_YEARS = {
    "zhezkazgan": 4,
    "inkai": 4,
    "katco": 4,
    "semizbay": 4,
    "budenovskoye": 4,
    "karamurun": 4,
    "kanzhugan": 4,
    "akdala_south_inkai": 4,
    "voskhod": 4,
    "maleevsky": 4,
    "ushkatyn_3": 4,
    "satpaevskoye": 4,
    "kharasan_1": 2,
    "zarechnoye": 2,
}

# A note that names another producing row next to one of these phrases says the two overlap.
OVERLAP = re.compile(r"double count|part of|included in|counted in|counts here|same mine", re.I)


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def t26() -> pd.DataFrame:
    return read("deposits.csv")


@pytest.fixture(scope="module")
def t22() -> pd.DataFrame:
    return read("deposits_2022.csv")


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return read("national_output.csv")


def shares(text: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        code, _, value = part.partition(":")
        out[code] = out.get(code, 0.0) + float(value)
    return out


def producing_capacity(table: pd.DataFrame) -> pd.Series:
    prod = table[table["stage_2026"] == "producing"]
    return (pd.to_numeric(prod["capacity_t_per_q"]) * 4).groupby(prod["commodity"]).sum()


def cross_check(table: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame:
    """Per commodity: producing capacity (t/yr), national output (t/yr or NaN), their ratio, within band."""
    cap = producing_capacity(table)
    out = national.set_index("commodity")[["national_output_t_per_year"]].copy()
    out["national"] = pd.to_numeric(out.pop("national_output_t_per_year"), errors="coerce")
    out["producing"] = [float(cap.get(c, 0.0)) for c in out.index]
    out["ratio"] = out["producing"] / out["national"].where(out["national"] > 0)
    both_zero = (out["producing"] == 0) & (out["national"] == 0)
    out["within"] = both_zero | ((out["ratio"] - 1).abs() <= TOLERANCE)
    return out


@pytest.mark.parametrize("name", ["deposits.csv", "deposits_2022.csv"])
def test_table_basics(name):
    t = read(name)
    assert t["id"].is_unique
    assert t["id"].str.fullmatch(r"[a-z0-9_]+").all()
    assert set(t["commodity"]) <= set(UNITS)
    assert set(t["stage_2026"]) <= STAGES
    for col in ("contained_t", "capacity_t_per_q"):
        assert (pd.to_numeric(t[col]) > 0).all(), col


@pytest.mark.parametrize("name", ["deposits.csv", "deposits_2022.csv"])
def test_lead_times_are_positive_integers(name):
    t = read(name)
    bad = t.loc[~t["lead_time_q"].str.fullmatch(r"[1-9][0-9]*"), ["id", "lead_time_q"]]
    assert bad.empty, bad.to_dict("records")


@pytest.mark.parametrize("name", ["deposits.csv", "deposits_2022.csv"])
def test_holder_and_offtake_shares(name):
    t = read(name)
    for row in t.itertuples(index=False):
        holders = shares(row.holders_2026)
        assert bool(holders) == (row.stage_2026 != "unlicensed"), row.id
        for col, text in (("holders_2026", row.holders_2026), ("offtake_2026", row.offtake_2026)):
            s = shares(text)
            if s:
                assert set(s) <= CODES, (row.id, col)
                assert all(0 <= v <= 1 for v in s.values()), (row.id, col)
                assert abs(sum(s.values()) - 1) <= 1e-3, (row.id, col, sum(s.values()))
        if row.stage_2026 == "unlicensed":
            assert not row.offtake_2026, row.id


@pytest.mark.parametrize("name", ["deposits.csv", "deposits_2022.csv"])
def test_channel_strategic_capex(name):
    t = read(name)
    assert set(t["channel"]) <= CHANNELS
    assert set(t["strategic"]) <= {"true", "false"}
    uranium = t["commodity"] == "uranium"
    # Subsoil Code: every uranium deposit is strategic (Art. 43) and goes to Kazatomprom by direct negotiation.
    assert (t.loc[uranium, "strategic"] == "true").all()
    assert (t.loc[uranium, "channel"] == "negotiation").all()
    # No government list of strategic deposits is in the sources, so nothing else is marked strategic.
    assert (t.loc[~uranium, "strategic"] == "false").all()
    capex = t.loc[t["capex_usd_m"] != ""]
    assert (pd.to_numeric(capex["capex_usd_m"]) > 0).all()
    for row in capex.itertuples(index=False):
        assert "capex" in row.note.lower(), f"{row.id}: capex_usd_m needs its source in the note"


def test_no_two_producing_rows_count_the_same_mine(t26, t22):
    for table in (t26, t22):
        prod = table[table["stage_2026"] == "producing"]
        assert prod["name"].is_unique
        keys = {
            r.id: {r.id.replace("_", " "), re.split(r"[(,]", r.name)[0].strip().lower()}
            for r in prod.itertuples(index=False)
        }
        for row in prod.itertuples(index=False):
            for sentence in re.split(r"(?<=[.;])\s+", row.note):
                if not OVERLAP.search(sentence):
                    continue
                for other, names in keys.items():
                    if other == row.id:
                        continue
                    hit = [n for n in names if len(n) >= 5 and re.search(rf"\b{re.escape(n)}\b", sentence, re.I)]
                    assert not hit, f"{row.id} and {other} are both producing, but {row.id}'s note says: {sentence}"


def test_2022_table_matches_2026_physically(t26, t22):
    assert list(t22.columns) == list(t26.columns)
    assert list(t22["id"]) == list(t26["id"])
    a, b = t26.set_index("id"), t22.set_index("id")
    for col in ("name", "commodity", "capacity_t_per_q", "region", "lon", "lat", "coord_approx", "coord_basis"):
        diff = a.index[a[col] != b[col]].tolist()
        assert not diff, (col, diff)
    for col in ("channel", "strategic", "capex_usd_m"):
        assert (a[col] == b[col]).all(), col
    contained26, contained22 = pd.to_numeric(a["contained_t"]), pd.to_numeric(b["contained_t"])
    changed = set(a.index[contained26 != contained22])
    assert changed == set(ADDED_BACK_YEARS), sorted(changed ^ set(ADDED_BACK_YEARS))
    for i, years in ADDED_BACK_YEARS.items():
        expected = contained26[i] + years * 4 * float(a.loc[i, "capacity_t_per_q"])
        assert abs(contained22[i] - expected) <= 1, (i, contained22[i], expected)
        assert b.loc[i, "contained_basis"].startswith("2022Q1:"), i
    # Every row whose 2022 state differs says why, in a note that starts with "2022Q1:".
    state = ["stage_2026", "holders_2026", "offtake_2026", "lead_time_q", "start_year", "contained_t"]
    differs = (a[state] != b[state]).any(axis=1)
    undocumented = [i for i in a.index[differs] if not b.loc[i, "note"].startswith("2022Q1:")]
    assert not undocumented, undocumented


def test_national_output_file(t26, national):
    assert list(national.columns) == [
        "commodity",
        "national_output_t_per_year",
        "unit",
        "year",
        "source",
        "note",
    ]
    assert national["commodity"].is_unique
    assert set(national["commodity"]) == set(UNITS)
    assert set(t26["commodity"]) <= set(national["commodity"])
    for row in national.itertuples(index=False):
        assert row.unit == UNITS[row.commodity], row.commodity
        assert row.source, row.commodity
        if row.national_output_t_per_year:
            assert float(row.national_output_t_per_year) >= 0, row.commodity
            assert re.fullmatch(r"(19|20)\d\d", row.year), row.commodity
        else:
            assert row.commodity in FLAGGED, f"{row.commodity}: no national figure, so it must be flagged"


@pytest.mark.parametrize("commodity", sorted(UNITS))
def test_producing_capacity_matches_national_output(t26, national, commodity):
    check = cross_check(t26, national).loc[commodity]
    if commodity in FLAGGED:
        # A flag must still be needed; drop it (and its README line) once the commodity is within the band.
        assert not check["within"], f"{commodity} is now within ±15%; remove it from FLAGGED"
    else:
        assert check["within"], (
            f"{commodity}: producing capacity {check['producing']:,.0f} t/yr vs national "
            f"{check['national']:,.0f} t/yr (ratio {check['ratio']:.2f}); fix the table or flag it with a reason"
        )


def test_flag_reasons_are_documented():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    section = readme.split("## National cross-check", 1)[1].split("\n## ", 1)[0]
    for commodity, reason in FLAGGED.items():
        assert reason
        assert re.search(rf"^\| {commodity} \|.*\| flagged", section, re.M), f"README cross-check row for {commodity}"

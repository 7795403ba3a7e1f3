"""Checks on the data tables for powers acting as states (data/states_sources.md).

deals.csv, plants.csv, products.csv, contracts.csv and instruments.csv are read with pandas only;
from the model package only the commodity list is imported.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from model.commodities import NAMES

DATA = Path(__file__).resolve().parent.parent / "data"
CODES = {"KZ", "EU", "CN", "US", "RU", "JK", "PRIVATE"}
POWERS = {"EU", "CN", "US", "RU", "JK"}
# Tags allowed in deals.commodity besides the model commodities: several minerals, or goods the model does not price.
EXTRA_TAGS = {"multi", "gold", "aluminium", "beryllium", "transport", "nuclear_power"}

COLUMNS = {
    "deals": [
        "id",
        "date",
        "known_by",
        "partner",
        "partner_home",
        "holder",
        "partner_kind",
        "asset",
        "deposit_id",
        "plant_id",
        "commodity",
        "instrument",
        "public_lender",
        "public_usd_m",
        "amount_usd_m",
        "channel",
        "status",
        "led",
        "framework",
        "source",
        "source_date",
        "basis",
    ],
    "plants": [
        "id",
        "name",
        "commodity",
        "input_product",
        "output_product",
        "output_unit",
        "capacity_per_year",
        "capacity_low",
        "capacity_high",
        "ore_per_output",
        "start_year",
        "status",
        "owners",
        "operator_home",
        "region",
        "lon",
        "lat",
        "known_by",
        "basis",
        "source",
    ],
    "products": [
        "commodity",
        "stage",
        "product",
        "unit",
        "price_usd_per_unit",
        "price_year",
        "content_per_unit",
        "value_added_share",
        "basis",
        "source",
    ],
    "contracts": [
        "id",
        "seller",
        "deposit_id",
        "plant_id",
        "buyer",
        "share",
        "start_year",
        "end_year",
        "price_basis",
        "known_by",
        "basis",
        "source",
    ],
    "instruments": [
        "power",
        "instrument",
        "lender_or_body",
        "typical_usd_m",
        "low_usd_m",
        "high_usd_m",
        "rate_pct",
        "tenor_years",
        "packages_per_year",
        "first_available",
        "known_by",
        "basis",
        "source",
    ],
}
INSTRUMENTS = {"framework", "public_finance", "equity", "offtake", "processing", "licence", "auction"}
DEAL_CHANNELS = {"direct", "stake", "licence", "auction", "G2G"}
DEAL_STATUS = {"completed", "signed", "under_way", "lapsed", "announced"}
PLANT_STATUS = {"operating", "under_construction", "planned", "not_built"}
STAGES = {"ore", "concentrate", "metal"}
PRICE_BASIS = {"market", "fixed", "cost_plus", "unknown"}
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_OR_DAY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
YEAR_MONTH_OR_DAY = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: read(name) for name in COLUMNS}


@pytest.fixture(scope="module")
def deposit_ids() -> set[str]:
    return set(read("deposits")["id"])


def num(s: str) -> float | None:
    return None if s == "" else float(s)


def valid_date(s: str, pattern: re.Pattern) -> bool:
    if not pattern.match(s):
        return False
    parts = s.split("-")
    full = "-".join(parts + ["01"] * (3 - len(parts)))
    try:
        pd.Timestamp(full)
    except ValueError:
        return False
    return True


def shares(spec: str) -> dict[str, float]:
    out = {}
    for part in spec.split(";"):
        code, value = part.split(":")
        out[code] = float(value)
    return out


# ---------------------------------------------------------------- all tables


@pytest.mark.parametrize("name", list(COLUMNS))
def test_columns_exact(tables, name):
    assert list(tables[name].columns) == COLUMNS[name]


@pytest.mark.parametrize("name", list(COLUMNS))
def test_sourced_or_assumption(tables, name):
    t = tables[name]
    bad = t[(t["source"].str.strip() == "") & ~t["basis"].str.contains("assumption")]
    assert bad.empty, f"{name}: rows with neither a source nor an assumption: {bad.index.tolist()}"


@pytest.mark.parametrize("name", ["deals", "plants", "contracts", "instruments"])
def test_known_by_is_a_date(tables, name):
    bad = [s for s in tables[name]["known_by"] if not valid_date(s, DAY)]
    assert not bad, f"{name}: known_by not YYYY-MM-DD: {bad}"


@pytest.mark.parametrize("name", ["deals", "plants", "contracts"])
def test_ids_unique_and_snake_case(tables, name):
    ids = tables[name]["id"]
    assert ids.is_unique
    assert all(re.fullmatch(r"[a-z0-9_]+", i) for i in ids)


# ---------------------------------------------------------------- deals


def test_deal_fields(tables):
    d = tables["deals"]
    assert all(valid_date(s, MONTH_OR_DAY) for s in d["date"])
    assert all(valid_date(s, YEAR_MONTH_OR_DAY) for s in d["source_date"])
    assert set(d["holder"]) <= CODES
    assert set(d["instrument"]) <= INSTRUMENTS
    assert set(d["channel"]) <= DEAL_CHANNELS
    assert set(d["status"]) <= DEAL_STATUS
    assert set(d["led"]) <= {"true", "false"}
    for c in d["commodity"]:
        assert set(c.split(";")) <= set(NAMES) | EXTRA_TAGS, c


def test_deal_links(tables, deposit_ids):
    d = tables["deals"]
    plants = set(tables["plants"]["id"])
    assert set(d["deposit_id"]) - {""} <= deposit_ids
    assert set(d["plant_id"]) - {""} <= plants
    frameworks = set(d.loc[d["instrument"] == "framework", "id"])
    assert set(d["framework"]) - {""} <= frameworks


def test_deal_money(tables):
    d = tables["deals"]
    for _, r in d.iterrows():
        pub, amt = num(r["public_usd_m"]), num(r["amount_usd_m"])
        assert pub is None or pub >= 0
        assert amt is None or amt >= 0
        if pub is not None and amt is not None:
            assert pub <= amt + 1e-6, r["id"]
        if pub is not None:
            assert r["public_lender"], f"{r['id']}: public money without a lender"


def test_led_only_for_public_parts(tables):
    """Third-country rows (holder PRIVATE) are never 'led'; every modelled power has led deals."""
    d = tables["deals"]
    assert not (d["led"] == "true")[d["holder"] == "PRIVATE"].any()
    assert set(d.loc[d["led"] == "true", "holder"]) >= POWERS


# ---------------------------------------------------------------- plants


def test_plant_fields(tables):
    p = tables["plants"]
    assert set(p["commodity"]) <= set(NAMES)
    assert set(p["status"]) <= PLANT_STATUS
    assert set(p["operator_home"]) <= CODES
    for _, r in p.iterrows():
        if r["status"] == "planned":
            assert r["start_year"], f"{r['id']}: planned plant without a start year"
        if r["start_year"]:
            assert 1900 <= int(r["start_year"]) <= 2040
        assert num(r["ore_per_output"]) > 0


def test_plant_owners_sum_to_one(tables):
    for _, r in tables["plants"].iterrows():
        s = shares(r["owners"])
        assert set(s) <= CODES, r["id"]
        assert abs(sum(s.values()) - 1.0) <= 0.001, r["id"]


def test_plant_capacity_ranges(tables):
    for _, r in tables["plants"].iterrows():
        cap, lo, hi = num(r["capacity_per_year"]), num(r["capacity_low"]), num(r["capacity_high"])
        assert cap is not None and cap > 0, r["id"]
        assert lo is None or lo <= cap, r["id"]
        assert hi is None or cap <= hi, r["id"]


def _inside(lon: float, lat: float, ring: list) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_plants_inside_kazakhstan(tables):
    geo = json.loads((DATA / "kazakhstan_outline.geojson").read_text())
    geom = geo["features"][0]["geometry"]
    rings = [geom["coordinates"][0]] if geom["type"] == "Polygon" else [p[0] for p in geom["coordinates"]]
    for _, r in tables["plants"].iterrows():
        lon, lat = float(r["lon"]), float(r["lat"])
        assert any(_inside(lon, lat, ring) for ring in rings), r["id"]


# ---------------------------------------------------------------- products


def test_product_fields(tables):
    p = tables["products"]
    assert set(p["commodity"]) <= set(NAMES)
    assert set(p["stage"]) <= STAGES
    assert not p.duplicated(["commodity", "stage", "product"]).any()
    assert (p["price_usd_per_unit"].astype(float) > 0).all()
    assert (p["content_per_unit"].astype(float) > 0).all()
    va = p["value_added_share"].astype(float)
    assert ((va >= 0) & (va <= 1)).all()
    # stage shares of one chain's final product cannot exceed the whole
    assert (va.groupby(p["commodity"]).sum() <= 1.0 + 0.002).all()


def test_every_plant_commodity_has_products(tables):
    assert set(tables["plants"]["commodity"]) <= set(tables["products"]["commodity"])


# ---------------------------------------------------------------- contracts


def test_contract_fields(tables, deposit_ids):
    c = tables["contracts"]
    plants = set(tables["plants"]["id"])
    assert set(c["seller"]) <= CODES
    assert set(c["buyer"]) <= CODES
    assert set(c["price_basis"]) <= PRICE_BASIS
    assert set(c["deposit_id"]) - {""} <= deposit_ids
    assert set(c["plant_id"]) - {""} <= plants
    for _, r in c.iterrows():
        assert 0 < float(r["share"]) <= 1, r["id"]
        assert int(r["start_year"]) <= int(r["end_year"]), r["id"]


def test_locked_shares_fit(tables):
    """Contracts on one deposit or plant, in force the same year, never lock more than all of its output."""
    c = tables["contracts"]
    for key in ("deposit_id", "plant_id"):
        for target, g in c[c[key] != ""].groupby(key):
            for year in range(2018, 2050):
                live = g[(g["start_year"].astype(int) <= year) & (g["end_year"].astype(int) >= year)]
                assert live["share"].astype(float).sum() <= 1.0 + 1e-6, (target, year)


# ---------------------------------------------------------------- instruments


def test_instrument_fields(tables):
    i = tables["instruments"]
    assert set(i["power"]) == POWERS
    assert set(i["instrument"]) <= INSTRUMENTS
    assert not i.duplicated(["power", "instrument", "lender_or_body"]).any()
    assert all(valid_date(s, MONTH_OR_DAY) for s in i["first_available"])
    for _, r in i.iterrows():
        typ, lo, hi = num(r["typical_usd_m"]), num(r["low_usd_m"]), num(r["high_usd_m"])
        if typ is not None:
            assert lo is None or lo <= typ, r["lender_or_body"]
            assert hi is None or typ <= hi, r["lender_or_body"]
        if lo is not None and hi is not None:
            assert lo <= hi
        assert float(r["packages_per_year"]) >= 0


def test_packages_per_year_matches_deals(tables):
    d = tables["deals"]
    year = d["date"].str[:4].astype(int)
    led = d[(d["led"] == "true") & year.between(2018, 2025)]
    for power, g in tables["instruments"].groupby("power"):
        expected = round((led["holder"] == power).sum() / 8, 3)
        assert (g["packages_per_year"].astype(float) == expected).all(), power

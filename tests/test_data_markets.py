"""Checks on the market, demand-path and export-corridor tables (data/markets_sources.md).

The CSVs are read with pandas only; of the model package only the commodity list is imported, so these checks
run while the code that will load the tables is being written.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from model.commodities import NAMES

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
YEARS = [2024, 2030, 2035, 2040, 2050]
PATHS = ["low", "central", "high"]
REGIONS = ["EU", "world"]
CODES = {"KZ", "EU", "CN", "US", "RU", "JK", "PRIVATE"}
MARKET = {"uranium", "chromium", "tungsten"}  # Kazakhstan's share >= 10% (market_params.csv, basis)

COLUMNS = {
    "demand_paths.csv": "commodity,region,path,year,demand,unit,basis,source,known_by",
    "world_supply.csv": "commodity,year,world_supply,unit,kz_share,growth_low_pct,growth_central_pct,growth_high_pct,"
    "basis,source,known_by",
    "market_params.csv": "commodity,price_model,demand_elasticity,demand_elasticity_low,demand_elasticity_high,"
    "supply_elasticity,supply_elasticity_low,supply_elasticity_high,adjust_q,inventory_years,term_share,basis,source",
    "price_paths.csv": "commodity,year,price_low,price_central,price_high,unit,basis,source,known_by",
    "routes.csv": "id,name,from_node,to_node,via,modes,capacity_t_per_year,capacity_low,capacity_high,mineral_share,"
    "cost_usd_per_t,cost_low,cost_high,transit_days,transit_low,transit_high,disruption_prob_per_year,disruption_low,"
    "disruption_high,serves,basis,source,known_by",
    "route_investments.csv": "id,route,investor,holder,amount_usd_m,announced,capacity_added_t_per_year,build_years,"
    "known_by,basis,source",
    "uranium_routes.csv": "year,route,flow,volume_tU,share_of_western_bound,basis,source,known_by",
}
# Each route quantity with its central column; its range is <stem>_low .. <stem>_high.
ROUTE_RANGES = {
    "capacity": "capacity_t_per_year",
    "cost": "cost_usd_per_t",
    "transit": "transit_days",
    "disruption": "disruption_prob_per_year",
}
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def load(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, keep_default_na=False)


def numeric(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="raise")


@pytest.fixture(scope="module")
def demand() -> pd.DataFrame:
    return load("demand_paths.csv")


@pytest.fixture(scope="module")
def routes() -> pd.DataFrame:
    return load("routes.csv")


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_columns_exactly(name):
    assert list(load(name).columns) == COLUMNS[name].split(",")


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_every_row_has_a_source_or_an_assumption(name):
    frame = load(name)
    for i, row in frame.iterrows():
        sourced = str(row["source"]).strip() != ""
        assumed = "assumption" in str(row["basis"]).lower()
        assert sourced or assumed, f"{name} row {i}: neither a source nor an 'assumption' basis"


@pytest.mark.parametrize("name", sorted(n for n, cols in COLUMNS.items() if "known_by" in cols))
def test_known_by_is_a_date(name):
    frame = load(name)
    for column in ("known_by", "announced"):
        if column not in frame.columns:
            continue
        for value in frame[column]:
            assert DATE.match(str(value)), f"{name} {column}: {value!r} is not YYYY-MM-DD"
            pd.Timestamp(str(value))  # raises on an impossible date such as 2024-02-30


def test_demand_paths_cover_every_commodity_region_path_and_year(demand):
    assert set(demand["commodity"]) == set(NAMES)
    keys = demand[["commodity", "region", "path", "year"]].apply(tuple, axis=1)
    assert not keys.duplicated().any(), "a (commodity, region, path, year) appears twice"
    expected = {(c, r, p, y) for c in NAMES for r in REGIONS for p in PATHS for y in YEARS}
    assert set(keys) == expected


def test_demand_is_positive_and_low_central_high_ordered(demand):
    assert (numeric(demand, "demand") > 0).all()
    wide = demand.pivot_table(index=["commodity", "region", "year"], columns="path", values="demand")
    bad = wide[(wide["low"] > wide["central"]) | (wide["central"] > wide["high"])]
    assert bad.empty, f"low <= central <= high fails for:\n{bad}"


def test_paths_start_together_in_2024(demand):
    first = demand[demand["year"] == 2024].groupby(["commodity", "region"])["demand"].nunique()
    assert (first == 1).all(), "the three paths should share the 2024 value"


def test_eu_2024_demand_agrees_with_eu_demand_csv(demand):
    eu = load("eu_demand.csv").set_index("commodity")["eu_demand_t_per_year"]
    start = demand[(demand["region"] == "EU") & (demand["year"] == 2024)]
    for _, row in start.iterrows():
        assert row["demand"] == pytest.approx(float(eu[row["commodity"]]), rel=1e-3), row["commodity"]


def test_units_agree_across_tables(demand):
    supply = load("world_supply.csv").set_index("commodity")["unit"]
    eu = load("eu_demand.csv").set_index("commodity")["unit"]
    for commodity, units in demand.groupby("commodity")["unit"]:
        assert units.nunique() == 1, commodity
        unit = units.iloc[0]
        assert unit == supply[commodity], commodity
        assert unit.split(" (")[0] == str(eu[commodity]).split(" (")[0], commodity
    for _, row in load("price_paths.csv").iterrows():
        assert row["unit"].endswith(supply[row["commodity"]]), row["commodity"]


def test_world_supply_one_row_per_commodity_with_ordered_growth():
    supply = load("world_supply.csv")
    assert sorted(supply["commodity"]) == sorted(NAMES)
    assert (numeric(supply, "world_supply") > 0).all()
    share = numeric(supply, "kz_share")
    assert ((share >= 0) & (share <= 1)).all()
    low, mid, high = (numeric(supply, c) for c in ("growth_low_pct", "growth_central_pct", "growth_high_pct"))
    assert ((low <= mid) & (mid <= high)).all()


def test_market_params_models_and_elasticities():
    params = load("market_params.csv")
    assert sorted(params["commodity"]) == sorted(NAMES)
    assert set(params["price_model"]) <= {"market", "exogenous"}
    assert set(params.loc[params["price_model"] == "market", "commodity"]) == MARKET
    for kind in ("demand", "supply"):
        value = numeric(params, f"{kind}_elasticity")
        low, high = numeric(params, f"{kind}_elasticity_low"), numeric(params, f"{kind}_elasticity_high")
        assert ((low <= value) & (value <= high)).all(), f"{kind} elasticity outside its range"
    assert (numeric(params, "demand_elasticity_high") <= 0).all(), "demand elasticities are negative or zero"
    assert (numeric(params, "supply_elasticity_low") >= 0).all()
    assert (numeric(params, "adjust_q") > 0).all()
    for column in ("inventory_years", "term_share"):
        given = pd.to_numeric(params[column].replace("", None), errors="raise").dropna()
        assert (given >= 0).all()
    term = pd.to_numeric(params["term_share"].replace("", None)).dropna()
    assert (term <= 1).all()
    uranium = params.set_index("commodity").loc["uranium"]
    assert uranium["inventory_years"] != "" and uranium["term_share"] != ""


def test_price_paths_cover_the_exogenous_commodities():
    params = load("market_params.csv")
    exogenous = set(params.loc[params["price_model"] == "exogenous", "commodity"])
    prices = load("price_paths.csv")
    keys = prices[["commodity", "year"]].apply(tuple, axis=1)
    assert not keys.duplicated().any()
    assert set(keys) == {(c, y) for c in exogenous for y in YEARS}
    low, mid, high = (numeric(prices, c) for c in ("price_low", "price_central", "price_high"))
    assert ((low > 0) & (low <= mid) & (mid <= high)).all()


def test_price_paths_start_at_the_model_base_price():
    text = (ROOT / "model" / "params" / "groups.py").read_text(encoding="utf-8")
    base = {m.group(1): float(m.group(2).replace("_", "")) for m in re.finditer(r'"(\w+)": \(([\d_.]+), "', text)}
    prices = load("price_paths.csv")
    for _, row in prices[prices["year"] == 2024].iterrows():
        assert row["price_central"] == pytest.approx(base[row["commodity"]]), row["commodity"]


def test_routes_ids_values_and_buyers(routes):
    assert routes["id"].is_unique
    assert {"titr", "northern", "china_dostyk", "china_khorgos"} <= set(routes["id"])
    for stem, column in ROUTE_RANGES.items():
        value = numeric(routes, column)
        low, high = numeric(routes, f"{stem}_low"), numeric(routes, f"{stem}_high")
        assert ((low <= value) & (value <= high)).all(), f"{stem} outside its range"
        assert (low >= 0).all()
    assert ((numeric(routes, "mineral_share") >= 0) & (numeric(routes, "mineral_share") <= 1)).all()
    assert (numeric(routes, "disruption_high") <= 1).all()
    for _, row in routes.iterrows():
        serves = set(row["serves"].split(";"))
        assert serves and serves <= CODES, row["id"]
        assert row["via"] and row["modes"], row["id"]
    serves = routes.set_index("id")["serves"]
    assert "EU" in serves["titr"] and "EU" in serves["northern"]
    assert "CN" in serves["china_dostyk"] and "CN" in serves["china_khorgos"]


def test_route_investments_reference_existing_routes(routes):
    investments = load("route_investments.csv")
    assert investments["id"].is_unique
    assert set(investments["route"]) <= set(routes["id"])
    assert set(investments["holder"]) <= CODES
    assert (numeric(investments, "capacity_added_t_per_year") >= 0).all()
    assert (numeric(investments, "build_years") >= 0).all()
    amounts = pd.to_numeric(investments["amount_usd_m"].replace("", None)).dropna()
    assert (amounts > 0).all()


def test_uranium_routes_reference_existing_routes(routes):
    uranium = load("uranium_routes.csv")
    assert set(uranium["route"]) <= set(routes["id"])
    volume = pd.to_numeric(uranium["volume_tU"].replace("", None)).dropna()
    assert (volume > 0).all()

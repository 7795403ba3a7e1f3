"""The results schema of every table the project writes, and the Parquet files that carry it.

Each column has a unit and a description (``describe``), written into the Parquet file as the field's metadata
(``unit``, ``description``, and for a parameter column its dotted ``key``); the file's metadata holds the table's
name and the run's provenance (scenario, seed, parameters hash, git revision, package versions). Names are
snake_case (a parameter's column is its dotted key with ``_`` for ``.``: ``eu.delay_mean_q`` →
``eu_delay_mean_q``). A quarter is ``pandas.Period`` in pandas and a DATE (its first day, 2030Q4 = 2030-10-01)
in Parquet, which pyarrow, DuckDB and Polars all read as a date; :func:`read` turns it back into a period.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from experiments.safe_io import provenance
from experiments.safe_io.atomic import write_atomic
from model import params as P
from model.commodities import COMMODITIES
from model.observe import result_parts
from model.powers import POWERS, holder_codes
from model.results import RESULTS

QUARTER = "calendar quarter"  # the unit that marks a quarter column
HOLDER = ("holder code", "KZ (the host), EU, CN, US, RU, JK, declared powers, PRIVATE")
COLUMNS: dict[str, tuple[str, str]] = {
    "scenario": ("", "the scenario the run was built from"),
    "seed": ("", "the integer seed the model got (rng)"),
    "run": ("", "run id: replicate x n_points + point"),
    "point": ("", "design point"),
    "replicate": ("", "replicate (its seed is the same at every point)"),
    "status": ("", "ok, or failed"),
    "error": ("", "the exception and where it was raised (null if the run was ok)"),
    "elapsed_s": ("s", "wall time of the run (differs between machines)"),
    "step": ("quarters", "quarters since the start (0 = the initial state)"),
    "quarter": (QUARTER, "the quarter that ended at this step (step 0: the quarter before the start)"),
    "measure": ("", "the measure (model/observe.py RESULTS, with its holder or commodity in their own columns)"),
    "holder": HOLDER,
    "commodity": ("", "commodity (model/commodities.py); null for measures not by commodity"),
    "value": ("the measure's", "the measure's value; its unit is in this field's 'units' metadata"),
    "event": ("", "the event's number, in the order events happened"),
    "kind": (
        "",
        (
            "award, missed_window, pre-empted, withdrawal, revocation, discovery, extension, shock, "
            "exploration_licences, package_proposed/binding/declined/delivered/slipped, contract or plant"
        ),
    ),
    "power": ("holder code", "the holder the event is about (an award's winner, a shock's seller); null if none"),
    "amount_usd_m": ("USD m", "capital of an award, reserve value lost in a missed window, value of a stake sold"),
    "detail": ("", "the event in words"),
    "role": ("", "winner, outbid, in_approval, pre_empted, missed, withdrew, revoked, finder, holder, affected, buyer"),
    "deposit": ("", "the deposit's id (events: its name); null if the event is about none"),
    "id": ("", "the deposit's id"),
    "name": ("", "the deposit's name"),
    "region": ("", "region of Kazakhstan"),
    "lon": ("degrees east", "longitude"),
    "lat": ("degrees north", "latitude"),
    "coord_approx": ("", "true if the coordinates are approximate (a region's centre)"),
    "origin": ("", "table, state release or discovery"),
    "stage": ("", "unlicensed, tendered, awarded, developing, producing, depleted or prospect"),
    "remaining_t": ("t (commodity unit)", "tonnes still in the ground"),
    "contained_t": ("t (commodity unit)", "tonnes at the start (or when it entered the run)"),
    "reserve_value_usd_m": ("USD m", "remaining tonnes at base prices"),
    "controller": ("holder code", "the holder that controls the licence; null if unlicensed"),
    "award_step": ("quarters", "step of the last award in this run; null if none"),
    "award_quarter": (QUARTER, "quarter of the last award in this run; null if none"),
    "first_output_step": ("quarters", "step production started in this run; null if not"),
    "first_output_quarter": (QUARTER, "quarter production started in this run; null if not"),
    "equity_share": ("share", "the holder's equity share of the deposit"),
    "offtake_share": ("share", "the holder's share of the deposit's output (offtake)"),
    "reserve_share": ("share", "the holder's share of the commodity's licensed reserve value"),
    "capacity_share": ("share", "the holder's equity share of the commodity's capacity in operation, at base prices"),
    "output_share": ("share", "the holder's share of the commodity's output value at base prices (offtake)"),
    "eu_supply_security": ("share", "EU offtake / EU demand (capped at 1); commodity tables: on the EU's rows only"),
    "plant": ("", "the plant's id (data/plants.csv, or plant_<deposit> for one a processing commitment built)"),
    "intake_t_per_q": ("t (commodity unit) per quarter", "ore the plant can refine a quarter"),
    "value_added_share": ("share", "share of the commodity's base price refining adds in Kazakhstan"),
    "online_step": ("quarters", "first step the plant refines (0: at the start)"),
    "online_quarter": (QUARTER, "first quarter the plant refines"),
    "source_deposit": ("", "the deposit whose processing commitment built the plant; null for the table's"),
    "led": ("", "true if the holder holds it as a state (its package, state firm, public finance)"),
    "contract": ("", "the contract's number"),
    "source_kind": ("", "deposit or plant: what the contract takes output from"),
    "source": ("", "the deposit's or plant's id"),
    "buyer": ("holder code", "who takes the contracted output"),
    "share": ("share", "share of the source's output the contract takes"),
    "start_quarter": (QUARTER, "quarter the contract (or package) started"),
    "end_quarter": (QUARTER, "quarter its term ends (contracts) or it ended (packages); null if still open"),
    "price_basis": ("", "market, fixed, cost_plus or unknown"),
    "renewals": ("renewals", "times the contract was renewed at the end of its term"),
    "package": ("", "the package's number (its pursuit)"),
    "public_usd_m": ("USD m", "public finance the package offers"),
    "lender": ("", "the power's public lenders (data/instruments.csv)"),
    "rate": ("per year", "the rate of the power's public finance (its discount rate)"),
    "private_usd_m": ("USD m", "private capital inside the package (investors who joined)"),
    "bonus_usd_m": ("USD m", "signature bonus offered"),
    "offtake_term_q": ("quarters", "term of the offtake contract the package asks"),
    "processing_share": ("share", "share of the deposit's output the package commits to refine in Kazakhstan"),
    "framework": ("", "true if a framework agreement of the power covers the commodity"),
    "price_usd_per_t": ("USD 2024 per t (commodity unit)", "realised price: term and spot mixed by the term share"),
    "spot_usd_per_t": ("USD 2024 per t (commodity unit)", "spot price"),
    "term_usd_per_t": ("USD 2024 per t (commodity unit)", "term-contract price (the spot where no term share)"),
    "price_index": ("ratio", "realised price / base price (price.<commodity>)"),
    "demand_world_t_per_year": ("t (commodity unit) a year", "world demand at the quarter's price (the demand path)"),
    "demand_eu_t_per_year": ("t (commodity unit) a year", "the EU's demand path (markets.demand_path)"),
    "supply_rest_t_per_year": ("t (commodity unit) a year", "the rest of the world's supply capacity"),
    "supply_kz_t_per_year": ("t (commodity unit) a year", "Kazakhstan's output that reached buyers (null at step 0)"),
    "stock_t": ("t (commodity unit)", "consumers' inventories (uranium utilities' stocks; 0 where none is held)"),
    "endogenous": ("", "true if the price answers demand and supply (markets.endogenous, mechanisms.markets)"),
    "route": ("", "the route's id (data/routes.csv); route_flows: 'stranded' for exports no open route took"),
    "capacity_t": ("t a quarter", "the route's capacity for minerals open this quarter"),
    "carried_t": ("t a quarter", "minerals the route carried this quarter (all commodities' tonnes)"),
    "built_t": ("t a quarter", "the route's capacity for minerals built by then (the table's and investments open)"),
    "open_share": (
        "share",
        "open capacity / built capacity (0: closed; below 1: throttled or disrupted; null: not built)",
    ),
    "tonnes_t": ("t (commodity unit) a quarter", "exports over the route this quarter"),
}
MEASURE_UNITS = {r.name: r.unit for r in RESULTS}


@lru_cache(maxsize=16)
def measures(powers: tuple[str, ...] = ()) -> dict[str, tuple[str, str]]:
    """Unit and description of every measure column (``capacity_share_eu``) of a run with these declared powers."""
    by_base = {r.name: r for r in RESULTS}
    units = {c.name: c.unit for c in COMMODITIES}
    out = {}
    for name, (base, holder, commodity) in result_parts(holder_codes(powers), (*POWERS, *powers)).items():
        r = by_base[base]
        unit = r.unit.replace("commodity unit", units[commodity]) if commodity else r.unit
        out[name] = (unit, r.description.format(h=holder, p=holder, c=commodity))
    return out


def describe(column: str, powers: tuple[str, ...] = ()) -> dict[str, str]:
    """A column's field metadata: ``unit`` and ``description`` (and ``key`` for a parameter column)."""
    known = {**measures(powers), **COLUMNS}
    if column in known:
        unit, text = known[column]
        return {"unit": unit, "description": text}
    by_alias = {p.alias: p for p in P.registry(powers).values()}
    if column in by_alias:
        p = by_alias[column]
        return {"unit": p.unit, "description": p.doc, "key": p.key}
    base, _, year = column.rpartition("_")
    if year.isdigit() and base in known:
        unit, text = known[base]
        return {"unit": unit, "description": f"{text}; at the end of {year}Q4"}
    raise KeyError(f"no schema for column {column!r}")


def parameters_hash(values: dict) -> str:
    """A short hash of resolved parameter values: two runs with the same hash had the same parameters."""
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:16]


def provenance_of(scenario: str, seed: int | str, values: dict, **more: str) -> dict[str, str]:
    """The file metadata of a run's tables (or a batch's, with its root seed and experiment)."""
    return {
        "scenario": scenario,
        "seed": str(seed),
        "parameters_hash": parameters_hash(values),
        "git_revision": provenance.git_revision(),
        "versions": json.dumps(provenance.versions(), sort_keys=True),
        **more,
    }


def to_arrow(frame: pd.DataFrame, table: str, meta: dict[str, str], powers: tuple[str, ...] = ()) -> pa.Table:
    """``frame`` as an Arrow table with the schema as field metadata and ``table`` and ``meta`` as file metadata."""
    out = frame.copy()
    periods = [c for c in out.columns if isinstance(out[c].dtype, pd.PeriodDtype)]
    for col in periods:
        out[col] = out[col].dt.start_time
    arrow = pa.Table.from_pandas(out, preserve_index=False)
    for col in periods:
        i = arrow.schema.get_field_index(col)
        arrow = arrow.set_column(i, col, arrow.column(i).cast(pa.date32()))
    fields = []
    for field in arrow.schema:
        info = describe(field.name, powers)
        if field.name == "value":
            info["units"] = json.dumps(MEASURE_UNITS)
        fields.append(field.with_metadata(info))
    metadata = {**(arrow.schema.metadata or {}), b"table": table.encode(), **{k: str(v) for k, v in meta.items()}}
    return pa.Table.from_arrays(arrow.columns, schema=pa.schema(fields, metadata=metadata))


def write(path: Path, frame: pd.DataFrame, table: str, meta: dict[str, str], powers: tuple[str, ...] = ()) -> None:
    """Write ``frame`` as a Parquet file carrying its schema and provenance, atomically."""
    arrow = to_arrow(frame, table, meta, powers)
    write_atomic(path, lambda tmp: pq.write_table(arrow, tmp))


def from_arrow(arrow: pa.Table) -> pd.DataFrame:
    """A table as pandas, with quarter columns (``unit`` = calendar quarter) as ``pandas.Period``."""
    frame = arrow.to_pandas()
    for field in arrow.schema:
        if (field.metadata or {}).get(b"unit") == QUARTER.encode():
            frame[field.name] = pd.to_datetime(frame[field.name]).dt.to_period("Q")
    return frame


def read(path: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A results file as pandas, quarters as ``pandas.Period``: a Parquet file (or a folder of shards), or one of
    the CSV files written beside them (where a quarter is a date, too)."""
    if str(path).endswith(".csv"):
        frame = pd.read_csv(path, usecols=columns)
        for col in frame.columns:
            if col == "quarter" or col.endswith("_quarter"):
                frame[col] = pd.to_datetime(frame[col]).dt.to_period("Q")
        return frame
    return from_arrow(pq.read_table(path, columns=columns))


def as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each ``pandas.Period`` column as the date its quarter starts, as files hold quarters."""
    periods = [c for c in frame.columns if isinstance(frame[c].dtype, pd.PeriodDtype)]
    return frame.assign(**{c: frame[c].dt.start_time.dt.date for c in periods}) if periods else frame


def metadata(path: str | Path) -> dict[str, str]:
    """A results file's metadata: ``table`` and its provenance (``versions`` is JSON)."""
    raw = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items() if k not in (b"pandas", b"ARROW:schema")}

"""Every results file reads in pandas, pyarrow, DuckDB and Polars, with its schema and provenance as metadata."""

from __future__ import annotations

import json
import re

import duckdb
import pandas as pd
import polars as pl
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from experiments.runner import batch, bridges, single, tables
from experiments.runner.single import run_model
from experiments.runner.worker import column
from experiments.safe_io import schema
from model import scenario as scenarios

SNAKE = re.compile(r"[a-z][a-z0-9_]*")
PROVENANCE = {"table", "scenario", "seed", "parameters_hash", "git_revision", "versions"}
EXPERIMENT = {
    "name": "tables",
    "steps": 4,
    "replicates": 1,
    "params": {"investors.count": 20},
    "design": {"method": "lhs", "samples": 2, "ranges": {"eu.delay_mean_q": (0, 8), "eu.max_pursuits": (1, 4)}},
    "output": {"measures": ["capacity_share_EU", "trust_eu"], "years": [2026], "series": True},
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """A run's folder (``run.py run``) and a batch's folder (a dict design with a sample and series)."""
    tmp = tmp_path_factory.mktemp("tables")
    scn = scenarios.load("baseline")
    single.write_results(run_model(scn, 3, 4), scn, 3, tmp / "run")
    bridges.run_experiment(EXPERIMENT, tmp / "batch")
    return tmp / "run", tmp / "batch"


def parquet_files(folders):
    run, out = folders
    return sorted(run.glob("*.parquet")) + sorted(out.glob("*.parquet")) + sorted(out.glob("*/part-*.parquet"))


def test_every_parquet_file_reads_everywhere_with_its_schema(folders):
    files = parquet_files(folders)
    assert {f.stem for f in files} >= {*tables.TABLES, "design", "sample", "part-000001"}
    for f in files:
        arrow = pq.read_table(f)
        n = arrow.num_rows
        assert n > 0, f
        assert len(pd.read_parquet(f)) == len(schema.read(f)) == pl.read_parquet(f).height == n
        assert duckdb.sql(f"select count(*) from '{f}'").fetchall()[0][0] == n
        for field in arrow.schema:
            assert SNAKE.fullmatch(field.name), (f, field.name)
            meta = field.metadata or {}
            assert meta.get(b"description") and b"unit" in meta, (f, field.name)
        info = schema.metadata(f)
        assert set(info) >= PROVENANCE and json.loads(info["versions"])["mesa"], f
        kv = {k for k, _ in duckdb.sql(f"select key, value from parquet_kv_metadata('{f}')").fetchall()}
        assert b"table" in kv and b"git_revision" in kv
        quarters = [field.name for field in arrow.schema if field.metadata[b"unit"] == schema.QUARTER.encode()]
        for q in quarters:
            assert str(arrow.schema.field(q).type) == "date32[day]"
            assert pl.read_parquet_schema(f)[q] == pl.Date
            assert isinstance(schema.read(f)[q].dtype, pd.PeriodDtype)


def test_every_csv_file_reads_everywhere(folders):
    run, _ = folders
    for f in sorted(run.glob("*.csv")):
        n = len(pd.read_csv(f))
        assert pacsv.read_csv(f).num_rows == pl.read_csv(f).height == n, f
        assert duckdb.sql(f"select count(*) from read_csv('{f}')").fetchall()[0][0] == n


def test_run_tables_are_tidy_and_stack(folders):
    run, _ = folders
    t = {name: schema.read(run / f"{name}.parquet") for name in tables.TABLES}
    for name, frame in t.items():
        assert list(frame.columns[:2]) == ["scenario", "seed"] and set(frame["seed"]) == {3}, name
    long, wide = t["series"], t["timeseries"]
    assert len(long) == len(wide) * (len(wide.columns) - 4)  # one row per quarter and measure
    eu = long[(long.measure == "capacity_share") & (long.holder == "EU")]
    assert eu["value"].tolist() == wide["capacity_share_eu"].tolist()
    assert long.loc[long.measure == "price", "commodity"].notna().all() and long["holder"].isna().any()
    deposits = t["deposits"]
    assert deposits["award_step"].dtype == "Int64" and not (deposits["award_step"] == -1).any()
    assert deposits["award_step"].isna().eq(deposits["award_quarter"].isna()).all()
    assert set(t["deposit_holders"]["deposit"]) <= set(deposits["id"])
    events = t["events"].merge(t["event_participants"], on=["scenario", "seed", "event"])
    assert len(events) == len(t["event_participants"]) and events["role"].notna().all()
    csv = duckdb.sql(f"select quarter from read_csv('{run / 'timeseries.csv'}') limit 1").fetchall()[0][0]
    assert str(csv) == "2025-10-01"


def test_batch_tables_query_and_join_without_quoting(folders):
    _, out = folders
    runs = batch.load_runs(out)
    assert runs["error"].isna().all() and set(runs["status"]) == {"ok"}
    assert column("capacity_share_EU", 2026) in runs and column("trust_eu") in runs
    assert len(runs.query("eu_delay_mean_q >= 0 and capacity_share_eu_2026 >= 0")) == 2
    got = duckdb.sql(f"select eu_max_pursuits, capacity_share_eu_2026 from '{out}/runs/*.parquet'").fetchall()
    assert len(got) == 2 and all(isinstance(p, int) for p, _ in got)
    series = batch.load_series(out)
    joined = series.merge(runs, on=["run", "point", "replicate"])
    assert len(joined) == len(series) and not [c for c in joined.columns if c.endswith(("_x", "_y"))]
    design, sample = batch.load_design(out), batch.load_sample(out)
    assert list(design.columns) == list(sample.columns) == ["point", "eu_delay_mean_q", "eu_max_pursuits"]
    assert design["eu_max_pursuits"].dtype == "int64" and sample["eu_max_pursuits"].dtype == "float64"
    manifest = batch.read_manifest(out)
    assert manifest["parameter_columns"]["eu.max_pursuits"] == "eu_max_pursuits"
    meta = pq.read_schema(out / "design.parquet").field("eu_delay_mean_q").metadata
    assert meta[b"key"] == b"eu.delay_mean_q" and meta[b"unit"] == b"quarters"


def test_describe_every_column_and_refuse_an_unknown_one():
    assert schema.describe("capacity_share_eu")["description"].startswith("EU's equity share")
    assert schema.describe("price_copper")["unit"] == "USD per t Cu"
    assert schema.describe("missed_value_gulf", ("GULF",))["unit"] == "USD m, cumulative"
    assert "at the end of 2035Q4" in schema.describe("trust_cn_2035")["description"]
    assert schema.describe("eu_delay_mean_q")["key"] == "eu.delay_mean_q"
    with pytest.raises(KeyError):
        schema.describe("share_EU@2035")

"""A batch's results on disk: the manifest, the design, and the Parquet shards of runs and series.

Shards are ``<out>/runs/part-NNNNNN.parquet`` (one row per run) and ``<out>/series/part-NNNNNN.parquet`` (one
row per run, quarter and kept measure), each written to a temporary file and renamed, so a reader never sees half
of one; each carries the results schema and the batch's provenance (``experiments/safe_io/schema.py``). Readers drop duplicates by run id (a run can land twice if a batch was killed between writing a shard and noting
it), read regular files only (a FIFO or a device in the folder would block), and turn a damaged shard or
manifest into one line naming it instead of a traceback.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from experiments.safe_io import schema
from experiments.safe_io.atomic import write_atomic
from model.errors import InputError
from model.inputs import read_regular

RUN_COLUMNS = ("run", "point", "replicate", "seed", "status", "error", "elapsed_s")
SERIES_KEY = ["run", "step", "measure", "holder", "commodity"]  # one row of the long series
FLUSH_SECONDS = 10.0
MANIFEST = "manifest.json"
MANIFEST_BYTES = 256_000_000
_SHARD = re.compile(r"part-(\d{6,})\.parquet")
WRITTEN_BY = "allowed: a folder written by 'python run.py experiment'"
# what readers of a manifest rely on: key -> type, or the shape of a nested table
SHAPE = {
    "experiment": str,
    "fingerprint": str,
    "outcomes": list,
    "parameter_columns": dict,
    "sessions": list,
    "design": {"method": str, "keys": list, "n_points": int, "replicates": int, "n_runs": int},
    "spec": {"steps": int, "seed": int, "scenario": str, "measures": list, "ranges": dict, "levels": int},
}


def shards(out: Path, kind: str) -> list[Path]:
    found = [(int(m.group(1)), p) for p in (out / kind).glob("part-*.parquet") if (m := _SHARD.fullmatch(p.name))]
    return [p for _, p in sorted(found) if p.is_file()]


def read_parquet(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A shard or design table (quarters as ``pandas.Period``), or one line naming it if it is damaged."""
    if not path.is_file():
        raise InputError(str(path), "file", f"missing or not a regular file; {WRITTEN_BY}")
    try:
        return schema.read(path, columns)
    except Exception as exc:  # pyarrow raises many kinds for a damaged file: each is one line
        text = " ".join(str(exc).split())[:160]
        raise InputError(
            str(path),
            "file",
            f"not a readable Parquet table ({type(exc).__name__}: {text}); {WRITTEN_BY} "
            "(move a damaged shard away: its runs run again on resume)",
        ) from None


def write_json(path: Path, data: dict) -> None:
    text = json.dumps(data, indent=2, default=_jsonable) + "\n"
    write_atomic(path, lambda tmp: tmp.write_text(text))


def plain(data):
    """``data`` as JSON gives it back (tuples as lists, numpy scalars as numbers), for comparisons."""
    return json.loads(json.dumps(data, default=_jsonable))


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)


class ShardWriter:
    """Buffers finished runs and writes them as numbered Parquet shards, each atomically, with the results
    schema and the batch's provenance (``meta``) in every shard."""

    def __init__(
        self,
        out: Path,
        run_columns: list[str],
        dtypes: dict[str, str],
        series: bool,
        flush_every: int,
        meta: dict[str, str],
        powers: tuple[str, ...] = (),
    ):
        self.out, self.columns, self.dtypes = out, run_columns, dtypes
        self.keep_series, self.flush_every = series, flush_every
        self.meta, self.powers = meta, powers
        existing = [int(_SHARD.fullmatch(p.name).group(1)) for kind in ("runs", "series") for p in shards(out, kind)]
        self.next = max(existing, default=0) + 1
        self.rows: list[dict] = []
        self.series: list[pd.DataFrame] = []
        self.last_flush = time.monotonic()

    def add(self, row: dict, series: pd.DataFrame | None) -> None:
        # series before the row, as on disk: a Ctrl-C in between must not save the row without its series
        if series is not None and self.keep_series:
            ids = {k: np.full(len(series), row[k], dtype=np.int64) for k in ("run", "point", "replicate")}
            self.series.append(pd.DataFrame({**ids, **series}))
        self.rows.append(row)
        if len(self.rows) >= self.flush_every or time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        name = f"part-{self.next:06d}.parquet"
        if self.series:  # series first: a run counts as done only once its row is on disk
            self._write("series", name, pd.concat(self.series, ignore_index=True))
        self._write("runs", name, pd.DataFrame(self.rows, columns=self.columns).astype(self.dtypes))
        self.next += 1
        self.rows, self.series = [], []
        self.last_flush = time.monotonic()

    def _write(self, kind: str, name: str, frame: pd.DataFrame) -> None:
        arrow = schema.to_arrow(frame, kind, self.meta, self.powers)
        write_atomic(self.out / kind / name, lambda tmp: pq.write_table(arrow, tmp))


def load_runs(out: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """All runs on disk, one row per run id (an ok row wins over a failed one, then the latest shard)."""
    out = Path(out)
    if columns is not None:
        columns = list(dict.fromkeys(["run", "status", *columns]))
    frames = [read_parquet(path, columns).assign(_shard=i) for i, path in enumerate(shards(out, "runs"))]
    if not frames:
        return pd.DataFrame(columns=columns or list(RUN_COLUMNS))
    df = pd.concat(frames, ignore_index=True)
    df = df.assign(_ok=df["status"] == "ok").sort_values(["run", "_ok", "_shard"], ascending=[True, False, False])
    return df.drop_duplicates("run").drop(columns=["_ok", "_shard"]).reset_index(drop=True)


def load_series(out: str | Path, measures: list[str] | None = None, runs: Iterable[int] | None = None) -> pd.DataFrame:
    """The long quarterly series of the runs on disk (one row per run, quarter and kept measure column, e.g.
    ``capacity_share_eu``: ``measure`` capacity_share, ``holder`` EU), without duplicates; ``measures`` keeps
    only those columns' rows."""
    out = Path(out)
    keep = set(load_runs(out, ["run"]).query("status == 'ok'")["run"]) if runs is None else set(runs)
    frames = [read_parquet(p) for p in shards(out, "series")]
    if not frames:
        return pd.DataFrame(columns=["run", "point", "replicate", "step", "quarter", *SERIES_KEY[2:], "value"])
    df = pd.concat(frames, ignore_index=True)
    df = df[df["run"].isin(keep)].drop_duplicates(SERIES_KEY)
    if measures is not None:
        df = df[series_column(df).isin([m.lower() for m in measures])]
    return df.sort_values(["run", "step"], kind="stable").reset_index(drop=True)


def series_column(series: pd.DataFrame) -> pd.Series:
    """The measure column each row of a long series belongs to (``capacity_share`` + ``EU`` → ``capacity_share_eu``)."""
    part = series["holder"].fillna(series["commodity"]).str.lower()
    return series["measure"].where(part.isna(), series["measure"] + "_" + part)


def _check_shape(data: dict, shape: dict, where: str, prefix: str = "") -> None:
    for key, kind in shape.items():
        value = data.get(key)
        if isinstance(kind, dict):
            if not isinstance(value, dict):
                raise InputError(where, prefix + key, f"missing or not a table; {WRITTEN_BY}")
            _check_shape(value, kind, where, f"{prefix}{key}.")
        elif not isinstance(value, kind) or isinstance(value, bool):
            raise InputError(where, prefix + key, f"missing or not a {kind.__name__}; {WRITTEN_BY}")


def read_manifest(out: str | Path) -> dict:
    """The manifest of a results folder, checked to have what its readers rely on."""
    path = Path(out) / MANIFEST
    if not path.exists():
        raise InputError(str(out), "folder", f"no {MANIFEST}; {WRITTEN_BY}")
    raw = read_regular(path, "a manifest written by 'python run.py experiment'", limit=MANIFEST_BYTES)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:  # not JSON, not UTF-8, or nested too deep
        raise InputError(str(path), "file", f"not a readable manifest ({type(exc).__name__}); {WRITTEN_BY}") from None
    if not isinstance(data, dict):
        raise InputError(str(path), "file", f"a JSON {type(data).__name__}, not an object; {WRITTEN_BY}")
    _check_shape(data, SHAPE, str(path))
    return data


def load_design(out: str | Path) -> pd.DataFrame:
    """The design's points: ``point`` and each swept parameter's value as the runs got it (``eu_delay_mean_q``)."""
    return read_parquet(Path(out) / "design.parquet")


def load_sample(out: str | Path) -> pd.DataFrame:
    """For lhs, sobol and morris designs, the raw sample before integer rounding (what SALib's analyses use):
    ``point`` and one column per swept parameter, as in the design."""
    return read_parquet(Path(out) / "sample.parquet")


def write_csv(out: str | Path) -> list[str]:
    """The runs, the design and the series on disk as CSV beside the shards (``runs.csv``, ``design.csv``,
    ``series.csv``), for spreadsheets, R and NetLogo's BehaviorSpace habits; each rewritten whole, atomically, at
    the end of a session. Quarters are dates, as in the Parquet files (2030Q4 is 2030-10-01)."""
    out = Path(out)
    readers = {"runs": load_runs, "design": load_design, "series": load_series if shards(out, "series") else None}
    written = []
    for name, read in readers.items():
        try:
            frame = read(out) if read is not None else None
        except InputError:  # a damaged file: the Parquet tables say so when read; the copy is left out
            frame = None
        if frame is not None:
            write_atomic(out / f"{name}.csv", lambda p, f=frame: schema.as_dates(f).to_csv(p, index=False))
            written.append(f"{name}.csv")
    return written

"""Load and check the deposit table (``data/deposits.csv``) into plain numpy arrays.

Every problem is reported as one line naming the file, the row and the column, and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from model.commodities import INDEX as COMMODITY_INDEX
from model.errors import InputError

STAGES: tuple[str, ...] = ("unlicensed", "tendered", "awarded", "developing", "producing", "depleted")
STAGE = {name: i for i, name in enumerate(STAGES)}
TABLE_STAGES = ("unlicensed", "developing", "producing", "depleted")
COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "commodity",
    "contained_t",
    "capacity_t_per_q",
    "lead_time_q",
    "stage_2026",
    "holders_2026",
    "offtake_2026",
    "region",
    "lon",
    "lat",
    "coord_approx",
    "source",
)
ROOT = Path(__file__).resolve().parent.parent


def table_path(value: str | Path) -> Path:
    """Where ``run.deposits`` points: an absolute path, or one relative to the project root."""
    path = Path(value)
    return path if path.is_absolute() else ROOT / path


# Kazakhstan's bounding box (Natural Earth outline, rounded outward).
LON_RANGE, LAT_RANGE = (46.0, 88.0), (40.0, 56.0)


@dataclass
class DepositTable:
    """The checked deposit table as arrays (one entry per row of the CSV)."""

    ids: list[str]
    names: list[str]
    regions: list[str]
    commodity: np.ndarray  # int index into model.commodities.NAMES
    contained: np.ndarray  # t, in the commodity's price unit
    capacity: np.ndarray  # t per quarter
    lead_time: np.ndarray  # quarters
    stage: np.ndarray  # int index into STAGES
    holders: list[dict[str, float]]
    offtake: list[dict[str, float]]
    lon: np.ndarray
    lat: np.ndarray
    approx: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def parse_shares(text: str, where: str, key: str, codes: tuple[str, ...]) -> dict[str, float]:
    """'KZ:0.51;CN:0.49' -> {'KZ': 0.51, 'CN': 0.49}; shares must be in [0, 1] and sum to 1."""
    out: dict[str, float] = {}
    if not isinstance(text, str) or not text.strip():
        return out
    for part in filter(None, (p.strip() for p in text.split(";"))):
        code, sep, value = part.partition(":")
        try:
            share = float(value)
        except ValueError:
            share = -1.0
        if not sep or code.strip() not in codes or not 0.0 <= share <= 1.0:
            raise InputError(
                where,
                key,
                f"bad entry {part!r}; allowed: CODE:share with CODE in {', '.join(codes)} and share in [0, 1]",
            )
        out[code.strip()] = out.get(code.strip(), 0.0) + share
    if abs(sum(out.values()) - 1.0) > 1e-3:
        raise InputError(where, key, f"shares sum to {sum(out.values()):.4g}; allowed: shares summing to 1")
    total = sum(out.values())
    return {k: v / total for k, v in out.items()}


def _number(df: pd.DataFrame, col: str, where: str, positive: bool = True) -> np.ndarray:
    values = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | ((values <= 0) if positive else np.zeros(len(values), bool))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(where, f"row {row + 2} column {col}", f"got {df[col].iloc[row]!r}; allowed: a number > 0")
    return values


def load_deposits(path: str | Path, codes: tuple[str, ...]) -> DepositTable:
    """Read and check a deposit table; ``codes`` are the holder codes the run knows.

    Parsed tables are cached by path, size and modification time (a batch builds thousands of models from
    one table); the model copies every array it changes.
    """
    try:
        stat = Path(path).stat()
    except OSError:
        return _load(str(path), codes)
    return _cached(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns, codes)


@lru_cache(maxsize=16)
def _cached(path: str, size: int, mtime_ns: int, codes: tuple[str, ...]) -> DepositTable:
    return _load(path, codes)


def _load(path: str, codes: tuple[str, ...]) -> DepositTable:
    where = str(path)
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(
            where, "run.deposits", "not found; allowed: a CSV deposit table (see data/README.md)"
        ) from None
    except OSError as exc:  # a folder, no permission...
        raise InputError(where, "run.deposits", f"not readable ({exc.strerror}); allowed: a CSV file") from None
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(where, "run.deposits", f"not a readable CSV ({str(exc).splitlines()[0]})") from None
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(where, f"column {missing[0]}", f"missing; required columns: {', '.join(COLUMNS)}")
    if df.empty:
        raise InputError(where, "rows", "no deposits; allowed: at least one row")
    dup = df["id"].duplicated()
    if dup.any():
        row = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(where, f"row {row + 2} column id", f"duplicate {df['id'].iloc[row]!r}; ids must be unique")

    def check_choice(col: str, allowed: dict) -> np.ndarray:
        bad = ~df[col].isin(list(allowed))
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise InputError(
                where, f"row {row + 2} column {col}", f"got {df[col].iloc[row]!r}; allowed: {', '.join(allowed)}"
            )
        return df[col].map(allowed).to_numpy(dtype=np.int64)

    commodity = check_choice("commodity", COMMODITY_INDEX)
    stage = check_choice("stage_2026", {s: STAGE[s] for s in TABLE_STAGES})
    contained = _number(df, "contained_t", where)
    capacity = _number(df, "capacity_t_per_q", where)
    lead = _number(df, "lead_time_q", where)
    lon, lat = _number(df, "lon", where, False), _number(df, "lat", where, False)
    for name, values, (lo, hi) in (("lon", lon, LON_RANGE), ("lat", lat, LAT_RANGE)):
        bad = (values < lo) | (values > hi)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise InputError(
                where,
                f"row {row + 2} column {name}",
                f"got {values[row]:g}; allowed: degrees in [{lo:g}, {hi:g}] (Kazakhstan)",
            )
    approx = check_choice("coord_approx", {"true": 1, "false": 0, "True": 1, "False": 0}).astype(bool)
    holders, offtake = [], []
    for i, row in enumerate(df.itertuples(index=False)):
        h = parse_shares(row.holders_2026, where, f"row {i + 2} column holders_2026", codes)
        if bool(h) == (row.stage_2026 == "unlicensed"):
            raise InputError(
                where,
                f"row {i + 2} column holders_2026",
                "allowed: holders for every licensed deposit and none for an unlicensed one",
            )
        holders.append(h)
        offtake.append(parse_shares(row.offtake_2026, where, f"row {i + 2} column offtake_2026", codes) or h)
    return DepositTable(
        ids=df["id"].tolist(),
        names=df["name"].tolist(),
        regions=df["region"].tolist(),
        commodity=commodity,
        contained=contained,
        capacity=capacity,
        lead_time=np.maximum(1, np.round(lead)).astype(np.int64),
        stage=stage,
        holders=holders,
        offtake=offtake,
        lon=lon,
        lat=lat,
        approx=approx,
    )

"""Strict loading of a deposit table (``data/deposits.csv``) into a ``DepositTable``.

Every problem is one line naming the file, the row and the column, and what is allowed.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from model.commodities import INDEX as COMMODITY_INDEX
from model.deposit_table import DepositTable, table_path
from model.errors import InputError
from model.file_cache import resolved
from model.inputs import read_csv
from model.libm import cos
from model.paths import ROOT
from model.vocabulary import TABLE_STAGES, Channel

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
    "channel",
    "strategic",
    "capex_usd_m",
    "source",
)
OUTLINE = ROOT / "data" / "kazakhstan_outline.geojson"

# Physical bounds per numeric column: far above any real deposit, below what breaks the arithmetic.
BOUNDS = {
    "contained_t": (0.0, 1e11),  # the largest Kazakh resources are a few hundred Mt of ore
    "capacity_t_per_q": (0.0, 1e9),
    "lead_time_q": (1.0, 400.0),
    "capex_usd_m": (0.0, 1e6),
}
DEPOSIT_ID = re.compile(r"[a-z0-9_]+")
SHARE_TOLERANCE = 1e-3  # shares must sum to 1 ± this (data/README.md)
BORDER_KM = 10.0  # how far outside the coarse outline a point may lie (every sourced point lies inside it)
KM_PER_DEGREE = 111.2  # of latitude


@lru_cache(maxsize=1)
def _outline() -> np.ndarray:
    ring = json.loads(OUTLINE.read_text(encoding="utf-8"))["features"][0]["geometry"]["coordinates"][0]
    return np.asarray(ring, dtype=float)


def inside_kazakhstan(lon: np.ndarray, lat: np.ndarray, tolerance_km: float = BORDER_KM) -> np.ndarray:
    """Points inside the outline (ray casting), or within ``tolerance_km`` of it: the 1:110m outline is coarse, but
    not by tens of kilometres, so a point 30 km beyond it is refused (distances on the local plane, where a
    degree of longitude is cos(latitude) times a degree of latitude).
    """
    ring = _outline()
    x1, y1, x2, y2 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
    px, py = np.asarray(lon, dtype=float)[:, None], np.asarray(lat, dtype=float)[:, None]
    crosses = ((y1 > py) != (y2 > py)) & (px < (x2 - x1) * (py - y1) / np.where(y2 != y1, y2 - y1, 1) + x1)
    inside = crosses.sum(axis=1) % 2 == 1
    # the distance to the nearest edge, for points just outside a coarse border
    k = cos(np.radians(py))
    ax, ay, dx, dy = (x1 - px) * k, y1 - py, (x2 - x1) * k, y2 - y1
    t = np.clip(-(ax * dx + ay * dy) / np.maximum(dx * dx + dy * dy, 1e-12), 0, 1)
    near = np.hypot(ax + t * dx, ay + t * dy).min(axis=1) * KM_PER_DEGREE <= tolerance_km
    return inside | near


def table_ids(path: str | Path) -> tuple[str, ...]:
    """The ids of a deposit table (``run.deposits``), read once per version of the file."""
    full = table_path(path)
    try:
        stat = full.stat()
    except OSError:
        return _ids(str(full), -1, -1)  # read_csv names what is wrong with it
    return _ids(resolved(full), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=16)
def _ids(path: str, size: int, mtime_ns: int) -> tuple[str, ...]:
    frame = read_csv(Path(path), "a CSV deposit table (see data/README.md)", "run.deposits", ("id",), text=True)
    return tuple(frame["id"])


def check_id(value: str, where: str, key: str) -> str:
    """A deposit id: lower-case ASCII letters, digits and ``_`` (so that two ids never print alike, and every id is
    safe in a file name, a column name and a shock's ``deposits`` list).
    """
    if not DEPOSIT_ID.fullmatch(value):
        raise InputError(where, key, f"got {value!r}; allowed: a unique id of a-z, 0-9 and _ (such as 'kharasan_1')")
    return value


def parse_shares(text: str, where: str, key: str, codes: tuple[str, ...]) -> dict[str, float]:
    """'KZ:0.51;CN:0.49' -> {'KZ': 0.51, 'CN': 0.49}; shares in [0, 1] summing to 1 ± 0.001."""
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
    total = sum(out.values())
    if abs(total - 1.0) > SHARE_TOLERANCE + 1e-12:
        raise InputError(where, key, f"shares sum to {total:.4g}; allowed: shares summing to 1 ± {SHARE_TOLERANCE:g}")
    return {k: v / total for k, v in out.items()}


def _number(df: pd.DataFrame, col: str, where: str, blank_ok: bool = False) -> np.ndarray:
    text = df[col].str.strip()
    values = pd.to_numeric(text.where(text != "", "nan" if blank_ok else "x"), errors="coerce").to_numpy(float)
    lo, hi = BOUNDS.get(col, (-np.inf, np.inf))
    blank = blank_ok & (text == "").to_numpy()
    bad = ~blank & (~np.isfinite(values) | (values <= lo if col in BOUNDS else False) | (values > hi))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        allowed = f"a number in ({lo:g}, {hi:g}]" if col in BOUNDS else "a number"
        got = str(df[col].iloc[row])[:40]
        raise InputError(where, f"row {row + 2} column {col}", f"got {got!r}; allowed: {allowed}")
    return values


def _years(df: pd.DataFrame, where: str) -> np.ndarray:
    """The optional ``start_year`` column (first production), NaN where blank."""
    if "start_year" not in df.columns:
        return np.full(len(df), np.nan)
    values = pd.to_numeric(df["start_year"].str.strip().replace("", "nan"), errors="coerce").to_numpy(float)
    bad = (df["start_year"].str.strip() != "").to_numpy() & ~((values >= 1800) & (values <= 2100))
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InputError(where, f"row {row + 2} column start_year", "allowed: a year in [1800, 2100] or blank")
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
    table = _cached(resolved(path), stat.st_size, stat.st_mtime_ns, codes)
    return DepositTable(**{f.name: _copy(getattr(table, f.name)) for f in fields(table)})


def _copy(value):
    return list(value) if isinstance(value, list) else value.copy()


@lru_cache(maxsize=16)
def _cached(path: str, size: int, mtime_ns: int, codes: tuple[str, ...]) -> DepositTable:
    return _load(path, codes)


def _load(path: str, codes: tuple[str, ...]) -> DepositTable:
    where = str(path)
    df = read_csv(Path(path), "a CSV deposit table (see data/README.md)", "run.deposits", text=True)
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise InputError(where, f"column {missing[0]}", f"missing; required columns: {', '.join(COLUMNS)}")
    if df.empty:
        raise InputError(where, "rows", "no deposits; allowed: at least one row")
    for i, value in enumerate(df["id"]):
        check_id(value, where, f"row {i + 2} column id")
    dup = df["id"].duplicated()
    if dup.any():
        row = int(np.flatnonzero(dup.to_numpy())[0])
        raise InputError(where, f"row {row + 2} column id", f"duplicate {df['id'].iloc[row]!r}; ids must be unique")

    def check_choice(col: str, allowed: dict) -> np.ndarray:
        bad = ~df[col].isin(list(allowed))
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            got = str(df[col].iloc[row])[:40]
            raise InputError(where, f"row {row + 2} column {col}", f"got {got!r}; allowed: {', '.join(allowed)}")
        return df[col].map(allowed).to_numpy(dtype=np.int64)

    commodity = check_choice("commodity", COMMODITY_INDEX)
    stage = check_choice("stage_2026", {s.label: s for s in TABLE_STAGES})
    contained = _number(df, "contained_t", where)
    capacity = _number(df, "capacity_t_per_q", where)
    lead = _number(df, "lead_time_q", where)
    capex = _number(df, "capex_usd_m", where, blank_ok=True)
    lon, lat = _number(df, "lon", where), _number(df, "lat", where)
    outside = (np.abs(lon) > 180) | (np.abs(lat) > 90)
    outside[~outside] = ~inside_kazakhstan(lon[~outside], lat[~outside])
    if outside.any():
        row = int(np.flatnonzero(outside)[0])
        raise InputError(
            where,
            f"row {row + 2} columns lon, lat",
            f"({lon[row]:g}, {lat[row]:g}) is outside Kazakhstan's outline; allowed: a point in Kazakhstan",
        )
    approx = check_choice("coord_approx", {"true": 1, "false": 0, "True": 1, "False": 0}).astype(bool)
    channel = check_choice("channel", {c.label: c for c in Channel})
    strategic = check_choice("strategic", {"true": 1, "false": 0, "True": 1, "False": 0}).astype(bool)
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
    n = len(df)
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
        channel=channel,
        strategic=strategic,
        capex=capex,
        origin=np.zeros(n, dtype=np.int64),
        start=_years(df, where),
    )

"""Processing and refining plants: who owns them, how much ore they take, what they add in Kazakhstan.

A plant refines the ore of one commodity (a smelter, a ferrochrome works, a fuel plant, an APT plant). Its intake
is in the commodity's tonnes (``model/commodities.py``): ``capacity_per_year × ore_per_output`` of
``data/plants.csv``, a quarter of that per quarter. Each tonne it refines adds ``value_added_share`` of the
commodity's base price in Kazakhstan (``data/products.csv``: what refining adds to the final product's value).
Plants of a run come from the table (those operating at the start, and those under construction or planned with a
named owner, known by the start, online in their year) and from processing commitments: a power that wins a
deposit with a commitment to process in Kazakhstan builds a plant for that share of the deposit's output, online
when the deposit starts producing (``model/flows.py`` sends ore to plants; ``model/contracts.py`` says who takes
their output). Concentrators are part of the mines here (the mines' output is already concentrate) and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from model.commodities import INDEX as COMMODITY_INDEX
from model.commodities import NAMES as COMMODITIES
from model.deposit_load import parse_shares
from model.deposit_table import table_path
from model.errors import InputError
from model.file_cache import by_file
from model.inputs import read_csv

COLUMNS = ("id", "name", "commodity", "output_product", "capacity_per_year", "ore_per_output", "start_year", "status")
REFINING = ("metal",)  # the product stages a plant of the model makes (data/products.csv)
LIVE = ("operating", "under_construction", "planned")  # "not_built" plants are left out
DEFAULT_VALUE_ADDED = 0.1  # assumption for a commodity without a refined product in data/products.csv


@dataclass
class PlantTable:
    """The plants of a run (arrays, one entry per plant; plants built during the run are appended)."""

    ids: list[str]
    names: list[str]
    commodity: np.ndarray
    intake_q: np.ndarray  # tonnes of the commodity per quarter at capacity
    value_added: np.ndarray  # share of the commodity's base price added by refining in Kazakhstan
    online: np.ndarray  # first step it refines (0: at the start)
    equity: np.ndarray  # plants × holders
    led: np.ndarray  # plants × holders: the holding is its owner's as a state
    lon: np.ndarray
    lat: np.ndarray
    origin: np.ndarray  # 0 the table, 1 a processing commitment
    source: np.ndarray  # the deposit row whose commitment built it (-1: the table's)

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, **rows) -> np.ndarray:
        """Add plants (one entry per new plant in each array given); returns their rows."""
        start = len(self)
        for name, value in rows.items():
            old = getattr(self, name)
            setattr(self, name, old + list(value) if isinstance(old, list) else np.concatenate([old, value]))
        return np.arange(start, len(self))


@by_file
def value_added(products: Path) -> np.ndarray:
    """Per commodity, the share of the base price that refining adds in Kazakhstan (its refined product's row);
    read once per file, so read-only.
    """
    frame = _products(products)
    out = np.full(len(COMMODITIES), DEFAULT_VALUE_ADDED)
    for row in frame.itertuples(index=False):
        if row.stage in REFINING and row.commodity in COMMODITY_INDEX:
            out[COMMODITY_INDEX[row.commodity]] = float(row.value_added_share)
    out.flags.writeable = False
    return out


def load(path: str, products: str, holders: tuple[str, ...], start_year: int, powers_led: set[tuple[str, str]]):
    """The table's plants known by the start (``known_by`` at most 1 January of ``start_year``) that refine:
    ``powers_led`` holds the (plant id, holder code) pairs a dated deal shows were taken as a state.
    """
    known = _known(table_path(path), start_year)
    va = value_added(table_path(products))
    where = str(table_path(path))
    n, h = len(known.ids), len(holders)
    equity, led = np.zeros((n, h)), np.zeros((n, h), dtype=bool)
    for i, (plant, owners) in enumerate(zip(known.ids, known.owners, strict=True)):
        for code, share in parse_shares(owners, where, f"plant {plant} column owners", holders).items():
            equity[i, holders.index(code)] = share
            led[i, holders.index(code)] = (plant, code) in powers_led
    return PlantTable(
        ids=list(known.ids),
        names=list(known.names),
        commodity=known.commodity.copy(),
        intake_q=known.intake_q.copy(),
        value_added=va[known.commodity],
        online=known.online.copy(),
        equity=equity,
        led=led,
        lon=known.lon.copy(),
        lat=known.lat.copy(),
        origin=np.zeros(n, dtype=np.int64),
        source=np.full(n, -1, dtype=np.int64),
    )


class _Known(NamedTuple):
    """The columns of the table's plants known by a start, as :func:`load` takes them (shared: read-only)."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    owners: tuple[str, ...]
    commodity: np.ndarray
    intake_q: np.ndarray
    online: np.ndarray
    lon: np.ndarray
    lat: np.ndarray


@by_file
def _known(full: Path, start_year: int) -> _Known:
    """The table's live refining plants known by 1 January of ``start_year``: filtered once per file and start."""
    frame = _read(full)
    known = pd.to_datetime(frame["known_by"]) <= pd.Timestamp(date(start_year, 1, 1))
    frame = frame[known & frame["status"].isin(LIVE) & frame["stage"].isin(REFINING)]
    year = pd.to_numeric(frame["start_year"], errors="coerce").fillna(start_year).to_numpy()
    arrays = (
        frame["commodity"].map(COMMODITY_INDEX).to_numpy(np.int64),
        frame["capacity_per_year"].astype(float).to_numpy() * frame["ore_per_output"].astype(float).to_numpy() / 4.0,
        np.maximum(0, (year - start_year) * 4 + 1).astype(np.int64),
        frame["lon"].astype(float).to_numpy(),
        frame["lat"].astype(float).to_numpy(),
    )
    for a in arrays:
        a.flags.writeable = False
    return _Known(tuple(frame["id"]), tuple(frame["name"]), tuple(frame["owners"]), *arrays)


def empty(holders: int) -> PlantTable:
    """A run with no plants (the plants switched off, or a synthetic table)."""
    z = np.zeros(0)
    return PlantTable([], [], z.astype(np.int64), z, z, z.astype(np.int64), np.zeros((0, holders)),
                      np.zeros((0, holders), dtype=bool), z, z, z.astype(np.int64), z.astype(np.int64))  # fmt: skip


@by_file
def _read(full: Path) -> pd.DataFrame:
    frame = read_csv(full, "a CSV of processing plants (data/states_sources.md)", "run.plants", COLUMNS, text=True)
    bad = ~frame["commodity"].isin(list(COMMODITY_INDEX))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(str(full), f"row {row + 2} column commodity", f"allowed: one of {', '.join(COMMODITIES)}")
    frame["stage"] = np.where(frame["output_product"].str.contains("concentrate"), "concentrate", "metal")
    for col in ("capacity_per_year", "ore_per_output"):
        values = pd.to_numeric(frame[col], errors="coerce")
        if values.isna().any() or (values <= 0).any():
            row = int(np.flatnonzero((values.isna() | (values <= 0)).to_numpy())[0])
            raise InputError(str(full), f"row {row + 2} column {col}", "allowed: a number > 0")
    return frame


@by_file
def _products(full: Path) -> pd.DataFrame:
    what = "a CSV of products and value added (data/states_sources.md)"
    frame = read_csv(full, what, "run.products", ("commodity", "stage", "value_added_share"))
    share = pd.to_numeric(frame["value_added_share"], errors="coerce")
    bad = ~frame["commodity"].isin(list(COMMODITY_INDEX)) | share.isna() | (share < 0) | (share > 1)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(str(full), f"row {row + 2}", "allowed: a model commodity and a value added share in [0, 1]")
    return frame

"""The deposits' fixed attributes as arrays (``DepositTable``), and rows added during a run.

Rows found or released during a run (discoveries, state plots) are made by :func:`new_rows` and appended with
:meth:`DepositTable.append`; reading and checking ``data/deposits.csv`` is ``model/deposit_load.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from model.paths import project_path
from model.vocabulary import Stage

table_path = project_path  # where run.deposits and the other tables point: absolute, or from the project root


# Kazakhstan's bounding box (Natural Earth outline, rounded outward), for synthetic tables.
LON_RANGE, LAT_RANGE = (46.0, 88.0), (40.0, 56.0)


@dataclass
class DepositTable:
    """The deposits' fixed attributes as arrays (one entry per deposit, table rows first)."""

    ids: list[str]
    names: list[str]
    regions: list[str]
    commodity: np.ndarray  # int index into model.commodities.NAMES
    contained: np.ndarray  # t, in the commodity's price unit
    capacity: np.ndarray  # t per quarter
    lead_time: np.ndarray  # quarters
    stage: np.ndarray  # model.vocabulary.Stage (the starting stage)
    holders: list[dict[str, float]]
    offtake: list[dict[str, float]]
    lon: np.ndarray
    lat: np.ndarray
    approx: np.ndarray
    channel: np.ndarray  # model.vocabulary.Channel
    strategic: np.ndarray  # bool: Subsoil Code Art. 43 (all uranium, and the government's list)
    capex: np.ndarray  # sourced capex, USD million (NaN: none; the model estimates it)
    origin: np.ndarray  # 0 table, 1 state release, 2 discovery
    start: np.ndarray  # year of first production (NaN: not producing, or not in the sources)

    def __len__(self) -> int:
        return len(self.ids)

    def append(self, other: DepositTable) -> None:
        """Add ``other``'s rows at the end."""
        for name in _FIELDS:
            a, b = getattr(self, name), getattr(other, name)
            setattr(self, name, a + b if isinstance(a, list) else np.concatenate([a, b]))


_FIELDS = tuple(f.name for f in fields(DepositTable))  # read at each arrival: ``fields`` rebuilds its tuple per call


def new_rows(
    *,
    ids: list[str],
    names: list[str],
    regions: list[str],
    commodity: np.ndarray,
    contained: np.ndarray,
    capacity: np.ndarray,
    lead_time: np.ndarray,
    lon: np.ndarray,
    lat: np.ndarray,
    channel: np.ndarray,
    strategic: np.ndarray,
    origin: int,
    stage: Stage = Stage.UNLICENSED,
) -> DepositTable:
    """Rows for deposits that enter during a run (state releases, discoveries): no holders yet, no sourced capex."""
    n = len(ids)
    return DepositTable(
        ids=list(ids),
        names=list(names),
        regions=list(regions),
        commodity=np.asarray(commodity, dtype=np.int64),
        contained=np.asarray(contained, dtype=float),
        capacity=np.asarray(capacity, dtype=float),
        lead_time=np.maximum(1, np.rint(lead_time)).astype(np.int64),
        stage=np.full(n, stage, dtype=np.int64),
        holders=[{} for _ in range(n)],
        offtake=[{} for _ in range(n)],
        lon=np.asarray(lon, dtype=float),
        lat=np.asarray(lat, dtype=float),
        approx=np.ones(n, dtype=bool),
        channel=np.asarray(channel, dtype=np.int64),
        strategic=np.asarray(strategic, dtype=bool),
        capex=np.full(n, np.nan),
        origin=np.full(n, origin, dtype=np.int64),
        start=np.full(n, np.nan),
    )

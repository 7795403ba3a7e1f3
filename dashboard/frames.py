"""What the browser is sent each quarter: only what changed, for the charts and the map alike.

A frame is either a *snapshot* (everything a view shows at a step: after a jump, a reset, a new view) or a
*delta* from the step before (play and Step). Deltas keep a frame's size flat over a run while the
deposits grow from about 70 to about 580:

* the charts get the new quarter's rows only (the browser appends them);
* a map layer sends an item when it first appears (all its columns), and afterwards only a ``dynamic``
  column that changed (that column alone). Its ``value`` (a producing deposit's reserve value falls every quarter) is
  sent with its rate of fall, ``value(t) = max(0, v0 - r·(t - s0))``, which the browser computes; the item
  is sent again only when that prediction misses the value by more than the map shows ($0.5m).

Frames are columnar JSON (one list per column): row dicts would repeat every key in every row.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from dashboard.charts import series_columns
from dashboard.layers import Layer, Rows

TOLERANCE = 0.5  # USD m: the map's tooltip shows whole $m


def columns(rows: Rows, names, pick: np.ndarray | None = None) -> dict[str, list]:
    """Columnar JSON-ready lists of ``rows`` (only ``pick``, a boolean mask, if given)."""
    out = {}
    for name in names:
        col = rows[name] if pick is None else rows[name][pick]
        out[name] = np.round(col, 4).tolist() if col.dtype.kind == "f" else col.tolist()
    return out


class LayerFeed:
    """What the browser holds of one layer (per session): each item's dynamic columns, and v0, r, s0."""

    def __init__(self, layer: Layer, source: Callable[[int], Rows]):
        self.layer, self.source = layer, source  # source(step): the layer's rows at that step
        self.index: dict = {}  # item id -> position in the arrays below
        self.sent: dict[str, np.ndarray] = {}
        self.last: tuple[int, Rows] | None = None  # the rows of the step before, for the rates

    def _rows_with_rates(self, step: int) -> Rows:
        rows = dict(self.source(step))
        before = self.last[1] if self.last and self.last[0] == step - 1 else None
        if before is None and step > 0:
            before = self.source(step - 1)
        value = rows[self.layer.value]
        rate = np.zeros(len(value))
        if before is not None:
            where = {item: i for i, item in enumerate(before["id"])}
            at = np.array([where.get(item, -1) for item in rows["id"]], dtype=np.int64)
            prev = np.where(at >= 0, before[self.layer.value][at], value) if len(at) else value
            rate = np.where(self.layer.steady(rows), np.maximum(prev - value, 0.0), 0.0)
        self.last = (step, self.source(step))
        rows.update(v0=np.round(value, 2), r=np.round(rate, 4), s0=np.full(len(value), step))
        return rows

    def _remember(self, rows: Rows, pick: np.ndarray, names=None) -> None:
        """Note what the browser now holds of the picked rows: columns ``names`` (default: all)."""
        for item in rows["id"][pick]:
            self.index.setdefault(item, len(self.index))
        where = [self.index[item] for item in rows["id"][pick]]
        for name in (*self.layer.dynamic, "v0", "r", "s0"):
            col = self.sent.get(name, np.empty(0, dtype=rows[name].dtype))
            if len(col) < len(self.index):
                col = np.concatenate([col, np.zeros(len(self.index) - len(col), dtype=col.dtype)])
            if names is None or name in names:
                col[where] = rows[name][pick]
            self.sent[name] = col

    def snapshot(self, step: int) -> dict[str, list]:
        rows = self._rows_with_rates(step)
        self.index, self.sent = {}, {}
        self._remember(rows, np.ones(len(rows["id"]), dtype=bool))
        return columns(rows, ["id", *self.layer.static, *self.layer.dynamic, "v0", "r", "s0"])

    def delta(self, step: int) -> dict:
        """{"new": items not sent before (every column); "set": per dynamic column, the items where it changed
        (``{"id": [...], column: [...]}``); "value": the items whose value moved off what the browser shows
        (v0, r, s0); "gone": ids no longer there}. A change sends its own column only."""
        rows = self._rows_with_rates(step)
        at = np.array([self.index.get(item, -1) for item in rows["id"]], dtype=np.int64)
        known = at >= 0
        pos = np.where(known, at, 0)
        changed = {name: known & (rows[name] != self.sent[name][pos]) for name in self.layer.dynamic}
        v0, r, s0 = (self.sent[name][pos] for name in ("v0", "r", "s0"))
        moved = known & (np.abs(np.maximum(0.0, v0 - r * (step - s0)) - rows[self.layer.value]) > TOLERANCE)
        gone = sorted(set(self.index) - set(rows["id"]))
        for item in gone:  # its position stays (unused) until the next snapshot
            del self.index[item]
        self._remember(rows, ~known)
        for name, pick in changed.items():
            self._remember(rows, pick, [name])
        self._remember(rows, moved, ["v0", "r", "s0"])
        new = ~known
        return {  # an empty part is {}: a layer that did not change costs a few bytes a quarter
            "new": columns(rows, ["id", *self.layer.static, *self.layer.dynamic, "v0", "r", "s0"], new)
            if new.any()
            else {},
            "set": {name: columns(rows, ["id", name], pick) for name, pick in changed.items() if pick.any()},
            "value": columns(rows, ["id", "v0", "r", "s0"], moved) if moved.any() else {},
            "gone": gone,
        }


class SeriesFeed:
    """The charts' rows: all quarters up to a step (snapshot), or one quarter (delta)."""

    def __init__(self, holders: tuple[str, ...]):
        self.holders = holders
        self._frame: tuple[int, pd.DataFrame] | None = None

    def frame(self, model) -> pd.DataFrame:
        """The model's time series (built again only after the model stepped: it costs ~10 ms)."""
        if self._frame is None or self._frame[0] != model.steps:
            self._frame = (model.steps, model.timeseries())
        return self._frame[1]

    def snapshot(self, model, step: int) -> dict[str, list]:
        frame = self.frame(model)
        return series_columns(frame[frame["step"] <= step], self.holders)

    def delta(self, model, step: int) -> dict[str, list]:
        if step == model.steps:  # the quarter just run: the last observation, without rebuilding the table
            return series_columns({k: [v] for k, v in model.measures.items()}, self.holders)
        frame = self.frame(model)
        return series_columns(frame[frame["step"] == step], self.holders)

"""The row of measures of a quarter: where each declared result's columns sit, and how the row is filled.

The first quarter computes and checks each result on its own (``measures(..., check=True)``); after it, the
results that are entries of arrays (shared products of the observation, the tally's counts, arrays of the model)
are filled in one take (``Takes``), and the rest one by one. ``model/observe.py``'s recorder keeps the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from model.commodities import NAMES as COMMODITIES
from model.result_products import Observation
from model.result_reads import Count, Part, Read
from model.results import RESULTS, Result


class Takes:
    """The results that are entries of arrays (``result_reads.Part``, ``Count`` and ``Read``: a shared product of
    the observation, the tally's counts, an array of the model), filled in one take: the arrays (by dotted path on
    the observation) laid end to end, and every entry's place there. The places are set at the first fill, from
    the arrays' sizes; an array whose size then changes is an error, not a misplaced number.
    """

    def __init__(self, takes: tuple[tuple[str, np.ndarray, np.ndarray], ...]) -> None:
        """``takes``: per array, its path, the row's columns and the array's (flat) entries."""
        self.takes, self.sources = takes, tuple(source for source, _, _ in takes)
        self.cols = np.concatenate([cols for _, cols, _ in takes]) if takes else np.empty(0, dtype=np.int64)
        get = attrgetter(*self.sources) if takes else None  # one call gets them all (one alone is not a tuple)
        self._get = (lambda o: (get(o),)) if len(takes) == 1 else get
        self.entries: np.ndarray | None = None
        self.size = 0

    def fill(self, o: Observation, row: np.ndarray) -> None:
        """Write every take of ``o`` into ``row``."""
        if not self.takes:
            return
        arrays = self._get(o)
        values = np.concatenate(arrays, axis=None)  # each array laid flat (a number as one entry), end to end
        if self.entries is None:
            sizes = np.array([np.size(a) for a in arrays])
            starts = np.cumsum(sizes) - sizes
            self.entries = np.concatenate([entries + start for (_, _, entries), start in zip(self.takes, starts)])
            self.size = values.size
        elif values.size != self.size:
            raise ValueError(f"the shared arrays {self.sources} changed size: {self.size} entries, now {values.size}")
        row[self.cols] = values[self.entries]


@dataclass(frozen=True)
class Layout:
    """Each computed result and its columns in a row of measures (all but ``quarter``, in ``result_names`` order):
    a slice, or the index of a result's one column. After the first quarter a row is filled by ``takes``, the
    entries of the shared arrays the results read (``Takes``), and by each of the ``rest`` one by one.
    """

    columns: list[tuple[Result, slice | int]]
    takes: Takes
    rest: list[tuple[Result, slice | int]]
    width: int


def layout(model) -> Layout:
    """The row of measures of ``model``'s results (its holders and powers)."""
    width = {"": 1, "holder": len(model.holders), "power": len(model.power_index), "commodity": len(COMMODITIES)}
    columns, rest, at = [], [], 0
    takes: dict[str, tuple[list[int], list[int]]] = {}
    for r in RESULTS:
        if r.compute is None:  # the quarter is a label, kept apart
            continue
        cols = at if r.per == "" else slice(at, at + width[r.per])
        columns.append((r, cols))
        at += width[r.per]
        if isinstance(r.compute, Part | Count | Read):
            into, entries = takes.setdefault(r.compute.source, ([], []))
            into.extend(range(at - width[r.per], at))
            entries.extend(r.compute.positions(model).tolist())
        else:
            rest.append((r, cols))
    return Layout(columns, Takes(tuple((k, np.array(a), np.array(b)) for k, (a, b) in takes.items())), rest, at)


def _width(cols: slice | int) -> int:
    return 1 if isinstance(cols, int) else cols.stop - cols.start


def measures(o: Observation, plan: Layout, check: bool = False) -> np.ndarray:
    """This quarter's measures: each declared result's own computation in its columns; with ``check``, each
    result's width is checked against what its ``per`` declares (the recorder checks the first observation).
    """
    row = np.empty(plan.width)
    first = o.model.steps == 0
    if not (check or first):  # every quarter after the first: no check, no flow left out
        plan.takes.fill(o, row)
        for r, cols in plan.rest:
            row[cols] = r.compute(o)
        return row
    for r, cols in plan.columns:
        if first and r.flow:
            row[cols] = np.nan
            continue
        value = r.compute(o)
        if check and np.shape(np.atleast_1d(value)) != (_width(cols),):
            raise ValueError(f"result {r.name} computed {np.shape(value)}, declared one value per {r.per or 'run'}")
        row[cols] = value
    return row

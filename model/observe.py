"""Observation: the columns of the declared results (``model/results.py``), the per-quarter measures, and the
recorder that keeps them.

The measures are each declared result's own computation over one :class:`~model.result_products.Observation`, joined into
a row of numbers; the recorder is a Mesa ``DataCollector`` that stores those rows (``mesa.batch_run`` and
``get_model_vars_dataframe()`` work as usual) without a reporter call per column.
"""

from __future__ import annotations

import re

import mesa
import numpy as np
import pandas as pd

from model import market_tables
from model.commodities import NAMES as COMMODITIES
from model.errors import InputError
from model.history import DepositHistory, holding_cells
from model.measure_row import Layout, layout, measures
from model.params.spec import show
from model.result_products import observation, power_columns
from model.result_reads import route_span
from model.results import RESULTS
from model.vocabulary import Stage

_QUARTER = re.compile(r"\d{4}Q[1-4]")
ORIGINS = ("table", "state release", "discovery")
CLOCK = ("step", "quarter")  # the results that say when; every other result is a measure


def result_parts(holders: tuple[str, ...], powers: tuple[str, ...]) -> dict[str, tuple[str, str | None, str | None]]:
    """Every column of a run's time series, in order, with its long-table parts ``(measure, holder, commodity)``.

    Column names are snake_case: a holder code is lower-case in a name (``capacity_share_eu``, as in the
    parameter keys ``eu.*``) and upper-case as a value (``holder = "EU"``).
    """
    codes = {"holder": holders, "power": powers, "commodity": COMMODITIES}
    parts: dict[str, tuple[str, str | None, str | None]] = {}
    for r in RESULTS:
        if not r.per:
            parts[r.name] = (r.name, None, None)
            continue
        for code in codes[r.per]:
            who, what = (None, code) if r.per == "commodity" else (code, None)
            parts[f"{r.name}_{code.lower()}"] = (r.name, who, what)
    return parts


def result_names(holders: tuple[str, ...], powers: tuple[str, ...]) -> list[str]:
    """Every column of a run's time series, in order."""
    return list(result_parts(holders, powers))


def quarter_label(start_year: int, step: int) -> str:
    """Label of the quarter that ends at ``step`` (step 0 is the state before the first quarter)."""
    q = start_year * 4 + step - 1
    return f"{q // 4}Q{q % 4 + 1}"


def quarters(start_year: int, steps) -> pd.PeriodIndex:
    """The quarter that ends at each step (step 0: the quarter before the start); a missing step gives NaT."""
    steps = pd.array(steps, dtype="Int64")
    ordinals = ((start_year - 1970) * 4 - 1 + steps).to_numpy(np.int64, na_value=pd.NaT.value)
    return pd.PeriodIndex.from_ordinals(ordinals, freq="Q", name="quarter")


def parse_quarter(value, where: str) -> pd.Period:
    """A quarter given as ``"2040Q4"`` or a ``pandas.Period``; a one-line InputError otherwise."""
    text = str(value).strip().upper()
    if isinstance(value, pd.Period | str) and _QUARTER.fullmatch(text):
        return pd.Period(text, freq="Q")
    raise InputError(where, show(value), "allowed: a quarter such as '2040Q4' (year, Q, 1-4)")


class Recorder(mesa.DataCollector):
    """A Mesa DataCollector that stores each observation as one row of numbers, plus the per-commodity holdings
    and a snapshot of each deposit's state and holdings.

    ``model_vars`` (what ``mesa.batch_run`` reads) and ``get_model_vars_dataframe()`` behave as Mesa's do; they
    leave out ``step``, which ``mesa.batch_run`` reports as its own ``Step``.
    """

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names
        self._rows: list[np.ndarray] = []
        self._commodity: dict[int, np.ndarray] = {}
        self._history = DepositHistory()  # each deposit's state and holdings at each observed step
        self.markets: dict[int, market_tables.Snapshot] = {}  # markets and routes (model/market_tables.py)
        self.start_year = 0  # the model's, from the first observation
        self._layout: Layout | None = None
        self._power_columns: slice | np.ndarray = slice(0)
        self._eu_met: tuple[int, slice | int] = (0, slice(0))  # the EU's column, and where its met demand sits

    @property
    def model_vars(self) -> dict[str, list]:
        """Column name → the values at each observation (Mesa's layout)."""
        frame = self.get_model_vars_dataframe()
        return {name: frame[name].tolist() for name in frame.columns}

    @model_vars.setter
    def model_vars(self, _value) -> None:  # Mesa's __init__ assigns an empty dict
        pass

    def collect(self, model) -> None:
        """Observe the model now."""
        self._collection_steps.append(model.steps)
        if self._layout is None:
            self.start_year = model.start_year
            self._layout, self._power_columns = layout(model), power_columns(model.power_index)
            self._eu_met = model.index["EU"], route_span(model, "met")
        o, table = observation(model, self._power_columns)
        self._rows.append(measures(o, self._layout, check=not self._rows))
        # commodities × holders: value held, capacity held at base prices, output taken at base prices, and the
        # EU's supply security in its column (null at step 0, when nothing has moved)
        if model.steps > 0:
            eu, met = self._eu_met
            table[3, :, eu] = o.routes[met]
        self._commodity[model.steps] = table
        self._history.record(model.steps, model.deposits)
        self.markets[model.steps] = market_tables.snapshot(model, o.demand_eu)

    def frame(self) -> pd.DataFrame:
        """One row per observation, indexed by quarter: ``step`` and every measure."""
        frame = self._numbers()
        return frame.set_index(quarters(self.start_year, frame["step"]))

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """One row per observation (Mesa's layout): ``quarter`` as its label (``2030Q4``) and every measure."""
        frame = self._numbers().drop(columns="step")
        frame.insert(0, "quarter", [quarter_label(self.start_year, s) for s in self._collection_steps])
        return frame

    def _numbers(self) -> pd.DataFrame:
        data = np.vstack(self._rows) if self._rows else np.empty((0, len(self.names) - 1))
        frame = pd.DataFrame(data, columns=[n for n in self.names if n != "quarter"])
        frame["step"] = frame["step"].astype(np.int64)
        return frame

    def last(self) -> dict[str, float | str]:
        """The latest observation, by result name."""
        values = dict(zip([n for n in self.names if n != "quarter"], self._rows[-1].tolist()))
        step = self._collection_steps[-1]
        return {**values, "step": int(values["step"]), "quarter": quarter_label(self.start_year, step)}

    def commodity_frame(self, holders: tuple[str, ...]) -> pd.DataFrame:
        """Long table by step, commodity and holder: shares of licensed reserve value, of capacity in operation
        and of output (offtake) at base prices; and, on the EU's rows, what reached it over the routes against its
        demand path (``eu_security``).
        """
        steps = np.array(list(self._commodity))
        raw = np.array(list(self._commodity.values()))  # steps × 4 × commodities × holders
        total = raw[:, :3].sum(axis=3, keepdims=True)
        arr = np.divide(raw[:, :3], total, out=np.zeros_like(raw[:, :3]), where=total > 0)
        s, c, h = np.meshgrid(*(np.arange(n) for n in (arr.shape[0], arr.shape[2], arr.shape[3])), indexing="ij")
        security = raw[:, 3][s, c, h]
        return pd.DataFrame(
            {
                "step": steps[s.ravel()],
                "quarter": quarters(self.start_year, steps[s.ravel()]),
                "commodity": np.array(COMMODITIES)[c.ravel()],
                "holder": np.array(holders)[h.ravel()],
                "reserve_share": arr[:, 0].ravel(),
                "capacity_share": arr[:, 1].ravel(),
                "output_share": arr[:, 2].ravel(),
                "eu_supply_security": security.ravel(),
            }
        )

    def observed(self, step: int | None, now: int, where: str) -> int:
        """``step`` (default ``now``) if it was observed; a one-line InputError naming the observed ones if not."""
        step = now if step is None else step
        if isinstance(step, int | np.integer) and not isinstance(step, bool) and int(step) in self._history:
            return int(step)
        seen = self._history.steps()
        shown = ", ".join(map(str, seen)) if len(seen) <= 4 else f"{seen[0]}, {seen[1]}, …, {seen[-1]}"
        raise InputError(where, f"step {show(step)}", f"not observed; allowed: an observed step ({shown})")

    def deposit_frame(self, model, step: int) -> pd.DataFrame:
        """Per-deposit state at an observed ``step`` (the same columns at every step; deposits that entered
        later are absent; a controller, award or first output that has not happened is null).
        """
        t = model.deposits.table
        (stage, leader, award, first), remaining = self._history.deposits(step)
        n = len(stage)
        holders = np.array([*model.holders, None], dtype=object)
        award, first = (pd.array(np.where(a >= 0, a, None), dtype="Int64") for a in (award, first))
        return pd.DataFrame(
            {
                "id": t.ids[:n],
                "name": t.names[:n],
                "commodity": np.array(COMMODITIES)[t.commodity[:n]],
                "region": t.regions[:n],
                "lon": t.lon[:n],
                "lat": t.lat[:n],
                "coord_approx": t.approx[:n],
                "origin": np.array(ORIGINS)[t.origin[:n]],
                "stage": np.array(Stage.labels())[stage],
                "remaining_t": remaining,
                "contained_t": t.contained[:n],
                "reserve_value_usd_m": remaining * model.base_price[t.commodity[:n]] / 1e6,
                "controller": pd.array(holders[leader], dtype="str"),
                "award_step": award,
                "award_quarter": quarters(self.start_year, award),
                "first_output_step": first,
                "first_output_quarter": quarters(self.start_year, first),
            }
        )

    def holders_frame(self, model, step: int) -> pd.DataFrame:
        """Long table of who holds each deposit at an observed ``step``: equity and offtake shares by holder."""
        (rows, cols), (equity, offtake) = holding_cells(*self._history.holdings(step))
        return pd.DataFrame(
            {
                "deposit": np.array(model.deposits.table.ids, dtype=object)[rows],
                "holder": np.array(model.holders)[cols],
                "equity_share": equity,
                "offtake_share": offtake,
            }
        )

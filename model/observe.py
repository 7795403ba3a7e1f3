"""Observation: the declared results schema, the per-quarter measures, and the recorder that keeps them.

Every result is declared once here (name, unit, description), as Starsim declares results, so that the
DataCollector, the batch runner, the summary and docs/ODD.md agree. The measures are computed in one
vectorised pass into a row of numbers; the recorder is a Mesa ``DataCollector`` that stores those rows
(``mesa.batch_run`` and ``get_model_vars_dataframe()`` work as usual) without a reporter call per column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd

from model.commodities import NAMES as COMMODITIES
from model.errors import InputError
from model.params.spec import show
from model.vocabulary import Channel, Stage

_QUARTER = re.compile(r"\d{4}Q[1-4]")
ORIGINS = ("table", "state release", "discovery")
CLOCK = ("step", "quarter")  # the results that say when; every other result is a measure


@dataclass(frozen=True)
class Result:
    """One declared result; ``{h}`` stands for a holder code, ``{p}`` for a power, ``{c}`` for a commodity."""

    name: str
    unit: str
    description: str


RESULTS: tuple[Result, ...] = (
    Result("step", "quarters", "quarters since the start (0 = initial state)"),
    Result("quarter", "calendar quarter", "quarter that ended, e.g. 2030Q4 (step 0: the quarter before the start)"),
    # the headline: who holds the capacity to produce, who takes the output, who wins the new awards
    Result("capacity_share_{h}", "share", "{h}'s equity share of the production capacity in operation, at base prices"),
    Result("output_share_{h}", "share", "{h}'s share of this quarter's output value at base prices (offtake)"),
    Result("new_awards_{h}", "licences", "licences won by {h} this quarter (all channels, and finders that develop)"),
    Result("reserve_share_{h}", "share", "{h}'s share of licensed reserve value (remaining tonnes at current prices)"),
    Result("eu_supply_security", "share", "EU offtake at base prices / demand.eu_usd_m, capped at 1"),
    Result("diversification", "1 − HHI", "1 − HHI of foreign partners' shares of licensed reserve value"),
    Result("licensed_value_usd_bn", "USD bn", "reserve value of licensed deposits at current prices"),
    Result("output_value_usd_m", "USD m per quarter", "value of this quarter's output at current prices"),
    Result("deposits", "deposits", "deposits known: the table's, the state's releases and discoveries"),
    Result("free_plots", "deposits", "plots free to be offered (unlicensed, not on exploration ground)"),
    Result("ground_licensed", "blocks", "exploration blocks under licence"),
    Result("trust_{p}", "0–1", "host's trust in {p}"),
    Result("investment_{h}", "USD m, cumulative", "public capital and bonuses committed in awards won by {h}"),
    Result("private_invested_{h}", "USD m, cumulative", "private capital committed in awards led by {h}"),
    Result(
        "private_walked_{h}", "USD m, cumulative", "private capital that left {h}'s pursuits (impatience, no value)"
    ),
    Result("awards_{h}", "licences, cumulative", "licences won by {h}"),
    Result("discoveries_{h}", "deposits, cumulative", "deposits found or defined on {h}'s exploration licences"),
    Result("licences_filed_{h}", "licences, cumulative", "exploration licences filed by {h}'s firms"),
    Result("licences_revoked_{h}", "licences, cumulative", "exploration licences of {h} revoked for no work"),
    Result("stakes_bought_{h}", "stakes, cumulative", "stakes {h} bought in forced sales (sanctions, divestments)"),
    Result("private_capital_{h}", "USD m", "private capital now inside {h}'s open pursuits"),
    Result("missed_{p}", "events, cumulative", "pursuits of {p} still in approval when their tender closed"),
    Result("missed_value_{p}", "USD m, cumulative", "reserve value (net of the state's stake) of {p}'s missed windows"),
    Result("preempted_{p}", "events, cumulative", "pursuits of {p} still in approval when a rival was accepted early"),
    Result("budget_bound_{p}", "quarters, cumulative", "quarters in which {p}'s budget stopped a pursuit it wanted"),
    Result("budget_active_{p}", "quarters, cumulative", "quarters in which {p} had open plots and free slots"),
    Result("award_lag_{p}", "quarters", "mean quarters from pursuit to award over {p}'s awards so far"),
    Result("price_{c}", "USD per commodity unit", "price of {c} this quarter (units in model/commodities.py)"),
)


def result_parts(holders: tuple[str, ...], powers: tuple[str, ...]) -> dict[str, tuple[str, str | None, str | None]]:
    """Every column of a run's time series, in order, with its long-table parts ``(measure, holder, commodity)``.

    Column names are snake_case: a holder code is lower-case in a name (``capacity_share_eu``, as in the
    parameter keys ``eu.*``) and upper-case as a value (``holder = "EU"``).
    """
    parts: dict[str, tuple[str, str | None, str | None]] = {}
    for r in RESULTS:
        for slot, codes in (("{h}", holders), ("{p}", powers), ("{c}", COMMODITIES)):
            if slot in r.name:
                base = r.name.replace(f"_{slot}", "")
                for code in codes:
                    who, what = (None, code) if slot == "{c}" else (code, None)
                    parts[r.name.replace(slot, code.lower())] = (base, who, what)
                break
        else:
            parts[r.name] = (r.name, None, None)
    return parts


def result_names(holders: tuple[str, ...], powers: tuple[str, ...]) -> list[str]:
    """Every column of a run's time series, in order."""
    return list(result_parts(holders, powers))


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


def row_shares(m: np.ndarray) -> np.ndarray:
    """Each row divided by its sum (rows summing to zero stay zero)."""
    total = m.sum(axis=1)
    total[total == 0] = 1.0
    return m / total[:, None]


def by_commodity(by_row: np.ndarray, value: np.ndarray, holders: np.ndarray) -> np.ndarray:
    """Commodities × holders: ``value`` split by the holder matrix and summed by commodity.

    ``by_row`` is the commodities × deposits indicator matrix (``onehot.T``, contiguous).
    """
    return by_row @ (value[:, None] * holders)


def measures(
    model, value: np.ndarray, output_value: np.ndarray, capacity_base: np.ndarray, output_t_base: np.ndarray
) -> np.ndarray:
    """This quarter's measures (all but ``quarter``), in the order of ``result_names``.

    ``value``: each deposit's licensed reserve value, ``output_value`` its output this quarter (USD m, current
    prices); ``capacity_base`` its capacity in operation and ``output_t_base`` its output, at base prices (USD);
    the recorder computes them once for these measures and for its per-commodity holdings.
    """
    d, powers, t = model.deposits, model.power_index, model.tally
    capacity = capacity_base @ d.equity
    output_base = output_t_base @ d.offtake / 1e6
    held = value @ d.equity
    total = held.sum()
    foreign = total - held[model.host_index]
    hhi = (float(held @ held) - held[model.host_index] ** 2) / foreign**2 if foreign > 0 else 1.0
    awards = t.awards[powers]
    lag = t.award_lag[powers] / np.where(awards > 0, awards, np.nan)
    eu = min(1.0, output_base[model.index["EU"]] / model.params.demand.eu_usd_m)
    free = int(((d.stage == Stage.UNLICENSED) & (d.table.channel != Channel.EXPLORATION)).sum())
    counts = [len(d), free, 0 if model.ground is None else int(np.count_nonzero(model.ground.holder >= 0))]
    return np.concatenate(
        [
            [model.steps],
            _shares(capacity),
            _shares(output_base),
            t.new_awards,
            held / total if total > 0 else held * 0.0,
            [eu, 1.0 - hhi, value.sum() / 1e3, output_value.sum()],
            counts,
            model.trust[powers],
            t.table[: t.PER_HOLDER].ravel(),
            model.investors.committed_by_power(len(model.holders)),
            t.table[t.PER_HOLDER :, powers].ravel(),
            model.budgets.bound[powers],
            model.budgets.active[powers],
            lag,
            model.prices.price,
        ]
    )


def _shares(x: np.ndarray) -> np.ndarray:
    total = x.sum()
    return x / total if total > 0 else x * 0.0


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
        self._quarters: list[str] = []
        self._commodity: dict[int, np.ndarray] = {}
        self._deposits: dict[int, tuple[np.ndarray, ...]] = {}
        self._holdings: dict[int, tuple[np.ndarray, ...]] = {}
        self.start_year = 0  # the model's, from the first observation

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
        d = model.deposits
        price = model.prices.price[d.table.commodity]
        value = d.licensed_value_usd_m(model.prices.price)
        output_value = model.output_t * price / 1e6
        base = model.base_price[d.table.commodity]
        capacity_base = np.where(d.stage == Stage.PRODUCING, d.table.capacity, 0.0) * base
        output_t_base = model.output_t * base
        self.start_year = model.start_year
        self._collection_steps.append(model.steps)
        self._rows.append(measures(model, value, output_value, capacity_base, output_t_base))
        self._quarters.append(model.quarter)
        by_row = d.indicator()
        # commodities × holders: value held, capacity held at base prices, output taken at base prices, tonnes taken
        self._commodity[model.steps] = np.stack(
            [
                by_commodity(by_row, value, d.equity),
                by_commodity(by_row, capacity_base, d.equity),
                by_commodity(by_row, output_t_base, d.offtake),
                by_commodity(by_row, model.output_t, d.offtake),
            ]
        )
        state = (d.stage, d.remaining, d.leader, d.award_step, d.first_output)
        self._deposits[model.steps] = tuple(a.copy() for a in state)
        rows, cols = np.nonzero((d.equity > 0) | (d.offtake > 0))
        self._holdings[model.steps] = (rows, cols, d.equity[rows, cols], d.offtake[rows, cols])

    def frame(self) -> pd.DataFrame:
        """One row per observation, indexed by quarter: ``step`` and every measure."""
        frame = self._numbers()
        return frame.set_index(quarters(self.start_year, frame["step"]))

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """One row per observation (Mesa's layout): ``quarter`` as its label (``2030Q4``) and every measure."""
        frame = self._numbers().drop(columns="step")
        frame.insert(0, "quarter", self._quarters)
        return frame

    def _numbers(self) -> pd.DataFrame:
        data = np.vstack(self._rows) if self._rows else np.empty((0, len(self.names) - 1))
        frame = pd.DataFrame(data, columns=[n for n in self.names if n != "quarter"])
        frame["step"] = frame["step"].astype(np.int64)
        return frame

    def last(self) -> dict[str, float | str]:
        """The latest observation, by result name."""
        values = dict(zip([n for n in self.names if n != "quarter"], self._rows[-1].tolist()))
        return {**values, "step": int(values["step"]), "quarter": self._quarters[-1]}

    def commodity_frame(self, holders: tuple[str, ...], eu_demand: np.ndarray, eu: int) -> pd.DataFrame:
        """Long table by step, commodity and holder: shares of licensed reserve value, of capacity in operation
        and of output (offtake) at base prices; and, on the EU's rows, its offtake against its yearly demand.
        """
        steps = np.array(list(self._commodity))
        raw = np.array(list(self._commodity.values()))  # steps × 4 × commodities × holders
        total = raw[:, :3].sum(axis=3, keepdims=True)
        arr = np.divide(raw[:, :3], total, out=np.zeros_like(raw[:, :3]), where=total > 0)
        s, c, h = np.meshgrid(*(np.arange(n) for n in (arr.shape[0], arr.shape[2], arr.shape[3])), indexing="ij")
        security = np.where(h == eu, 4.0 * raw[:, 3][s, c, h] / eu_demand[c], np.nan)
        return pd.DataFrame(
            {
                "step": steps[s.ravel()],
                "quarter": quarters(self.start_year, steps[s.ravel()]),
                "commodity": np.array(COMMODITIES)[c.ravel()],
                "holder": np.array(holders)[h.ravel()],
                "reserve_share": arr[:, 0].ravel(),
                "capacity_share": arr[:, 1].ravel(),
                "output_share": arr[:, 2].ravel(),
                "eu_supply_security": np.minimum(security.ravel(), 1.0),
            }
        )

    def observed(self, step: int | None, now: int, where: str) -> int:
        """``step`` (default ``now``) if it was observed; a one-line InputError naming the observed ones if not."""
        step = now if step is None else step
        if isinstance(step, int | np.integer) and not isinstance(step, bool) and int(step) in self._deposits:
            return int(step)
        seen = list(self._deposits)
        shown = ", ".join(map(str, seen)) if len(seen) <= 4 else f"{seen[0]}, {seen[1]}, …, {seen[-1]}"
        raise InputError(where, f"step {show(step)}", f"not observed; allowed: an observed step ({shown})")

    def deposit_frame(self, model, step: int) -> pd.DataFrame:
        """Per-deposit state at an observed ``step`` (the same columns at every step; deposits that entered
        later are absent; a controller, award or first output that has not happened is null).
        """
        t = model.deposits.table
        stage, remaining, leader, award, first = self._deposits[step]
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
        rows, cols, equity, offtake = self._holdings[step]
        return pd.DataFrame(
            {
                "deposit": np.array(model.deposits.table.ids, dtype=object)[rows],
                "holder": np.array(model.holders)[cols],
                "equity_share": equity,
                "offtake_share": offtake,
            }
        )

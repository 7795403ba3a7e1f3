"""Observation: the declared results schema, the per-quarter measures, and the recorder that keeps them.

Every result is declared once here (name, unit, description), as Starsim declares results, so that the
DataCollector, the batch runner, the summary and docs/ODD.md agree. The measures are computed in one
vectorised pass into a row of numbers; the recorder is a Mesa ``DataCollector`` that stores those rows
(``mesa.batch_run`` and ``get_model_vars_dataframe()`` work as usual) without a reporter call per column.
"""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd

from model.commodities import NAMES as COMMODITIES
from model.deposit_table import STAGES


@dataclass(frozen=True)
class Result:
    """One declared result; ``{h}`` stands for a holder code, ``{p}`` for a power, ``{c}`` for a commodity."""

    name: str
    unit: str
    description: str


RESULTS: tuple[Result, ...] = (
    Result("step", "quarters", "quarters since the start (0 = initial state)"),
    Result("quarter", "calendar quarter", "quarter that ended, e.g. 2030Q4 (step 0: the quarter before the start)"),
    Result("share_{h}", "share", "share of licensed reserve value (remaining tonnes at current prices) held by {h}"),
    Result("output_share_{h}", "share", "share of this quarter's output value taken (offtake) by {h}"),
    Result("eu_supply_security", "share", "EU offtake at base prices / demand.eu_usd_m, capped at 1"),
    Result("diversification", "1 − HHI", "1 − HHI of foreign partners' shares of licensed reserve value"),
    Result("licensed_value_usd_bn", "USD bn", "reserve value of licensed deposits at current prices"),
    Result("output_value_usd_m", "USD m per quarter", "value of this quarter's output at current prices"),
    Result("trust_{p}", "0–1", "host's trust in {p}"),
    Result("investment_{h}", "USD m, cumulative", "public capital and bonuses committed in awards won by {h}"),
    Result("private_invested_{h}", "USD m, cumulative", "private capital committed in awards led by {h}"),
    Result("private_capital_{h}", "USD m", "private capital now inside {h}'s open pursuits"),
    Result("private_walked_{h}", "USD m, cumulative", "private capital that left {h}'s pursuits for impatience"),
    Result("awards_{h}", "licences, cumulative", "licences won by {h}"),
    Result("missed_{p}", "events, cumulative", "pursuits of {p} still in approval when their tender closed"),
    Result("missed_value_{p}", "USD m, cumulative", "reserve value (net of the state's stake) of {p}'s missed windows"),
    Result("preempted_{p}", "events, cumulative", "pursuits of {p} still in approval when a rival was accepted early"),
    Result("award_lag_{p}", "quarters", "mean quarters from pursuit to award over {p}'s awards so far"),
    Result("price_{c}", "USD per commodity unit", "price of {c} this quarter (units in model/commodities.py)"),
)


def result_names(holders: tuple[str, ...], powers: tuple[str, ...]) -> list[str]:
    """Every column of a run's time series, in order."""
    names = []
    for r in RESULTS:
        if "{h}" in r.name:
            names += [r.name.format(h=h) for h in holders]
        elif "{p}" in r.name:
            names += [r.name.format(p=p) for p in powers]
        elif "{c}" in r.name:
            names += [r.name.format(c=c) for c in COMMODITIES]
        else:
            names.append(r.name)
    return names


def shares(x: np.ndarray) -> np.ndarray:
    """``x`` divided by its sum (zeros if it sums to zero)."""
    total = x.sum()
    return x / total if total > 0 else np.zeros_like(x)


def row_shares(m: np.ndarray) -> np.ndarray:
    """Each row divided by its sum (rows summing to zero stay zero)."""
    total = m.sum(axis=1, keepdims=True)
    return np.divide(m, total, out=np.zeros_like(m), where=total > 0)


def by_commodity(onehot: np.ndarray, value: np.ndarray, holders: np.ndarray) -> np.ndarray:
    """Commodities × holders: ``value`` split by the holder matrix and summed by commodity."""
    return onehot.T @ (value[:, None] * holders)


def measures(model) -> np.ndarray:
    """This quarter's measures (all but ``quarter``), in the order of ``result_names``."""
    d, powers = model.deposits, model.power_index
    price = model.prices.price[d.table.commodity]
    value = d.licensed_value_usd_m(model.prices.price)
    held = value @ d.equity
    out = model.output_t
    taken = (out * price / 1e6) @ d.offtake
    eu_base = (out * model.base_price[d.table.commodity] / 1e6) @ d.offtake[:, model.index["EU"]]
    foreign = held.copy()
    foreign[model.host_index] = 0.0
    fshares = shares(foreign)
    t = model.tally
    lag = np.divide(t.award_lag, t.awards, out=np.full_like(t.awards, np.nan), where=t.awards > 0)
    head = [
        model.steps,
        min(1.0, eu_base / model.params.demand.eu_usd_m),
        1.0 - float(np.sum(fshares**2)) if foreign.sum() > 0 else 0.0,
        value.sum() / 1e3,
        taken.sum(),
    ]
    return np.concatenate(
        [
            head[:1],
            shares(held),
            shares(taken),
            head[1:],
            model.trust[powers],
            t.invested_public,
            t.invested_private,
            model.investors.committed_by_power(len(model.holders)),
            t.private_walked,
            t.awards,
            t.missed[powers],
            t.missed_value[powers],
            t.preempted[powers],
            lag[powers],
            model.prices.price,
        ]
    )


class Recorder(mesa.DataCollector):
    """A Mesa DataCollector that stores each observation as one row of numbers, plus the per-commodity shares
    and a snapshot of each deposit's stage, remaining tonnes and controller.

    ``model_vars`` (what ``mesa.batch_run`` reads) and ``get_model_vars_dataframe()`` behave as Mesa's do.
    """

    def __init__(self, names: list[str], commodity: np.ndarray) -> None:
        super().__init__()
        self.names = names
        self._rows: list[np.ndarray] = []
        self._quarters: list[str] = []
        self._onehot = np.eye(len(COMMODITIES))[commodity]
        self._commodity: dict[int, np.ndarray] = {}
        self._deposits: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

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
        self._collection_steps.append(model.steps)
        self._rows.append(measures(model))
        self._quarters.append(model.quarter)
        price = model.prices.price[d.table.commodity]
        value = d.licensed_value_usd_m(model.prices.price)
        held = by_commodity(self._onehot, value, d.equity)
        output = by_commodity(self._onehot, model.output_t * price, d.offtake)
        self._commodity[model.steps] = np.stack([row_shares(held), row_shares(output)])
        self._deposits[model.steps] = (d.stage.astype(np.int8), d.remaining.copy(), d.leader.astype(np.int16))

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        """One row per observation, one column per result."""
        data = np.vstack(self._rows) if self._rows else np.empty((0, len(self.names) - 1))
        frame = pd.DataFrame(data, columns=[n for n in self.names if n != "quarter"])
        frame["step"] = frame["step"].astype(np.int64)
        frame.insert(1, "quarter", self._quarters)
        return frame

    def last(self) -> dict[str, float | str]:
        """The latest observation, by result name."""
        values = dict(zip([n for n in self.names if n != "quarter"], self._rows[-1].tolist()))
        return {**values, "step": int(values["step"]), "quarter": self._quarters[-1]}

    def commodity_frame(self, holders: tuple[str, ...]) -> pd.DataFrame:
        """Long table by step, commodity and holder: reserve (equity) and output (offtake) shares."""
        steps = np.array(list(self._commodity))
        arr = np.stack(list(self._commodity.values()))  # steps × 2 × commodities × holders
        s, c, h = np.meshgrid(*(np.arange(n) for n in (arr.shape[0], arr.shape[2], arr.shape[3])), indexing="ij")
        return pd.DataFrame(
            {
                "step": steps[s.ravel()],
                "commodity": np.array(COMMODITIES)[c.ravel()],
                "holder": np.array(holders)[h.ravel()],
                "reserve_share": arr[:, 0].ravel(),
                "output_share": arr[:, 1].ravel(),
            }
        )

    def deposit_frame(self, model, step: int | None = None) -> pd.DataFrame:
        """Per-deposit state at an observed ``step`` (default: now)."""
        t, d = model.deposits.table, model.deposits
        stage, remaining, leader = self._deposits[model.steps if step is None else step]
        frame = pd.DataFrame(
            {
                "id": t.ids,
                "name": t.names,
                "commodity": np.array(COMMODITIES)[t.commodity],
                "region": t.regions,
                "lon": t.lon,
                "lat": t.lat,
                "coord_approx": t.approx,
                "stage": np.array(STAGES)[stage],
                "remaining_t": remaining,
                "contained_t": t.contained,
                "reserve_value_usd_m": remaining * model.base_price[t.commodity] / 1e6,
                "controller": [model.holders[i] if i >= 0 else "" for i in leader],
            }
        )
        if step is None or step == model.steps:
            frame["award_step"], frame["first_output_step"] = d.award_step, d.first_output
            frame["holders"] = [
                ";".join(f"{model.holders[j]}:{e[j]:.3f}" for j in np.flatnonzero(e > 0)) for e in d.equity
            ]
        return frame

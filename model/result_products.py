"""The products every declared result reads (``model/results.py``), computed once per observation after all agents
have stepped: capacity and output at base prices, value held, the shares, the routes' summary, the tallies. Every
quarter's row reads each of them, so they are computed together when the observation is made, in one pass of
Python (made one by one on first read, as cached properties before 2026-12-07, they ran more Python in a running
step for the same numbers: docs/performance.md, its eleventh part).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from model.observe_kernels import holder_shares, online_intake, routes_summary, summary, tallies


@dataclass
class Observation:
    """What every result reads, computed once (``observe_kernels.values``). ``per``: per deposit, its licensed
    reserve value and its output this quarter (USD m, current prices), its capacity in operation at base prices
    (USD), and each power's equity through led, then through flagged holdings; ``totals``: the first two summed, the
    plots free to be offered, the licensed value in USD bn and the number of deposits (``TOTAL_PARTS``); ``mined``:
    the tonnes mined by commodity this quarter. What each holder takes comes from the chains' flow
    (``model/chains.py``). The other fields are the shared products, made from these and the model's state.
    """

    model: object
    per: np.ndarray
    totals: np.ndarray
    mined: np.ndarray
    power_columns: slice | np.ndarray  # picks the powers' entries of a per-holder array (``power_columns``)
    powers: np.ndarray = field(init=False)  # holder indices of the powers
    counts: np.ndarray = field(init=False)  # the tally's running counts (``COUNTS`` rows, holders along each)
    demand_eu: np.ndarray = field(init=False)  # the EU's demand path this quarter, t a year
    held: np.ndarray = field(init=False)  # licensed reserve value held by each holder (equity), USD m
    holder_shares: np.ndarray = field(init=False)  # every share by holder and power the results read (``_shares``)
    routes: np.ndarray = field(init=False)  # every route product the results read (``_routes``)
    # the single-number results that weigh vectors against each other (``observe_kernels.summary``): the share of
    # the mined output refined at home, the EU's supply security, the share of exports stranded, the diversification
    summary: np.ndarray = field(init=False)
    # the running tallies (``observe_kernels.tallies``): private capital inside each holder's pursuits, each power's
    # summed lag over its awards, the exploration blocks held
    tallies: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        m = self.model
        self.powers, self.counts, self.demand_eu = m.power_index, m.tally.counts, m.markets.demand_eu(m.steps)
        self.held, capacity_held, capacity_led, capacity_flagged = self._holdings()
        self.holder_shares = self._shares(capacity_held, capacity_led, capacity_flagged)
        self.routes = self._routes()
        self.summary = summary(self.mined, m.chains.refined, m.base_price, self.routes, self.held, m.host_index, 2.0)
        t, ground = m.tally, m.ground
        blocks = ground.holder if ground is not None else np.empty(0, dtype=np.int64)
        self.tallies = tallies(m.investors.pursuit, m.investors.stake, m.pursuits.power, len(m.holders), t.award_lag,
                               t.awards, self.powers, blocks)  # fmt: skip

    def _holdings(self) -> tuple[np.ndarray, ...]:
        """By holder, the licensed reserve value (USD m) and the capacity in operation at base prices (USD) held by
        equity; by power, that capacity held through led and through flagged holdings.
        """
        k, equity, capacity = len(self.powers), self.model.deposits.equity, self.per[2]
        return self.per[0] @ equity, capacity @ equity, capacity @ self.per[3 : 3 + k].T, capacity @ self.per[3 + k :].T

    def _shares(self, capacity_held, capacity_led, capacity_flagged) -> np.ndarray:
        """Every share by holder and power the results read (``observe_kernels.holder_shares``): by holder, of the
        capacity in operation, of this quarter's output, of the licensed reserve value and of the plants' intake
        online (at base prices, by plant equity); by power, of the capacity and the output through led and through
        flagged holdings. Capacity is held by equity at base prices; the output is what each holder takes (the
        chains' flow: mined ore by the deposits' offtake, integrated plants' product by theirs).
        """
        m = self.model
        return holder_shares(capacity_held, self.held, self._processing(), capacity_led, capacity_flagged,
                             m.chains.delivered, m.base_price, self.powers)  # fmt: skip

    def _processing(self) -> np.ndarray:
        """The plants' intake online by holder (plant equity), at base prices."""
        m, pl = self.model, self.model.chains.plants
        return online_intake(pl.online, pl.intake_q, m.base_price, pl.commodity, m.steps) @ pl.equity

    def _routes(self) -> np.ndarray:
        """Every route product the results read (``observe_kernels.routes_summary``): per commodity the EU's met
        demand and its weights, the tonnes carried and stranded; the tonnes over each corridor; the shares of what
        reached the EU that crossed Russia and China.
        """
        m, r = self.model, self.model.routes
        eu = m.index["EU"]
        return routes_summary(r.carried, r.stranded, r.table.via_russia, r.table.via_china, eu, self.demand_eu,
                              m.base_price, self._eu_value(eu))  # fmt: skip

    def _eu_value(self, eu: int) -> np.ndarray:
        """Per route, what reached the EU at base prices."""
        return self.model.routes.carried[:, :, eu] @ self.model.base_price


def power_columns(powers: np.ndarray) -> slice | np.ndarray:
    """What picks the powers' entries from a per-holder array: a slice where their indices run on (a view, no copy;
    the row of measures copies it), else the indices.
    """
    on = powers.size > 0 and bool((np.diff(powers) == 1).all())
    return slice(int(powers[0]), int(powers[-1]) + 1) if on else powers

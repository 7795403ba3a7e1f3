"""The products every declared result reads (``model/results.py``), computed once per observation after all agents
have stepped: capacity and output at base prices, value held, the shares, the routes' summary, the tallies. Each
product is a cached property, so a quarter computes only what its results read, and each once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from model.observe_kernels import holder_shares, online_intake, routes_summary, summary, tallies


@dataclass
class Observation:
    """What every result reads, computed once (``observe_kernels.values``). ``per``: per deposit, its licensed
    reserve value and its output this quarter (USD m, current prices), its capacity in operation at base prices
    (USD), and each power's equity through led, then through flagged holdings; ``totals``: the first two summed, the
    plots free to be offered, the licensed value in USD bn and the number of deposits (``TOTAL_PARTS``); ``mined``: the tonnes mined by commodity this quarter. What each holder takes
    comes from the chains' flow (``model/chains.py``).
    """

    model: object
    per: np.ndarray
    totals: np.ndarray
    mined: np.ndarray
    power_columns: slice | np.ndarray  # picks the powers' entries of a per-holder array (``power_columns``)

    @property
    def value(self) -> np.ndarray:
        """Each deposit's licensed reserve value, USD m."""
        return self.per[0]

    @property
    def output_value(self) -> np.ndarray:
        """Each deposit's output this quarter, USD m at current prices."""
        return self.per[1]

    @property
    def capacity_base(self) -> np.ndarray:
        """Each deposit's capacity in operation at base prices, USD."""
        return self.per[2]

    @cached_property
    def held(self) -> np.ndarray:
        """Licensed reserve value held by each holder (equity), USD m."""
        return self.value @ self.model.deposits.equity

    @cached_property
    def holder_shares(self) -> np.ndarray:
        """Every share by holder and power the results read (``observe_kernels.holder_shares``): by holder, of the
        capacity in operation, of this quarter's output, of the licensed reserve value and of the plants' intake
        online (at base prices, by plant equity); by power, of the capacity and the output through led and through
        flagged holdings. Capacity is held by equity at base prices; the output is what each holder takes (the
        chains' flow: mined ore by the deposits' offtake, integrated plants' product by theirs).
        """
        m, pl = self.model, self.model.chains.plants
        led, flagged = self.power_holdings
        capacity_held = self.capacity_base @ m.deposits.equity
        processing = online_intake(pl.online, pl.intake_q, m.base_price, pl.commodity, m.steps) @ pl.equity
        return holder_shares(capacity_held, self.held, processing, self.capacity_base @ led,
                             self.capacity_base @ flagged, m.chains.delivered, m.base_price, self.powers)  # fmt: skip

    @cached_property
    def powers(self) -> np.ndarray:
        """Holder indices of the powers."""
        return self.model.power_index

    @property
    def power_holdings(self) -> tuple[np.ndarray, np.ndarray]:
        """Deposits × powers: equity through holdings won or bought as a state (led), and through flagged ones."""
        k = len(self.powers)
        return self.per[3 : 3 + k].T, self.per[3 + k :].T

    @cached_property
    def routes(self) -> np.ndarray:
        """Every route product the results read (``observe_kernels.routes_summary``): per commodity the EU's met
        demand and its weights, the tonnes carried and stranded; the tonnes over each corridor; the shares of what
        reached the EU that crossed Russia and China.
        """
        m, r = self.model, self.model.routes
        eu = m.index["EU"]
        eu_value = r.carried[:, :, eu] @ m.base_price  # per route, what reached the EU at base prices
        return routes_summary(r.carried, r.stranded, r.table.via_russia, r.table.via_china, eu, self.demand_eu,
                              m.base_price, eu_value)  # fmt: skip

    @cached_property
    def summary(self) -> np.ndarray:
        """The single-number results that weigh vectors against each other (``observe_kernels.summary``): the
        share of the mined output refined at home, the EU's supply security, the share of exports stranded and the
        diversification of the foreign holdings.
        """
        m = self.model
        return summary(self.mined, m.chains.refined, m.base_price, self.routes, self.held, m.host_index, 2.0)

    @cached_property
    def tallies(self) -> np.ndarray:
        """The running tallies the results read (``observe_kernels.tallies``): private capital inside each holder's
        pursuits, each power's summed lag over its awards, the exploration blocks held.
        """
        m, t, ground = self.model, self.model.tally, self.model.ground
        blocks = ground.holder if ground is not None else np.empty(0, dtype=np.int64)
        return tallies(m.investors.pursuit, m.investors.stake, m.pursuits.power, len(m.holders), t.award_lag,
                       t.awards, self.powers, blocks)  # fmt: skip

    @property
    def counts(self) -> np.ndarray:
        """The tally's running counts (``model/tally.py``: one row per name of ``COUNTS``, holders along each)."""
        return self.model.tally.counts

    @cached_property
    def demand_eu(self) -> np.ndarray:
        """The EU's demand path this quarter, t a year."""
        return self.model.markets.demand_eu(self.model.steps)


def power_columns(powers: np.ndarray) -> slice | np.ndarray:
    """What picks the powers' entries from a per-holder array: a slice where their indices run on (a view, no copy;
    the row of measures copies it), else the indices.
    """
    on = powers.size > 0 and bool((np.diff(powers) == 1).all())
    return slice(int(powers[0]), int(powers[-1]) + 1) if on else powers

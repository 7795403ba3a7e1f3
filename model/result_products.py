"""The products every declared result reads (``model/results.py``), computed once per observation after all agents
have stepped: capacity and output at base prices, value held, the shares, the routes' summary, the tallies. Every
quarter's row reads each of them, so they are made together when the observation is made, in one compiled call
(``model/observe_pass.py``; made one by one they ran more Python and more calls in a running step for the same
numbers: docs/performance-history.md, its eleventh and twelfth parts).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.commodities import NAMES as COMMODITIES
from model.observe_pass import products

NO_BLOCKS = np.empty(0, dtype=np.int64)  # a run without exploration ground


@dataclass
class Observation:
    """What every result reads, made in one compiled call when the observation is made (``observe_pass.products``):
    every quarter's row reads all of it. ``totals``: the licensed value and the output value (USD m, current
    prices), the plots free to be offered, the licensed value in USD bn and the number of deposits
    (``TOTAL_PARTS``). What each holder takes comes from the chains' flow (``model/chains.py``).
    """

    model: object
    power_columns: slice | np.ndarray  # picks the powers' entries of a per-holder array (``power_columns``)
    powers: np.ndarray  # holder indices of the powers
    counts: np.ndarray  # the tally's running counts (``COUNTS`` rows, holders along each)
    demand_eu: np.ndarray  # the EU's demand path this quarter, t a year
    totals: np.ndarray
    held: np.ndarray  # licensed reserve value held by each holder (equity), USD m
    # every share by holder and power the results read (``observe_kernels.holder_shares``): by holder, of the
    # capacity in operation (held by equity at base prices), of this quarter's output as taken (the chains' flow),
    # of the licensed reserve value and of the plants' intake online (by plant equity, at base prices); by power,
    # of the capacity and the output through led and through flagged holdings
    holder_shares: np.ndarray
    # every route product the results read (``observe_kernels.routes_summary``): per commodity the EU's met demand
    # and its weights, the tonnes carried and stranded; the tonnes over each corridor; the shares of what reached
    # the EU that crossed Russia and China
    routes: np.ndarray
    # the single-number results that weigh vectors against each other (``observe_kernels.summary``): the share of
    # the mined output refined at home, the EU's supply security, the share of exports stranded, the diversification
    summary: np.ndarray
    # the running tallies (``observe_kernels.tallies``): private capital inside each holder's pursuits, each power's
    # summed lag over its awards, the exploration blocks held
    tallies: np.ndarray


def observation(m, columns: slice | np.ndarray) -> tuple[Observation, np.ndarray]:
    """What every result reads now (``columns`` picks the powers' entries of a per-holder array:
    ``power_columns``), and the commodity table (4 × commodities × holders, its last layer NaN), from one call.
    """
    demand_eu = m.markets.demand_eu(m.steps)
    totals, table, held, shares, routes, summary, tallies = products(*product_args(m, demand_eu))
    o = Observation(
        m, columns, m.power_index, m.tally.counts, demand_eu, totals, held, shares, routes, summary, tallies
    )
    return o, table


def product_args(m, demand_eu: np.ndarray) -> tuple:
    """What ``observe_pass.products`` reads of the model ``m`` now (``demand_eu``: the EU's demand path this
    quarter), in its order.
    """
    d, pl, r, t, eu = m.deposits, m.chains.plants, m.routes, m.tally, m.index["EU"]
    blocks = m.ground.holder if m.ground is not None else NO_BLOCKS
    return (
        d.stage, d.table.channel, d.remaining, d.table.capacity, d.table.commodity, m.prices.price, m.base_price,
        m.output_t, d.equity, d.led, m.power_index, m.chains.delivered, len(COMMODITIES), pl.online, pl.intake_q,
        pl.commodity, pl.equity, m.steps, r.carried, r.stranded, r.table.via_russia, r.table.via_china, eu,
        demand_eu, m.chains.refined, m.host_index, 2.0, m.investors.pursuit,
        m.investors.stake, m.pursuits.power, t.award_lag, t.awards, blocks,
    )  # fmt: skip


def power_columns(powers: np.ndarray) -> slice | np.ndarray:
    """What picks the powers' entries from a per-holder array: a slice where their indices run on (a view, no copy;
    the row of measures copies it), else the indices.
    """
    on = powers.size > 0 and bool((np.diff(powers) == 1).all())
    return slice(int(powers[0]), int(powers[-1]) + 1) if on else powers

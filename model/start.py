"""What a run starts from, as its build reads it: the seed and the declared powers, the deposit table, each
deposit's capex, the exploration ground and the state's release schedule, and the start's holdings.
"""

from __future__ import annotations

import numpy as np

from model import known_by
from model.deposit_load import load_deposits
from model.deposit_table import DepositTable, table_path
from model.economics import capex_usd_m
from model.errors import InputError
from model.ground import Ground, discovery_rates
from model.pipeline import StatePipeline
from model.powers import POWERS
from model.synthetic import synthetic_deposits
from model.vocabulary import Channel, Stage


def seed(rng):
    """Mesa's ``rng`` argument, with text (SolaraViz's seed box) and numpy integers taken as integers."""
    if isinstance(rng, str):
        try:
            rng = int(rng.strip())
        except ValueError:
            raise InputError("rng", repr(rng), "allowed: an integer seed >= 0") from None
    if isinstance(rng, np.integer):
        rng = int(rng)
    if isinstance(rng, int) and not isinstance(rng, bool) and rng < 0:
        raise InputError("rng", str(rng), "allowed: an integer seed >= 0")
    return rng


def power_codes(extra_powers) -> tuple[str, ...]:
    """``extra_powers`` as a tuple of codes (one comma-separated string, or codes)."""
    if isinstance(extra_powers, str):
        return tuple(c.strip() for c in extra_powers.split(",") if c.strip())
    return tuple(extra_powers)


def table(m) -> DepositTable:
    """The run's deposit table: a synthetic one, or ``run.deposits`` checked against the start's date."""
    p = m.params
    if p.run.synthetic_deposits:
        return synthetic_deposits(p.run.synthetic_deposits, m.streams["synthetic"], m.base_price, m.holders)
    known_by.check(table_path(p.run.deposits), "run.deposits", p.run.start_year)
    return load_deposits(table_path(p.run.deposits), m.holders)


def capex(m, table: DepositTable) -> np.ndarray:
    """Each deposit's capex, USD million: the sourced one, else estimated from its annual revenue."""
    base = m.base_price[table.commodity]
    return capex_usd_m(table.capex, table.capacity, base, m.params.econ.capex_per_annual_revenue)


def resources(m, table: DepositTable):
    """The exploration ground and the state's release schedule (none for synthetic tables)."""
    p = m.params
    if p.run.synthetic_deposits:
        return None, None, 0.0
    known_by.check(table_path(p.run.state_pipeline), "run.state_pipeline", p.run.start_year)
    pipeline = StatePipeline(
        p.run.state_pipeline,
        p.explore.state_release_scale,
        m.start_year,
        p.explore.release_until_year,
        table.ids,
        p.explore.release_direct_share,
        p.explore.state_inventory,
    )
    for dep_id, (step, channel) in pipeline.named.items():  # released through the channel the state names
        row = table.ids.index(dep_id)
        m.deposits.free_from[row] = step
        if table.channel[row] != channel:
            m.deposits.set_channel(row, channel)
    # the table's known prospects are exploration ground, unless the state releases them itself (a plot is
    # allocated by one channel: kurumsak, named in the state's releases, is not also filed for)
    prospects = {
        int(r): (int(table.commodity[r]), float(table.lon[r]), float(table.lat[r]))
        for r in ((table.channel == Channel.EXPLORATION) & (table.stage == Stage.UNLICENSED)).nonzero()[0]
    }
    rates = discovery_rates(p.run.discovery_rates)
    ground = Ground(p.run.exploration_ground, rates, prospects, m.streams["ground.layout"])
    return ground, pipeline, 0.0


def initial_holdings(m, table: DepositTable) -> None:
    """The start's contracts and holders: each producing contract's term end, the state-backed partners."""
    d = m.deposits
    term_years = m.params.host.contract_term_q / 4
    producing = np.isfinite(table.start) & (table.stage == Stage.PRODUCING)
    # the current term of each producing contract ends term_years after its start, or after its extensions
    terms = np.maximum(1, np.ceil((m.start_year - table.start[producing]) / term_years))
    d.contract_end[producing] = ((table.start[producing] + terms * term_years - m.start_year) * 4 + 1).astype(int)
    # state-backed partners of 2026, and the state's own firms in strategic deposits (Kazatomprom)
    m.licences.initial(table, m.index, POWERS)

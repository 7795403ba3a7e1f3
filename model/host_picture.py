"""What the host sees of the quarter before bids and decisions, in one compiled call: each holder's share of each
commodity's licensed reserve value (and of what foreign holders hold), each holder's incumbency (plants and
contracts), the open tenders, the leaders of developing projects under a public lead, and the present value of the
state's fiscal take on each tendered deposit.

Made one by one they were five calls and a dozen numpy operations in a running step; each part is still the
kernel it was (``observe_kernels.held_shares``, ``chain_kernels.incumbency``, ``host_rules.fiscal_pv``) and each
mask is numpy's comparison, so the numbers are the same bit for bit (``tests/test_host_picture.py``). The host's
``survey`` keeps the picture for the quarter; a forced sale (``model/shocks.py``) takes one when it happens.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from model.award_rules import state_stake
from model.chain_kernels import incumbency
from model.commodities import INDEX as COMMODITY_INDEX
from model.commodities import NAMES as COMMODITIES
from model.contracts import DEPOSIT
from model.host_rules import fiscal_pv
from model.observe_kernels import held_shares
from model.vocabulary import Stage


class Picture(NamedTuple):
    """What ``picture`` returns (commodities × holders, then per deposit or as deposit rows)."""

    shares: np.ndarray  # each holder's share of the commodity's licensed reserve value at this quarter's prices
    foreign_shares: np.ndarray  # its share of what the foreign holders hold (the host's own part left out)
    incumbency: np.ndarray  # the mean of its share of the refining capacity online and of the capacity contracted
    open: np.ndarray  # the tenders open now (deposit rows)
    developing_leaders: np.ndarray  # the leader of each developing deposit under a public lead
    fiscal_pv: np.ndarray  # per deposit, the state's fiscal take if awarded now (tendered deposits; 0 elsewhere)


def picture(m) -> Picture:
    """The host's picture of model ``m`` now."""
    d, t, pl, k, p = m.deposits, m.deposits.table, m.chains.plants, m.chains.contracts, m.params.host
    return Picture(*_picture(
        d.stage, d.remaining, t.commodity, t.capacity, t.lead_time, d.equity, d.tender_close, d.leader, d.public_lead,
        m.prices.price, len(COMMODITIES), m.host_index, m.steps, pl.commodity, pl.online, pl.intake_q, pl.equity,
        k.active(DEPOSIT, m.steps), k.source, k.buyer, k.share, m.rules.met, stakes(m), m.params.econ.margin,
        p.discount_rate,
    ))  # fmt: skip


def stakes(m) -> np.ndarray:
    """The state's share in a new award of each deposit (by commodity, strategic list and channel), kept until a
    channel changes or deposits arrive (read-only).
    """
    d, p = m.deposits, m.params.host
    key = (len(d.table), d.channel_changes)
    if m.state_stakes is None or m.state_stakes[0] != key:
        t = d.table
        uranium = t.commodity == COMMODITY_INDEX["uranium"]
        out = state_stake(uranium, t.strategic, d.is_direct(), p.state_stake_uranium, p.state_stake_strategic)
        out.flags.writeable = False
        m.state_stakes = (key, out)
    return m.state_stakes[1]


@njit(cache=True)
def _picture(stage, remaining, commodity, capacity, lead_q, equity, tender_close, leader, public_lead, price,
             n_commodities, host, step, plant_commodity, online, intake_q, plant_equity, contracts, source, buyer,
             share, met, stakes, margin, rate):  # fmt: skip
    """``picture`` compiled (``Picture``'s fields, in order)."""
    shares, foreign = held_shares(stage, remaining, commodity, price, equity, n_commodities, host)
    producing = np.empty(stage.size, dtype=np.bool_)
    n_open = n_leaders = n_tendered = 0
    opened, leaders = np.empty(stage.size, dtype=np.int64), np.empty(stage.size, dtype=np.int64)
    tendered = np.empty(stage.size, dtype=np.int64)
    for r in range(stage.size):
        producing[r] = stage[r] == Stage.PRODUCING
        if stage[r] == Stage.TENDERED:
            tendered[n_tendered] = r
            n_tendered += 1
            if tender_close[r] > step:
                opened[n_open] = r
                n_open += 1
        if stage[r] == Stage.DEVELOPING and public_lead[r]:
            leaders[n_leaders] = leader[r]
            n_leaders += 1
    held = incumbency(step, plant_commodity, online, intake_q, plant_equity, contracts, source, buyer, share,
                      producing, commodity, capacity, n_commodities)  # fmt: skip
    tendered = tendered[:n_tendered]
    fiscal = fiscal_pv(tendered, commodity, capacity, remaining, lead_q, price, met, stakes[tendered], margin, rate,
                       stage.size)  # fmt: skip
    return shares, foreign, held, opened[:n_open], leaders[:n_leaders], fiscal

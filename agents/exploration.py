"""Exploration licensing, first come, first served (Subsoil Code 2018): filings, work programmes, relinquishment,
revocation of unworked licences, and what a discovery becomes.

Investors file and pay (their home code holds the licence: an EU junior's licence is an EU holding); the ground's
state is in ``model/ground.py``; a discovery becomes a deposit that its finder develops, sells (the plot goes to
auction) or returns to the state (``explore.finder_*``).
"""

from __future__ import annotations

from functools import partial

import numpy as np

from model import award_rules
from model.commodities import INDEX as COMMODITY_INDEX
from model.deposit_table import new_rows
from model.libm import exp
from model.licences import Award
from model.vocabulary import Channel, Route, Stage


def step(m) -> None:
    """One quarter of exploration licensing."""
    g, p = m.ground, m.params.explore
    if g is None:
        return
    s = m.streams
    u = s["ground"].random((3, g.n))  # revocation, discovery, filing taste: one number per block and quarter
    held, _, found = g.quarter(m.steps, u, p, discovery_value(m), m.investors.capital, m.tally.licences_revoked)
    g.licence_quarters += held
    _release_prospects(m)
    if found.size:
        deps, choices = _finds(m, found)
        for block, dep, choice in zip(found.tolist(), deps.tolist(), choices.tolist()):
            _discovered(m, block, dep, choice)
    want = int(np.floor(p.filings_per_q + m.filing_carry))
    m.filing_carry = p.filings_per_q + m.filing_carry - want
    filers, homes = m.investors.filers(want, 4 * p.work_usd_m_per_q)
    filed = g.file(m.steps, u[2], filers, homes, p.licence_term_q)
    m.tally.licences_filed += np.bincount(g.holder[filed], minlength=len(m.holders))
    known = filed[g.deposit[filed] >= 0]
    for block in known:  # a licence on a known prospect: the deposit is under exploration
        m.licences.explore(int(g.deposit[block]), int(g.holder[block]))
    _log_filings(m, filed)


def _log_filings(m, filed: np.ndarray) -> None:
    """One event per region for this quarter's first-come licences, naming who filed (so that the Code's third
    channel shows in the log without a line per licence); worded only when the log is read.
    """
    if filed.size:
        g = m.ground
        m.events.add_later(partial(_filings_told, m, filed, g.deposit[filed], g.holder[filed]))


def _filings_told(m, blocks: np.ndarray, deposits: np.ndarray, holders: np.ndarray) -> list[tuple]:
    """The events of one quarter's filings of ``blocks`` (with each block's deposit and holder when filed)."""
    regions, names = m.ground.region, m.holders
    told = m.deposits.table.regions
    by_region: dict[str, dict[int, int]] = {}  # region -> holder -> licences (plain dicts: a few dozen a quarter)
    for b, dep, h in zip(blocks.tolist(), deposits.tolist(), holders.tolist()):
        region = regions[b] or told[dep]
        count = by_region.get(region)
        if count is None:
            by_region[region] = {h: 1}
        else:
            count[h] = count.get(h, 0) + 1
    events = []
    for region in sorted(by_region):
        count = by_region[region]
        who = sorted(count)
        said = ", ".join([f"{names[h]} {count[h]}" for h in who])
        n, others = sum(count.values()), ", ".join([names[h] for h in who])
        events.append(("exploration_licences", -1, "", others, 0.0, f"{n} licence{'s' * (n > 1)} in {region}: {said}"))
    return events


def discovery_value(m) -> np.ndarray:
    """What a discovery of each commodity is worth to a junior (USD m): the net present value of a deposit of the
    commodity's median size, at base prices and the investors' mean discount rate (before any state stake).
    Computed once per run (at base prices, so it does not depend on the price path).
    """
    if getattr(m, "_discovery_value", None) is None:
        from model.economics import annual_cash_usd_m, npv_usd_m

        law, e, p = m.size_law, m.params.econ, m.params.investors
        c = np.arange(len(law.mu))
        size = np.where(np.isfinite(law.mu), exp(np.nan_to_num(law.mu)), 0.0)
        capacity = law.capacity(c, np.maximum(size, 1e-9))
        cash = annual_cash_usd_m(capacity, m.base_price, e.margin, m.rules.met)
        capex = e.capex_per_annual_revenue * capacity * 4 * m.base_price / 1e6
        life = size / np.maximum(capacity, 1e-12)
        rate = p.hurdle_mean + p.country_risk
        value = npv_usd_m(rate, capex, cash, m.params.explore.discovery_lead_q, life, 0)
        m._discovery_value = np.where(size > 0, np.maximum(value, 0.0), 0.0)
    return m._discovery_value


def _release_prospects(m) -> None:
    """A known prospect whose block is no longer held (revoked, or its term ended before it was defined) is free
    again, so that the next filing on the block finds it unlicensed.
    """
    g = m.ground
    loose = g.prospects[g.holder[g.prospects] < 0]
    loose = loose[m.deposits.stage[g.deposit[loose]] == Stage.PROSPECT]
    for block in loose.tolist():
        m.licences.drop_prospect(int(g.deposit[block]))


def _finds(m, blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The deposit of each of this quarter's finds, and each finder's choice draw.

    A known prospect is its own deposit row; a plain block's find is a new deposit, and all of them are added in
    one go (one by one, each find copied every deposit array again). The ``discovery`` stream is read in the order
    the finds would read it one after another: a plain block's two size numbers then its finder's choice; a known
    prospect's choice alone.
    """
    g, p = m.ground, m.params.explore
    plain = g.deposit[blocks] < 0
    per = np.where(plain, 3, 1)  # draws per find
    u = m.streams["discovery"].random(int(per.sum()))
    first = np.cumsum(per) - per
    deps = g.deposit[blocks].copy()
    new = blocks[plain]
    if new.size:
        c = g.commodity[new]
        contained = m.size_law.size(c, u[first[plain]], u[first[plain] + 1])
        uranium = c == COMMODITY_INDEX["uranium"]
        rows = new_rows(
            ids=[f"found_{b}_{m.steps}" for b in new.tolist()],
            names=[f"Discovery {g.region[b].replace(' Region', '')} {m.steps}" for b in new.tolist()],
            regions=[g.region[b] for b in new.tolist()],
            commodity=c,
            contained=contained,
            capacity=m.size_law.capacity(c, contained),
            lead_time=np.full(new.size, p.discovery_lead_q),
            lon=g.lon[new],
            lat=g.lat[new],
            channel=np.where(uranium, Channel.NEGOTIATION, Channel.AUCTION),
            strategic=uranium,
            origin=2,
        )
        deps[plain] = m.add_deposits(rows)
    return deps, u[first + per - 1]


def _discovered(m, block: int, dep: int, choice: float) -> None:
    """A worked licence found (or defined) deposit ``dep``: the licence ends, and its finder decides (by ``choice``,
    a uniform draw) whether to develop it, sell it or return it.
    """
    g, d, p = m.ground, m.deposits, m.params.explore
    holder, investor = int(g.holder[block]), int(g.investor[block])
    if g.deposit[block] >= 0:  # a known prospect, now defined
        g.done[block] = True
    g.release(np.array([block]))
    m.tally.discoveries[holder] += 1
    develops = choice < p.finder_develops
    returned = not develops and choice < p.finder_develops + p.finder_returns
    how = (
        "its finder develops it"
        if develops
        else "returned to the state"
        if returned
        else "sold: the plot goes to auction"
    )
    m.events.add("discovery", dep, m.holders[holder], detail=how)
    if develops:
        _finder_develops(m, dep, holder, investor)
    else:
        channel = Channel.NEGOTIATION if d.table.strategic[dep] else Channel.AUCTION
        m.licences.return_find(dep, channel, m.steps + (m.params.host.retender_q if returned else 0))


def _finder_develops(m, dep: int, holder: int, investor: int) -> None:
    """The finder converts its licence to a mining licence (the state takes its share in uranium); it puts in
    what capital it has towards its share of the capex, the rest being project debt (assumption).
    """
    d, rows = m.deposits, np.array([dep])
    stake = float(m.host.stake(rows)[0])
    equity = award_rules.award_equity(len(m.holders), m.host_index, np.array([holder]), stake)
    offtake = award_rules.offtake_split(equity, holder, 0.0, m.host_index, m.host.routing(rows))
    own = m.investors.take(investor, float(d.capex[dep]) * (1.0 - stake))
    award = Award(
        rows=rows,
        winner=np.array([holder]),
        equity=equity,
        offtake=offtake,
        lead_q=d.table.lead_time[rows].astype(float),
        finance=np.zeros(1),
        processing=np.zeros(1),
        public_lead=np.zeros(1, dtype=bool),
        amount=np.array([own]),
        others=("",),
        detail=("its finder develops it [exploration]",),
    )
    m.licences.award(award, find=True)
    m.tally.award(np.array([holder]), np.zeros(1), np.array([own]), np.zeros(1), np.array([Route.FINDER]), np.zeros(1))

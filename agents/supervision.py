"""The host's supervision of licences: development and slippage, production starts, contract extensions, and
revocation of holders who fail their obligations (use it or lose it), by their own conduct.
"""

from __future__ import annotations

import numpy as np

from model import host_rules as rules
from model.commodities import INDEX as COMMODITY_INDEX
from model.licences import Extension
from model.vocabulary import Stage


def supervise(m) -> None:
    """Advance development (with slippage), start production, extend ended contracts, revoke defaulters."""
    d, e, p = m.deposits, m.params.econ, m.params.host
    slip_draw = m.streams["development"].random(d.slots)
    revoke_draw = m.streams["revocation"].random(d.slots)
    m.licences.start_development(np.flatnonzero(d.stage == Stage.AWARDED))
    _extend_contracts(m)
    dev = np.flatnonzero(d.stage == Stage.DEVELOPING)
    if dev.size == 0:
        return
    h = len(m.holders)
    lead = d.leader[dev]
    # trust moves with a power's own projects only: a private firm under the power's code is not its conduct
    public = d.public_lead[dev]
    p_slip = e.slip_prob * (1.0 - e.slip_finance_relief * d.finance[dev]) * (e.slip_trust_pivot - m.trust[lead])
    slip = slip_draw[dev] < p_slip
    d.dev_elapsed[dev] += 1
    d.dev_left[dev] -= ~slip
    d.slips[dev] += slip
    m.trust_loss += p.trust_loss_slip * np.bincount(lead[slip & public], minlength=h)
    on_plan = ~slip & public
    progress = p.trust_gain_delivery / np.maximum(1, d.dev_planned[dev[on_plan]])  # a capex tranche on time
    m.trust_gain += np.bincount(lead[on_plan], progress, minlength=h)
    done = dev[d.dev_left[dev] <= 0]
    if done.size:
        m.licences.start_production(done, m.steps + p.contract_term_q)
        led = done[d.public_lead[done]]
        on_time = led[d.slips[led] == 0]
        m.trust_gain += p.trust_gain_delivery * np.bincount(d.leader[on_time], minlength=h)
        m.trust_gain += p.trust_gain_processing * np.bincount(d.leader[led], d.processing[led], minlength=h)
        m.budgets.finish(d, done)
    # use it or lose it: a holder that overran its plan, or keeps slipping, loses the licence; the state's own
    # firms (a public lead by the host's code) only as far as host.state_firm_revocation says
    still = dev[d.stage[dev] == Stage.DEVELOPING]
    state_firm = (d.leader[still] == m.host_index) & d.public_lead[still]
    weight = np.where(state_firm, p.state_firm_revocation, 1.0)
    overrun = d.dev_elapsed[still] > p.revocation_overrun * np.maximum(1, d.dev_planned[still])
    hazard = revoke_draw[still] < p.revocation_hazard * d.slips[still] * weight
    for dep in still[(overrun & (weight > 0)) | hazard]:
        revoke(m, int(dep), f"undeveloped after {d.dev_elapsed[dep]} quarters ({d.slips[dep]} slipped)")


def _extend_contracts(m) -> None:
    """Contracts at the end of their term are extended; a uranium contract at the extension state stake."""
    d, p = m.deposits, m.params.host
    due = np.flatnonzero((d.contract_end == m.steps) & d.licensed())
    for dep in due:
        until = m.steps + p.contract_term_q
        if d.table.commodity[dep] != COMMODITY_INDEX["uranium"]:
            m.licences.extend(Extension(int(dep), until, d.equity[dep], d.offtake[dep]))
            continue
        before = d.equity[dep, m.host_index]
        equity = rules.extension_equity(d.equity[dep], m.host_index, p.state_stake_uranium_extension)
        offtake = rules.extension_equity(d.offtake[dep], m.host_index, p.state_stake_uranium_extension)
        raised = equity[m.host_index] > before + 1e-9
        detail = f"contract extended; state stake {before:.0%} → {equity[m.host_index]:.0%}" if raised else ""
        m.licences.extend(Extension(int(dep), until, equity, offtake, detail))


def revoke(m, dep: int, why: str) -> None:
    """Take a licence back: the holder's tranche is freed and trust falls (a collapsed deal); the plot goes
    back to the state and is offered again by auction.
    """
    d = m.deposits
    lead = int(d.leader[dep])
    if lead >= 0 and d.public_lead[dep]:
        m.trust_loss[lead] += m.params.host.trust_loss_withdrawal
    m.budgets.finish(d, np.array([dep]))
    m.licences.revoke(dep, why)
    d.free_from[dep] = m.steps + m.params.host.retender_q

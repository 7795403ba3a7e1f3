"""The host's supervision of licences: development and slippage, production starts, contract extensions, and
revocation of holders who fail their obligations (use it or lose it), by their own conduct.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model import award_rules
from model.commodities import INDEX as COMMODITY_INDEX
from model.licences import Extension
from model.vocabulary import Stage


def supervise(m) -> None:
    """Advance development (with slippage), start production, extend ended contracts, revoke defaulters."""
    d, e, p = m.deposits, m.params.econ, m.params.host
    slip_draw = m.streams["development"].random(d.slots)
    revoke_draw = m.streams["revocation"].random(d.slots)
    awarded = (d.stage == Stage.AWARDED).nonzero()[0]
    if awarded.size:
        m.licences.start_development(awarded)
    _extend_contracts(m)
    h = len(m.holders)
    # trust moves with a power's own projects only: a private firm under the power's code is not its conduct
    done, revoked, slipped = _develop(
        (d.stage == Stage.DEVELOPING).nonzero()[0],
        slip_draw,
        revoke_draw,
        e.slip_prob,
        e.slip_finance_relief,
        e.slip_trust_pivot,
        p.trust_loss_slip,
        p.trust_gain_delivery,
        p.revocation_overrun,
        p.revocation_hazard,
        p.state_firm_revocation,
        m.host_index,
        m.trust,
        m.trust_loss,
        m.trust_gain,
        d.leader,
        d.public_lead,
        d.finance,
        d.dev_elapsed,
        d.dev_left,
        d.dev_planned,
        d.slips,
    )
    for dep, lead, n in zip(slipped.tolist(), d.leader[slipped].tolist(), d.slips[slipped].tolist()):
        m.events.add("package_slipped", dep, m.holders[lead], detail=f"{_quarters(n)} behind")  # a power's package
    if done.size:
        m.licences.start_production(done, m.steps + p.contract_term_q)
        led = done[d.public_lead[done]]
        on_time = led[d.slips[led] == 0]
        m.trust_gain += p.trust_gain_delivery * np.bincount(d.leader[on_time], minlength=h)
        m.trust_gain += p.trust_gain_processing * np.bincount(d.leader[led], d.processing[led], minlength=h)
        m.budgets.finish(d, done)
        powers = led[m.is_power[d.leader[led]]]
        for dep in powers:
            how = "on time" if d.slips[dep] == 0 else f"{_quarters(int(d.slips[dep]))} late"
            m.events.add("package_delivered", int(dep), m.holders[d.leader[dep]], detail=f"production starts {how}")
        m.chains.build_plants(powers)  # a power's processing commitment is a plant now
    if revoked.size:
        elapsed, slips = d.dev_elapsed[revoked].tolist(), d.slips[revoked].tolist()
        revoke(m, revoked, [f"undeveloped after {e} quarters ({s} slipped)" for e, s in zip(elapsed, slips)])


@njit(cache=True)
def _develop(dev, slip_draw, revoke_draw, slip_prob, relief, pivot, loss_slip, gain_delivery, overrun_factor,
             hazard_rate, state_firm_weight, host, trust, trust_loss, trust_gain, leader, public_lead, finance,
             elapsed, left, planned, slips):  # fmt: skip
    """A quarter of development: each project slips with a chance that finance and trust lower; a power's own
    project that slips costs it trust and one on plan earns a tranche of trust; projects with no quarter left are
    done. Of the rest, a holder that overran its plan, or keeps slipping, loses the licence (the state's own firms
    as far as ``state_firm_weight`` says). Returns the done, the revoked and the powers' own slipped deposits, in
    order; the arithmetic is the numpy code's, in its order.
    """
    n_holders = trust.size
    slipped = np.zeros(n_holders, dtype=np.int64)
    late = np.empty(dev.size, dtype=np.int64)  # a power's own projects that slipped this quarter
    n_late = 0
    progress = np.zeros(n_holders)
    for r in dev:
        lead = leader[r]
        p_slip = slip_prob * (1.0 - relief * finance[r]) * (pivot - trust[lead])
        slip = slip_draw[r] < p_slip
        elapsed[r] += 1
        if not slip:
            left[r] -= 1
        else:
            slips[r] += 1
        if public_lead[r]:
            if slip:
                slipped[lead] += 1
                if lead != host:
                    late[n_late] = r
                    n_late += 1
            else:
                progress[lead] += gain_delivery / max(1, planned[r])
    for i in range(n_holders):
        trust_loss[i] += loss_slip * slipped[i]
    for i in range(n_holders):
        trust_gain[i] += progress[i]
    done = np.empty(dev.size, dtype=np.int64)
    revoked = np.empty(dev.size, dtype=np.int64)
    n_done = n_revoked = 0
    for r in dev:
        if left[r] <= 0:
            done[n_done] = r
            n_done += 1
            continue
        weight = state_firm_weight if leader[r] == host and public_lead[r] else 1.0
        overrun = elapsed[r] > overrun_factor * max(1, planned[r])
        if (overrun and weight > 0) or revoke_draw[r] < hazard_rate * slips[r] * weight:
            revoked[n_revoked] = r
            n_revoked += 1
    return done[:n_done], revoked[:n_revoked], late[:n_late]


def _extend_contracts(m) -> None:
    """Contracts at the end of their term are extended; a uranium contract at the extension state stake."""
    d, p = m.deposits, m.params.host
    due = ((d.contract_end == m.steps) & d.licensed()).nonzero()[0]
    for dep in due:
        until = m.steps + p.contract_term_q
        if d.table.commodity[dep] != COMMODITY_INDEX["uranium"]:
            m.licences.extend(Extension(int(dep), until, d.equity[dep], d.offtake[dep]))
            continue
        before = d.equity[dep, m.host_index]
        equity = award_rules.extension_equity(d.equity[dep], m.host_index, p.state_stake_uranium_extension)
        offtake = award_rules.extension_equity(d.offtake[dep], m.host_index, p.state_stake_uranium_extension)
        raised = equity[m.host_index] > before + 1e-9
        detail = f"contract extended; state stake {before:.0%} → {equity[m.host_index]:.0%}" if raised else ""
        m.licences.extend(Extension(int(dep), until, equity, offtake, detail))


def revoke(m, rows: np.ndarray, why) -> None:
    """Take licences back (``why``: a reason per row): each holder's tranche is freed and trust falls (a collapsed
    deal); the plots go back to the state and are offered again by auction. Rows at once, with the trust and
    budget arithmetic of one row after another.
    """
    d = m.deposits
    lead = d.leader[rows]
    np.add.at(m.trust_loss, lead[(lead >= 0) & d.public_lead[rows]], m.params.host.trust_loss_withdrawal)
    _free_tranches(rows, d.tranche_holder, d.tranche, m.budgets.committed)
    m.licences.revoke(rows, why)
    d.free_from[rows] = m.steps + m.params.host.retender_q


@njit(cache=True)
def _free_tranches(rows, holder, tranche, committed):
    """``Budgets.finish`` of one row after another, as numpy does it: a one-tranche bincount taken off, then
    every holder clamped at zero as ``np.maximum(committed, 0.0)`` clamps (a NaN stays, a -0.0 becomes 0.0).
    """
    for r in rows:
        if holder[r] >= 0:
            committed[holder[r]] = committed[holder[r]] - (0.0 + tranche[r])
        for j in range(committed.size):
            if committed[j] <= 0.0:
                committed[j] = 0.0
        tranche[r], holder[r] = 0.0, -1


def _quarters(n: int) -> str:
    return f"{n} quarter{'s' * (n != 1)}"

"""Kazakhstan, the host: tenders deposits, takes offers, awards and supervises licences.

The rules themselves are pure functions in ``model/host_rules.py``; this agent gathers the arrays they need,
applies their results to the state and moves pursuits through their lifecycle (``model/pursuits.py``).
"""

from __future__ import annotations

import mesa
import numpy as np

from model import host_rules as rules
from model.commodities import INDEX as COMMODITY_INDEX
from model.deposit_table import STAGE
from model.observe import by_commodity, row_shares
from model.pursuits import BINDING, LOST, MISSED, OPEN, PREEMPTED, WITHDRAWN, WON
from model.streams import normal


class Host(mesa.Agent):
    """The host state and its licensing authority."""

    def __init__(self, model: mesa.Model) -> None:
        """Read the host's rules from ``model.params.host``."""
        super().__init__(model)
        self.p = p = model.params.host
        self.weights = rules.Weights.of(p)
        table = model.deposits.table
        self.is_uranium = table.commodity == COMMODITY_INDEX["uranium"]
        self.by_row = np.ascontiguousarray(np.eye(len(COMMODITY_INDEX))[table.commodity].T)
        idx = model.index
        self.exports = {idx["CN"]: p.export_cn, idx["EU"]: p.export_eu, idx["US"]: p.export_us}
        self.shares = self.foreign_shares = np.zeros((len(COMMODITY_INDEX), len(model.holders)))
        self.open, self.developing_leaders = np.empty(0, dtype=np.int64), set()

    def stake(self, deps: np.ndarray) -> np.ndarray:
        """The state's share in new awards of these deposits."""
        return rules.state_stake(self.is_uranium[deps], self.p.state_stake_uranium, self.p.state_stake_other)

    # --- tenders ---------------------------------------------------------------------------------
    def open_tenders(self) -> None:
        """Put some free deposits to tender (which ones: this quarter's tender draws)."""
        m, d = self.model, self.model.deposits
        draws = m.streams["tenders"].random(len(d))
        free = np.flatnonzero((d.stage == STAGE["unlicensed"]) & (d.free_from <= m.steps) & (d.remaining > 0))
        chosen = rules.tenders_to_open(free, draws, self.p.tender_rate)
        d.stage[chosen] = STAGE["tendered"]
        d.tender_open[chosen] = m.steps
        d.tender_close[chosen] = m.steps + self.p.tender_window_q

    def survey(self) -> None:
        """The holdings this quarter's bids and scores see (before its awards), computed once a quarter.

        ``shares``: each holder's share of each commodity's licensed value (incumbency); ``foreign_shares``: its
        share of the part foreigners hold (the host's diversification).
        """
        m, d = self.model, self.model.deposits
        held = by_commodity(self.by_row, d.licensed_value_usd_m(m.prices.price), d.equity)
        self.shares = row_shares(held)
        held[:, m.host_index] = 0.0
        self.foreign_shares = row_shares(held)
        self.open = d.open_tenders(m.steps)  # the tenders bidders see this quarter
        self.developing_leaders = set(d.leader[d.stage == STAGE["developing"]].tolist())

    def receive_offers(self) -> None:
        """Pursuits whose approval time is up become binding offers, or are withdrawn."""
        m, pur = self.model, self.model.pursuits
        due = pur.in_status(OPEN)
        due = due[pur.ready[due] <= m.steps]
        pur.bind(due[pur.ok[due]])
        failed = due[~pur.ok[due]]
        pur.end(failed, WITHDRAWN, m.steps)
        for i in failed:
            m.trust_loss[pur.power[i]] += self.p.trust_loss_withdrawal
            m.events.add("withdrawal", int(pur.deposit[i]), m.holders[pur.power[i]], detail="approval failed")

    # --- award -----------------------------------------------------------------------------------
    def award(self) -> None:
        """Accept offers above the reservation score at once; at a window's close take the best offer.

        Small deposits (capex up to host.fcfs_max_capex_usd_m) go to the first binding offer, as exploration
        licences do under the Subsoil Code's first-come-first-served rule [59].
        """
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        tiebreak = m.streams["tiebreak"].random((len(d), len(m.holders)))
        self.lead_draw = m.streams["development"].random((2, len(d)))  # lead-time normals (Box–Muller)
        binding = pur.in_status(BINDING)
        offers = binding[d.stage[pur.deposit[binding]] == STAGE["tendered"]]
        closing = np.flatnonzero((d.stage == STAGE["tendered"]) & (d.tender_close <= m.steps))
        if offers.size:
            dep = pur.deposit[offers]
            score = self.score(offers)
            best = rules.pick_winners(dep, score, tiebreak[dep, pur.power[offers]])
            take = rules.accepted(
                score[best],
                m.capex_usd_m[dep[best]] <= self.p.fcfs_max_capex_usd_m,
                d.tender_close[dep[best]] <= m.steps,
                self.p.reservation_score,
            )
            for j in best[take]:
                self.grant(int(offers[j]), offers[dep == dep[j]])
        still = closing[d.stage[closing] == STAGE["tendered"]]
        if still.size:  # no offer: tender again later
            d.stage[still] = STAGE["unlicensed"]
            d.free_from[still] = m.steps + self.p.retender_q
            self.close_pending(still, closed=True)

    def score(self, offers: np.ndarray) -> np.ndarray:
        """The host's score of each binding offer (``model.host_rules.score_offers``)."""
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        dep, power = pur.deposit[offers], pur.power[offers]
        commodity = d.table.commodity[dep]
        capex = m.capex_usd_m[dep]
        features = rules.offer_features(
            bonus=pur.bonus[offers],
            public=pur.public[offers],
            private=pur.private[offers],
            offtake=pur.offtake[offers],
            processing=pur.processing[offers],
            finance=pur.finance[offers],
            capex=capex,
            annual_revenue=capex / m.params.econ.capex_per_annual_revenue,
            binding_step=np.maximum(pur.ready[offers], pur.start[offers]),
            tender_open=d.tender_open[dep],
            tender_close=d.tender_close[dep],
            foreign_share=self.foreign_shares[commodity, power],
            trust=m.trust[power],
            incumbent_share=self.shares[commodity, power],
        )
        return rules.score_offers(dep, features, self.weights)

    def grant(self, winner: int, rivals: np.ndarray) -> None:
        """Award the licence to ``winner``; rivals lose; pursuits still in approval miss or are pre-empted."""
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        dep, w = int(pur.deposit[winner]), int(pur.power[winner])
        closed = d.tender_close[dep] <= m.steps
        d.equity[dep] = rules.award_equity(len(m.holders), m.host_index, w, float(self.stake(np.array([dep]))[0]))
        d.offtake[dep] = rules.offtake_split(d.equity[dep], w, pur.offtake[winner], m.host_index, self.exports)
        for c, banned in m.export_bans:
            if c == d.table.commodity[dep]:
                d.offtake[dep, m.host_index] += d.offtake[dep, banned]
                d.offtake[dep, banned] = 0.0
        d.stage[dep], d.leader[dep], d.award_step[dep] = STAGE["awarded"], w, m.steps
        z = float(normal(self.lead_draw[0, dep], self.lead_draw[1, dep]))
        lead = d.table.lead_time[dep] * (1.0 + m.params.econ.lead_time_sd * z)
        d.dev_planned[dep] = d.dev_left[dep] = max(1, round(lead))
        d.dev_elapsed[dep], d.slips[dep] = 0, 0
        d.finance[dep] = pur.finance[winner]
        m.budgets.carry(dep, w, float(pur.tranche[winner]))
        m.tally.award(w, pur.public[winner] + pur.bonus[winner], pur.private[winner], m.steps - pur.start[winner])
        losers = rivals[rivals != winner]
        pur.end(np.array([winner]), WON, m.steps)
        pur.end(losers, LOST, m.steps)
        pending = self.close_pending(np.array([dep]), closed=closed)
        label = "in approval" if closed else "pre-empted"
        others = [m.holders[pur.power[i]] for i in losers] + [f"{m.holders[pur.power[i]]} ({label})" for i in pending]
        amount = pur.public[winner] + pur.private[winner] + pur.bonus[winner]
        detail = "a private investor bidding alone" if pur.solo[winner] else ""
        m.events.add("award", dep, m.holders[w], ", ".join(others), amount, detail)

    def close_pending(self, deposits: np.ndarray, closed: bool) -> np.ndarray:
        """End the pursuits of these deposits still in approval.

        At the tender's close they have missed the window (trust falls, the value counts as missed); when a
        rival was accepted before the close they are pre-empted (no trust loss: they were not late).
        """
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        pending = pur.in_status(OPEN)
        closing = np.zeros(len(d), dtype=bool)
        closing[deposits] = True
        pending = pending[closing[pur.deposit[pending]]]
        for i in pending:
            p, dep = int(pur.power[i]), int(pur.deposit[i])
            if closed:
                lost = d.value_usd_m(m.prices.price, dep) * (1.0 - self.stake(np.array([dep]))[0])
                m.trust_loss[p] += self.p.trust_loss_missed
                m.tally.missed[p] += 1
                m.tally.missed_value[p] += lost
                m.events.add("missed_window", dep, m.holders[p], amount=lost, detail="still in approval at the close")
            else:
                m.tally.preempted[p] += 1
                m.events.add("pre-empted", dep, m.holders[p], detail="a rival's offer was accepted before the close")
        pur.end(pending, MISSED if closed else PREEMPTED, m.steps)
        return pending

    # --- use it or lose it -----------------------------------------------------------------------
    def supervise(self) -> None:
        """Advance development (with slippage) and revoke licences left undeveloped too long."""
        m, d, e = self.model, self.model.deposits, self.model.params.econ
        slip_draw = m.streams["development"].random(len(d))
        revoke_draw = m.streams["revocation"].random(len(d))
        d.stage[d.stage == STAGE["awarded"]] = STAGE["developing"]
        dev = np.flatnonzero(d.stage == STAGE["developing"])
        if dev.size == 0:
            return
        lead = d.leader[dev]
        p_slip = e.slip_prob * (1.0 - e.slip_finance_relief * d.finance[dev]) * (e.slip_trust_pivot - m.trust[lead])
        slip = slip_draw[dev] < p_slip
        d.dev_elapsed[dev] += 1
        d.dev_left[dev] -= ~slip
        d.slips[dev] += slip
        h = len(m.holders)
        m.trust_loss += self.p.trust_loss_slip * np.bincount(lead[slip], minlength=h)
        progress = self.p.trust_gain_delivery / np.maximum(1, d.dev_planned[dev[~slip]])
        m.trust_gain += np.bincount(lead[~slip], progress, minlength=h)
        done = dev[d.dev_left[dev] <= 0]
        d.stage[done] = STAGE["producing"]
        d.first_output[done] = m.steps
        on_time = done[d.slips[done] == 0]
        m.trust_gain += self.p.trust_gain_delivery * np.bincount(d.leader[on_time], minlength=h)
        m.budgets.finish(done)
        overrun = d.dev_elapsed[dev] > self.p.revocation_overrun * np.maximum(1, d.dev_planned[dev])
        hazard = (d.slips[dev] > 0) & (revoke_draw[dev] < self.p.revocation_hazard)
        for dep in dev[(d.stage[dev] == STAGE["developing"]) & (overrun | hazard)]:
            self.revoke(int(dep))

    def revoke(self, dep: int) -> None:
        """Take the licence back: the holder's tranche is freed and trust falls; the deposit is free again."""
        m, d = self.model, self.model.deposits
        lead = int(d.leader[dep])
        m.trust_loss[lead] += self.p.trust_loss_withdrawal
        m.budgets.finish(np.array([dep]))
        m.events.add("revocation", dep, m.holders[lead], detail=f"undeveloped after {d.dev_elapsed[dep]} quarters")
        d.equity[dep] = d.offtake[dep] = 0.0
        d.stage[dep], d.leader[dep] = STAGE["unlicensed"], -1
        d.free_from[dep] = m.steps + self.p.retender_q

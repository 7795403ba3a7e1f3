"""Kazakhstan, the host: tenders deposits, scores bundled offers, awards and revokes licences."""

from __future__ import annotations

import mesa
import numpy as np

from model.clearing import Weights, pick_winners, score_offers
from model.deposit_table import STAGE
from model.state import BINDING, LOST, MISSED, PENDING, WITHDRAWN, WON


class Host(mesa.Agent):
    def __init__(self, model: mesa.Model):
        super().__init__(model)
        v = model.v
        self.weights = Weights(
            v["host.w_money"],
            v["host.w_processing"],
            v["host.w_finance"],
            v["host.w_speed"],
            v["host.w_diversification"],
            v["host.incumbency"],
        )

    # --- tenders ---------------------------------------------------------------------------------
    def open_tenders(self) -> None:
        m, d = self.model, self.model.deposits
        free = np.flatnonzero((d.stage == STAGE["unlicensed"]) & (d.free_from <= m.steps) & (d.remaining > 0))
        if free.size == 0:
            return
        k = min(free.size, max(1, int(round(m.v["host.tender_rate"] * free.size))))
        chosen = m.rng.choice(free, size=k, replace=False)
        d.stage[chosen] = STAGE["tendered"]
        d.tender_open[chosen] = m.steps
        d.tender_close[chosen] = m.steps + m.v["host.tender_window_q"]

    def receive_offers(self) -> None:
        """Pursuits whose approval time is up become binding offers, or are withdrawn."""
        m, pur = self.model, self.model.pursuits
        act = pur.active()
        due = act[(pur.status[act] == PENDING) & (pur.ready[act] <= m.steps)]
        failed = due[~pur.ok[due]]
        pur.status[due[pur.ok[due]]] = BINDING
        if failed.size:
            m.end_pursuits(failed, WITHDRAWN)
            for i in failed:
                m.trust_loss[pur.power[i]] += m.v["host.trust_loss_withdrawal"]
                m.log("withdrawal", int(pur.deposit[i]), m.holders[pur.power[i]], detail="approval failed")

    # --- award -----------------------------------------------------------------------------------
    def award(self) -> None:
        """Accept offers above the reservation score at once; at a window's close take the best offer.

        Small deposits (capex up to host.fcfs_max_capex_usd_m) go to the first binding offer, as exploration
        licences do under the Subsoil Code's first-come-first-served rule [59].
        """
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        act = pur.active()
        offers = act[(pur.status[act] == BINDING) & (d.stage[pur.deposit[act]] == STAGE["tendered"])]
        closing = np.flatnonzero((d.stage == STAGE["tendered"]) & (d.tender_close <= m.steps))
        if offers.size:
            score = self.score(offers)
            closing_set = set(closing.tolist())
            for j in pick_winners(pur.deposit[offers], score, m.rng.random(offers.size)):
                dep = int(pur.deposit[offers[j]])
                first_come = m.capex_usd_m[dep] <= m.v["host.fcfs_max_capex_usd_m"]
                if first_come or score[j] >= m.v["host.reservation_score"] or dep in closing_set:
                    self.grant(int(offers[j]), offers[pur.deposit[offers] == dep])
        still = closing[d.stage[closing] == STAGE["tendered"]]
        if still.size:  # no offer: tender again later
            d.stage[still] = STAGE["unlicensed"]
            d.free_from[still] = m.steps + m.v["host.retender_q"]
            self.close_pending(still)

    def score(self, offers: np.ndarray) -> np.ndarray:
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        dep = pur.deposit[offers]
        power = pur.power[offers]
        capex = m.capex_usd_m[dep]
        window = np.maximum(1, d.tender_close[dep] - d.tender_open[dep])
        elapsed = np.maximum(pur.ready[offers], pur.start[offers]) - d.tender_open[dep]
        annual_revenue = capex / m.v["econ.capex_per_annual_revenue"]
        money = pur.bonus[offers] + pur.public[offers] + pur.private[offers] + pur.offtake[offers] * annual_revenue
        commodity = d.table.commodity[dep]
        incumbent = m.shares[commodity, power]
        return score_offers(
            dep,
            money,
            (pur.public[offers] + pur.private[offers]) / capex,
            pur.processing[offers],
            pur.finance[offers],
            1.0 - elapsed / window,
            1.0 - m.foreign_shares[commodity, power],
            m.trust[power],
            incumbent,
            self.weights,
        )

    def grant(self, winner: int, rivals: np.ndarray) -> None:
        m, d, pur, v = self.model, self.model.deposits, self.model.pursuits, self.model.v
        dep, w = int(pur.deposit[winner]), int(pur.power[winner])
        stake = m.state_stake(dep)
        d.equity[dep] = 0.0
        d.equity[dep, m.host_index] += stake
        d.equity[dep, w] += 1.0 - stake
        d.offtake[dep] = m.offtake_split(d.equity[dep], w, pur.offtake[winner])
        d.stage[dep], d.leader[dep], d.award_step[dep] = STAGE["awarded"], w, m.steps
        lead = d.table.lead_time[dep] * (1.0 + v["econ.lead_time_sd"] * m.rng.standard_normal())
        d.dev_planned[dep] = d.dev_left[dep] = max(1, int(round(lead)))
        d.dev_elapsed[dep], d.slips[dep] = 0, 0
        d.finance[dep], d.tranche[dep] = pur.finance[winner], pur.tranche[winner]
        m.record_award(winner)
        losers = rivals[rivals != winner]
        m.end_pursuits(np.array([winner]), WON)
        m.end_pursuits(losers, LOST)
        pending = self.close_pending(np.array([dep]))
        others = [m.holders[pur.power[i]] for i in losers] + [
            f"{m.holders[pur.power[i]]} (in approval)" for i in pending
        ]
        amount = pur.public[winner] + pur.private[winner] + pur.bonus[winner]
        detail = "a private investor bidding alone" if pur.solo[winner] else ""
        m.log("award", dep, m.holders[w], ", ".join(others), amount, detail)

    def close_pending(self, deposits: np.ndarray) -> np.ndarray:
        """Pursuits still in approval when their tender closes have missed the window."""
        m, pur = self.model, self.model.pursuits
        act = pur.active()
        missed = act[(pur.status[act] == PENDING) & np.isin(pur.deposit[act], deposits)]
        for i in missed:
            p, dep = int(pur.power[i]), int(pur.deposit[i])
            lost = m.reserve_value_usd_m(np.array([dep]))[0] * (1.0 - m.state_stake(dep))
            m.trust_loss[p] += m.v["host.trust_loss_missed"]
            m.missed[p] += 1
            m.missed_value[p] += lost
            m.log("missed_window", dep, m.holders[p], amount=lost, detail="approval came after the tender closed")
        m.end_pursuits(missed, MISSED)
        return missed

    # --- use it or lose it -----------------------------------------------------------------------
    def supervise(self) -> None:
        """Advance development (with slippage) and revoke licences left undeveloped too long."""
        m, d, v = self.model, self.model.deposits, self.model.v
        d.stage[d.stage == STAGE["awarded"]] = STAGE["developing"]
        dev = np.flatnonzero(d.stage == STAGE["developing"])
        if dev.size == 0:
            return
        lead = d.leader[dev]
        p_slip = v["econ.slip_prob"] * (1.0 - 0.5 * d.finance[dev]) * (1.5 - m.trust[lead])
        slip = m.rng.random(dev.size) < p_slip
        d.dev_elapsed[dev] += 1
        d.dev_left[dev] -= ~slip
        d.slips[dev] += slip
        np.add.at(m.trust_loss, lead[slip], v["host.trust_loss_slip"])
        np.add.at(m.trust_gain, lead[~slip], v["host.trust_gain_delivery"] / np.maximum(1, d.dev_planned[dev[~slip]]))
        done = dev[d.dev_left[dev] <= 0]
        d.stage[done] = STAGE["producing"]
        d.first_output[done] = m.steps
        on_time = done[d.slips[done] == 0]
        np.add.at(m.trust_gain, d.leader[on_time], v["host.trust_gain_delivery"])
        m.release_tranches(done)
        late = dev[
            (d.stage[dev] == STAGE["developing"])
            & (
                (d.dev_elapsed[dev] > v["host.revocation_overrun"] * np.maximum(1, d.dev_planned[dev]))
                | ((d.slips[dev] > 0) & (m.rng.random(dev.size) < v["host.revocation_hazard"]))
            )
        ]
        for dep in late:
            self.revoke(int(dep))

    def revoke(self, dep: int) -> None:
        m, d = self.model, self.model.deposits
        lead = int(d.leader[dep])
        m.trust_loss[lead] += m.v["host.trust_loss_withdrawal"]
        m.release_tranches(np.array([dep]))
        m.log("revocation", dep, m.holders[lead], detail=f"undeveloped after {d.dev_elapsed[dep]} quarters")
        d.equity[dep] = d.offtake[dep] = 0.0
        d.stage[dep], d.leader[dep] = STAGE["unlicensed"], -1
        d.free_from[dep] = m.steps + m.v["host.retender_q"]

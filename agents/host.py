"""Kazakhstan, the host: offers plots, decides auctions and negotiations, awards, supervises, licenses ground.

The rules are pure functions in ``model/host_rules.py``; this agent gathers the arrays they need and applies
their results. Supervision (development, extension, revocation) is in ``agents/supervision.py``, exploration
licensing in ``agents/exploration.py``.
"""

from __future__ import annotations

import mesa
import numpy as np

from agents import exploration, supervision
from model import award_rules, negotiation
from model import host_rules as rules
from model.commodities import INDEX as COMMODITY_INDEX
from model.host_picture import picture, stakes
from model.licences import Award
from model.powers import POWERS
from model.pursuits import BINDING, OPEN, WITHDRAWN
from model.streams import normal
from model.vocabulary import Route, Stage


class Host(mesa.Agent):
    """The host state and its licensing authority."""

    def __init__(self, model: mesa.Model) -> None:
        """Read the host's rules from ``model.params.host`` and the commodity rules."""
        super().__init__(model)
        self.p = model.params.host
        self.weights = rules.Weights.of(self.p, bool(model.params.mechanisms.packages))
        idx = model.index
        # commodities × holders: the share of the host's own part of a commodity's output exported to each holder
        # (data/commodity_rules.csv, read-only for a run); the deposits' awards and the plants' offtake read it
        self.export_routing = np.zeros((len(COMMODITY_INDEX), len(model.holders)))
        self.export_routing[:, [idx[c] for c in (*POWERS, *model.params.extra_powers)]] = model.rules.exports
        self.export_routing.flags.writeable = False
        self.shares = self.foreign_shares = np.zeros((len(COMMODITY_INDEX), len(model.holders)))
        self.open, self.developing_leaders = np.empty(0, dtype=np.int64), set()
        self.fiscal_pv = np.zeros(0)

    def stake(self, deps: np.ndarray) -> np.ndarray:
        """The state's share in new awards of these deposits (by commodity, strategic list and channel)."""
        return stakes(self.model)[deps]

    # --- offering plots ----------------------------------------------------------------------------
    def offer(self) -> None:
        """Offer some free plots: auction-channel plots go to auction, direct-channel ones to negotiation."""
        m, d = self.model, self.model.deposits
        draws = m.streams["tenders"].random(d.slots)
        free = rules.free_plots(d.stage, d.free_from, d.remaining, d.table.channel, m.steps)
        chosen = rules.tenders_to_open(free, draws, self.p.offer_rate)
        if not chosen.size:
            return
        window = np.where(d.is_direct()[chosen], self.p.negotiation_window_q, self.p.auction_window_q)
        m.licences.offer(chosen, m.steps + window)

    def survey(self) -> None:
        """What this quarter's bids and decisions see, computed once (``model.host_picture``): holdings by
        commodity, each holder's incumbency, open plots, the leaders of developing projects under a public lead, the
        present value of the state's fiscal take per tendered deposit.
        """
        seen = picture(self.model)
        self.shares, self.foreign_shares, self.incumbency = seen.shares, seen.foreign_shares, seen.incumbency
        self.open, self.fiscal_pv = seen.open, seen.fiscal_pv
        self.developing_leaders = set(seen.developing_leaders.tolist())

    # --- offers and decisions ------------------------------------------------------------------------
    def receive_offers(self) -> None:
        """Pursuits whose approval time is up become binding offers, or are withdrawn."""
        m, pur = self.model, self.model.pursuits
        due = pur.in_status(OPEN)
        due = due[pur.ready[due] <= m.steps]
        if not due.size:
            return
        bound = due[pur.ok[due]]
        pur.bind(bound)
        for i in bound[~pur.solo[bound]]:
            m.events.add("package_binding", int(pur.deposit[i]), m.holders[pur.power[i]], detail="approved: binding")
        failed = due[~pur.ok[due]]
        pur.end(failed, WITHDRAWN, m.steps)
        for i in failed:
            m.trust_loss[pur.power[i]] += self.p.trust_loss_withdrawal
            m.events.add("withdrawal", int(pur.deposit[i]), m.holders[pur.power[i]], detail="approval failed")

    def features(self, offers: np.ndarray) -> rules.Offers:
        """What the host sees in each offer (``model.host_rules.Offers``)."""
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        return rules.Offers(*rules.offer_features(
            offers, pur.deposit, pur.power, pur.bonus, self.fiscal_pv, pur.processing, pur.public, pur.private,
            d.capex, d.table.commodity, self.foreign_shares, m.trust, self.incumbency, m.chains.frameworks,
        ))  # fmt: skip

    def decide(self) -> None:
        """Auctions award at their close to the highest qualified bonus; negotiations award a bid at the host's
        reservation objective at once, else the best at the close, unless a preferred partner is worth a wait.
        """
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        tiebreak = m.streams["tiebreak"].random(len(m.holders))
        self.lead_draw = m.streams["development"].random((2, d.slots))  # lead-time normals (Box–Muller)
        offers, direct, closing, any_work = rules.decision_book(pur.active(), pur.status, pur.deposit, BINDING, d.stage,
                                                                d.tender_close, d.is_direct(), m.steps)  # fmt: skip
        if not any_work:  # no binding offer and nothing closing
            return
        self._auctions(offers[~direct], closing, tiebreak)
        self._negotiations(offers[direct], closing, tiebreak)
        still = (closing & (d.stage == Stage.TENDERED) & (d.tender_close <= m.steps)).nonzero()[0]
        if still.size:  # no acceptable offer: the binding ones are declined, the plot offered again later
            m.licences.decline(still, m.steps + self.p.retender_q)
            self.settle(np.empty(0, dtype=np.int64), still, np.ones(still.size, dtype=bool))

    def _auctions(self, offers: np.ndarray, closing: np.ndarray, tiebreak: np.ndarray) -> None:
        pur = self.model.pursuits
        offers = offers[closing[pur.deposit[offers]]]
        if not offers.size:
            return
        o = self.features(offers)
        ok = rules.qualifies(o.processing, o.coverage, self.p.auction_min_processing, self.p.auction_min_coverage)
        dep = pur.deposit[offers]
        self.grant(offers[rules.auction_winners(dep, pur.bonus[offers], ok, tiebreak[pur.power[offers]])], offers)

    def _negotiations(self, offers: np.ndarray, closing: np.ndarray, tiebreak: np.ndarray) -> None:
        """Gather the book of this quarter's negotiations, let ``negotiation.negotiate`` decide, apply it."""
        m, d, pur, p = self.model, self.model.deposits, self.model.pursuits, self.p
        dep = pur.deposit[offers]
        rows = (closing & d.is_direct() & (d.stage == Stage.TENDERED)).nonzero()[0]
        if not (offers.size or rows.size):  # no offer and nothing closing: nothing to decide (most quarters)
            return
        pending = pur.in_status(OPEN)
        on_closing = np.zeros(len(d), dtype=bool)
        on_closing[rows] = True
        pending = pending[on_closing[pur.deposit[pending]]]
        pending_dep = pur.deposit[pending]
        book = negotiation.Book(
            deposit=dep,
            score=rules.objective(dep, self.features(offers), self.weights) if offers.size else np.zeros(0),
            tiebreak=tiebreak[pur.power[offers]],
            closing=closing[dep],
            strategic=d.table.strategic[dep],
            rows=rows,
            row_strategic=d.table.strategic[rows],
            row_extended=d.tender_extended[rows],
            pending_deposit=pending_dep,
            pending_score=rules.objective(pending_dep, self.features(pending), self.weights)
            if pending.size
            else np.zeros(0),
            pending_ready=pur.ready[pending],
        )
        bars = negotiation.Bars(
            p.reservation_score, p.min_objective, p.state_firm_objective, p.preferred_wait_q, m.steps
        )
        decisions = negotiation.negotiate(book, bars)
        for k in decisions.of(negotiation.Verdict.KEEP_OPEN):
            m.licences.keep_open(int(decisions.deposit[k]), int(decisions.until[k]))
        accept = (decisions.verdict == negotiation.Verdict.ACCEPT) | (
            decisions.verdict == negotiation.Verdict.ACCEPT_AT_CLOSE
        )
        self.grant(offers[decisions.offer[accept]], offers)
        self.grant_state(decisions.deposit[decisions.of(negotiation.Verdict.STATE_FIRM)])

    def grant(self, winners: np.ndarray, offers: np.ndarray) -> None:
        """Award each winner's deposit (one winner per deposit); the other ``offers`` on those deposits lose;
        pursuits still in approval miss the window (at the close) or are pre-empted (accepted early).
        """
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        winners = np.asarray(winners, dtype=np.int64)
        if winners.size == 0:
            return
        deps, ws = pur.deposit[winners], pur.power[winners]
        closed = d.tender_close[deps] <= m.steps
        equity, offtake = award_rules.award_holdings(
            len(m.holders), m.host_index, ws, self.stake(deps), pur.offtake[winners], self.routing(deps)
        )
        lead = self._lead(deps)
        m.budgets.carry(d, deps, ws, pur.tranche[winners])
        direct = d.is_direct()[deps]
        route = np.where(direct, Route.NEGOTIATION, Route.AUCTION)
        public, private, lag = (
            pur.public[winners] + pur.bonus[winners],
            pur.private[winners],
            m.steps - pur.start[winners],
        )
        m.tally.award(ws, public, private, lag, route, ~pur.solo[winners])
        losers, missed, preempted = self.settle(winners, deps, closed)
        lost, pending = self._by_deposit(losers), self._by_deposit(np.concatenate([missed, preempted]))
        others, detail = [], []
        for dep, shut, solo, negotiated in zip(deps.tolist(), closed.tolist(), pur.solo[winners].tolist(), direct):
            label = "in approval" if shut else "pre-empted"
            names = lost.get(dep, []) + [f"{name} ({label})" for name in pending.get(dep, [])]
            others.append(", ".join(names))
            alone = "a private investor bidding alone " if solo else ""
            detail.append(alone + ("[negotiation]" if negotiated else "[auction]"))
        amount = pur.public[winners] + pur.private[winners] + pur.bonus[winners]
        m.licences.award(
            Award(
                rows=deps,
                winner=ws,
                equity=equity,
                offtake=offtake,
                lead_q=lead,
                finance=pur.finance[winners],
                processing=pur.processing[winners],
                public_lead=~pur.solo[winners],
                amount=amount,
                others=tuple(others),
                detail=tuple(detail),
            )
        )
        for k in (~pur.solo[winners]).nonzero()[0].tolist():  # a power's package, accepted over the others
            m.events.add("package_accepted", int(deps[k]), m.holders[ws[k]], others[k], detail=detail[k].strip("[]"))
        m.chains.contract_award(deps, ws, pur.offtake[winners], ~pur.solo[winners])

    def _by_deposit(self, ids: np.ndarray) -> dict[int, list[str]]:
        """The holders of these pursuits, by deposit in pursuit order: one pass, not a mask per awarded deposit."""
        pur, holders, out = self.model.pursuits, self.model.holders, {}
        for dep, power in zip(pur.deposit[ids].tolist(), pur.power[ids].tolist()):
            out.setdefault(dep, []).append(holders[power])
        return out

    def grant_state(self, rows: np.ndarray) -> None:
        """The state's own firm (Kazatomprom, Tau-Ken Samruk) takes these deposits: binding offers are declined,
        partners still in approval miss the window.
        """
        m = self.model
        if rows.size == 0:
            return
        n = rows.size
        host = np.full(n, m.host_index)
        equity, offtake = award_rules.award_holdings(
            len(m.holders), m.host_index, host, np.ones(n), np.zeros(n), self.routing(rows)
        )
        lead = self._lead(rows)
        m.tally.award(host, np.zeros(n), np.zeros(n), np.zeros(n), np.full(n, Route.STATE_FIRM), np.ones(n, dtype=bool))
        self.settle(np.empty(0, dtype=np.int64), rows, np.ones(n, dtype=bool))
        m.licences.award(
            Award(
                rows=rows,
                winner=host,
                equity=equity,
                offtake=offtake,
                lead_q=lead,
                finance=np.zeros(n),
                processing=np.ones(n),
                public_lead=np.ones(n, dtype=bool),  # a public (state) lead
                amount=np.zeros(n),
                others=("",) * n,
                detail=("the state's own firm [negotiation]",) * n,
            )
        )

    def _lead(self, rows: np.ndarray) -> np.ndarray:
        """Quarters from award to production for these deposits: the table's lead time, scattered by this quarter's
        normal draws (``econ.lead_time_sd``).
        """
        z = normal(self.lead_draw[0, rows], self.lead_draw[1, rows])
        return self.model.deposits.table.lead_time[rows] * (1.0 + self.model.params.econ.lead_time_sd * z)

    def routing(self, deps: np.ndarray) -> np.ndarray:
        """Per deposit, the share of the host's own part of the output exported to each holder (its commodity's
        routing, data/commodity_rules.csv).
        """
        return self.export_routing[self.model.deposits.table.commodity[deps]]

    def settle(self, winners: np.ndarray, deposits: np.ndarray, closed: np.ndarray):
        """Settle the pursuits on ``deposits`` (``Pursuits.settle``), and bear the consequences for those still in
        approval: at the tender's close they have missed the window (trust falls, the value counts as missed);
        when a rival was accepted before the close they are pre-empted (no trust loss: they were not late).
        Returns the losers, the missed and the pre-empted.
        """
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        losers, missed, preempted = pur.settle(winners, deposits, closed, m.steps)
        for i in losers[~pur.solo[losers]]:
            m.events.add("package_declined", int(pur.deposit[i]), m.holders[pur.power[i]], detail="another offer won")
        for i in missed:
            p, dep = int(pur.power[i]), int(pur.deposit[i])
            lost = d.value_usd_m(m.prices.price, dep) * (1.0 - self.stake(np.array([dep]))[0])
            m.trust_loss[p] += self.p.trust_loss_missed
            m.tally.missed[p] += 1
            m.tally.missed_value[p] += lost
            m.events.add("missed_window", dep, m.holders[p], amount=lost, detail="still in approval at the close")
        for i in preempted:
            p, dep = int(pur.power[i]), int(pur.deposit[i])
            m.tally.preempted[p] += 1
            m.events.add("pre-empted", dep, m.holders[p], detail="a rival's offer was accepted before the close")
        return losers, missed, preempted

    # --- the other rules, in their own modules --------------------------------------------------------
    def supervise(self) -> None:
        """Development, production starts, contract extensions, revocation (agents/supervision.py)."""
        supervision.supervise(self.model)

    def license_ground(self) -> None:
        """Exploration licences, work, discoveries (agents/exploration.py)."""
        exploration.step(self.model)

"""A power (EU, China, US, ...): its bidding strategy. Picks tenders and opens pursuits.

Each pursuit must clear the power's own approval pipeline (a random duration) before its offer binds. A power
decides on a plot by expected value: the chance that its offer binds before the host decides (its delay
distribution against the time the host takes on that plot's channel) times what the plot is worth to it, less
what trying costs (preparing the offer, and its budget tied up while it waits). A slow power still tries where
the prize is worth it, and then misses windows or wins late. It draws from its own random stream, one number per
deposit and quarter for each of its choices, so that what it draws never depends on what the other powers do.
"""

from __future__ import annotations

import mesa
import numpy as np
from numba import njit
from scipy.special import ndtr

from model.commodities import NAMES
from model.economics import annual_cash_usd_m, life_q, npv_usd_m
from model.params import PowerParams
from model.streams import gumbel, normal


class Power(mesa.Agent):
    """One power; ``p`` holds its parameters (``model.params.powers[code]``)."""

    def __init__(self, model: mesa.Model, code: str, index: int, p: PowerParams) -> None:
        """A power with holder ``index`` and parameters ``p``."""
        super().__init__(model)
        self.code, self.index, self.p = code, index, p
        self.priorities = np.array([p.priorities[c] for c in NAMES])
        self.stream = model.streams.power(code)
        self.first_step = (p.start_year - model.start_year) * 4 + 1  # first quarter of its start year
        self.able = p.budget_usd_m > 0 and p.max_pursuits > 0
        cap = p.approval_cap_q if p.approval_cap_q > 0 else np.inf
        self.expected_delay = min(p.delay_mean_q, cap)

    @property
    def active(self) -> bool:
        """Whether the power pursues new tenders this quarter."""
        return self.able and not self.model.sanctioned[self.index] and self.model.steps >= self.first_step

    def delays(self, z: np.ndarray) -> np.ndarray:
        """Quarters until an offer is binding, from standard normal draws: floored at 0, capped by any fast-track."""
        delay = np.maximum(0.0, self.p.delay_mean_q + self.p.delay_sd_q * z)
        if self.p.approval_cap_q > 0:
            delay = np.minimum(delay, self.p.approval_cap_q)
        return np.rint(delay).astype(np.int64)

    def odds(self, reach: np.ndarray) -> np.ndarray:
        """The chance that an offer started now binds within ``reach`` quarters: approval at all, and a delay
        ``rint(max(0, N(delay_mean_q, delay_sd_q)))``, capped by any fast-track, of at most ``reach``.
        """
        p = self.p
        if p.delay_sd_q > 0:
            within = ndtr((reach + 0.5 - p.delay_mean_q) / p.delay_sd_q)
        else:
            within = (np.rint(max(0.0, p.delay_mean_q)) <= reach).astype(float)
        if p.approval_cap_q > 0:
            within = np.where(p.approval_cap_q < reach + 0.5, 1.0, within)
        return p.approval_prob * within

    def expected_value(self, cand: np.ndarray, reach: np.ndarray, weight: np.ndarray, tranche: np.ndarray):
        """What pursuing each plot is worth to the power now, USD m: the odds that its offer binds in time times
        the plot's worth to it (its weight, priority times incumbency, on the partners' share of the project's net
        present value at the power's discount rate, counting its own delay), less the cost of the offer and of its
        budget tied up while it waits (at its discount rate, for the expected delay or until the host decides).
        """
        m, d, p = self.model, self.model.deposits, self.p
        c = d.table.commodity[cand]
        cash = annual_cash_usd_m(d.table.capacity[cand], m.prices.price[c], m.params.econ.margin, m.rules.met[c])
        npv = npv_usd_m(
            p.discount_rate,
            d.capex[cand],
            cash,
            d.table.lead_time[cand],
            life_q(d.remaining[cand], d.table.capacity[cand]),
            self.expected_delay,
        )
        worth = weight * (1.0 - m.host.stake(cand)) * npv
        carry = (1.0 + p.discount_rate) ** 0.25 - 1.0
        cost = p.offer_cost_usd_m + tranche * np.minimum(self.expected_delay, reach) * carry
        return self.odds(reach) * worth - cost

    def pursue(self) -> None:
        """Open pursuits on the most wanted open tenders the free budget can carry."""
        m, d = self.model, self.model.deposits
        if not self.active:  # the stream moves on as if it had drawn (common random numbers), at no cost
            self.stream.bit_generator.advance(4 * d.slots)
            return
        u = self.stream.random((4, d.slots))  # per deposit: taste, approval time (two), approval outcome
        pur = m.pursuits
        running = int(pur.running[self.index])
        if running or self.index in m.host.developing_leaders:
            m.trust_gain[self.index] += m.params.host.trust_gain_engagement * self.p.engagement
        slots = self.p.max_pursuits - running
        cand = m.host.open
        if slots <= 0 or cand.size == 0:
            return
        act = pur.active()
        # a power knows its own pipeline: it pursues only plots whose offers it expects to make binding in time
        odds = m.params.mechanisms.odds == 1
        cand, reach = _candidates(
            cand,
            act,
            pur.power,
            pur.solo,
            pur.deposit,
            self.index,
            len(d),
            d.tender_close,
            m.steps,
            m.params.host.preferred_wait_q,
            d.is_direct(),
            self.expected_delay,
            d.capex,
            self.p.min_capex_usd_m,
            self.priorities,
            d.table.commodity,
            not odds,
        )
        if cand.size == 0:  # nothing to weigh (most quarters): skip the arithmetic on empty arrays
            return
        prio = self.priorities[d.table.commodity[cand]]
        value = d.value_usd_m(m.prices.price, cand)
        public = self.p.finance_share * d.capex[cand]
        tranche = public / d.table.lead_time[cand]
        incumbency = 1.0 + m.params.host.incumbency * m.host.incumbency[d.table.commodity[cand], self.index]
        if odds:
            gain = self.expected_value(cand, reach, prio * incumbency, tranche)
            keep = gain > 0
            cand, value, public, tranche, gain = cand[keep], value[keep], public[keep], tranche[keep], gain[keep]
            wish = np.log(gain) + gumbel(u[0, cand])
        else:  # the foundation's rule: plots it expects to win in time, by value
            wish = np.log(prio * np.maximum(value, 1e-9) * incumbency) + gumbel(u[0, cand])
        if cand.size == 0:
            return
        ready = m.steps + self.delays(normal(u[1, cand], u[2, cand]))
        free = m.budgets.free(self.index, self.p.budget_usd_m)
        m.budgets.active[self.index] += 1
        take, bound = _affordable(np.argsort(-wish, kind="stable"), tranche, free, slots)
        m.budgets.bound[self.index] += bound
        if take.size:
            ids = pur.add(
                power=self.index,
                deposit=cand[take],
                start=m.steps,
                ready=ready[take],
                ok=u[3, cand[take]] < self.p.approval_prob,
                public=public[take],
                tranche=tranche[take],
                bonus=self.p.premium * value[take],
                private=0.0,
                offtake=self.p.offtake_share,
                processing=self.p.processing,
                finance=self.p.finance_share,
                solo=False,
            )
            self._propose(ids)
            m.tally.packages[self.index] += ids.size

    def _propose(self, ids: np.ndarray) -> None:
        """Log each new package with its parts: public finance, offtake terms, processing, framework agreement."""
        m, pur = self.model, self.model.pursuits
        framework = m.chains.frameworks[m.deposits.table.commodity[pur.deposit[ids]], self.index]
        for i, fw in zip(ids.tolist(), framework.tolist()):
            parts = (
                f"public finance ${pur.public[i]:.0f}m at {self.p.discount_rate:.1%}, offtake {pur.offtake[i]:.0%} for "
                f"{m.params.host.offtake_term_q} quarters, processing {pur.processing[i]:.0%}"
                + (", under a framework agreement" if fw and m.params.mechanisms.packages else "")
            )
            m.events.add("package_proposed", int(pur.deposit[i]), self.code, amount=pur.public[i], detail=parts)


@njit(cache=True)
def _candidates(open_, active, power, solo, deposit, me, n_deposits, close, step, wait_q, direct, delay, capex,
                min_capex, priorities, commodity, by_delay):  # fmt: skip
    """The open plots a power considers: not already its own pursuit, large enough for its public finance, of a
    commodity it wants (with ``by_delay``, the foundation's rule, only those whose offers it expects to make binding
    before the host decides); in the order of ``open_``, with the quarters until the host decides on each (the
    close, plus the wait for a preferred partner in a negotiation, which a power counts on).
    """
    taken = np.zeros(n_deposits, dtype=np.bool_)
    for i in active:
        if power[i] == me and not solo[i]:
            taken[deposit[i]] = True
    out, reach = np.empty(open_.size, dtype=np.int64), np.empty(open_.size, dtype=np.int64)
    n = 0
    for r in open_:
        q = close[r] - step + (wait_q if direct[r] else 0)
        if not taken[r] and (delay <= q or not by_delay) and capex[r] >= min_capex and priorities[commodity[r]] > 0:
            out[n], reach[n] = r, q
            n += 1
    return out[:n], reach[:n]


@njit(cache=True)
def _affordable(order: np.ndarray, tranche: np.ndarray, free: float, slots: int) -> tuple[np.ndarray, bool]:
    """The most wanted candidates (in ``order``) whose tranche the free budget still carries, up to ``slots``;
    and whether the budget stopped one it wanted.
    """
    take = np.empty(order.size, dtype=np.int64)
    n, bound = 0, False
    for j in order:
        if n == slots:
            break
        if tranche[j] > free:
            bound = True
            continue
        take[n] = j
        n += 1
        free -= tranche[j]
    return take[:n], bound

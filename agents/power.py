"""A power (EU, China, US, ...): its bidding strategy. Picks tenders and opens pursuits.

Each pursuit must clear the power's own approval pipeline (a random duration) before its offer binds. A power
draws from its own random stream, one number per deposit and quarter for each of its choices, so that what it
draws never depends on what the other powers do.
"""

from __future__ import annotations

import mesa
import numpy as np
from numba import njit

from model.commodities import NAMES
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
        cand = _candidates(
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
        )
        if cand.size == 0:
            return
        prio = self.priorities[d.table.commodity[cand]]
        value = d.value_usd_m(m.prices.price, cand)
        public = self.p.finance_share * d.capex[cand]
        tranche = public / d.table.lead_time[cand]
        incumbency = 1.0 + m.params.host.incumbency * m.host.shares[d.table.commodity[cand], self.index]
        wish = np.log(prio * np.maximum(value, 1e-9) * incumbency) + gumbel(u[0, cand])
        ready = m.steps + self.delays(normal(u[1, cand], u[2, cand]))
        free = m.budgets.free(self.index, self.p.budget_usd_m)
        m.budgets.active[self.index] += 1
        take, bound = _affordable(np.argsort(-wish, kind="stable"), tranche, free, slots)
        m.budgets.bound[self.index] += bound
        if take.size:
            pur.add(
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


@njit(cache=True)
def _candidates(open_, active, power, solo, deposit, me, n_deposits, close, step, wait_q, direct, delay, capex,
                min_capex, priorities, commodity):  # fmt: skip
    """The open plots a power pursues: not already its own pursuit, offers it expects to make binding before the
    host decides (the close, plus the wait for a preferred partner in a negotiation), large enough for its public
    finance, of a commodity it wants; in the order of ``open_``.
    """
    taken = np.zeros(n_deposits, dtype=np.bool_)
    for i in active:
        if power[i] == me and not solo[i]:
            taken[deposit[i]] = True
    out = np.empty(open_.size, dtype=np.int64)
    n = 0
    for r in open_:
        reach = close[r] - step + (wait_q if direct[r] else 0)
        if not taken[r] and delay <= reach and capex[r] >= min_capex and priorities[commodity[r]] > 0:
            out[n] = r
            n += 1
    return out[:n]


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

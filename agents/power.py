"""A power (EU, China, US, ...): its bidding strategy. Picks tenders and opens pursuits.

Each pursuit must clear the power's own approval pipeline (a random duration) before its offer binds. A power
draws from its own random stream, one number per deposit and quarter for each of its choices, so that what it
draws never depends on what the other powers do.
"""

from __future__ import annotations

import mesa
import numpy as np

from model.commodities import NAMES
from model.deposit_table import STAGE
from model.params import PowerParams


class Power(mesa.Agent):
    """One power; ``p`` holds its parameters (``model.params.powers[code]``)."""

    def __init__(self, model: mesa.Model, code: str, index: int, p: PowerParams) -> None:
        """A power with holder ``index`` and parameters ``p``."""
        super().__init__(model)
        self.code, self.index, self.p = code, index, p
        self.priorities = np.array([p.priorities[c] for c in NAMES])
        self.stream = model.streams.power(code)
        self.sanctioned = False

    @property
    def active(self) -> bool:
        """Whether the power pursues new tenders this quarter."""
        p = self.p
        return not self.sanctioned and self.model.year >= p.start_year and p.budget_usd_m > 0 and p.max_pursuits > 0

    def delays(self, z: np.ndarray) -> np.ndarray:
        """Quarters until an offer is binding, from standard normal draws: floored at 0, capped by any fast-track."""
        delay = np.maximum(0.0, self.p.delay_mean_q + self.p.delay_sd_q * z)
        if self.p.approval_cap_q > 0:
            delay = np.minimum(delay, self.p.approval_cap_q)
        return np.rint(delay).astype(np.int64)

    def pursue(self) -> None:
        """Open pursuits on the most wanted open tenders the free budget can carry."""
        m, d = self.model, self.model.deposits
        n = len(d)
        s = self.stream
        taste, z, approve = s.gumbel(size=n), s.standard_normal(n), s.random(n)
        if not self.active:
            return
        pur = m.pursuits
        act = pur.active()
        mine = act[(pur.power[act] == self.index) & ~pur.solo[act]]
        developing = d.leader[d.stage == STAGE["developing"]] == self.index
        if mine.size or developing.any():
            m.trust_gain[self.index] += m.params.host.trust_gain_engagement * self.p.engagement
        slots = int(self.p.max_pursuits) - mine.size
        cand = d.open_tenders(m.steps)
        if slots <= 0 or cand.size == 0:
            return
        cand = cand[~np.isin(cand, pur.deposit[mine])]
        prio = self.priorities[d.table.commodity[cand]]
        cand, prio = cand[prio > 0], prio[prio > 0]
        if cand.size == 0:
            return
        value = d.value_usd_m(m.prices.price, cand)
        public = self.p.finance_share * m.capex_usd_m[cand]
        tranche = public / d.table.lead_time[cand]
        incumbency = 1.0 + m.params.host.incumbency * m.host.shares[d.table.commodity[cand], self.index]
        wish = np.log(prio * np.maximum(value, 1e-9) * incumbency) + taste[cand]
        ready = m.steps + self.delays(z[cand])
        free = m.budgets.free(self.index, self.p.budget_usd_m)
        for j in np.argsort(-wish, kind="stable"):
            if slots == 0:
                break
            if tranche[j] > free:
                continue
            pur.add(
                power=self.index,
                deposit=int(cand[j]),
                start=m.steps,
                ready=ready[j],
                ok=approve[cand[j]] < self.p.approval_prob,
                public=public[j],
                tranche=tranche[j],
                bonus=self.p.premium * value[j],
                private=0.0,
                offtake=self.p.offtake_share,
                processing=self.p.processing,
                finance=self.p.finance_share,
            )
            free -= tranche[j]
            slots -= 1

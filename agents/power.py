"""A power (EU, China, US, ...): its bidding strategy. Picks tenders and opens pursuits.

Each pursuit must clear the power's own approval pipeline (a random duration) before its offer binds.
"""

from __future__ import annotations

import mesa
import numpy as np

from model.commodities import NAMES
from model.deposit_table import STAGE
from model.params import parse_weights


class Power(mesa.Agent):
    def __init__(self, model: mesa.Model, code: str, index: int, block: dict):
        super().__init__(model)
        self.code, self.index, self.p = code, index, block
        weights = parse_weights(block["priorities"])
        self.priorities = np.array([weights[c] for c in NAMES])
        self.committed_rate = 0.0  # USD m per quarter tied up in pursuits and projects
        self.sanctioned = False

    @property
    def active(self) -> bool:
        return (
            not self.sanctioned
            and self.model.year >= self.p["start_year"]
            and self.p["budget_usd_m"] > 0
            and self.p["max_pursuits"] > 0
        )

    @property
    def free_budget(self) -> float:
        return max(0.0, self.p["budget_usd_m"] - self.committed_rate)

    def draw_delay(self) -> int:
        """Quarters until this pursuit's offer is binding: normal, floored at 0, capped by any fast-track."""
        delay = max(0.0, self.model.rng.normal(self.p["delay_mean_q"], self.p["delay_sd_q"]))
        if self.p["approval_cap_q"] > 0:
            delay = min(delay, self.p["approval_cap_q"])
        return int(round(delay))

    def pursue(self) -> None:
        """Open pursuits on the most wanted open tenders the free budget can carry."""
        m = self.model
        if not self.active:
            return
        pur = m.pursuits
        act = pur.active()
        mine = act[(pur.power[act] == self.index) & ~pur.solo[act]]
        if mine.size or (m.deposits.leader[m.deposits.stage == STAGE["developing"]] == self.index).any():
            m.trust_gain[self.index] += m.v["host.trust_gain_engagement"] * self.p["engagement"]
        slots = int(self.p["max_pursuits"]) - mine.size
        cand = m.open_tenders()
        if slots <= 0 or cand.size == 0:
            return
        cand = cand[~np.isin(cand, pur.deposit[mine])]
        prio = self.priorities[m.deposits.table.commodity[cand]]
        cand, prio = cand[prio > 0], prio[prio > 0]
        if cand.size == 0:
            return
        value = m.reserve_value_usd_m(cand)
        public = self.p["finance_share"] * m.capex_usd_m[cand]
        tranche = public / m.deposits.table.lead_time[cand]
        incumbency = 1.0 + m.v["host.incumbency"] * m.shares[m.deposits.table.commodity[cand], self.index]
        wish = np.log(prio * np.maximum(value, 1e-9) * incumbency) + m.rng.gumbel(size=cand.size)
        free = self.free_budget
        for j in np.argsort(-wish):
            if slots == 0:
                break
            if tranche[j] > free:
                continue
            d = int(cand[j])
            pur.add(
                power=self.index,
                deposit=d,
                start=m.steps,
                ready=m.steps + self.draw_delay(),
                ok=m.rng.random() < self.p["approval_prob"],
                public=public[j],
                tranche=tranche[j],
                bonus=self.p["premium"] * value[j],
                private=0.0,
                offtake=self.p["offtake_share"],
                processing=self.p["processing"],
                finance=self.p["finance_share"],
            )
            free -= tranche[j]
            self.committed_rate += tranche[j]
            slots -= 1

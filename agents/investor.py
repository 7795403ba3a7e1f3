"""Private investors: join the consortium behind a pursuit, bid alone on small deposits, or walk away.

There may be thousands, so their decisions are taken together with numpy (InvestorPool); each Investor
agent is a view over one row of the pool.
"""

from __future__ import annotations

import mesa
import numpy as np

from model.pursuits import OPEN


class InvestorPool:
    """Arrays of investor state and the vectorised quarterly decision."""

    def __init__(self, model: mesa.Model, n: int, affinity_codes: tuple[int, ...], rng: np.random.Generator):
        """``n`` investors drawn from ``rng``; ``affinity_codes`` are the holder indices of EU, US, CN and KZ."""
        p = model.params.investors
        self.model, self.p = model, p
        self.stream = model.streams["investors"]
        self.capital0 = np.exp(rng.normal(np.log(p.capital_median_usd_m), p.capital_sigma, n))
        self.capital = self.capital0.copy()
        self.hurdle = np.maximum(0.0, rng.normal(p.hurdle_mean, p.hurdle_sd, n))
        self.patience = np.maximum(1.0, rng.normal(p.patience_mean_q, p.patience_sd_q, n))
        shares = [p.share_eu, p.share_us, p.share_cn, p.share_kz]
        neutral = max(0.0, 1.0 - sum(shares))
        weights = np.array([*shares, neutral]) / (sum(shares) + neutral)
        self.affinity = np.array([*affinity_codes, -1])[rng.choice(5, n, p=weights)]
        self.pursuit = np.full(n, -1, dtype=np.int64)
        self.stake = np.zeros(n)

    def release(self, pursuit_ids: np.ndarray, invested: bool) -> None:
        """Free the investors of ended pursuits; their stake is spent if the pursuit won."""
        inside = np.flatnonzero(self.pursuit >= 0)
        if inside.size == 0:
            return
        ended = np.zeros(int(max(self.pursuit.max(), pursuit_ids.max())) + 1, dtype=bool)
        ended[pursuit_ids] = True
        members = inside[ended[self.pursuit[inside]]]
        if invested:
            self.capital[members] -= self.stake[members]
        self.pursuit[members], self.stake[members] = -1, 0.0

    def step(self) -> None:
        """One quarter: capital inflow, impatient investors leave, free ones join pursuits or bid alone."""
        m = self.model
        pur = m.pursuits
        order_draw, pick_draw = self.stream.random(len(self.capital)), self.stream.random(len(m.deposits))
        self.capital += self.p.capital_inflow * self.capital0
        # Walk away from pursuits still in approval after the investor's patience.
        inside = self.pursuit >= 0
        waited = m.steps - pur.start[np.maximum(self.pursuit, 0)]
        leave = inside & (pur.status[np.maximum(self.pursuit, 0)] == OPEN) & (waited > self.patience)
        if leave.any():
            np.subtract.at(pur.private, self.pursuit[leave], self.stake[leave])
            np.add.at(m.tally.private_walked, pur.power[self.pursuit[leave]], self.stake[leave])
            self.pursuit[leave], self.stake[leave] = -1, 0.0
        self._join(order_draw)
        self._bid_alone(pick_draw)

    def expected_return(self, deposits: np.ndarray) -> np.ndarray:
        """Annual cash return on capex at today's prices."""
        m, e = self.model, self.model.params.econ
        commodity = m.deposits.table.commodity[deposits]
        return e.margin * m.prices.price[commodity] / m.base_price[commodity] / e.capex_per_annual_revenue

    def _join(self, order_draw: np.ndarray) -> None:
        m, p = self.model, self.p
        pur = m.pursuits
        act = pur.active()
        act = act[~pur.solo[act]]
        need = m.capex_usd_m[pur.deposit[act]] - pur.public[act] - pur.private[act]
        act, need = act[need > 1e-9], need[need > 1e-9]
        free = np.flatnonzero((self.pursuit < 0) & (self.capital > 1e-9))
        if act.size == 0 or free.size == 0:
            return
        power = pur.power[act]
        delay = np.array([m.power_by_index[i].p.delay_mean_q for i in power]) * (pur.status[act] == OPEN)
        base = (
            self.expected_return(pur.deposit[act])
            + p.trust_weight * (m.trust[power] - p.trust_pivot)
            - p.delay_penalty * delay
        )
        surplus = (
            base[None, :] + p.affinity_bonus * (self.affinity[free, None] == power[None, :]) - self.hurdle[free, None]
        )
        best = np.argmax(surplus, axis=1)
        joins = surplus[np.arange(free.size), best] > 0
        free, best = free[joins], best[joins]
        if free.size == 0:
            return
        order = np.lexsort((order_draw[free], best))
        free, best = free[order], best[order]
        amount = self.capital[free]
        before = np.cumsum(amount) - amount
        start = np.searchsorted(best, best)  # first position of each pursuit's group
        before -= before[start]
        take = np.clip(need[best] - before, 0.0, amount)
        ok = take > 1e-9
        free, best, take = free[ok], best[ok], take[ok]
        self.pursuit[free], self.stake[free] = act[best], take
        np.add.at(pur.private, act[best], take)

    def _bid_alone(self, pick_draw: np.ndarray) -> None:
        """An investor with enough capital bids alone for a small open tender with a good return.

        Its offer carries its home power's code (an EU firm's win is an EU holding) but none of that power's
        public finance or approval delay; a neutral investor bids as PRIVATE.
        """
        m = self.model
        cand = m.host.open
        if cand.size == 0:
            return
        capex = m.capex_usd_m[cand]
        small = capex <= self.p.solo_max_capex_usd_m
        cand, capex = cand[small], capex[small]
        act = m.pursuits.active()
        taken = m.pursuits.deposit[act[m.pursuits.solo[act]]]
        free = self.pursuit < 0
        richest = self.capital[free].max() if free.any() else 0.0
        solo_on = np.zeros(len(m.deposits), dtype=bool)
        solo_on[taken] = True
        keep = ~solo_on[cand] & (capex <= richest)  # nobody could afford the rest: no draw is skipped
        cand, capex = cand[keep], capex[keep]
        ret = self.expected_return(cand)
        for d, c, r in zip(cand, capex, ret):
            able = np.flatnonzero((self.pursuit < 0) & (self.capital >= c) & (self.hurdle < r))
            if able.size == 0:
                continue
            i = int(able[min(able.size - 1, int(pick_draw[d] * able.size))])
            home = self.affinity[i]
            pid = m.pursuits.add(
                power=home if home >= 0 else m.private_index,
                deposit=int(d),
                start=m.steps,
                ready=m.steps,
                ok=True,
                public=0.0,
                tranche=0.0,
                bonus=0.0,
                private=c,
                offtake=0.0,
                processing=0.0,
                finance=0.0,
                solo=True,
            )
            self.pursuit[i], self.stake[i] = pid, c

    def committed_by_power(self, n_holders: int) -> np.ndarray:
        """Private capital now inside each power's open pursuits."""
        inside = self.pursuit >= 0
        return np.bincount(self.model.pursuits.power[self.pursuit[inside]], self.stake[inside], minlength=n_holders)


class Investor(mesa.Agent):
    """One private investor: a view over its row of the InvestorPool."""

    def __init__(self, model: mesa.Model, row: int):
        super().__init__(model)
        self.row = row

    @property
    def capital_usd_m(self) -> float:
        """Capital not yet committed, USD million."""
        return float(self.model.investors.capital[self.row])

    @property
    def affinity(self) -> str:
        """Home power's code, or 'neutral'."""
        a = self.model.investors.affinity[self.row]
        return self.model.holders[a] if a >= 0 else "neutral"

    @property
    def in_pursuit(self) -> bool:
        """Whether the investor is inside a pursuit now."""
        return bool(self.model.investors.pursuit[self.row] >= 0)

"""A power (EU, China, US, ...): its bidding strategy. Picks tenders and opens pursuits.

Each pursuit must clear the power's own approval pipeline (a random duration) before its offer binds. A power
decides on a plot by expected value: the chance that its offer binds before the host decides (its delay
distribution against the time the host takes on that plot's channel) times what the plot is worth to it, less
what trying costs (preparing the offer, and its budget tied up while it waits). A slow power still tries where
the prize is worth it, and then misses windows or wins late. It draws from its own random stream, one number per
deposit and quarter for each of its choices, so that what it draws never depends on what the other powers do.
"""

from __future__ import annotations

from functools import partial

import mesa
import numpy as np

from agents.power_kernels import candidates, choose, ready
from model import libm
from model.commodities import NAMES
from model.params import PowerParams
from model.streams import Block, normal


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
        self.slot = -1  # its place among the powers (``Powers``)
        cap = p.approval_cap_q if p.approval_cap_q > 0 else np.inf
        self.expected_delay = min(p.delay_mean_q, cap)
        # the discount factor a quarter, to the expected delay, and the cost of money a quarter, as npv_usd_m has them
        self._v = libm.power(1.0 + np.asarray(p.discount_rate, dtype=float), -0.25)
        self._v_wait = float(libm.power(self._v, self.expected_delay))
        self._carry = (1.0 + p.discount_rate) ** 0.25 - 1.0

    @property
    def active(self) -> bool:
        """Whether the power pursues new tenders this quarter."""
        return self.able and not self.model.sanctioned[self.index] and self.model.steps >= self.first_step

    def inputs(self, cand: np.ndarray, reach: np.ndarray) -> tuple:
        """What weighing ``cand`` (each ``reach`` quarters from the host's decision) reads, in the order of
        ``power_kernels.weigh``'s arguments.

        By the odds (``mechanisms.odds``): what pursuing the plot is worth to the power now, USD m, kept where
        positive: the odds that its offer binds in time (approval at all, and a delay ``rint(max(0, N(delay_mean_q,
        delay_sd_q)))``, capped by any fast-track, of at most the reach) times the plot's worth to it (priority
        times incumbency, on the partners' share of the project's net present value at the power's discount rate,
        counting its own delay), less the cost of the offer and of its budget tied up while it waits (at its
        discount rate, for the expected delay or until the host decides). Else (the foundation's rule): priority ×
        value × incumbency.
        """
        m, d, p = self.model, self.model.deposits, self.p
        t = d.table
        return (cand, reach, self.index, m.params.mechanisms.odds == 1, t.commodity, t.capacity, d.remaining, d.capex,
                t.lead_time, m.prices.price, m.rules.met, m.params.econ.margin, m.host.stake(cand), self.priorities,
                m.host.incumbency, m.params.host.incumbency, p.finance_share, float(self._v), self._v_wait,
                p.offer_cost_usd_m, self._carry, self.expected_delay, p.approval_prob, p.delay_mean_q, p.delay_sd_q,
                p.approval_cap_q)  # fmt: skip

    def pursue(self, considered: Considered) -> None:
        """Open pursuits on the most wanted open tenders the free budget can carry (``considered``: what each power
        considers this quarter).
        """
        # per deposit: taste, approval time (two), approval outcome; drawn where read, and the stream always moves
        # on by the whole block (common random numbers), also when the power is not active
        block = Block(self.stream, 4 * self.model.deposits.slots)
        try:
            if self.active:
                self._pursue(block, considered)
        finally:
            block.close()

    def _pursue(self, block: Block, considered: Considered) -> None:
        """``pursue`` for an active power, reading its draws from ``block``."""
        m, d = self.model, self.model.deposits
        pur = m.pursuits
        running = int(pur.running[self.index])
        if running or self.index in m.host.developing_leaders:
            m.trust_gain[self.index] += m.params.host.trust_gain_engagement * self.p.engagement
        slots = self.p.max_pursuits - running
        if slots <= 0 or m.host.open.size == 0:
            return
        cand, reach = considered.of(self.slot)
        if cand.size == 0:  # nothing to weigh (most quarters)
            return
        free = m.budgets.free(self.index, self.p.budget_usd_m)
        keep, value, public, tranche, take, bound = choose(*self.inputs(cand, reach), block.take(0, cand), free, slots)
        if keep.size == 0:
            return
        cand = cand[keep]
        m.budgets.active[self.index] += 1
        m.budgets.bound[self.index] += bound
        if take.size:
            won, n = cand[take], d.slots
            z = normal(block.take(n, won), block.take(2 * n, won))  # the draws of each approval time
            ids = pur.add(
                power=self.index,
                deposit=won,
                start=m.steps,
                ready=ready(z, self.p.delay_mean_q, self.p.delay_sd_q, self.p.approval_cap_q, m.steps),
                ok=block.take(3 * n, won) < self.p.approval_prob,
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
        """Log each new package with its parts (public finance, offtake terms, processing, framework agreement),
        worded when the log is read.
        """
        m, pur = self.model, self.model.pursuits
        framework = m.chains.frameworks[m.deposits.table.commodity[pur.deposit[ids]], self.index]
        m.events.add_later(partial(self._proposals, pur.deposit[ids], pur.public[ids], pur.offtake[ids],
                                   pur.processing[ids], framework & bool(m.params.mechanisms.packages),
                                   self.p.discount_rate, m.params.host.offtake_term_q))  # fmt: skip

    def _proposals(self, deposits, public, offtake, processing, framework, rate, term) -> list[tuple]:
        """The events of packages proposed on ``deposits`` with these parts, at ``rate`` for ``term`` quarters
        (copies, taken when proposed).
        """
        told = []
        for dep, pub, off, proc, fw in zip(
            deposits.tolist(), public.tolist(), offtake.tolist(), processing.tolist(), framework.tolist()
        ):
            parts = f"public finance ${pub:.0f}m at {rate:.1%}, offtake {off:.0%} for {term} quarters, "
            parts += f"processing {proc:.0%}"
            told.append(("package_proposed", dep, self.code, "", pub, parts + (", under a framework agreement" * fw)))
        return told


class Considered:
    """The open plots each power considers this quarter, with the quarters until the host decides on each, found for
    every power in one pass (``power_kernels.candidates``) before their turns: what one power opens never changes
    what another considers (its own pursuits, the plots and the host's calendar).
    """

    def __init__(self, plots: np.ndarray, reach: np.ndarray, start: np.ndarray) -> None:
        self.plots, self.reach, self.start = plots, reach, start

    def of(self, slot: int) -> tuple[np.ndarray, np.ndarray]:
        """Power ``slot``'s plots and quarters (in the order of the host's open plots)."""
        a, b = self.start[slot], self.start[slot + 1]
        return self.plots[a:b], self.reach[a:b]


class Powers:
    """The powers' turn at the tenders each quarter: what each considers, found in one pass, then each power's
    pursuit in random order (Mesa's ``shuffle_do``). ``agents``: the model's powers; each learns its ``slot`` here.
    """

    def __init__(self, agents: mesa.agent.AgentSet) -> None:
        self.agents = agents
        ordered = list(agents)
        for slot, power in enumerate(ordered):
            power.slot = slot
        self.holders = np.array([power.index for power in ordered], dtype=np.int64)
        self.delay = np.array([power.expected_delay for power in ordered])
        self.min_capex = np.array([power.p.min_capex_usd_m for power in ordered])
        self.priorities = np.array([power.priorities for power in ordered]).reshape(len(ordered), len(NAMES))

    def pursue(self, m) -> None:
        """This quarter's pursuits of every power (``m``: the model)."""
        self.agents.shuffle_do("pursue", self.considered(m))

    def considered(self, m) -> Considered:
        """What each power considers now: a power knows its own pipeline, so it pursues only plots whose offers it
        expects to make binding in time.
        """
        d, pur = m.deposits, m.pursuits
        return Considered(*candidates(m.host.open, pur.active(), pur.power, pur.solo, pur.deposit, self.holders,
                                      len(m.holders), len(d), d.tender_close, m.steps, m.params.host.preferred_wait_q,
                                      d.is_direct(), self.delay, d.capex, self.min_capex, self.priorities,
                                      d.table.commodity, m.params.mechanisms.odds != 1))  # fmt: skip

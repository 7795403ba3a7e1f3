"""Private investors: decide by the numbers whether to join a power's consortium, bid alone at auction, file
exploration licences, or walk away.

Each investor discounts a deposit's cash flows (after extraction tax) at its own rate plus Kazakhstan's country
risk premium, and counts the wait for the partner's approval: a slow partner's consortium is worth less, and
an investor leaves one that keeps it waiting past its patience, or whose project no longer pays. There may be
thousands, so their decisions are taken together over arrays, in compiled passes (InvestorPool;
`agents/investor_kernels.py`, `agents/investor_values.py`); each Investor agent is a view.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from agents.investor_kernels import columns, first_able, leave_and_join, lone_bidders
from agents.investor_values import Discounting, project
from model.economics import npv_usd_m
from model.host_picture import stakes
from model.libm import exp

RATE_STEP = 0.0025  # a quarter of a percentage point


class InvestorPool:
    """Arrays of investor state and the vectorised quarterly decision."""

    def __init__(self, model: mesa.Model, n: int, rng: np.random.Generator):
        """``n`` investors drawn from ``rng``; their homes are the powers (each with its ``home_share``), the host
        (``investors.share_kz``) or none (neutral: PRIVATE).
        """
        p = model.params.investors
        self.model, self.p = model, p
        self.stream = model.streams["investors"]
        self.capital0 = exp(rng.normal(math.log(p.capital_median_usd_m), p.capital_sigma, n))
        self.capital = self.capital0.copy()
        # each investor's discount rate, on a grid of RATE_STEP (rates are quoted in such steps; and the model
        # then values each deposit once per distinct rate, not once per investor)
        rate = np.maximum(0.0, rng.normal(p.hurdle_mean, p.hurdle_sd, n)) + p.country_risk
        self.rate = np.round(rate / RATE_STEP) * RATE_STEP
        self.rates, self.rate_of = np.unique(self.rate, return_inverse=True)
        self.discounting = Discounting(self.rates)  # the quarter's values, from powers kept between quarters
        self.patience = np.maximum(1.0, rng.normal(p.patience_mean_q, p.patience_sd_q, n))
        codes = tuple(model.params.powers)  # the registry's order
        homes = [*(model.index[c] for c in codes), model.host_index]
        shares = [*(model.params.powers[c].home_share for c in codes), p.share_kz]
        neutral = max(0.0, 1.0 - sum(shares))
        weights = np.array([*shares, neutral]) / (sum(shares) + neutral)
        self.affinity = np.array([*homes, -1])[rng.choice(len(weights), n, p=weights)]
        self.home = np.where(self.affinity >= 0, self.affinity, model.private_index)  # the code its holdings carry
        self.pursuit = np.full(n, -1, dtype=np.int64)
        self.stake = np.zeros(n)

    def release(self, pursuit_ids: np.ndarray, invested: bool) -> None:
        """Free the investors of ended pursuits; their stake is spent if the pursuit won."""
        pur = self.model.pursuits
        pursuit_ids = pursuit_ids[pur.private[pursuit_ids] > 0]  # only pursuits with private capital have members
        if pursuit_ids.size == 0:
            return
        ended = np.zeros(pur.n, dtype=bool)
        ended[pursuit_ids] = True
        inside = (self.pursuit >= 0).nonzero()[0]
        members = inside[ended[self.pursuit[inside]]]
        if invested:
            self.capital[members] -= self.stake[members]
        self.pursuit[members], self.stake[members] = -1, 0.0

    # --- the numbers ------------------------------------------------------------------------------------
    def _project(self, deposits: np.ndarray) -> tuple[np.ndarray, ...]:
        """What valuing ``deposits`` reads: capex, yearly cash, lead time, life left (quarters), the state's stake
        (``investor_values.project``).
        """
        m, d, t = self.model, self.model.deposits, self.model.deposits.table
        return project(deposits, t.capacity, t.commodity, m.prices.price, m.params.econ.margin, m.rules.met,
                       d.remaining, d.capex, t.lead_time, stakes(m))  # fmt: skip

    def npv(self, rate: np.ndarray, deposits: np.ndarray, wait_q: np.ndarray) -> np.ndarray:
        """Net present value (USD m) to investors of the state's partners' part of ``deposits``, after ``wait_q``
        quarters, at yearly ``rate`` (arrays broadcast: a column of rates against a row of deposits gives a
        matrix; aligned vectors give one value per pair).
        """
        capex, cash, lead, life, stake = self._project(deposits)
        return (1.0 - stake) * npv_usd_m(rate, capex, cash, lead, life, wait_q)

    def values(self, deposits: np.ndarray, wait_q: np.ndarray) -> np.ndarray:
        """``npv(rates[:, None], deposits, wait_q[None, :])`` bit for bit (rate classes × ``deposits``), from the
        powers of the classes' discount factors that ``discounting`` keeps between quarters.
        """
        capex, cash, lead, life, stake = self._project(deposits)
        lead, life = np.maximum(lead, 1), np.maximum(life, 0)  # as npv_usd_m bounds them
        return self.discounting.matrix(lead, life, wait_q, capex, cash, stake, deposits)

    def columns(self, act: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The quarter's columns of values (``investor_kernels.columns``): the deposits of the active pursuits
        ``act`` then of the tenders open to a lone investor; the quarters an investor expects to wait for each
        column's offer to bind (a pursuit's power's mean delay less what has passed, scaled by
        ``investors.speed_sensitivity``; a tender's none); and those tenders.
        """
        m, d, pur = self.model, self.model.deposits, self.model.pursuits
        deps, wait, n = columns(act, pur.deposit, pur.power, pur.start, pur.status, pur.solo, m.power_delay, m.steps,
                                self.p.speed_sensitivity, m.host.open, d.is_direct(), d.capex,
                                self.p.solo_max_capex_usd_m)  # fmt: skip
        return deps, wait, deps[deps.size - n :]

    # --- the quarter ------------------------------------------------------------------------------------
    def step(self) -> None:
        """Capital inflow; investors leave pursuits that keep them waiting or no longer pay; free ones join the
        best-paying consortia or bid alone at auction.

        The active pursuits and the open tenders are valued once, for every rate class: nothing the investors do
        in the quarter changes a value (prices, reserves, stakes, waits), and one pass over a small matrix costs
        less than three over its parts (each entry is the same arithmetic, so the same number).
        """
        m = self.model
        order_draw, pick_draw = self.stream.random(len(self.capital)), self.stream.random(m.deposits.slots)
        self.capital += self.p.capital_inflow * self.capital0
        act = m.pursuits.active()
        deps, wait, tenders = self.columns(act)
        value = self.values(deps, wait)
        self._leave_and_join(order_draw, act, value)
        self._bid_alone(pick_draw, tenders, value[:, act.size : deps.size])

    def _single(self, free: np.ndarray, dep: np.ndarray) -> np.ndarray:
        """A lone tender's value for every rate class, valued on its own for the classes of ``free``, as it always
        was (a lone bidder's bonus is a share of it, so its bits reach the tables): numpy's power then broadcasts
        its exponents and takes exact shortcuts for -1, 1/2 and 2 (which of them depends on the number of classes)
        that a matrix of two columns or more does not take.
        """
        kinds = np.bincount(self.rate_of[free]).nonzero()[0]  # np.unique's classes, in order, at a fifth of its cost
        out = np.zeros((self.rates.size, 1))
        out[kinds] = self.npv(self.rates[kinds, None], dep, np.zeros((1, 1)))  # a tender: no wait
        return out

    def _leave_and_join(self, order_draw: np.ndarray, act: np.ndarray, value: np.ndarray) -> None:
        """Investors leave pursuits that keep them waiting or no longer pay, then the free ones join the best-paying
        consortia (``investor_kernels.leave_and_join``; ``value``: rate classes × ``act`` then the tenders, whose
        columns only the lone bids read).
        """
        m, p, pur = self.model, self.p, self.model.pursuits
        leave_and_join(value, act, self.pursuit, pur.status, pur.start, self.patience, self.rate_of, m.steps,
                       p.speed_sensitivity > 0, pur.deposit, pur.public, pur.private, pur.solo, pur.power,
                       m.deposits.capex, m.trust, p.trust_weight, p.trust_pivot, p.affinity_bonus, self.affinity,
                       order_draw, self.capital, self.stake, m.tally.private_walked)  # fmt: skip

    def _bid_alone(self, pick_draw: np.ndarray, cand: np.ndarray, value: np.ndarray) -> None:
        """An investor with the capital bids alone at an auction whose project pays at its own rate; its bid is a
        share of that value as signature bonus, a financed work programme and the minimum processing commitment.
        Its offer carries its home code (an EU firm's win is an EU holding).
        """
        m, p = self.model, self.p
        d = m.deposits
        if cand.size == 0:
            return
        free = ((self.pursuit < 0) & (self.capital >= d.capex[cand].min())).nonzero()[0]  # who could afford one
        if free.size == 0:
            return
        if cand.size == 1:
            value = self._single(free, cand)
        which = self.rate_of[free]
        k, pos = lone_bidders(value, which, self.capital[free], d.capex[cand], pick_draw[cand])
        if k.size == 0:
            return
        dep, who = cand[k], free[pos]
        capex = d.capex[dep]
        pid = m.pursuits.add(
            power=self.home[who],
            deposit=dep,
            start=m.steps,
            ready=m.steps,
            ok=True,
            public=0.0,
            tranche=0.0,
            bonus=p.bonus_share * value[which[pos], k],
            private=capex,
            offtake=0.0,
            processing=m.params.host.auction_min_processing,
            finance=0.0,
            solo=True,
        )
        self.pursuit[who], self.stake[who] = pid, capex

    # --- exploration ------------------------------------------------------------------------------------
    def filers(self, k: int, need: float) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` investors who file this quarter's exploration licences (among those with ``need`` of free
        capital, in the order of this quarter's draws) and the code their licences carry.
        """
        if k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        draw = self.model.streams["filers"].random(len(self.capital))
        chosen = first_able(self.pursuit, self.capital, need, draw, k)
        return chosen, self.home[chosen]

    def take(self, investor: int, amount: float) -> float:
        """Up to ``amount`` of one investor's capital (none for a power's own firm, ``investor`` < 0)."""
        if investor < 0:
            return 0.0
        got = min(amount, max(float(self.capital[investor]), 0.0))
        self.capital[investor] -= got
        return got


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

"""World markets: where Kazakhstan's supply matters (``markets.endogenous``: uranium, chromium, tungsten), the
price answers world demand against world supply; elsewhere it reverts to an exogenous path. Random shocks stay
on the ``prices`` stream either way (``model/prices.py``).

For an endogenous commodity, each quarter (year fraction ``y``, realised price ``P``, base price ``P0``):

- world demand ``D = D̄(y) · (P / P0)^ε_d`` (``D̄`` the demand path, ``data/demand_paths.csv``);
- the rest of the world's supply ``R = R̄(y) · exp(ε_s · m)``, ``R̄`` its 2024 supply grown on the supply path and
  ``m`` the log price relative to base averaged over ``markets.capacity_lead_q`` quarters: capacity follows the
  price over mine lead times, not at once;
- Kazakhstan's supply ``Q``: the model's output of the last quarter that reached a buyer (routes can strand it);
- consumers' inventories, where they hold some, cover a share of a shortfall (or take a share of a surplus)
  (``supply_with_stocks``);
- the gap ``g = log(D / S) − g₀``, with ``g₀`` its value in the first quarter (the data's start balance, where
  secondary supply closes uranium's gap between mine output and reactor needs, is taken as it is);
- the spot price moves by ``g / (adjust_q · (ε_s − ε_d))`` a quarter: the change that would close the gap at the
  long-run elasticities, spread over ``adjust_q`` quarters (``g / drift_spread``).

With ``mechanisms.markets = 0`` every price reverts to its base level, as before; with ``mechanisms.demand_growth
= 0`` demand stays at its start-year level.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model import demand as paths
from model.commodities import NAMES as COMMODITIES
from model.exact import maximum, minimum
from model.libm import exp, log, power

SPREAD_FLOOR = 0.05  # smallest ε_s − ε_d: a market with neither elasticity would otherwise have no finite price


@njit(cache=True)
def supply_with_stocks(demand, supply, stock, target, cover):
    """Supply as consumers see it, and the quarter's change in their stocks (t): a shortfall is met from stock at
    ``cover`` × the stock's fill (stock / target, at most 1); a surplus refills stock at ``cover`` × what is
    missing. All rates in t a year; commodities without a target have no stock. Compiled, commodity by commodity,
    with numpy's arithmetic in its order (some twenty numpy calls on a few numbers each, once a quarter).
    """
    seen, change = np.empty(demand.size), np.empty(demand.size)
    for c in range(demand.size):
        draw = refill = 0.0
        if target[c] > 0:
            fill = stock[c] / target[c]
            draw = cover * minimum(fill, 1.0) * maximum(demand[c] - supply[c], 0.0)
            refill = cover * maximum(1.0 - fill, 0.0) * maximum(supply[c] - demand[c], 0.0)
        seen[c] = supply[c] + draw - refill
        change[c] = (refill - draw) / 4.0
    return seen, change


@njit(cache=True, error_model="numpy")
def _seen(demand, rest, kz, stock, target, cover):
    """World demand over the supply consumers see (``supply_with_stocks`` of the rest of the world's supply and
    Kazakhstan's, at least 1e-9 t), and the quarter's change in their stocks: numpy's arithmetic in its order.
    """
    seen, change = supply_with_stocks(demand, rest + kz, stock, target, cover)
    ratio = np.empty(demand.size)
    for c in range(demand.size):
        ratio[c] = demand[c] / maximum(seen[c], 1e-9)
    return ratio, change


@njit(cache=True, error_model="numpy")
def _answer(stock, change, gap, offset, spread, endogenous, reversion, log_target, log_spot):
    """The stocks after the quarter (endogenous commodities only), and the drift: an endogenous commodity's
    ``(gap - offset) / spread``, the others' reversion ``reversion * (log_target - log_spot)``.
    """
    stocks, drift = np.empty(stock.size), np.empty(stock.size)
    for c in range(stock.size):
        stocks[c] = stock[c] + (change[c] if endogenous[c] else 0.0)
        drift[c] = (gap[c] - offset[c]) / spread[c] if endogenous[c] else reversion * (log_target[c] - log_spot[c])
    return stocks, drift


def drift_spread(adjust_q: np.ndarray, eps_s: np.ndarray, eps_d: np.ndarray) -> np.ndarray:
    """What a log gap is divided by to give the quarter's move of the log spot price: the long-run elasticities'
    spread, over ``adjust_q`` quarters (fixed for a run, so computed once).
    """
    return adjust_q * np.maximum(eps_s - eps_d, SPREAD_FLOOR)


class Markets:
    """The paths and the state of the world markets for one run (``m`` the model)."""

    def __init__(self, m) -> None:
        p, mk = m.params, m.params.markets
        self.on, self.grow = bool(p.mechanisms.markets), bool(p.mechanisms.demand_growth)

        def per(name: str) -> np.ndarray:
            return np.array([getattr(mk, name)[c] for c in COMMODITIES], dtype=float)

        self.endogenous = (per("endogenous") > 0) & self.on
        self.eps_d, self.eps_s, self.adjust = per("demand_elasticity"), per("supply_elasticity"), per("adjust_q")
        self.term_share = np.where(self.endogenous, per("term_share"), 0.0)
        self.cover, self.lead, self.reversion = mk.inventory_cover, mk.capacity_lead_q, p.price.reversion
        self.world = paths.demand(p.run.demand_paths, "world", mk.demand_path)
        self.eu = paths.demand(p.run.demand_paths, "EU", mk.demand_path)
        self.rest, self.growth, self.rest_year = paths.rest_of_world(p.run.world_supply, mk.supply_path)
        self._grown: dict[int, np.ndarray] = {}  # the rest of the world's capacity by step, before the price signal
        self.base, self.start = m.base_price, m.start_year
        self.targets = paths.exogenous_prices(p.run.price_paths, mk.price_path, self.base) if self.on else None
        self.stock_target = np.where(self.endogenous, per("inventory_years") * self.world.at(self.start), 0.0)
        self.stock = self.stock_target.copy()
        self.trend = np.zeros(len(COMMODITIES))  # m: the log price relative to base, averaged over the lead time
        self.kz: np.ndarray | None = None  # Kazakhstan's supply that reached buyers last quarter, t a year
        self.offset: np.ndarray | None = None  # g0
        self.answering = bool(self.endogenous.any())  # whether any price answers the market (fixed for the run)
        self._spread = drift_spread(self.adjust, self.eps_s, self.eps_d)
        self._log_base = log(self.base)  # the reversion's target without a price path (fixed for the run)

    def year(self, step: int) -> float:
        """The year fraction at the start of ``step``'s quarter (demand held at the start without growth)."""
        return self.start + (max(step, 1) - 1) / 4.0 if self.grow else float(self.start)

    def demand_world(self, step: int, price: np.ndarray) -> np.ndarray:
        """World demand at ``price``, t a year."""
        return self.world.at(self.year(step)) * power(price / self.base, self.eps_d)

    def demand_eu(self, step: int) -> np.ndarray:
        """The EU's demand path, t a year."""
        return self.eu.at(self.year(step))

    def rest_supply(self, step: int, trend: np.ndarray | None = None) -> np.ndarray:
        """The rest of the world's supply capacity, t a year (at ``trend``, the capacity signal's, or now)."""
        grown = self._grown.get(step)
        if grown is None:  # the drift and the snapshot ask for each quarter's
            years = self.start + (max(step, 1) - 1) / 4.0 - self.rest_year
            grown = self._grown[step] = self.rest * power(1.0 + self.growth, years)
        return grown * exp(self.eps_s * (self.trend if trend is None else trend))

    def drift(self, step: int, spot: np.ndarray, price: np.ndarray) -> np.ndarray:
        """The deterministic part of this quarter's log change of the spot price: reversion to the exogenous path
        (or the base price), or, for the endogenous commodities, the market's answer to the gap.
        """
        target = self.targets.log_at(self.start + (step - 1) / 4.0) if self.targets is not None else self._log_base
        log_spot = log(spot)
        if self.kz is None or not self.answering:
            return self.reversion * (target - log_spot)
        demand = self.demand_world(step, price)
        ratio, change = _seen(demand, self.rest_supply(step), self.kz, self.stock, self.stock_target, self.cover)
        gap = log(ratio)
        if self.offset is None:
            self.offset = gap.copy()
        self.stock, drift = _answer(self.stock, change, gap, self.offset, self._spread, self.endogenous,
                                    self.reversion, target, log_spot)  # fmt: skip
        return drift

    def follow(self, price: np.ndarray) -> None:
        """After the price moved: the capacity signal follows it over the lead time."""
        self.trend += (log(price / self.base) - self.trend) / self.lead

    def supplied(self, kz_t_per_q: np.ndarray) -> None:
        """Kazakhstan's output this quarter that reached buyers (t), for next quarter's market."""
        self.kz = 4.0 * kz_t_per_q

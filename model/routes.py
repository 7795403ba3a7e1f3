"""Export corridors (``data/routes.csv``): the Trans-Caspian route (TITR), the northern route through Russia, the
crossings into China and the sea route through China. Each has a capacity for minerals (its cargo capacity times
the share minerals may take: they share it with other cargo), a freight cost, a transit time, a yearly disruption
probability and the buyers it serves; dated investments known by the start add capacity after their build time
(both read by ``model/route_table.py``).

Each quarter every buyer's take of every commodity (``model/chains.py``) goes by its cheapest open route by
generalised cost (freight, plus the carrying cost of the cargo's value in transit, plus the expected cost of a
disruption), up to the route's capacity; what a full route leaves goes by the next cheapest, and what no route can
carry is stranded (``allocate``). The host's own part stays in the country and needs no route. A buyer no route
names (a declared power) may use every route. Tonnes of cargo are tonnes of the commodity (assumption: ore,
concentrate and metal alike; the mineral shares are assumptions of the same order).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.exact import sorts_after
from model.libm import power
from model.route_table import RouteTable, freeze, investments, load


@njit(cache=True)
def generalised_cost(freight, price, at_stake):
    """Routes × commodities, USD per t: the route's ``freight``, and the share of the cargo's value at ``price`` a
    trip costs (``at_stake``, a column: ``value_at_stake``), as numpy's ``freight[:, None] + price[None, :] *
    at_stake``.
    """
    cost = np.empty((freight.size, price.size))
    for r in range(freight.size):
        for c in range(price.size):
            cost[r, c] = freight[r] + price[c] * at_stake[r, 0]
    return cost


def value_at_stake(table: RouteTable, carry: float, loss: float) -> np.ndarray:
    """Per route (a column), the share of the cargo's value a trip costs: tied up in transit at ``carry`` a year,
    and the expected loss to a disruption; fixed for a run, so a run computes it once.
    """
    return table.transit_days[:, None] / 365.0 * carry + table.disruption[:, None] * loss


@njit(cache=True)
def allocate(flows, cost, serves, capacity):
    """Route ``flows`` (commodities × holders, t this quarter) over routes with ``capacity`` (t this quarter); float
    arrays.

    In rounds: each remaining flow asks its k-th cheapest route that serves its holder (``cost`` routes ×
    commodities); a route asked for more than it has left carries each request pro rata. Returns what each route
    carries (routes × commodities × holders) and what is stranded (commodities × holders).
    """
    big = _largest(cost) + 1.0 if cost.size else 1.0
    return _rounds(_order(cost, serves, big * 2.0), serves, flows, capacity)


@njit(cache=True)
def _largest(a):
    """The largest number of ``a`` (a float array, not empty) as numpy's ``a.max()`` gives it: a NaN wins (of -0.0
    and 0.0 either may come back, as from numpy: ``allocate`` adds 1.0 to it).
    """
    out = a.flat[0]
    for x in a.flat:
        if x != x:
            return x
        if x > out:
            out = x
    return out


@njit(cache=True)
def _quarter(u, chance, step, disruption_q, down, until, factor, capacity, taken, host, on, freight, price, at_stake,
             serves):  # fmt: skip
    """A quarter's routing in one call (``Routes.quarter``): the capacity open (``_open``), the exports (``taken``
    less the host's own part), their ``generalised_cost`` and ``allocate`` (every route open without limit when
    ``on`` is false). Returns the open capacity, what each route carried and what was stranded.
    """
    open_now = _open(u, chance, step, disruption_q, down, until, factor, capacity)
    exports = taken.copy()
    exports[:, host] = 0.0
    cost = generalised_cost(freight, price, at_stake)
    carried, stranded = allocate(exports, cost, serves, open_now if on else np.full(open_now.size, np.inf))
    return open_now, carried, stranded


@njit(cache=True)
def _order(cost, serves, unserved):
    """Per commodity and holder, the routes cheapest first, a route that does not serve the holder at cost
    ``unserved`` (more than any other), as numpy's stable ``argsort`` over routes orders them: equal costs in route
    order, a NaN after every number. Routes are few: an insertion sort, which is stable.
    """
    n_r, n_c = cost.shape
    n_h = serves.shape[1]
    order = np.empty((n_r, n_c, n_h), dtype=np.int64)
    key = np.empty(n_r)
    for c in range(n_c):
        for h in range(n_h):
            for r in range(n_r):
                key[r] = cost[r, c] if serves[r, h] else unserved
                k = r
                while k > 0 and sorts_after(key[order[k - 1, c, h]], key[r]):
                    order[k, c, h] = order[k - 1, c, h]
                    k -= 1
                order[k, c, h] = r
    return order


@njit(cache=True)
def _rounds(order, serves, flows, capacity):
    """The allocation rounds of ``allocate``, compiled: each round's sums over requests add in the order numpy's
    ``bincount`` does (commodity by commodity, holder by holder) and each division is the one it made. A route
    that carried its requests pro rata has nothing left, exactly (the sum of its shares could leave a residue of
    1e-12 of its capacity, which later rounds handed out in flows of 1e-12 t and less).
    """
    n_r, n_c, n_h = order.shape
    left, remaining = capacity.copy(), flows.copy()
    carried = np.zeros((n_r, n_c, n_h))
    ask = np.empty((n_c, n_h))
    for k in range(n_r):
        wanted, used, fraction = np.zeros(n_r), np.zeros(n_r), np.ones(n_r)
        for c in range(n_c):
            for h in range(n_h):
                r = order[k, c, h]
                ask[c, h] = remaining[c, h] if serves[r, h] else 0.0
                wanted[r] += ask[c, h]
        for r in range(n_r):
            if wanted[r] > 0.0:
                fraction[r] = left[r] / wanted[r]
            if fraction[r] < 0.0:  # as numpy's clip: -0.0 and nan stay
                fraction[r] = 0.0
            elif fraction[r] > 1.0:
                fraction[r] = 1.0
        for c in range(n_c):
            for h in range(n_h):
                r = order[k, c, h]
                moved = ask[c, h] * fraction[r]
                carried[r, c, h] += moved
                used[r] += moved
                remaining[c, h] -= moved
        for r in range(n_r):  # a route asked for all it had left, or more, is full: no rounding residue is left
            left[r] = 0.0 if fraction[r] < 1.0 else left[r] - used[r]
    return carried, remaining


class Routes:
    """The corridors' state in one run: capacity (with investments), closures by shocks, random disruptions, and
    what each route carried this quarter (``m`` the model).
    """

    def __init__(self, m) -> None:
        p = m.params
        self.m, self.on, self.p = m, bool(p.mechanisms.routes), p.routes
        self.table = load(p.run.routes, m.holders, m.host_index)
        n = len(self.table)
        self.capacity = self.table.capacity.copy()  # t of minerals a year
        self.openings = investments(p.run.route_investments, self.table, m.start_year)
        self._at_stake = value_at_stake(self.table, self.p.carry_rate, self.p.loss_share)
        self.factor = np.ones(n)  # a shock's throttle (0: closed), until ``self.until``
        self.until = np.zeros(n, dtype=np.int64)
        self.down = np.zeros(n, dtype=np.int64)  # a random disruption closes the route until this step
        self.rng = m.streams["routes"]
        # a route's chance of a disruption starting in a quarter
        self.chance = 1.0 - power(1.0 - np.minimum(self.table.disruption * self.p.disruption_scale, 1.0), 0.25)
        self.carried = np.zeros((n, *m.chains.delivered.shape[1:]))
        self.stranded = np.zeros(m.chains.delivered.shape[1:])
        self.open = self.capacity / 4.0  # the capacity open this quarter, t of minerals (for the tables)
        freeze(self.carried, self.stranded, self.open)

    def throttle(self, route: str, factor: float, quarters: int) -> None:
        """A shock: the route carries ``factor`` of its capacity for ``quarters`` quarters from now."""
        k = self.table.ids.index(route)
        self.factor[k], self.until[k] = factor, self.m.steps + quarters

    def invest(self, route: str, cargo_t_per_year: float, build_quarters: int) -> None:
        """A shock's investment: the route's mineral share of ``cargo_t_per_year``, open after the build time."""
        k = self.table.ids.index(route)
        self.openings.append((self.m.steps + build_quarters, k, cargo_t_per_year * float(self.table.share[k])))

    def nominal(self, step: int, known: int | None = None) -> np.ndarray:
        """Each route's capacity for minerals at ``step`` before shocks and disruptions, t a year: the table's and
        the investments open by then (what an open capacity is measured against: closed, throttled or full); with
        ``known``, of the first ``known`` investments only (those made by an earlier quarter: they only ever add).
        """
        out = self.table.capacity.copy()
        for opens, k, added in self.openings[:known]:
            if max(opens, 1) <= step:  # as ``quarter`` adds them
                out[k] += added
        return out

    def quarter(self, taken: np.ndarray, price: np.ndarray) -> None:
        """Route this quarter's exports: ``taken`` commodities × holders (t), the host's own part stays. Investments
        open first; then one draw per route every quarter, used or not, for disruptions.
        """
        step = self.m.steps
        for opens, k, added in self.openings:
            if opens == step or (step == 1 and opens <= 1):
                self.capacity[k] += added
        self.open, self.carried, self.stranded = _quarter(
            self.rng.random(len(self.table)), self.chance, step, self.p.disruption_q, self.down, self.until,
            self.factor, self.capacity, taken, self.m.host_index, self.on, self.table.cost, price, self._at_stake,
            self.table.serves,
        )  # fmt: skip
        freeze(self.carried, self.stranded, self.open)


@njit(cache=True)
def _open(u, chance, step, disruption_q, down, until, factor, capacity):
    """A quarter's open capacity, t: a route disrupted by this quarter's draw (``u`` < ``chance``) is closed for
    ``disruption_q`` quarters (``down`` moves in place), a shocked one carries ``factor`` of its capacity.
    """
    out = np.empty(capacity.size)
    for r in range(capacity.size):
        if u[r] < chance[r]:
            down[r] = step + disruption_q
        shocked = factor[r] if until[r] > step else 1.0
        out[r] = capacity[r] / 4.0 * shocked * (1.0 if down[r] <= step else 0.0)
    return out

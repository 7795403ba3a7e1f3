"""Dated shocks: sanctions that force a power to sell, price shocks, export controls, route closures and
investments.

A scenario holds any number of them (``[[shocks]]`` tables); each is a frozen object with the quarter it hits
and an ``apply`` that changes the model's state once, at the start of that quarter. Their tables are checked in
``model/shock_checks.py``.

```toml
[[shocks]]
kind = "sanctions"      # the power sells every holding (as Rosatom sold Zarechnoye and Khorasan in 2024)
power = "RU"
year = 2028
[[shocks]]
kind = "price"          # the commodity's price is multiplied by factor
commodity = "tungsten"
factor = 2.0
year = 2030
quarter = 2
[[shocks]]
kind = "export_control" # from then on the host ships none of the commodity to the power
commodity = "rare_earths"
power = "CN"
year = 2032
[[shocks]]
kind = "route"          # the route carries share of its capacity for quarters quarters (0: closed)
route = "northern"
share = 0.0
quarters = 8
year = 2030
[[shocks]]
kind = "route_investment" # capacity_t_per_year more cargo capacity, open after build_quarters
route = "titr"
capacity_t_per_year = 4000000
build_quarters = 12
year = 2027
```
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from model.commodities import INDEX as COMMODITY_INDEX
from model.licences import Transfer


@dataclass(frozen=True, kw_only=True)
class Shock:
    """A shock that hits at the start of ``year`` Q``quarter``."""

    kind: ClassVar[str] = ""
    year: int
    quarter: int = 1

    def step(self, start_year: int) -> int:
        """The model step (1 = the first quarter) whose start the shock hits."""
        return (self.year - start_year) * 4 + self.quarter

    def apply(self, model) -> None:
        """Change the model's state (called once, at the start of the shock's quarter)."""
        raise NotImplementedError

    def describe(self) -> str:
        """A short text for the event log."""
        return self.kind


def sell_holdings(model, seller: int, rows: np.ndarray, why: str) -> None:
    """A forced sale of ``seller``'s stakes in ``rows``: the host approves the buyer it prefers among the active
    powers (its objective), and in a strategic deposit the state buys first (Art. 43) unless a buyer reaches
    ``host.priority_reservation``; ``model.licences`` carries each sale out.
    """
    from model import host_rules as rules
    from model.host_picture import picture

    d, host = model.deposits, model.host_index
    seen = picture(model)
    foreign, incumbency = seen.foreign_shares, seen.incumbency
    idx = np.array([i for i in model.active_powers() if i != seller], dtype=np.int64)
    params = [model.params.powers[model.holders[i]] for i in idx]
    weights = rules.Weights.of(model.params.host, bool(model.params.mechanisms.packages))
    tiebreak = model.streams["sanctions"].random(len(model.holders))
    for dep in rows:
        c = int(d.table.commodity[dep])
        offers = rules.Offers(
            revenue=np.ones(idx.size),
            processing=np.array([b.processing for b in params]),
            coverage=np.array([b.finance_share for b in params]),
            foreign_share=foreign[c, idx],
            trust=model.trust[idx],
            incumbent_share=incumbency[c, idx],
            framework=model.chains.frameworks[c, idx].astype(float),
        )
        score = rules.objective(np.zeros(idx.size, dtype=np.int64), offers, weights) + 1e-9 * tiebreak[idx]
        bar = model.params.host.priority_reservation if d.table.strategic[dep] else -np.inf
        k = rules.priority_buyer(score, bar)
        buyer = host if k < 0 else int(idx[k])
        share = d.equity[dep, seller]
        value = d.value_usd_m(model.prices.price, dep) * share
        how = "the state buys first (priority right)" if k < 0 else f"sells {share:.0%} to {model.holders[buyer]}"
        name = model.holders[seller]
        model.licences.transfer(Transfer(int(dep), seller, buyer, value, f"{why}: {name} {how}"))
        model.tally.stakes_bought[buyer] += 1


@dataclass(frozen=True, kw_only=True)
class Sanctions(Shock):
    """``power`` must sell every holding and stops bidding (as Rosatom under sanctions pressure)."""

    kind: ClassVar[str] = "sanctions"
    power: str

    def apply(self, model) -> None:
        """End the power's pursuits and sell each of its stakes (``sell_holdings``)."""
        from model.pursuits import WITHDRAWN

        s = model.index[self.power]
        model.sanction(s)
        model.chains.break_for(s)
        act = model.pursuits.active()
        model.pursuits.end(act[model.pursuits.power[act] == s], WITHDRAWN, model.steps)
        sell_holdings(model, s, (model.deposits.equity[:, s] > 0).nonzero()[0], "sanctions")

    def describe(self) -> str:
        """A short text for the event log."""
        return f"sanctions on {self.power}"


@dataclass(frozen=True, kw_only=True)
class Divestment(Shock):
    """``power`` sells its stakes in the listed deposits (ids) and goes on bidding: Rosatom's Dec-2024 sales of
    Zarechnoye and Khorasan (R71).
    """

    kind: ClassVar[str] = "divestment"
    power: str
    deposits: tuple[str, ...]

    def apply(self, model) -> None:
        """Sell the power's stakes in the listed deposits that it still holds."""
        s, ids = model.index[self.power], model.deposits.table.ids
        rows = np.array([ids.index(i) for i in self.deposits if i in ids], dtype=np.int64)
        sell_holdings(model, s, rows[model.deposits.equity[rows, s] > 0], "divestment")

    def describe(self) -> str:
        """A short text for the event log."""
        return f"{self.power} divests {', '.join(self.deposits)}"


@dataclass(frozen=True, kw_only=True)
class PriceShock(Shock):
    """The price of ``commodity`` is multiplied by ``factor`` (then reverts as the price process does)."""

    kind: ClassVar[str] = "price"
    commodity: str
    factor: float

    def apply(self, model) -> None:
        """Multiply the commodity's price."""
        model.prices.shock(COMMODITY_INDEX[self.commodity], self.factor)
        model.events.add("shock", -1, "", detail=f"{self.commodity} price ×{self.factor:g}")

    def describe(self) -> str:
        """A short text for the event log."""
        return f"{self.commodity} price ×{self.factor:g}"


@dataclass(frozen=True, kw_only=True)
class ExportControl(Shock):
    """From the shock on, the host ships none of ``commodity`` to ``power``: its offtake returns to the host."""

    kind: ClassVar[str] = "export_control"
    commodity: str
    power: str

    def apply(self, model) -> None:
        """Move the power's offtake of the commodity to the host, now and in every later award."""
        text = f"export control: no {self.commodity} to {self.power}"
        model.chains.break_for(model.index[self.power], COMMODITY_INDEX[self.commodity])
        model.licences.ban_exports(COMMODITY_INDEX[self.commodity], model.index[self.power], text)

    def describe(self) -> str:
        """A short text for the event log."""
        return f"no {self.commodity} exports to {self.power}"


@dataclass(frozen=True, kw_only=True)
class RouteShock(Shock):
    """``route`` carries ``share`` of its capacity (0: closed) for ``quarters`` quarters; what it cannot carry goes
    by other routes or is stranded, and the market answers the supply it loses.
    """

    kind: ClassVar[str] = "route"
    route: str
    share: float
    quarters: int

    def apply(self, model) -> None:
        """Throttle the route."""
        model.routes.throttle(self.route, self.share, self.quarters)
        model.events.add("shock", -1, "", detail=self.describe())

    def describe(self) -> str:
        """A short text for the event log."""
        what = "closed" if self.share == 0 else f"at {self.share:.0%} of capacity"
        return f"route {self.route} {what} for {self.quarters} quarters"


@dataclass(frozen=True, kw_only=True)
class RouteInvestment(Shock):
    """``capacity_t_per_year`` more cargo capacity on ``route`` (minerals take the route's mineral share of it),
    open ``build_quarters`` after the shock: an investment such as Global Gateway money for the Middle Corridor.
    """

    kind: ClassVar[str] = "route_investment"
    route: str
    capacity_t_per_year: float
    build_quarters: int

    def apply(self, model) -> None:
        """Schedule the capacity."""
        model.routes.invest(self.route, self.capacity_t_per_year, self.build_quarters)
        model.events.add("shock", -1, "", detail=self.describe())

    def describe(self) -> str:
        """A short text for the event log."""
        return f"route {self.route}: +{self.capacity_t_per_year / 1e6:g} Mt a year in {self.build_quarters} quarters"


KINDS: dict[str, type[Shock]] = {
    cls.kind: cls for cls in (Sanctions, Divestment, PriceShock, ExportControl, RouteShock, RouteInvestment)
}

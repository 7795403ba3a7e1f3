"""The declared results: each with its unit, meaning, what it is given per (holder, power, commodity or nothing)
and the function that computes it from an :class:`Observation`.

As EMA Workbench's ``Outcome`` carries its function and Starsim's modules declare their results, each result
here carries its own computation, so that a result cannot be matched to the wrong numbers by position. The
products every result needs (capacity and output at base prices, value held) are computed once per observation,
after all agents have stepped. The recorder (``model/observe.py``), the results schema (experiments) and the
docs read this one list. Compute functions are module-level, so that the declarations pickle to workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

import numpy as np

from model.observe_kernels import (
    count_held,
    eu_supply,
    exports,
    free_plots,
    online_intake,
    per_award,
    power_holdings,
    shares,
    taken_base,
)

PER = ("", "holder", "power", "commodity")
SLOT = {"holder": "{h}", "power": "{p}", "commodity": "{c}"}


@dataclass
class Observation:
    """What every result reads, computed once: ``value`` each deposit's licensed reserve value and
    ``output_value`` its output this quarter (USD m, current prices); ``capacity_base`` its capacity in operation
    at base prices (USD); what each holder takes comes from the chains' flow (``model/chains.py``).
    """

    model: object
    value: np.ndarray
    output_value: np.ndarray
    capacity_base: np.ndarray

    @cached_property
    def held(self) -> np.ndarray:
        """Licensed reserve value held by each holder (equity), USD m."""
        return self.value @ self.model.deposits.equity

    @cached_property
    def taken_base(self) -> np.ndarray:
        """3 × holders: what each holder takes this quarter at base prices, USD m (the chains' flow: mined ore by
        the deposits' offtake, integrated plants' product by theirs): all, through led holdings, through flagged.
        """
        return taken_base(self.model.chains.delivered, self.model.base_price)

    @property
    def output_base(self) -> np.ndarray:
        """Each holder's take of this quarter's output at base prices, USD m."""
        return self.taken_base[0]

    @cached_property
    def capacity_held(self) -> np.ndarray:
        """Capacity in operation at base prices held by each holder (equity), USD."""
        return self.capacity_base @ self.model.deposits.equity

    @cached_property
    def capacity_total(self) -> float:
        """Capacity in operation at base prices, every holder's, USD."""
        return float(self.capacity_held.sum())

    @cached_property
    def output_total(self) -> float:
        """This quarter's output at base prices, every holder's, USD m."""
        return float(self.output_base.sum())

    @cached_property
    def powers(self) -> np.ndarray:
        """Holder indices of the powers."""
        return self.model.power_index

    @cached_property
    def power_holdings(self) -> tuple[np.ndarray, np.ndarray]:
        """Deposits × powers: equity through holdings won or bought as a state (led), and through flagged ones."""
        d = self.model.deposits
        return power_holdings(d.equity, d.led, self.powers)

    @cached_property
    def eu_supply(self) -> np.ndarray:
        """2 × commodities: what reached the EU this quarter (t a year) against its demand path, capped at 1; and
        that demand's weights at base prices.
        """
        m = self.model
        return eu_supply(m.routes.carried, m.index["EU"], self.demand_eu, m.base_price)

    @cached_property
    def demand_eu(self) -> np.ndarray:
        """The EU's demand path this quarter, t a year."""
        return self.model.markets.demand_eu(self.model.steps)

    @cached_property
    def eu_value(self) -> np.ndarray:
        """Per route: what reached the EU this quarter at base prices."""
        return self.model.routes.carried[:, :, self.model.index["EU"]] @ self.model.base_price

    @cached_property
    def eu_value_total(self) -> float:
        """What reached the EU this quarter at base prices, over all routes."""
        return self.eu_value.sum()

    @cached_property
    def exports(self) -> tuple[np.ndarray, np.ndarray]:
        """This quarter's exports: 2 × commodities, tonnes carried and stranded; and tonnes carried through the
        Caspian, Russia and China (``observe_kernels.CORRIDORS``).
        """
        r = self.model.routes
        return exports(r.carried, r.stranded, r.table.via_russia, r.table.via_china)


@dataclass(frozen=True)
class Result:
    """One declared result: ``name`` (snake_case), ``per`` (``""``, ``holder``, ``power`` or ``commodity``: one
    column per code, ``<name>_<code>``), unit, description (``{h}``, ``{p}``, ``{c}`` stand for the code) and
    ``compute`` (an Observation → a number, or one number per code); a ``flow`` is what happened during the
    quarter (awards, output), null at step 0, when no quarter has passed.
    """

    name: str
    per: str
    unit: str
    description: str
    compute: Callable[[Observation], np.ndarray | float] | None = None
    flow: bool = False  # a flow over the quarter (null at step 0, before any quarter)

    @property
    def pattern(self) -> str:
        """The column pattern, as the docs show it (``capacity_share_{h}``)."""
        return f"{self.name}_{SLOT[self.per]}" if self.per else self.name


def _capacity_share(o: Observation) -> np.ndarray:
    return shares(o.capacity_held)


def _output_share(o: Observation) -> np.ndarray:
    return shares(o.output_base)


def _of_total(x: np.ndarray, total: float) -> np.ndarray:
    return x / total if total > 0 else x * 0.0


def _capacity_share_led(o: Observation) -> np.ndarray:
    return _of_total(o.capacity_base @ o.power_holdings[0], o.capacity_total)


def _capacity_share_flagged(o: Observation) -> np.ndarray:
    return _of_total(o.capacity_base @ o.power_holdings[1], o.capacity_total)


def _output_share_led(o: Observation) -> np.ndarray:
    return _of_total(o.taken_base[1, o.powers], o.output_total)


def _output_share_flagged(o: Observation) -> np.ndarray:
    return _of_total(o.taken_base[2, o.powers], o.output_total)


def _processing_share(o: Observation) -> np.ndarray:
    pl = o.model.chains.plants
    online = online_intake(pl.online, pl.intake_q, o.model.base_price, pl.commodity, o.model.steps)
    return shares(online @ pl.equity)


def _refined_share(o: Observation) -> float:
    m = o.model
    mined = np.bincount(m.deposits.table.commodity, m.output_t, minlength=len(m.base_price)) @ m.base_price
    return float(m.chains.refined @ m.base_price / mined) if mined > 0 else 0.0


def _value_added(o: Observation) -> float:
    return o.model.chains.value_added_usd_m


def _reserve_share(o: Observation) -> np.ndarray:
    return shares(o.held)


def _eu_supply_security(o: Observation) -> float:
    met, weights = o.eu_supply
    return float(weights @ met)


def _eu_via(o: Observation, via: np.ndarray) -> float:
    total = o.eu_value_total
    return float(o.eu_value[via].sum() / total) if total > 0 else 0.0


def _eu_via_russia(o: Observation) -> float:
    return _eu_via(o, o.model.routes.table.via_russia)


def _eu_via_china(o: Observation) -> float:
    return _eu_via(o, o.model.routes.table.via_china)


def _via_caspian(o: Observation) -> float:
    return float(o.exports[1][0])


def _via_russia(o: Observation) -> float:
    return float(o.exports[1][1])


def _via_china(o: Observation) -> float:
    return float(o.exports[1][2])


def _stranded_share(o: Observation) -> float:
    carried_t, stranded_t = o.exports[0]
    stranded = float(stranded_t @ o.model.base_price)
    total = stranded + float(carried_t @ o.model.base_price)
    return stranded / total if total > 0 else 0.0


def _diversification(o: Observation) -> float:
    held, host = o.held, o.model.host_index
    foreign = held.sum() - held[host]
    return 1.0 - ((float(held @ held) - held[host] ** 2) / foreign**2 if foreign > 0 else 1.0)


def _free_plots(o: Observation) -> int:
    return free_plots(o.model.deposits.stage, o.model.deposits.table.channel)


def _ground_licensed(o: Observation) -> int:
    ground = o.model.ground
    return 0 if ground is None else count_held(ground.holder)


def _inventory_left(o: Observation) -> float:
    pipeline = o.model.pipeline
    return np.nan if pipeline is None else float(pipeline.left)


def _award_lag(o: Observation) -> np.ndarray:
    return per_award(o.model.tally.award_lag, o.model.tally.awards, o.powers)


@dataclass(frozen=True)
class Read:
    """A result read as it is from the model (``path``: dotted attributes, ``tally.awards``), for the powers only
    if ``powers``.
    """

    path: str
    powers: bool = False

    @cached_property
    def _get(self) -> attrgetter:
        return attrgetter(self.path)

    def __call__(self, o: Observation) -> np.ndarray | float:
        """The value at ``path``, for the powers only if asked."""
        value = self._get(o.model)
        return value[o.powers] if self.powers else value


def _licensed_value_usd_bn(o: Observation) -> float:
    return o.value.sum() / 1e3


def _output_value_usd_m(o: Observation) -> float:
    return o.output_value.sum()


def _deposits(o: Observation) -> int:
    return len(o.model.deposits)


def _private_capital(o: Observation) -> np.ndarray:
    return o.model.investors.committed_by_power(len(o.model.holders))


RESULTS: tuple[Result, ...] = (
    Result("step", "", "quarters", "quarters since the start (0 = initial state)", Read("steps")),
    Result("quarter", "", "calendar quarter", "quarter that ended, e.g. 2030Q4 (step 0: the quarter before the start)"),
    # the headline: who holds the capacity to produce, who takes the output, who wins the new awards
    Result(
        "capacity_share",
        "holder",
        "share",
        "{h}'s equity share of the production capacity in operation, at base prices",
        _capacity_share,
    ),
    Result(
        "output_share",
        "holder",
        "share",
        "{h}'s share of this quarter's output at base prices as taken: mined ore by the deposits' offtake, the "
        "product of integrated plants by theirs",
        _output_share,
        flow=True,
    ),
    Result(
        "capacity_share_led",
        "power",
        "share",
        "{p}'s share of capacity in operation through holdings it won or bought as a state (its pursuit, public "
        "finance, state firm; the 2026 holdings of its state firms)",
        _capacity_share_led,
    ),
    Result(
        "capacity_share_flagged",
        "power",
        "share",
        "{p}'s share of capacity in operation through holdings its private firms won alone (flagged)",
        _capacity_share_flagged,
    ),
    Result(
        "output_share_led",
        "power",
        "share",
        "{p}'s share of this quarter's output at base prices taken through holdings (of deposits and plants) it "
        "won or bought as a state",
        _output_share_led,
        flow=True,
    ),
    Result(
        "output_share_flagged",
        "power",
        "share",
        "{p}'s share of output taken through holdings of its private firms (the rest of output_share is trade: "
        "the host's exports routed to it)",
        _output_share_flagged,
        flow=True,
    ),
    Result(
        "processing_share",
        "holder",
        "share",
        "{h}'s equity share of the refining capacity online in Kazakhstan, at base prices (plants: "
        "data/plants.csv and processing commitments built)",
        _processing_share,
    ),
    Result(
        "refined_share",
        "",
        "share",
        "share of this quarter's mined output (at base prices) refined in Kazakhstan",
        _refined_share,
        flow=True,
    ),
    Result(
        "value_added_usd_m",
        "",
        "USD m per quarter",
        "value refining added in Kazakhstan this quarter, at base prices (data/products.csv)",
        _value_added,
        flow=True,
    ),
    Result(
        "packages",
        "power",
        "packages, cumulative",
        "packages {p} proposed (pursuits of its own, with their public finance, offtake and processing terms)",
        Read("tally.packages", powers=True),
    ),
    Result(
        "new_awards",
        "holder",
        "licences",
        "licences won by {h} this quarter (all channels, and finders that develop)",
        Read("tally.new_awards"),
        flow=True,
    ),
    Result(
        "reserve_share",
        "holder",
        "share",
        "{h}'s share of licensed reserve value (remaining tonnes at current prices)",
        _reserve_share,
    ),
    Result(
        "eu_supply_security",
        "",
        "share",
        "what reached the EU over open routes against its demand path, per commodity in tonnes (capped at 1), "
        "weighted by the EU's demand at base prices",
        _eu_supply_security,
        flow=True,
    ),
    Result(
        "eu_supply_via_russia",
        "",
        "share",
        "share of what reached the EU (at base prices) that crossed Russia",
        _eu_via_russia,
        flow=True,
    ),
    Result(
        "eu_supply_via_china",
        "",
        "share",
        "share of what reached the EU (at base prices) that crossed China",
        _eu_via_china,
        flow=True,
    ),
    Result(
        "exports_via_caspian_t",
        "",
        "t per quarter",
        "exports carried by routes crossing neither Russia nor China (the Trans-Caspian route)",
        _via_caspian,
        flow=True,
    ),
    Result("exports_via_russia_t", "", "t per quarter", "exports carried through Russia", _via_russia, flow=True),
    Result("exports_via_china_t", "", "t per quarter", "exports carried into or through China", _via_china, flow=True),
    Result(
        "exports_stranded_share",
        "",
        "share",
        "share of exports (at base prices) no open route could carry this quarter",
        _stranded_share,
        flow=True,
    ),
    Result(
        "diversification",
        "",
        "1 − HHI",
        "1 − HHI of foreign partners' shares of licensed reserve value",
        _diversification,
    ),
    Result(
        "licensed_value_usd_bn",
        "",
        "USD bn",
        "reserve value of licensed deposits at current prices",
        _licensed_value_usd_bn,
    ),
    Result(
        "output_value_usd_m",
        "",
        "USD m per quarter",
        "value of this quarter's output at current prices",
        _output_value_usd_m,
        flow=True,
    ),
    Result(
        "deposits",
        "",
        "deposits",
        "deposits known: the table's, the state's releases and discoveries",
        _deposits,
    ),
    Result(
        "free_plots", "", "deposits", "plots free to be offered (unlicensed, not on exploration ground)", _free_plots
    ),
    Result("ground_licensed", "", "blocks", "exploration blocks under licence", _ground_licensed),
    Result(
        "state_inventory_left",
        "",
        "plots",
        "plots the state still holds to release (explore.state_inventory less those released; null without a "
        "release schedule)",
        _inventory_left,
    ),
    Result("trust", "power", "0–1", "host's trust in {p}", Read("trust", powers=True)),
    Result(
        "investment",
        "holder",
        "USD m, cumulative",
        "public capital and bonuses committed in awards won by {h}",
        Read("tally.invested_public"),
    ),
    Result(
        "private_invested",
        "holder",
        "USD m, cumulative",
        "private capital committed in awards led by {h}",
        Read("tally.invested_private"),
    ),
    Result(
        "private_walked",
        "holder",
        "USD m, cumulative",
        "private capital that left {h}'s pursuits (impatience, no value)",
        Read("tally.private_walked"),
    ),
    Result("awards", "holder", "licences, cumulative", "licences won by {h}", Read("tally.awards")),
    Result(
        "awards_led",
        "power",
        "licences, cumulative",
        "licences {p} won as a state: its pursuit or package, public finance or state firm",
        Read("tally.awards_led", powers=True),
    ),
    Result(
        "awards_flagged",
        "power",
        "licences, cumulative",
        "licences won by private firms of {p}'s home alone (flagged), with no public part",
        Read("tally.awards_flagged", powers=True),
    ),
    Result(
        "discoveries",
        "holder",
        "deposits, cumulative",
        "deposits found or defined on {h}'s exploration licences",
        Read("tally.discoveries"),
    ),
    Result(
        "licences_filed",
        "holder",
        "licences, cumulative",
        "exploration licences filed by {h}'s firms",
        Read("tally.licences_filed"),
    ),
    Result(
        "licences_revoked",
        "holder",
        "licences, cumulative",
        "exploration licences of {h} revoked for no work",
        Read("tally.licences_revoked"),
    ),
    Result(
        "stakes_bought",
        "holder",
        "stakes, cumulative",
        "stakes {h} bought in forced sales (sanctions, divestments)",
        Read("tally.stakes_bought"),
    ),
    Result(
        "private_capital",
        "holder",
        "USD m",
        "private capital now inside {h}'s open pursuits",
        _private_capital,
    ),
    Result(
        "missed",
        "power",
        "events, cumulative",
        "pursuits of {p} still in approval when their tender closed",
        Read("tally.missed", powers=True),
    ),
    Result(
        "missed_value",
        "power",
        "USD m, cumulative",
        "reserve value (net of the state's stake) of {p}'s missed windows",
        Read("tally.missed_value", powers=True),
    ),
    Result(
        "preempted",
        "power",
        "events, cumulative",
        "pursuits of {p} still in approval when a rival was accepted early",
        Read("tally.preempted", powers=True),
    ),
    Result(
        "budget_bound",
        "power",
        "quarters, cumulative",
        "quarters in which {p}'s budget stopped a pursuit it wanted",
        Read("budgets.bound", powers=True),
    ),
    Result(
        "budget_active",
        "power",
        "quarters, cumulative",
        "quarters in which {p} had open plots and free slots",
        Read("budgets.active", powers=True),
    ),
    Result(
        "award_lag", "power", "quarters", "mean quarters from pursuit to award over {p}'s awards so far", _award_lag
    ),
    Result(
        "price",
        "commodity",
        "USD per commodity unit",
        "price of {c} this quarter (units in model/commodities.py)",
        Read("prices.price"),
    ),
)

"""The declared results: each with its unit, meaning, what it is given per (holder, power, commodity or nothing)
and the function that computes it from an :class:`Observation`.

As EMA Workbench's ``Outcome`` carries its function and Starsim's modules declare their results, each result
here carries its own computation, so that a result cannot be matched to the wrong numbers by position. The
products every result needs (capacity and output at base prices, value held) are computed once per observation,
after all agents have stepped (``model/result_products.py``). The recorder (``model/observe.py``), the results schema (experiments) and the
docs read this one list. Compute functions are module-level, so that the declarations pickle to workers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from model.result_products import Observation
from model.result_reads import Count, Part, Read

PER = ("", "holder", "power", "commodity")
SLOT = {"holder": "{h}", "power": "{p}", "commodity": "{c}"}


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

    def __post_init__(self) -> None:
        if self.per not in PER:  # a misspelt ``per`` would otherwise give a result no column
            raise ValueError(f"result {self.name!r}: per={self.per!r}; allowed: one of {PER}")

    @property
    def pattern(self) -> str:
        """The column pattern, as the docs show it (``capacity_share_{h}``)."""
        return f"{self.name}_{SLOT[self.per]}" if self.per else self.name


def _inventory_left(o: Observation) -> float:
    pipeline = o.model.pipeline
    return np.nan if pipeline is None else float(pipeline.left)


RESULTS: tuple[Result, ...] = (
    Result("step", "", "quarters", "quarters since the start (0 = initial state)", Read("steps")),
    Result("quarter", "", "calendar quarter", "quarter that ended, e.g. 2030Q4 (step 0: the quarter before the start)"),
    # the headline: who holds the capacity to produce, who takes the output, who wins the new awards
    Result(
        "capacity_share",
        "holder",
        "share",
        "{h}'s equity share of the production capacity in operation, at base prices",
        Part("holder_shares", "capacity"),
    ),
    Result(
        "output_share",
        "holder",
        "share",
        "{h}'s share of this quarter's output at base prices as taken: mined ore by the deposits' offtake, the "
        "product of integrated plants by theirs",
        Part("holder_shares", "output"),
        flow=True,
    ),
    Result(
        "capacity_share_led",
        "power",
        "share",
        "{p}'s share of capacity in operation through holdings it won or bought as a state (its pursuit, public "
        "finance, state firm; the 2026 holdings of its state firms)",
        Part("holder_shares", "capacity_led"),
    ),
    Result(
        "capacity_share_flagged",
        "power",
        "share",
        "{p}'s share of capacity in operation through holdings its private firms won alone (flagged)",
        Part("holder_shares", "capacity_flagged"),
    ),
    Result(
        "output_share_led",
        "power",
        "share",
        "{p}'s share of this quarter's output at base prices taken through holdings (of deposits and plants) it "
        "won or bought as a state",
        Part("holder_shares", "output_led"),
        flow=True,
    ),
    Result(
        "output_share_flagged",
        "power",
        "share",
        "{p}'s share of output taken through holdings of its private firms (the rest of output_share is trade: "
        "the host's exports routed to it)",
        Part("holder_shares", "output_flagged"),
        flow=True,
    ),
    Result(
        "processing_share",
        "holder",
        "share",
        "{h}'s equity share of the refining capacity online in Kazakhstan, at base prices (plants: "
        "data/plants.csv and processing commitments built)",
        Part("holder_shares", "processing"),
    ),
    Result(
        "refined_share",
        "",
        "share",
        "share of this quarter's mined output (at base prices) refined in Kazakhstan",
        Part("summary", "refined_share"),
        flow=True,
    ),
    Result(
        "value_added_usd_m",
        "",
        "USD m per quarter",
        "value refining added in Kazakhstan this quarter, at base prices (data/products.csv)",
        Read("chains.value_added_usd_m"),
        flow=True,
    ),
    Result(
        "packages",
        "power",
        "packages, cumulative",
        "packages {p} proposed (pursuits of its own, with their public finance, offtake and processing terms)",
        Count("packages", powers=True),
    ),
    Result(
        "new_awards",
        "holder",
        "licences",
        "licences won by {h} this quarter (all channels, and finders that develop)",
        Count("new_awards"),
        flow=True,
    ),
    Result(
        "reserve_share",
        "holder",
        "share",
        "{h}'s share of licensed reserve value (remaining tonnes at current prices)",
        Part("holder_shares", "reserve"),
    ),
    Result(
        "eu_supply_security",
        "",
        "share",
        "what reached the EU over open routes against its demand path, per commodity in tonnes (capped at 1), "
        "weighted by the EU's demand at base prices",
        Part("summary", "eu_supply_security"),
        flow=True,
    ),
    Result(
        "eu_supply_via_russia",
        "",
        "share",
        "share of what reached the EU (at base prices) that crossed Russia",
        Part("routes", "eu_via_russia"),
        flow=True,
    ),
    Result(
        "eu_supply_via_china",
        "",
        "share",
        "share of what reached the EU (at base prices) that crossed China",
        Part("routes", "eu_via_china"),
        flow=True,
    ),
    Result(
        "exports_via_caspian_t",
        "",
        "t per quarter",
        "exports carried by routes crossing neither Russia nor China (the Trans-Caspian route)",
        Part("routes", "caspian_t"),
        flow=True,
    ),
    Result(
        "exports_via_russia_t",
        "",
        "t per quarter",
        "exports carried through Russia",
        Part("routes", "russia_t"),
        flow=True,
    ),
    Result(
        "exports_via_china_t",
        "",
        "t per quarter",
        "exports carried into or through China",
        Part("routes", "china_t"),
        flow=True,
    ),
    Result(
        "exports_stranded_share",
        "",
        "share",
        "share of exports (at base prices) no open route could carry this quarter",
        Part("summary", "exports_stranded_share"),
        flow=True,
    ),
    Result(
        "diversification",
        "",
        "1 − HHI",
        "1 − HHI of foreign partners' shares of licensed reserve value",
        Part("summary", "diversification"),
    ),
    Result(
        "licensed_value_usd_bn",
        "",
        "USD bn",
        "reserve value of licensed deposits at current prices",
        Part("totals", "licensed_value_usd_bn"),
    ),
    Result(
        "output_value_usd_m",
        "",
        "USD m per quarter",
        "value of this quarter's output at current prices",
        Part("totals", "output_value_usd_m"),
        flow=True,
    ),
    Result(
        "deposits",
        "",
        "deposits",
        "deposits known: the table's, the state's releases and discoveries",
        Part("totals", "deposits"),
    ),
    Result(
        "free_plots",
        "",
        "deposits",
        "plots free to be offered (unlicensed, not on exploration ground)",
        Part("totals", "free_plots"),
    ),
    Result("ground_licensed", "", "blocks", "exploration blocks under licence", Part("tallies", "ground_licensed")),
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
        Count("invested_public"),
    ),
    Result(
        "private_invested",
        "holder",
        "USD m, cumulative",
        "private capital committed in awards led by {h}",
        Count("invested_private"),
    ),
    Result(
        "private_walked",
        "holder",
        "USD m, cumulative",
        "private capital that left {h}'s pursuits (impatience, no value)",
        Count("private_walked"),
    ),
    Result("awards", "holder", "licences, cumulative", "licences won by {h}", Count("awards")),
    Result(
        "awards_led",
        "power",
        "licences, cumulative",
        "licences {p} won as a state: its pursuit or package, public finance or state firm",
        Count("awards_led", powers=True),
    ),
    Result(
        "awards_flagged",
        "power",
        "licences, cumulative",
        "licences won by private firms of {p}'s home alone (flagged), with no public part",
        Count("awards_flagged", powers=True),
    ),
    Result(
        "discoveries",
        "holder",
        "deposits, cumulative",
        "deposits found or defined on {h}'s exploration licences",
        Count("discoveries"),
    ),
    Result(
        "licences_filed",
        "holder",
        "licences, cumulative",
        "exploration licences filed by {h}'s firms",
        Count("licences_filed"),
    ),
    Result(
        "licences_revoked",
        "holder",
        "licences, cumulative",
        "exploration licences of {h} revoked for no work",
        Count("licences_revoked"),
    ),
    Result(
        "stakes_bought",
        "holder",
        "stakes, cumulative",
        "stakes {h} bought in forced sales (sanctions, divestments)",
        Count("stakes_bought"),
    ),
    Result(
        "private_capital",
        "holder",
        "USD m",
        "private capital now inside {h}'s open pursuits",
        Part("tallies", "private_capital"),
    ),
    Result(
        "missed",
        "power",
        "events, cumulative",
        "pursuits of {p} still in approval when their tender closed",
        Count("missed", powers=True),
    ),
    Result(
        "missed_value",
        "power",
        "USD m, cumulative",
        "reserve value (net of the state's stake) of {p}'s missed windows",
        Count("missed_value", powers=True),
    ),
    Result(
        "preempted",
        "power",
        "events, cumulative",
        "pursuits of {p} still in approval when a rival was accepted early",
        Count("preempted", powers=True),
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
        "award_lag",
        "power",
        "quarters",
        "mean quarters from pursuit to award over {p}'s awards so far",
        Part("tallies", "award_lag"),
    ),
    Result(
        "price",
        "commodity",
        "USD per commodity unit",
        "price of {c} this quarter (units in model/commodities.py)",
        Read("prices.price"),
    ),
)

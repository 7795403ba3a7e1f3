"""The powers' parameters: one typed field each, with its unit, bounds and meaning, and every power's values.

A power's keys are ``<code in lower case>.<field>`` (``eu.delay_mean_q``); its priorities are one key per
commodity (``eu.priorities.copper``). A power declared by a scenario (``[powers.GULF]``) gets the same fields,
starting from Japan/Korea's values (a small, slow newcomer). The values and their sources are in the registry of
powers (``model/power_entries.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from model.params.spec import Value
from model.power_entries import ENTRIES

TEMPLATE = "JK"  # a declared power starts from Japan/Korea's values


def power_field(unit: str, bounds, doc: str, per_commodity: bool = False):
    """A power field: its values and sources per power are in ``DEFAULTS``."""
    return field(metadata={"unit": unit, "bounds": bounds, "doc": doc, "per_commodity": per_commodity})


@dataclass(frozen=True)
class PowerParams:
    """One power's strategy, finance and approval pipeline (``params.powers["EU"]``)."""

    code: str
    budget_usd_m: float = power_field(
        "USD million per quarter",
        (0.0, 5000.0),
        "Public finance the power can commit per quarter (development banks, export credit).",
    )
    start_year: int = power_field("year", (1990, 2060), "First year in which the power pursues new tenders.")
    delay_mean_q: float = power_field(
        "quarters", (0.0, 40.0), "Mean approval time of a pursuit before its offer is binding."
    )
    delay_sd_q: float = power_field("quarters", (0.0, 20.0), "Standard deviation of the approval time.")
    approval_cap_q: float = power_field(
        "quarters (0 = no cap)", (0.0, 40.0), "Fast-track cap on approval time (0 = no cap)."
    )
    approval_prob: float = power_field(
        "probability",
        (0.0, 1.0),
        "Chance that a pursuit clears approval at all (otherwise it is withdrawn when its approval time is up).",
    )
    engagement: float = power_field("0–1 (effort)", (0.0, 1.0), "Diplomatic and commercial engagement effort.")
    trust0: float = power_field("0–1", (0.0, 1.0), "Host's initial trust in the power.")
    trust_build_rate: float = power_field(
        "multiplier", (0.0, 5.0), "Multiplier on the power's trust gains (engagement and delivery)."
    )
    premium: float = power_field(
        "share of reserve value",
        (0.0, 0.2),
        "Signature bonus offered, as a share of the deposit's reserve value.",
    )
    processing: float = power_field("0–1", (0.0, 1.0), "Commitment to process in Kazakhstan.")
    finance_share: float = power_field(
        "share of capex", (0.0, 1.0), "Share of capex the power's public finance covers."
    )
    offtake_share: float = power_field(
        "share of output",
        (0.0, 1.0),
        "Share of a won deposit's output the power contracts to take (at least its equity share; the rest of "
        "the host's share is exported as data/commodity_rules.csv routes each commodity).",
    )
    max_pursuits: int = power_field("pursuits", (0, 1000), "Most pursuits the power runs at once.")
    min_capex_usd_m: float = power_field(
        "USD million",
        (0.0, 100000.0),
        "Smallest project the power's public finance backs (smaller plots are left to private firms).",
    )
    discount_rate: float = power_field(
        "per year",
        (0.0, 0.5),
        "The rate at which the power values a project: the cost of its public finance (what its lenders charge).",
    )
    offer_cost_usd_m: float = power_field(
        "USD million per offer",
        (0.0, 1000.0),
        "What preparing an offer costs the power (due diligence, legal work, the package), won or not.",
    )
    home_share: float = power_field(
        "share of investors",
        (0.0, 1.0),
        "Share of private investors whose home is the power (their lone bids and licences are its flagged holdings).",
    )
    priorities: Mapping[str, float] = power_field(
        "weight", (0.0, 10.0), "How much the power wants the commodity (0 = not at all).", per_commodity=True
    )


# field -> power -> (default, source), from the registry of powers
DEFAULTS: dict[str, dict[str, tuple[Value | dict[str, float], str]]] = {
    f.name: {e.code: e.values[f.name] for e in ENTRIES} for f in fields(PowerParams)[1:]
}

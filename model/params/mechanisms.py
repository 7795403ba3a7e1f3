"""Switches for the model's mechanisms: each new rule can be turned off, for the ablations (docs/ODD.md §7.15)."""

from __future__ import annotations

from dataclasses import dataclass

from model.params.spec import declare


@dataclass(frozen=True)
class MechanismParams:
    """1 = the mechanism works, 0 = switched off (the rule it replaced, or none)."""

    odds: int = declare(
        1,
        "switch",
        (0, 1),
        "issue 19: a power weighs the chance its offer binds before the host decides; 0 = the foundation's filter "
        "(it pursues only plots whose offers it expects binding in time)",
        "Whether a power decides on a plot by expected value (1) or by the foundation's delay filter (0).",
    )
    packages: int = declare(
        1,
        "switch",
        (0, 1),
        "issue 20: framework agreements known by the start weigh in the host's objective (host.w_framework); 0 = none",
        "Whether a power's package carries its framework agreement into the host's objective.",
    )
    plants: int = declare(
        1,
        "switch",
        (0, 1),
        "issue 20: plants of data/plants.csv and those processing commitments build refine ore; 0 = no plant: ore "
        "is exported as mined, and a processing commitment is only what the host's objective counts",
        "Whether processing plants refine ore in Kazakhstan.",
    )
    lock_in: int = declare(
        1,
        "switch",
        (0, 1),
        "issue 20: contracts hold for their term and are renewed for a trusted buyer, and a mine's ore goes first to "
        "its leader's plants; 0 = contracts end each quarter and plants are open to all",
        "Whether plants and contracts hold their flows for their owners and buyers.",
    )
    markets: int = declare(
        1,
        "switch",
        (0, 1),
        "issue 21: prices of the endogenous commodities answer world supply and demand, the others revert to their "
        "price paths; 0 = every price reverts to its base level (the foundation's random walk)",
        "Whether prices answer supply and demand (and follow their paths).",
    )
    demand_growth: int = declare(
        1,
        "switch",
        (0, 1),
        "issue 21: world and EU demand follow their paths (data/demand_paths.csv); 0 = held at the start year's level",
        "Whether demand grows along its path.",
    )
    routes: int = declare(
        1,
        "switch",
        (0, 1),
        "issue 21: exports share the routes' capacity, which shocks and disruptions close; 0 = routes unconstrained "
        "(every export arrives by the cheapest route)",
        "Whether export routes limit what reaches buyers.",
    )

"""Markets, demand and routes: which prices answer supply and demand, their elasticities and adjustment, the demand
and supply paths a run follows, and how routes are chosen and disrupted.

The per-commodity values are the rows of ``data/market_params.csv`` (each row's ``basis`` gives its source or says
"assumption", with the range the evidence issue sweeps; ``data/markets_sources.md``): that file is their one
source, read here once, so a scenario or a sweep changes them by key (``markets.supply_elasticity.uranium``)
like any other parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import pandas as pd

from model.commodities import NAMES as COMMODITIES
from model.params.spec import declare, per_commodity
from model.paths import ROOT

TABLE = "data/market_params.csv"


@cache
def _table() -> pd.DataFrame:
    return pd.read_csv(ROOT / TABLE).set_index("commodity")


# Where a row's value has a published source (data/market_params.csv's basis, data/markets_sources.md); every other
# value is the file's assumption, with the range in its low/high columns.
SOURCED = {
    ("supply_elasticity", "uranium"): "University of Chicago (2004) via UxC, the low end of 2.3-3.3",
    (
        "supply_elasticity",
        "copper",
    ): "long run 1.5 (Pindyck & Rubinfeld after Fisher, Cootner & Baily 1972); short run lower",
    ("demand_elasticity", "copper"): "long run -0.5 (Pindyck & Rubinfeld after Fisher, Cootner & Baily 1972)",
    ("inventory_years", "uranium"): "utilities' inventories: EU 2.9 years (ESA: 35,710 tU / 12,500), US ~2.2 (EIA)",
    ("term_share", "uranium"): "EIA: 85% of deliveries under long-term contracts (2023), 76% (2020)",
    ("price_model", "uranium"): "Kazakhstan ~38% of world mine supply (WNA; data/world_supply.csv)",
    ("price_model", "chromium"): "Kazakhstan 14.8% of world chromite (USGS MCS 2025; data/world_supply.csv)",
    ("price_model", "tungsten"): "announced Kazakh capacity >= 10% of world supply by ~2030 (data/world_supply.csv)",
    ("adjust_q", "uranium"): "assumption: a year to close a gap, term contracts and inventories damping the spot price",
}
RANGES = {"demand_elasticity": "demand_elasticity", "supply_elasticity": "supply_elasticity"}


def _column(name: str, transform=float) -> dict[str, tuple[float, str]]:
    """Per commodity: (the table's value, its source or "assumption" with the table's range)."""
    t, shares = _table(), pd.read_csv(ROOT / "data/world_supply.csv").set_index("commodity")["kz_share"]
    out = {}
    for c in COMMODITIES:
        value = t.at[c, name]
        known = SOURCED.get((name, c))
        if name == "price_model":
            rule = f"{TABLE}'s rule, market where Kazakhstan's share of world supply is >= 10%"
            source = f"{rule}: {known or f'its share is {shares[c]:g} (data/world_supply.csv)'}"
        elif known:
            source = f"{TABLE} ({c}): {known}"
        elif name in RANGES:
            span = f"range {t.at[c, name + '_low']:g} to {t.at[c, name + '_high']:g}"
            source = f"assumption: {TABLE} ({c}): no estimate found, judged from the market; {span}"
        else:
            kind = (
                "none modelled (no sourced figure)" if pd.isna(value) else "no published figure, the file's judgement"
            )
            source = f"assumption: {TABLE} ({c}): {kind}"
        out[c] = (transform(0.0 if pd.isna(value) else value), source)
    return out


@dataclass(frozen=True)
class MarketParams:
    """World markets: endogenous prices where Kazakhstan's supply matters, exogenous paths elsewhere."""

    endogenous: Mapping[str, float] = per_commodity(
        _column("price_model", lambda v: float(v == "market")),
        "switch",
        (0.0, 1.0),
        "1: the price answers world supply and demand (Kazakhstan's share of supply matters); 0: a path with shocks.",
    )
    demand_elasticity: Mapping[str, float] = per_commodity(
        _column("demand_elasticity"),
        "elasticity",
        (-3.0, 0.0),
        "Own-price elasticity of world demand (short to medium run).",
    )
    supply_elasticity: Mapping[str, float] = per_commodity(
        _column("supply_elasticity"),
        "elasticity",
        (0.0, 5.0),
        "Long-run price elasticity of the rest of the world's supply, acting on capacity over markets.capacity_lead_q.",
    )
    adjust_q: Mapping[str, float] = per_commodity(
        _column("adjust_q"), "quarters", (1.0, 40.0), "Quarters over which the price closes a supply-demand gap."
    )
    inventory_years: Mapping[str, float] = per_commodity(
        _column("inventory_years"),
        "years of demand",
        (0.0, 10.0),
        "Consumers' inventories at their target, in years of demand (0: none); they cover part of a shortfall.",
    )
    term_share: Mapping[str, float] = per_commodity(
        _column("term_share"),
        "share",
        (0.0, 1.0),
        "Share of the commodity sold under term contracts, whose price follows the spot price slowly (0: all spot).",
    )
    demand_path: int = declare(
        1,
        "0 low, 1 central, 2 high",
        (0, 2),
        "data/demand_paths.csv: IEA STEPS / APS (assumption: the STEPS-NZE midpoint) / NZE; WNA Lower / Reference / "
        "Upper for uranium; assumption growth paths where none is published",
        "Which demand path (world and EU) the run follows.",
    )
    supply_path: int = declare(
        1,
        "0 low, 1 central, 2 high",
        (0, 2),
        "data/world_supply.csv: 2024 world mine supply (USGS MCS 2025, WNA); rest-of-world growth low/central/high "
        "is an assumption per row",
        "Which growth path the rest of the world's supply capacity follows.",
    )
    price_path: int = declare(
        1,
        "0 low, 1 central, 2 high",
        (0, 2),
        "data/price_paths.csv: 2024 USD real paths (assumption: flat at the base price, copper +10% from 2030; "
        "bands sized on the 2020-25 shocks)",
        "Which path the exogenous prices revert to.",
    )
    capacity_lead_q: float = declare(
        40.0,
        "quarters",
        (4.0, 120.0),
        "assumption: the long-run supply response acts on capacity over mine lead times of 10-20 years "
        "(data/markets_sources.md, assumption 3); 40 quarters is the short end",
        "Time constant over which the rest of the world's capacity follows the price.",
    )
    term_reset_q: float = declare(
        20.0,
        "quarters",
        (1.0, 80.0),
        "assumption: uranium term contracts run 5-10 years (EIA: 76-85% of deliveries under long-term contracts) "
        "and are repriced in tranches, a fifth of the book a year",
        "Time constant over which the term price follows the spot price.",
    )
    inventory_cover: float = declare(
        0.5,
        "share",
        (0.0, 1.0),
        "assumption: at target inventories consumers meet half of a shortfall from stock, less as stocks run down",
        "Share of a shortfall (or surplus) that inventories absorb when at their target level.",
    )


@dataclass(frozen=True)
class RouteParams:
    """How exports choose among the corridors of data/routes.csv, and how often a corridor is disrupted."""

    carry_rate: float = declare(
        0.08,
        "per year",
        (0.0, 0.5),
        "assumption: the cost of cargo value in transit, about the powers' and investors' discount rates (0.05-0.10)",
        "Yearly cost of capital on cargo in transit, in a route's generalised cost.",
    )
    loss_share: float = declare(
        0.25,
        "share of cargo value",
        (0.0, 1.0),
        "assumption: a disruption (2018 St Petersburg Class-7 closure, 2022 TITR congestion) costs delays and "
        "rerouting worth about a quarter of the cargo's value; range 0.1-0.5",
        "Share of cargo value a disruption costs, in a route's generalised cost.",
    )
    disruption_scale: float = declare(
        1.0,
        "factor",
        (0.0, 10.0),
        "data/routes.csv disruption_prob_per_year (event counts 2014-2025, turned into rates by judgement); "
        "1 = as sourced",
        "Multiplier on every route's yearly disruption probability.",
    )
    disruption_q: int = declare(
        1,
        "quarters",
        (1, 8),
        "assumption: the recorded disruptions (port closures, congestion, border closures) lasted weeks to months",
        "Quarters a random disruption closes a route.",
    )

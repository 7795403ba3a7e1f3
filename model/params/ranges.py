"""Plausible ranges to sample, apart from the validity bounds: what a sensitivity analysis should explore.

A parameter's bounds (``model/params/``) say what the model accepts: ``eu.max_pursuits`` 0–1000, a budget 0–5000
USD m a quarter. Sampled uniformly, such bounds put nearly every draw where no power has ever been (a Sobol'
sample of the EU's pursuits would spend 99% of its points above 10), and a PRIM box over them reads "16–909
pursuits". The ranges here are what the evidence, or a stated assumption, makes plausible; each lies within
the bounds (a test holds it). Keys are dotted; ``{power}`` stands for any power (a key of its own wins over the
template). ``[Rn]`` are sources of ``docs/sources/calibration.md``, whose §7 gives the defaults these ranges
surround.
"""

from __future__ import annotations

from model.errors import InputError
from model.params.resolve import registry
from model.powers import POWERS

Range = tuple[float, float, str]

RANGES: dict[str, Range] = {
    # --- every power ---
    "{power}.budget_usd_m": (
        5.0,
        250.0,
        "calibration.md §2, §7: 10–110 USD m a quarter by origin; half the least to over twice the most",
    ),
    "{power}.delay_mean_q": (
        0.0,
        12.0,
        "calibration.md §7: mean approval 1.5 (China, R51–R54) to 6 quarters (JP-KR), EU 4 to decision and 8 or more to financing close (R60, R64, R65)",
    ),
    "{power}.approval_cap_q": (
        0.0,
        8.0,
        "assumption: no cap (0) up to the EU CRMA's 24-month permit limit for extraction projects",
    ),
    "{power}.max_pursuits": (
        1.0,
        12.0,
        "assumption: the defaults are 1–6 pursuits at once (China 6, ~25 China-managed projects in Central Asia since 2022, domain-brief [35]); twice the most",
    ),
    "{power}.engagement": (0.2, 1.0, "assumption: below 0.2 a power is absent in effect; the defaults span 0.3–0.9"),
    "{power}.finance_share": (
        0.1,
        0.8,
        "assumption: public finance covering a tenth to four fifths of capex (defaults 0.3–0.8: EIB/EBRD co-finance to DFC-backed deals, calibration.md §2)",
    ),
    "{power}.processing": (
        0.3,
        1.0,
        "assumption: the defaults span 0.3–0.6; up to a full commitment to process in Kazakhstan",
    ),
    "{power}.premium": (
        0.0,
        0.02,
        "assumption: signature bonuses up to 2% of reserve value (defaults 0.2–0.6%; the sole auction criterion, R100)",
    ),
    "{power}.trust0": (
        0.3,
        0.8,
        "calibration.md §7: initial host trust 0.40–0.65 by partner (R115–R120, proxies), widened by about 0.1",
    ),
    "{power}.trust_build_rate": (
        0.5,
        3.0,
        "assumption: trust gains from half to three times the calibrated rules (data/trust_events.csv)",
    ),
    "{power}.start_year": (
        2022.0,
        2034.0,
        "assumption: from the EU–Kazakhstan MoU (2022) to two policy cycles after the 2026 start",
    ),
    "{power}.home_share": (
        0.0,
        0.10,
        "power_entries.py: licence register by count (R125), deep uncertainty, plausible 0-0.10 (the foundation's 0.10)",
    ),
    # --- powers whose own evidence is narrower than the template ---
    "cn.budget_usd_m": (
        55.0,
        350.0,
        "calibration.md §7: China 110 USD m a quarter; half of it to a surge of about three times",
    ),
    "eu.budget_usd_m": (
        5.0,
        160.0,
        "calibration.md §7: EU 20 USD m a quarter (partly assumption); up to eight times for a Global Gateway push",
    ),
    "us.budget_usd_m": (50.0, 200.0, "calibration.md §7: US 100 USD m a quarter; half to double"),
    "cn.delay_mean_q": (
        0.5,
        6.0,
        "calibration.md §7: China 1.5 quarters to a binding offer (R51–R54: 1.6–6.5 months); up to four times",
    ),
    # --- the host and the resource base ---
    "host.auction_window_q": (
        1.0,
        4.0,
        "calibration.md §7: results within 15 days, extendable by a month (R100, R133); up to a year for a slow review",
    ),
    "host.negotiation_window_q": (
        1.0,
        8.0,
        "calibration.md §7: direct deals closed in 2.6-7 months (R51, R52, R82); up to two years for a slow host",
    ),
    "host.incumbency": (0.0, 1.0, "assumption: no credit for holdings up to twice the default 0.5"),
    "host.w_diversification": (
        0.0,
        0.5,
        "assumption: the multi-vector policy (domain-brief [64]) as up to half the host's objective",
    ),
    "host.w_processing": (
        0.0,
        0.6,
        "assumption: 'raw materials for technology' (R111, R112) as up to three fifths of the objective",
    ),
    "explore.discovery_scale": (
        0.25,
        2.0,
        "assumption: a quarter to twice the fitted discovery rates (data/discovery_rates.csv: 9 discoveries in 3,304 licence-years)",
    ),
    "explore.release_until_year": (
        2035.0,
        2050.0,
        "assumption: from the data's spans (to 2035, the 2023-25 pace) to the foundation's horizon (2050)",
    ),
    "explore.state_inventory": (
        200.0,
        700.0,
        "assumption: 987 solid-mineral deposits x 0.35 = 345 (explore.py); how many are licensed is unknown",
    ),
    "explore.release_direct_share": (
        0.0,
        1.0,
        "assumption: a policy choice; any share of the typical plots may go by direct negotiation",
    ),
    # --- the mechanisms' switches (model/params/mechanisms.py): off (0) or on (1), for ablations ---
    "mechanisms.odds": (0.0, 1.0, "assumption: a switch; the decision by odds off (the foundation's filter) or on"),
    "mechanisms.packages": (0.0, 1.0, "assumption: a switch; framework agreements in packages off or on"),
    "mechanisms.lock_in": (0.0, 1.0, "assumption: a switch; lock-in through plants and contracts off or on"),
    "mechanisms.plants": (0.0, 1.0, "assumption: a switch; plants off or on"),
    "mechanisms.markets": (0.0, 1.0, "assumption: a switch; prices that answer the market off or on"),
    "mechanisms.demand_growth": (0.0, 1.0, "assumption: a switch; demand held at the start or growing on its path"),
    "mechanisms.routes": (0.0, 1.0, "assumption: a switch; routes unconstrained or with capacity and closures"),
    "host.priority_reservation": (
        0.0,
        2.0,
        "assumption: from never using the priority right (0) to always buying first (2, above any objective)",
    ),
    "host.renewal_trust": (
        0.2,
        0.5,
        "assumption: the plausible range stated with the parameter (data/states_sources.md)",
    ),
    "host.w_framework": (0.0, 0.2, "assumption: the plausible range stated with the parameter (data/deals.csv)"),
    "host.offtake_term_q": (
        20.0,
        60.0,
        "data/contracts.csv: Kazatomprom's contracts run 5-15 years (2024-2033 typical)",
    ),
    # --- markets and routes (data/market_params.csv, data/routes.csv: low and high columns) ---
    "markets.demand_path": (0.0, 2.0, "data/demand_paths.csv: the low, central and high paths (IEA, WNA)"),
    "markets.supply_path": (0.0, 2.0, "data/world_supply.csv: the rest of the world's low, central and high growth"),
    "markets.demand_elasticity.uranium": (-0.1, 0.0, "data/market_params.csv: demand_elasticity_low/high"),
    "markets.demand_elasticity.chromium": (-0.3, -0.02, "data/market_params.csv: demand_elasticity_low/high"),
    "markets.demand_elasticity.tungsten": (-0.4, -0.05, "data/market_params.csv: demand_elasticity_low/high"),
    "markets.supply_elasticity.uranium": (1.0, 3.3, "data/market_params.csv: supply_elasticity_low/high"),
    "markets.supply_elasticity.chromium": (0.2, 1.0, "data/market_params.csv: supply_elasticity_low/high"),
    "markets.supply_elasticity.tungsten": (0.1, 0.8, "data/market_params.csv: supply_elasticity_low/high"),
    "markets.capacity_lead_q": (20.0, 80.0, "assumption: mine lead times of 5-20 years (data/markets_sources.md)"),
    "markets.inventory_cover": (0.2, 0.8, "assumption: a fifth to four fifths of a shortfall met from stock"),
    "routes.loss_share": (0.1, 0.5, "assumption: the range stated with the parameter"),
    "routes.disruption_scale": (0.5, 2.0, "data/routes.csv: disruption_low/high are about half and twice the rate"),
    # --- private investors ---
    "investors.share_kz": (
        0.45,
        0.95,
        "groups.py: 305 of 330 exploration firms Kazakh by count (R125); by capital lower",
    ),
    "investors.solo_max_capex_usd_m": (
        100.0,
        1000.0,
        "assumption: a third to three times the default 300 (juniors alone on small projects: R93, R63)",
    ),
    "investors.hurdle_mean": (0.06, 0.15, "calibration.md §7: 8.4% (R128) to 10–15% real with a frontier premium"),
    "investors.patience_mean_q": (
        2.0,
        16.0,
        "calibration.md §7: patience 8 (4–16) quarters (R123: Laramide left after 16 months); down to 2",
    ),
    "investors.speed_sensitivity": (
        0.0,
        1.0,
        "assumption: from ignoring a partner's speed (0) to counting it fully (1)",
    ),
}


def range_entry(key: str, powers: tuple[str, ...] = ()) -> Range | None:
    """The plausible range of ``key`` (its own entry, else its power template's), or None if it has none."""
    if key not in registry(powers):
        return None
    if key in RANGES:
        return RANGES[key]
    head, _, field = key.partition(".")
    is_power = head in {code.lower() for code in (*POWERS, *powers)}
    return RANGES.get(f"{{power}}.{field}") if is_power else None


def sample_range(key: str, powers: tuple[str, ...] = ()) -> tuple[float, float]:
    """``(lo, hi)`` to sample ``key`` over; a one-line InputError naming the keys that have a range if none."""
    entry = range_entry(key, powers)
    if entry is None:
        have = ", ".join(k for k in RANGES if "{" not in k)
        raise InputError(
            "plausible ranges",
            key,
            f"no plausible range (model/params/ranges.py); allowed: give (lo, hi), or a key with one: "
            f"{{power}}.{{budget_usd_m, delay_mean_q, ...}}, {have}",
        )
    return entry[0], entry[1]

"""Exploration and the state's pipeline (``explore.*``): licences filed first come, first served, discoveries,
and the plots the state releases over time. Rates by commodity are data (``data/discovery_rates.csv``,
``data/state_pipeline.csv``, sources per row in ``data/pipeline_and_rules.md``); these scale and time them.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.params.spec import declare


@dataclass(frozen=True)
class ExploreParams:
    """Exploration licences (first come, first served), discovery, and state releases."""

    filings_per_q: float = declare(
        35.0,
        "licences per quarter",
        (0.0, 10000.0),
        "about 400 exploration licences granted a year since 2018 (R99) × 0.35 for the model's commodities "
        "(data/exploration_rules.csv; the share is an assumption)",
        "Exploration licences filed per quarter on free ground (first come, first served).",
    )
    licence_term_q: int = declare(
        24, "quarters", (1, 200), "Subsoil Code 2018: 6 years (R96)", "Term of an exploration licence."
    )
    extension_q: int = declare(
        20,
        "quarters",
        (0, 200),
        "extendable once by 5 years with ≥ 40% of the area relinquished (R96, R97)",
        "Extension of a worked exploration licence at the end of its term.",
    )
    relinquish_share: float = declare(
        0.4,
        "share of area",
        (0.0, 1.0),
        "≥ 40% relinquished at extension (R96)",
        "Share of a licence's ground (and of its chance of a discovery) given up at extension.",
    )
    work_usd_m_per_q: float = declare(
        0.02,
        "USD million per licence per quarter",
        (0.0, 100.0),
        "private exploration spending > $213m in 2024 (R76) over ~2,900 licences in force (data/exploration_rules.csv)",
        "Work programme a licence needs each quarter; a holder that cannot pay leaves it unworked.",
    )
    revocation_unworked_q: float = declare(
        0.0225,
        "probability per quarter",
        (0.0, 1.0),
        "assumption: 0.09 per licence-year for licences without real work (PM Smailov, Aug-2023; 245 terminations, "
        "data/exploration_rules.csv)",
        "Chance per quarter that an unworked exploration licence is revoked.",
    )
    discovery_scale: float = declare(
        1.0,
        "multiplier",
        (0.0, 100.0),
        "1 = the rates of data/discovery_rates.csv (9 licensee discoveries over 3,304 licence-years 2022–2025, "
        "shrunk by commodity); 0 switches discovery off",
        "Multiplier on every commodity's chance of a discovery per worked licence-year.",
    )
    finder_develops: float = declare(
        0.3,
        "share of discoveries",
        (0.0, 1.0),
        "assumption: juniors hold > 90% of licences and rarely build mines (data/exploration_rules.csv)",
        "Share of discoveries the finder goes on to develop itself.",
    )
    finder_returns: float = declare(
        0.2,
        "share of discoveries",
        (0.0, 1.0),
        "assumption: relinquished or terminated before development (data/exploration_rules.csv)",
        "Share of discoveries returned to the state (offered later); the rest are sold, which the model treats as "
        "an auction of the plot.",
    )
    discovery_lead_q: int = declare(
        28,
        "quarters",
        (1, 200),
        "data/README.md lead-time tiers: 16 q of development + 12 q of exploration for exploration-stage deposits",
        "Lead time from award to first output of a discovered deposit.",
    )
    definition_q: int = declare(
        8,
        "quarters",
        (1, 200),
        "assumption: two years to define a resource on an exploration-stage deposit (Beskauga NI 43-101 came two "
        "years after Arras's option, data/discovery_rates.csv)",
        "Quarters an exploration licence on a known prospect takes to turn it into a defined deposit.",
    )
    state_release_scale: float = declare(
        1.0,
        "multiplier",
        (0.0, 100.0),
        "1 = the release rates of data/state_pipeline.csv (~56 state plots auctioned a year 2023–25 × 0.35); "
        "0 switches the state's pipeline off",
        "Multiplier on the rate at which the state releases its own plots (state balance, classified deposits).",
    )
    release_direct_share: float = declare(
        0.0,
        "share of plots",
        (0.0, 1.0),
        "0 = as data/state_pipeline.csv says (its typical state-balance plots are auctioned, R100–R103); a lever for "
        "the channel mix (how much the state allocates by direct negotiation)",
        "Share of the state's typical plots offered by direct negotiation instead of auction.",
    )
    release_until_year: int = declare(
        0,
        "year (0 = as the data say)",
        (0, 2100),
        "0: each row of data/state_pipeline.csv is released over its own span (2026–2035, the 2023–25 pace); a "
        "longer horizon is a scenario (scenarios/releases_to_2050.toml, the foundation's assumption)",
        "Last year of the state's releases of typical plots, overriding the data's spans (0 = the data's).",
    )
    state_inventory: int = declare(
        345,
        "plots",
        (0, 100000),
        "987 solid-mineral deposits on the state balance (2024–25; third-design brief S173, S174: 9,548 deposits "
        "of which 987 solid minerals) x 0.35, the model's commodities' share of the state's lots (the release "
        "rate's basis, data/state_pipeline.csv); how many are already licensed is not in the sources: assumption, "
        "plausible 200–400",
        "Plots the state holds to release over the run (typical and classified): a finite inventory; when it is "
        "released, the state's releases end.",
    )

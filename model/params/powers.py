"""The powers' parameters: one typed field each, with its unit, bounds and meaning, and every power's values.

A power's keys are ``<code in lower case>.<field>`` (``eu.delay_mean_q``); its priorities are one key per
commodity (``eu.priorities.copper``). A power declared by a scenario (``[powers.GULF]``) gets the same fields,
starting from Japan/Korea's values (a small, slow newcomer). ``[Rn]`` refers to
``../shared/data/calibration.md``'s sources and ``[n]`` to ``domain-brief.md``'s (reproduced in docs/ODD.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from model.params.spec import Value
from model.powers import POWERS

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
    priorities: Mapping[str, float] = power_field(
        "weight", (0.0, 10.0), "How much the power wants the commodity (0 = not at all).", per_commodity=True
    )


def _prio(text: str) -> dict[str, float]:
    return {name: float(w) for name, w in (part.split(":") for part in text.split(";"))}


# field -> power -> (default, source). Priorities: ({commodity: weight}, source); commodities not named weigh 0.
DEFAULTS: dict[str, dict[str, tuple[Value | dict[str, float], str]]] = {
    "budget_usd_m": {
        "EU": (
            21.0,
            (
                "calibration §2: one CRMA Strategic Project capex ($344m, R64/R65) per 16 quarters; "
                "assumption that EU funds back about one such project per 4 years"
            ),
        ),
        "CN": (111.0, "calibration §2: CDB loans and NFC/Jiaxin capex 2009–2024, $7.1bn / 64 quarters (R51–R58)"),
        "US": (100.0, "calibration §2: EXIM $0.9bn + DFC $0.7bn letters for one project over 16 quarters (R67–R69)"),
        "RU": (75.0, "calibration §2: Russian FDI $3bn (2023) / 4 × 10% mining share (R50; share is an assumption)"),
        "JK": (10.0, "calibration §2: MoUs only, no amounts (R73–R75); assumption"),
    },
    "start_year": {
        "EU": (2022, "EU–KZ raw-materials MoU, 7 Nov 2022 [24]"),
        "CN": (2009, "CDB–Samruk-Kazyna facility, 2009 (R51)"),
        "US": (2023, "C5+1 Critical Minerals Dialogue, Sep 2023 [51]"),
        "RU": (1990, "Rosatom/Uranium One present since the 2000s (R71); any year before the run"),
        "JK": (2015, "JOGMEC–Kazgeology REE MoU, Oct 2015 (R73)"),
    },
    "delay_mean_q": {
        "EU": (
            4.0,
            (
                "calibration §7: 4 (1.5) quarters to decision: CRMA selection 7–9 months after cut-off [31, 32], "
                "EBRD 3–6 months (R60, R64, R65, R85, R86); financing close takes ≥ 8: of the EUR 12bn Global "
                "Gateway package (Apr 2025) only $0.8bn EBRD + EUR 0.2bn EIB were signed by Dec 2025 [33, 34]"
            ),
        ),
        "CN": (1.5, "calibration §3: Bozshakol 2.6 months, Aktogay 6.1, expansion 1.6 (R51–R54)"),
        "US": (3.0, "calibration §3: Cove tungsten ~7 months to binding (R67–R69, R82)"),
        "RU": (2.0, "calibration §7: no timed deals found; assumption"),
        "JK": (6.0, "calibration §7: MoUs never binding; assumption"),
    },
    "delay_sd_q": {
        "EU": (1.5, "calibration §7 (4 ± 1.5 quarters to decision)"),
        "CN": (0.7, "calibration §7 (R51–R54)"),
        "US": (1.0, "calibration §7 (R67–R69, R82)"),
        "RU": (1.0, "calibration §7; assumption"),
        "JK": (3.0, "calibration §7; assumption"),
    },
    "approval_cap_q": {
        "EU": (0.0, "lever: CRMA permit limits of 27/15 months [30]; 0 = status quo"),
        **dict.fromkeys(("CN", "US", "RU", "JK"), (0.0, "lever; 0 = status quo")),
    },
    "approval_prob": {
        "EU": (0.8, "assumption: Sarytogan is the one Kazakh CRMA project of 49 non-EU bids [31, 32]"),
        "CN": (0.9, "assumption: one lapsed Chinese deal (Xiamen Tungsten 2018 [50]) among many"),
        "US": (0.7, "assumption: EXIM/DFC letters are non-binding (R67–R69)"),
        "RU": (0.8, "assumption: as the EU's; no timed Russian deal found (calibration §3)"),
        "JK": (0.3, "calibration §7: completion probability ≤ 0.3 for Japan/Korea"),
    },
    "engagement": {
        "EU": (0.5, "assumption: roadmaps 2023–26, summits, one CRMA project [25, 26]"),
        "CN": (0.9, "assumption: 224 China-linked projects, constant presence [49]"),
        "US": (0.5, "assumption: C5+1 dialogue 2023–25, MoU Nov 2025 [51, 52]"),
        "RU": (0.4, "assumption: divesting since 2024 (R71)"),
        "JK": (0.3, "assumption: MoUs only (R73–R75)"),
    },
    "trust0": {
        "EU": (0.55, "calibration §7 (assumption from trade weight and slow reputation)"),
        "CN": (0.50, "calibration §7 (R115–R120 opinion proxies)"),
        "US": (0.40, "calibration §7 (R115–R120 opinion proxies)"),
        "RU": (0.65, "calibration §7 (R115–R120 opinion proxies)"),
        "JK": (0.50, "calibration §7 (assumption)"),
    },
    "trust_build_rate": dict.fromkeys(POWERS, (1.0, "assumption: no power builds trust faster by default")),
    "premium": {
        "EU": (0.002, "assumption: auction bonuses are small (KZT 1.5bn ≈ $3.3m for 2023 auctions, R100–R102)"),
        "CN": (0.006, "Chinese SOE bidding 'above market' for tungsten [53]; size is an assumption"),
        "US": (0.004, "assumption: between the EU's and China's (Cove outbid a Chinese SOE in 2025, R82)"),
        "RU": (0.003, "assumption: between the EU's and the US's"),
        "JK": (0.002, "assumption: as the EU's (MoU-led, small bonuses)"),
    },
    "processing": {
        "EU": (0.6, "EU offers value chains and standards [24, 28]; assumption for the level"),
        "CN": (0.5, "NFC 300 kt smelter at Aktogay [43]; most ore still exported [44]; assumption"),
        "US": (0.6, "APT refining in KZ promised for tungsten [53]; assumption"),
        "RU": (0.3, "assumption: Rosatom's JVs export uranium concentrate unprocessed (R71)"),
        "JK": (0.4, "assumption: between Russia's and the EU's"),
    },
    "finance_share": {
        "EU": (0.3, "EBRD/EIB co-finance minorities (EBRD 17% of Sarytogan, R63); assumption"),
        "CN": (0.7, "CDB financed most of Bozshakol and Aktogay (R51, R52)"),
        "US": (0.8, "EXIM $0.9bn + DFC of a $1.1bn project (R67–R69)"),
        "RU": (0.5, "assumption: between the EU's and China's (state-owned Rosatom)"),
        "JK": (0.3, "assumption: as the EU's (JOGMEC minority finance, R73, R74)"),
    },
    "offtake_share": {
        "EU": (0.3, "assumption: offtaker matchmaking under the CRMA [32]"),
        "CN": (0.8, "loans-for-offtake: Kazakhmys sold ~60% to China [42]; CGN purchase commitments [45]"),
        "US": (1.0, "Cove markets 100% of tungsten output with a Commerce LOI [53]"),
        "RU": (0.5, "assumption: pro rata to a typical 50% uranium JV stake (R105)"),
        "JK": (0.5, "Energy Asia takes Kharasan output pro rata (Ortalyk rule [45]); assumption"),
    },
    "max_pursuits": {
        "EU": (3, "assumption: the EU's one CRMA project in Kazakhstan and two roadmap files [31, 32]"),
        "CN": (6, "assumption: China runs the most parallel deals (25 CRM projects in Central Asia, R59)"),
        "US": (2, "assumption: one tungsten deal plus one follow-on (R67)"),
        "RU": (2, "assumption: Rosatom is divesting (R71), at most two deals at once"),
        "JK": (1, "assumption: MoUs only (R73–R75)"),
    },
    "min_capex_usd_m": {
        "EU": (
            50.0,
            "assumption: Sarytogan ($62m capex) is the smallest CRMA Strategic Project in Kazakhstan (R64, R65)",
        ),
        "CN": (
            150.0,
            (
                "assumption: CDB and Chinese SOE deals start around Benkala (CNMC, ~$160m for 55%) and Boguty "
                "($260–450m) (R57, R91)"
            ),
        ),
        "US": (100.0, "assumption: EXIM/DFC back large projects (Cove $1.1bn, R67–R69); DFC's mining tickets"),
        "RU": (100.0, "assumption: Rosatom's stakes are large uranium JVs (R71)"),
        "JK": (50.0, "assumption: JOGMEC/KIGAM exploration-scale participation (R73–R75)"),
    },
    "priorities": {
        "EU": (
            _prio(
                "copper:0.8;graphite:1;lithium:1;manganese:0.5;nickel:0.8;cobalt:0.8;rare_earths:1;"
                "titanium:0.6;tungsten:1;uranium:0.7;vanadium:0.6;chromium:0.6;gallium:1;scandium:0.6"
            ),
            (
                "CRMA strategic list [29] (gallium strategic, scandium critical, indium dropped in 2023, thallium on "
                "neither: data/eu_demand.md); weights are an assumption"
            ),
        ),
        "CN": (
            _prio(
                "copper:1;uranium:1;tungsten:0.9;rare_earths:0.8;nickel:0.7;cobalt:0.7;lithium:0.7;"
                "chromium:0.6;zinc:0.6;lead:0.5;manganese:0.5;vanadium:0.5;graphite:0.5;titanium:0.5;"
                "gallium:0.5;indium:0.5;scandium:0.5"
            ),
            (
                "China buys most KZ copper and uranium [42, 45]; broad presence [35]; minor metals where it refines "
                "most of the world's (assumption); weights are an assumption"
            ),
        ),
        "US": (
            _prio(
                "tungsten:1;rare_earths:1;lithium:0.7;uranium:0.5;graphite:0.5;nickel:0.4;cobalt:0.4;gallium:1;"
                "indium:0.6;scandium:0.6"
            ),
            (
                "C5+1 dialogue and tungsten deal [51–54]; US 2022 critical minerals list names gallium, indium, scandium "
                "(data/eu_demand.md); weights are an assumption"
            ),
        ),
        "RU": (_prio("uranium:1"), "Rosatom's stakes are uranium (R71)"),
        "JK": (
            _prio("rare_earths:1;uranium:0.6;lithium:0.6;gallium:1;indium:0.5;scandium:0.5;thallium:0.5"),
            (
                "JOGMEC REE, Kharasan uranium, KIGAM lithium (R73–R75); ERG's gallium to Mitsubishi (data/state_pipeline.csv); "
                "Japan's rare-metal list (data/eu_demand.md); weights are an assumption"
            ),
        ),
    },
}

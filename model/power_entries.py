"""The registry of powers: one entry per power, with its names, colour and every parameter's value and source.

Adding a power is one entry here (a value and a source for every field of ``model.params.PowerParams``; a test
checks that none is missing). Everything else derives from this registry: the holder codes and their order
(``model/powers.py``), the parameter registry, the investors' homes, the export routing columns, the dashboard's
names and colours, the validation's lists. ``[Rn]`` and ``[n]`` are the calibration and domain sources listed in
docs/ODD.md (References).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


def prio(text: str) -> dict[str, float]:
    """'copper:0.8;lithium:1' -> {'copper': 0.8, 'lithium': 1.0}; commodities not named weigh 0."""
    return {name: float(w) for name, w in (part.split(":") for part in text.split(";"))}


@dataclass(frozen=True)
class PowerEntry:
    """One power: its code, its name (``label``), how a sentence names it, its colour and its parameters' values,
    field → (value, source).
    """

    code: str
    label: str
    in_sentence: str
    colour: str
    values: Mapping[str, tuple[object, str]]


ENTRIES: tuple[PowerEntry, ...] = (
    PowerEntry(
        "EU",
        "EU",
        "the EU",
        "#1f3f99",
        {
            "budget_usd_m": (
                21.0,
                "calibration §2: one CRMA Strategic Project capex ($344m, R64/R65) per 16 quarters; assumption that EU funds back about one such project per 4 years",
            ),
            "start_year": (2022, "EU–KZ raw-materials MoU, 7 Nov 2022 [24]"),
            "delay_mean_q": (
                4.0,
                "calibration §7: 4 (1.5) quarters to decision: CRMA selection 7–9 months after cut-off [31, 32], EBRD 3–6 months (R60, R64, R65, R85, R86); financing close takes ≥ 8: of the EUR 12bn Global Gateway package (Apr 2025) only $0.8bn EBRD + EUR 0.2bn EIB were signed by Dec 2025 [33, 34]",
            ),
            "delay_sd_q": (1.5, "calibration §7 (4 ± 1.5 quarters to decision)"),
            "approval_cap_q": (0.0, "lever: CRMA permit limits of 27/15 months [30]; 0 = status quo"),
            "approval_prob": (0.8, "assumption: Sarytogan is the one Kazakh CRMA project of 49 non-EU bids [31, 32]"),
            "engagement": (0.5, "assumption: roadmaps 2023–26, summits, one CRMA project [25, 26]"),
            "trust0": (0.55, "calibration §7 (assumption from trade weight and slow reputation)"),
            "trust_build_rate": (1.0, "assumption: no power builds trust faster by default"),
            "premium": (
                0.002,
                "assumption: auction bonuses are small (KZT 1.5bn ≈ $3.3m for 2023 auctions, R100–R102)",
            ),
            "processing": (0.6, "EU offers value chains and standards [24, 28]; assumption for the level"),
            "finance_share": (0.3, "EBRD/EIB co-finance minorities (EBRD 17% of Sarytogan, R63); assumption"),
            "offtake_share": (0.3, "assumption: offtaker matchmaking under the CRMA [32]"),
            "max_pursuits": (3, "assumption: the EU's one CRMA project in Kazakhstan and two roadmap files [31, 32]"),
            "min_capex_usd_m": (
                50.0,
                "assumption: Sarytogan ($62m capex) is the smallest CRMA Strategic Project in Kazakhstan (R64, R65)",
            ),
            "discount_rate": (0.09, "EBRD/EIB loans to Kazakh mining, 9.0% (data/instruments.csv, EBRD Shalkiya 2017)"),
            "offer_cost_usd_m": (
                2.0,
                "assumption: a bankable offer's due diligence and legal work; the EU's multi-institution packages cost most; plausible 0.5–5",
            ),
            "home_share": (
                0.004,
                "licence register by count (data/licence_register.csv): 25 of 330 exploration firms of 2023 foreign (R125), and one of the 19 named foreign private rights holders of 2018–2025 from the EU (HMS Bergbau): 0.076 × 1/19; deep uncertainty, plausible 0–0.10 (the foundation's assumed 0.10 is its top)",
            ),
            "priorities": (
                prio(
                    "copper:0.8;graphite:1;lithium:1;manganese:0.5;nickel:0.8;cobalt:0.8;rare_earths:1;titanium:0.6;tungsten:1;uranium:0.7;vanadium:0.6;chromium:0.6;gallium:1;scandium:0.6"
                ),
                "CRMA strategic list [29] (gallium strategic, scandium critical, indium dropped in 2023, thallium on neither: data/eu_demand.md); weights are an assumption",
            ),
        },
    ),
    PowerEntry(
        "CN",
        "China",
        "China",
        "#d62728",
        {
            "budget_usd_m": (
                111.0,
                "calibration §2: CDB loans and NFC/Jiaxin capex 2009–2024, $7.1bn / 64 quarters (R51–R58)",
            ),
            "start_year": (2009, "CDB–Samruk-Kazyna facility, 2009 (R51)"),
            "delay_mean_q": (1.5, "calibration §3: Bozshakol 2.6 months, Aktogay 6.1, expansion 1.6 (R51–R54)"),
            "delay_sd_q": (0.7, "calibration §7 (R51–R54)"),
            "approval_cap_q": (0.0, "lever; 0 = status quo"),
            "approval_prob": (0.9, "assumption: one lapsed Chinese deal (Xiamen Tungsten 2018 [50]) among many"),
            "engagement": (0.9, "assumption: 224 China-linked projects, constant presence [49]"),
            "trust0": (0.5, "calibration §7 (R115–R120 opinion proxies)"),
            "trust_build_rate": (1.0, "assumption: no power builds trust faster by default"),
            "premium": (0.006, "Chinese SOE bidding 'above market' for tungsten [53]; size is an assumption"),
            "processing": (0.5, "NFC 300 kt smelter at Aktogay [43]; most ore still exported [44]; assumption"),
            "finance_share": (0.7, "CDB financed most of Bozshakol and Aktogay (R51, R52)"),
            "offtake_share": (
                0.8,
                "loans-for-offtake: Kazakhmys sold ~60% to China [42]; CGN purchase commitments [45]",
            ),
            "max_pursuits": (
                6,
                "assumption: China runs the most parallel deals (25 CRM projects in Central Asia, R59)",
            ),
            "min_capex_usd_m": (
                150.0,
                "assumption: CDB and Chinese SOE deals start around Benkala (CNMC, ~$160m for 55%) and Boguty ($260–450m) (R57, R91)",
            ),
            "discount_rate": (0.074, "China Development Bank / China Exim loans, 7.4% (data/instruments.csv)"),
            "offer_cost_usd_m": (1.0, "assumption: SOE offers reuse one state template; plausible 0.5–5"),
            "home_share": (
                0.004,
                "licence register by count: 0.076 foreign (R125) × 1 of 19 named foreign private holders Chinese (Jiaxin); deep uncertainty, plausible 0–0.10",
            ),
            "priorities": (
                prio(
                    "copper:1;uranium:1;tungsten:0.9;rare_earths:0.8;nickel:0.7;cobalt:0.7;lithium:0.7;chromium:0.6;zinc:0.6;lead:0.5;manganese:0.5;vanadium:0.5;graphite:0.5;titanium:0.5;gallium:0.5;indium:0.5;scandium:0.5"
                ),
                "China buys most KZ copper and uranium [42, 45]; broad presence [35]; minor metals where it refines most of the world's (assumption); weights are an assumption",
            ),
        },
    ),
    PowerEntry(
        "US",
        "US",
        "the US",
        "#7b3fa0",
        {
            "budget_usd_m": (
                100.0,
                "calibration §2: EXIM $0.9bn + DFC $0.7bn letters for one project over 16 quarters (R67–R69)",
            ),
            "start_year": (2023, "C5+1 Critical Minerals Dialogue, Sep 2023 [51]"),
            "delay_mean_q": (3.0, "calibration §3: Cove tungsten ~7 months to binding (R67–R69, R82)"),
            "delay_sd_q": (1.0, "calibration §7 (R67–R69, R82)"),
            "approval_cap_q": (0.0, "lever; 0 = status quo"),
            "approval_prob": (0.7, "assumption: EXIM/DFC letters are non-binding (R67–R69)"),
            "engagement": (0.5, "assumption: C5+1 dialogue 2023–25, MoU Nov 2025 [51, 52]"),
            "trust0": (0.4, "calibration §7 (R115–R120 opinion proxies)"),
            "trust_build_rate": (1.0, "assumption: no power builds trust faster by default"),
            "premium": (0.004, "assumption: between the EU's and China's (Cove outbid a Chinese SOE in 2025, R82)"),
            "processing": (0.6, "APT refining in KZ promised for tungsten [53]; assumption"),
            "finance_share": (0.8, "EXIM $0.9bn + DFC of a $1.1bn project (R67–R69)"),
            "offtake_share": (1.0, "Cove markets 100% of tungsten output with a Commerce LOI [53]"),
            "max_pursuits": (2, "assumption: one tungsten deal plus one follow-on (R67)"),
            "min_capex_usd_m": (
                100.0,
                "assumption: EXIM/DFC back large projects (Cove $1.1bn, R67–R69); DFC's mining tickets",
            ),
            "discount_rate": (
                0.05,
                "US EXIM letter of interest terms, 5.0% (data/instruments.csv, the 2025 tungsten deal)",
            ),
            "offer_cost_usd_m": (1.5, "assumption: between the EU's and China's; plausible 0.5–5"),
            "home_share": (
                0.004,
                "licence register by count: 0.076 foreign (R125) × 1 of 19 named foreign private holders American (Cove Capital); deep uncertainty, plausible 0–0.10",
            ),
            "priorities": (
                prio(
                    "tungsten:1;rare_earths:1;lithium:0.7;uranium:0.5;graphite:0.5;nickel:0.4;cobalt:0.4;gallium:1;indium:0.6;scandium:0.6"
                ),
                "C5+1 dialogue and tungsten deal [51–54]; US 2022 critical minerals list names gallium, indium, scandium (data/eu_demand.md); weights are an assumption",
            ),
        },
    ),
    PowerEntry(
        "RU",
        "Russia",
        "Russia",
        "#ff7f0e",
        {
            "budget_usd_m": (
                75.0,
                "calibration §2: Russian FDI $3bn (2023) / 4 × 10% mining share (R50; share is an assumption)",
            ),
            "start_year": (1990, "Rosatom/Uranium One present since the 2000s (R71); any year before the run"),
            "delay_mean_q": (2.0, "calibration §7: no timed deals found; assumption"),
            "delay_sd_q": (1.0, "calibration §7; assumption"),
            "approval_cap_q": (0.0, "lever; 0 = status quo"),
            "approval_prob": (0.8, "assumption: as the EU's; no timed Russian deal found (calibration §3)"),
            "engagement": (0.4, "assumption: divesting since 2024 (R71)"),
            "trust0": (0.65, "calibration §7 (R115–R120 opinion proxies)"),
            "trust_build_rate": (1.0, "assumption: no power builds trust faster by default"),
            "premium": (0.003, "assumption: between the EU's and the US's"),
            "processing": (0.3, "assumption: Rosatom's JVs export uranium concentrate unprocessed (R71)"),
            "finance_share": (0.5, "assumption: between the EU's and China's (state-owned Rosatom)"),
            "offtake_share": (0.5, "assumption: pro rata to a typical 50% uranium JV stake (R105)"),
            "max_pursuits": (2, "assumption: Rosatom is divesting (R71), at most two deals at once"),
            "min_capex_usd_m": (100.0, "assumption: Rosatom's stakes are large uranium JVs (R71)"),
            "discount_rate": (
                0.04,
                "Russian state export credit, 4.0% (data/instruments.csv, the 2025 nuclear plant credit)",
            ),
            "offer_cost_usd_m": (1.0, "assumption: as China's (one state firm, Rosatom); plausible 0.5–5"),
            "home_share": (
                0.004,
                "licence register by count: 0.076 foreign (R125) × 1 of 19 named foreign private holders Russian; deep uncertainty, plausible 0–0.05",
            ),
            "priorities": (
                prio("uranium:1"),
                "Rosatom's stakes are uranium (R71)",
            ),
        },
    ),
    PowerEntry(
        "JK",
        "Japan/Korea",
        "Japan/Korea",
        "#e377c2",
        {
            "budget_usd_m": (10.0, "calibration §2: MoUs only, no amounts (R73–R75); assumption"),
            "start_year": (2015, "JOGMEC–Kazgeology REE MoU, Oct 2015 (R73)"),
            "delay_mean_q": (6.0, "calibration §7: MoUs never binding; assumption"),
            "delay_sd_q": (3.0, "calibration §7; assumption"),
            "approval_cap_q": (0.0, "lever; 0 = status quo"),
            "approval_prob": (0.3, "calibration §7: completion probability ≤ 0.3 for Japan/Korea"),
            "engagement": (0.3, "assumption: MoUs only (R73–R75)"),
            "trust0": (0.5, "calibration §7 (assumption)"),
            "trust_build_rate": (1.0, "assumption: no power builds trust faster by default"),
            "premium": (0.002, "assumption: as the EU's (MoU-led, small bonuses)"),
            "processing": (0.4, "assumption: between Russia's and the EU's"),
            "finance_share": (0.3, "assumption: as the EU's (JOGMEC minority finance, R73, R74)"),
            "offtake_share": (0.5, "Energy Asia takes Kharasan output pro rata (Ortalyk rule [45]); assumption"),
            "max_pursuits": (1, "assumption: MoUs only (R73–R75)"),
            "min_capex_usd_m": (50.0, "assumption: JOGMEC/KIGAM exploration-scale participation (R73–R75)"),
            "discount_rate": (
                0.05,
                "assumption: JBIC/KEXIM terms not found (data/instruments.csv); as the US's EXIM; plausible 0.02–0.08",
            ),
            "offer_cost_usd_m": (1.0, "assumption: plausible 0.5–5"),
            "home_share": (
                0.0,
                "licence register: no Japanese or Korean private rights holder among the 19 named foreign ones (data/licence_register.csv); deep uncertainty, plausible 0–0.05",
            ),
            "priorities": (
                prio("rare_earths:1;uranium:0.6;lithium:0.6;gallium:1;indium:0.5;scandium:0.5;thallium:0.5"),
                "JOGMEC REE, Kharasan uranium, KIGAM lithium (R73–R75); ERG's gallium to Mitsubishi (data/state_pipeline.csv); Japan's rare-metal list (data/eu_demand.md); weights are an assumption",
            ),
        },
    ),
)

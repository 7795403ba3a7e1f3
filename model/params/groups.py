"""The model's other parameters, by group: the run, the host, development economics, investors, prices, demand.

Each field is a registry entry ``<group>.<field>`` (``host.tender_window_q``) with its unit, bounds, source and
meaning; per-commodity fields are one entry per commodity (``price.base.copper``). ``[Rn]`` refers to
``../shared/data/calibration.md``'s sources and ``[n]`` to ``domain-brief.md``'s (both in docs/ODD.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from model.params.explore import ExploreParams
from model.params.host import HostParams
from model.params.markets import MarketParams, RouteParams
from model.params.mechanisms import MechanismParams
from model.params.spec import declare, per_commodity


@dataclass(frozen=True)
class RunParams:
    """When a run starts, what it reads and how often it is observed."""

    start_year: int = declare(
        2026,
        "year",
        (2000, 2060),
        "default run starts 2026Q1 (model.md)",
        "Calendar year of step 1 (its first quarter); step 0 is the state at the end of the year before.",
    )
    deposits: str = declare(
        "data/deposits.csv",
        "path",
        None,
        "data/README.md",
        "Deposit table (CSV), relative to the project root unless absolute.",
    )
    collect_every: int = declare(
        1,
        "quarters",
        (1, 400),
        "observation setting, not a model parameter: results at the observed quarters do not depend on it",
        "Observe (DataCollector, deposit snapshots) every this many quarters; batches that keep only some years "
        "set it higher to run faster.",
    )
    synthetic_deposits: int = declare(
        0,
        "deposits",
        (0, 1_000_000),
        "benchmarks",
        "If > 0, ignore the table and generate this many synthetic deposits (for scaling tests).",
    )
    commodity_rules: str = declare(
        "data/commodity_rules.csv",
        "path",
        None,
        "data/pipeline_and_rules.md",
        "Extraction tax and export routing by commodity (CSV).",
    )
    exploration_ground: str = declare(
        "data/exploration_ground.csv",
        "path",
        None,
        "data/pipeline_and_rules.md",
        "Exploration blocks by region and commodity (CSV).",
    )
    discovery_rates: str = declare(
        "data/discovery_rates.csv",
        "path",
        None,
        "data/pipeline_and_rules.md",
        "Chance of a discovery per licence-year by commodity (CSV).",
    )
    demand_paths: str = declare(
        "data/demand_paths.csv",
        "path",
        None,
        "data/markets_sources.md",
        "World and EU demand per commodity, low/central/high paths 2024-2050 (CSV); EU 2024 = data/eu_demand.csv.",
    )
    world_supply: str = declare(
        "data/world_supply.csv",
        "path",
        None,
        "data/markets_sources.md",
        "World mine supply in 2024, Kazakhstan's share and the rest of the world's growth paths (CSV).",
    )
    price_paths: str = declare(
        "data/price_paths.csv",
        "path",
        None,
        "data/markets_sources.md",
        "Real price paths (2024 USD) of the commodities whose prices are exogenous (CSV).",
    )
    routes: str = declare(
        "data/routes.csv",
        "path",
        None,
        "data/markets_sources.md",
        "Export corridors: capacity, mineral share, cost, transit time, disruption risk, whom they serve (CSV).",
    )
    route_investments: str = declare(
        "data/route_investments.csv",
        "path",
        None,
        "data/markets_sources.md",
        "Dated investments in the corridors; those known by the start add capacity after their build time (CSV).",
    )
    state_pipeline: str = declare(
        "data/state_pipeline.csv",
        "path",
        None,
        "data/pipeline_and_rules.md",
        "Plots the state releases over time: state balance and Soviet-era classified deposits (CSV).",
    )
    plants: str = declare(
        "data/plants.csv",
        "path",
        None,
        "data/states_sources.md",
        "Processing and refining plants: owners, capacity, start year, status, when known (CSV).",
    )
    products: str = declare(
        "data/products.csv",
        "path",
        None,
        "data/states_sources.md",
        "Each commodity's products and the share of value refining adds in Kazakhstan (CSV).",
    )
    contracts: str = declare(
        "data/contracts.csv",
        "path",
        None,
        "data/states_sources.md",
        "Offtake contracts in force: source, buyer, share, years, price basis, when known (CSV).",
    )
    deals: str = declare(
        "data/deals.csv",
        "path",
        None,
        "data/states_sources.md",
        "Deals 2018–2025 (frameworks, finance, equity, offtake, processing); those known by the start set it (CSV).",
    )


@dataclass(frozen=True)
class EconParams:
    """Development economics: capex, margins, lead times and slippage."""

    capex_per_annual_revenue: float = declare(
        1.5,
        "years of revenue",
        (0.1, 10.0),
        "Aktogay $2.2bn for 190 kt/yr Cu (1.2), Bozshakol $1.8bn for 100 kt/yr (1.9) (R89, R90)",
        "Capex of a deposit as a multiple of its annual revenue at capacity.",
    )
    margin: float = declare(
        0.44,
        "share of revenue",
        (0.0, 1.0),
        "assumption: 35% net of copper's 8.55% extraction tax (R106), as the first version used net of tax",
        "Operating cash margin on revenue before the mineral extraction tax (data/commodity_rules.csv).",
    )
    slip_prob: float = declare(
        0.08,
        "probability per quarter",
        (0.0, 1.0),
        "build phases of 2–5 years with decade-long slips for juniors [19, 20]; assumption",
        "Base chance per quarter that a developing project slips by a quarter.",
    )
    slip_finance_relief: float = declare(
        0.5,
        "share of slippage removed at full public finance",
        (0.0, 1.0),
        "assumption: state-backed projects (Bozshakol, Aktogay with CDB) kept to schedule (R89, R90)",
        "Slippage chance × (1 − this × the leader's public finance share).",
    )
    slip_trust_pivot: float = declare(
        1.5,
        "trust",
        (1.0, 3.0),
        "assumption: at trust 0.5 the base slippage applies; full trust cuts it by two thirds",
        "Slippage chance × (this − the host's trust in the leader).",
    )
    lead_time_sd: float = declare(
        0.15,
        "share of lead time",
        (0.0, 1.0),
        "lead times 10–18 quarters (R89–R93)",
        "Spread of the drawn development lead time around the deposit's own.",
    )


@dataclass(frozen=True)
class InvestorParams:
    """The private investors' population and decision rule."""

    count: int = declare(
        300, "investors", (0, 1_000_000), "330 exploration firms incl. 25 foreign in 2023 (R125)", "Private investors."
    )
    capital_median_usd_m: float = declare(
        25.0,
        "USD million",
        (0.1, 100000.0),
        "private exploration >$213m in 2024 (R76); assumption for the spread",
        "Median capital of an investor (log-normal).",
    )
    capital_sigma: float = declare(
        1.2, "log-normal sigma", (0.0, 4.0), "assumption: juniors to majors", "Spread of investor capital."
    )
    capital_inflow: float = declare(
        0.02,
        "share of initial capital per quarter",
        (0.0, 1.0),
        "assumption: exploration spending tripled in 6 years (R76), ≈ 5% a quarter for the sector",
        "New capital each investor raises per quarter.",
    )
    hurdle_mean: float = declare(
        0.084,
        "real return per year",
        (0.0, 1.0),
        "mean discount rate of 100 SEDAR technical reports 8.36% excluding those at 5% (R128)",
        "Mean of the investors' own discount rates (before the country risk premium).",
    )
    hurdle_sd: float = declare(
        0.02,
        "return per year",
        (0.0, 0.5),
        "the SEDAR reports range from 5% to about 12% (R128); assumption for the spread",
        "Spread of the investors' discount rates.",
    )
    country_risk: float = declare(
        0.03,
        "NPV per unit of capex",
        (0.0, 0.5),
        "assumption: the spread of a BBB-/Baa-rated sovereign (S&P BBB- 2022, Moody's upgrade 2024; R131, R132); "
        "Damodaran's premium was not retrievable (calibration §6)",
        "Premium every investor adds to its discount rate for Kazakhstan.",
    )
    patience_mean_q: float = declare(
        5.0,
        "quarters",
        (0.0, 100.0),
        "Laramide left 16 months after entry (R123)",
        "Mean quarters an investor waits in a pursuit for its offer to become binding.",
    )
    patience_sd_q: float = declare(
        2.0,
        "quarters",
        (0.0, 50.0),
        "assumption: range about 2–9 quarters (calibration §7: 4–16)",
        "Spread of patience.",
    )
    speed_sensitivity: float = declare(
        1.0,
        "0–1",
        (0.0, 1.0),
        "1 = investors discount the wait for the partner's approval and leave after their patience (calibration §6); "
        "0 = speed-indifferent investors, for the ablation",
        "How much investors count the partner's expected time to a binding offer and their own patience.",
    )
    bonus_share: float = declare(
        0.05,
        "share of net present value",
        (0.0, 1.0),
        "assumption: auction bonuses are small against project values (KZT 1.5bn ≈ $3.3m for the 2023 lots, R100–R102)",
        "Share of its expected net present value an investor bidding alone offers as signature bonus.",
    )
    share_kz: float = declare(
        0.924,
        "share of investors",
        (0.0, 1.0),
        "licence register by count: 305 of the 330 exploration firms of 2023 Kazakh (R125; data/licence_register.csv); "
        "by count, not by capital: deep uncertainty, plausible 0.45–0.95",
        "Share of investors that are Kazakh (their lone bids are KZ holdings); each power's share is its "
        "home_share, and the rest (e.g. Canadian and Australian juniors) are neutral: PRIVATE.",
    )
    affinity_bonus: float = declare(
        0.03,
        "return per year",
        (0.0, 0.5),
        "assumption: a home-power consortium is worth a few points of return (export credit, offtake)",
        "Extra return an investor sees in a pursuit led by its home power.",
    )
    trust_weight: float = declare(
        0.10,
        "NPV per unit of capex per unit of trust",
        (0.0, 1.0),
        "assumption: country-risk premia of a few points (R131, R132)",
        "Return adjustment per unit of host trust above investors.trust_pivot in the pursuit's power.",
    )
    trust_pivot: float = declare(
        0.5,
        "trust",
        (0.0, 1.0),
        "assumption: neutral trust (as host.trust_baseline)",
        "Trust at which the host's trust neither adds to nor takes from an investor's expected return.",
    )
    solo_max_capex_usd_m: float = declare(
        300.0,
        "USD million",
        (0.0, 100000.0),
        "juniors take small projects alone (Kounrad, Sarytogan; R93, R63); assumption",
        "Largest capex an investor will take on alone.",
    )


_PRICES: dict[str, tuple[float, str]] = {
    "copper": (9500.0, "R1 (mean of 8 quarters 2024–25)"),
    "uranium": (207_984.0, "80 $/lb U3O8 × 2.5998 (R3–R5, R22)"),
    "chromium": (280.0, "R8–R10 (SA 40–42% concentrate)"),
    "tungsten": (50_440.0, "APT 400 $/mtu (R14, R15)"),
    "rare_earths": (11_000.0, "assumption: NdPr oxide 55 $/kg (R30–R32) × ~20% of a light-REE basket"),
    "nickel": (16_000.0, "R17–R19"),
    "cobalt": (25_000.0, "R20, R21"),
    "lithium": (11_000.0, "R24–R26 (carbonate)"),
    "zinc": (2_750.0, "R11"),
    "lead": (2_000.0, "R12, R13"),
    "manganese": (198.0, "4.5 $/dmtu × 44 (R33–R35)"),
    "vanadium": (13_228.0, "6 $/lb V2O5 (R36, R37; weakly sourced)"),
    "graphite": (500.0, "R38 (flake 94%)"),
    "titanium": (600.0, "assumption: ilmenite concentrate ~300 $/t at ~50% TiO2 (sponge is 7,000 $/t, R39)"),
    "indium": (350_000.0, "data/new_commodities.csv (99.99% In, 2024)"),
    "gallium": (550_000.0, "data/new_commodities.csv (99.99% Ga, Rotterdam, 2024)"),
    "scandium": (860_000.0, "data/new_commodities.csv (Sc2O3, China, 2024)"),
    "thallium": (1_250_000.0, "data/new_commodities.csv (2023; weakly sourced: market value / world output)"),
}


@dataclass(frozen=True)
class PriceParams:
    """Base prices (in each commodity's unit, model/commodities.py) and the price process."""

    base: Mapping[str, float] = per_commodity(
        _PRICES, "USD per commodity unit", (0.01, 1e8), "Base price of the commodity (2024–25 level)."
    )
    vol_base: float = declare(0.10, "sigma of quarterly log change", (0.0, 2.0), "calibration §7", "Base metals.")
    vol_high: float = declare(
        0.15, "sigma of quarterly log change", (0.0, 2.0), "calibration §7", "U, W, Ni, Co, In (model/commodities.py)."
    )
    vol_speculative: float = declare(
        0.25,
        "sigma of quarterly log change",
        (0.0, 2.0),
        "calibration §7",
        "Li, REE, Ga, Sc, Tl (model/commodities.py).",
    )
    jump_prob: float = declare(
        0.02,
        "probability per quarter",
        (0.0, 1.0),
        "calibration §7",
        "Chance of a price jump per commodity and quarter.",
    )
    jump_max: float = declare(3.0, "factor", (1.0, 10.0), "calibration §7 (×2–×4)", "Largest jump factor.")
    reversion: float = declare(
        0.05,
        "share of log gap per quarter",
        (0.0, 1.0),
        "assumption: half-life of a price gap about 3.4 years (copper's 2024–25 swings, R1, R2)",
        "Pull of prices back toward their base level.",
    )


GROUPS: dict[str, type] = {
    "run": RunParams,
    "host": HostParams,
    "explore": ExploreParams,
    "econ": EconParams,
    "investors": InvestorParams,
    "price": PriceParams,
    "markets": MarketParams,
    "routes": RouteParams,
    "mechanisms": MechanismParams,
}

"""The model's other parameters, by group: the run, the host, development economics, investors, prices, demand.

Each field is a registry entry ``<group>.<field>`` (``host.tender_window_q``) with its unit, bounds, source and
meaning; per-commodity fields are one entry per commodity (``price.base.copper``). ``[Rn]`` refers to
``../shared/data/calibration.md``'s sources and ``[n]`` to ``domain-brief.md``'s (both in docs/ODD.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from model.params.spec import declare, per_commodity


@dataclass(frozen=True)
class RunParams:
    """When a run starts, what it reads and how often it is observed."""

    start_year: int = declare(
        2026, "year", (2000, 2060), "default run starts 2026Q1 (model.md)", "Calendar year of step 0 (quarter 1)."
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


@dataclass(frozen=True)
class HostParams:
    """Kazakhstan's tender, scoring, award and supervision rules."""

    tender_rate: float = declare(
        0.08,
        "share of unlicensed deposits per quarter",
        (0.0, 1.0),
        "assumption: 111 production licences since 2018 (R99) over ~150 candidate deposits",
        "Share of unlicensed deposits the host puts to tender each quarter (at least one while any is free).",
    )
    tender_window_q: int = declare(
        4,
        "quarters",
        (1, 40),
        "assumption: auction rounds and Tau-Ken reviews run over months (R100, R133)",
        "Quarters a tender stays open.",
    )
    retender_q: int = declare(
        4,
        "quarters",
        (0, 40),
        "assumption: the ministry re-offers unsold plots in its next annual round (R100–R103)",
        "Quarters before a deposit with no offer is tendered again.",
    )
    w_money: float = declare(
        0.30,
        "weight",
        (0.0, 1.0),
        "auction criterion is the bonus [60]; assumption for weight",
        "Weight of money (bonus and committed capital) in the host's score.",
    )
    w_processing: float = declare(
        0.20,
        "weight",
        (0.0, 1.0),
        "in-country processing required of investors [64, 67]; assumption for weight",
        "Weight of in-country processing in the score.",
    )
    w_finance: float = declare(
        0.20,
        "weight",
        (0.0, 1.0),
        "finance decides awards [42, 53]; assumption for weight",
        "Weight of public finance in the score.",
    )
    w_speed: float = declare(
        0.15,
        "weight",
        (0.0, 1.0),
        "KZ asked the EU to 'move faster' [34]; assumption for weight",
        "Weight of speed (how soon the offer became binding) in the score.",
    )
    w_diversification: float = declare(
        0.15,
        "weight",
        (0.0, 1.0),
        "multi-vector policy [64]; assumption for weight",
        "Weight of diversification in the score: 1 − the bidder's share of the foreign-held licensed value of the "
        "same commodity.",
    )
    reservation_score: float = declare(
        0.38,
        "score",
        (0.0, 2.0),
        "first movers gain (model.md); assumption: about the 75th percentile of China's scores in the baseline, so "
        "strong offers close a tender early and weak ones wait for the window",
        "An offer scoring at least this is accepted at once, before the window closes.",
    )
    fcfs_max_capex_usd_m: float = declare(
        100.0,
        "USD million",
        (0.0, 100000.0),
        "exploration licences are first-come-first-served [59], R96; the capex threshold is an assumption",
        "Deposits with capex up to this go to the first binding offer (highest score among the first).",
    )
    incumbency: float = declare(
        0.5,
        "multiplier per share held",
        (0.0, 5.0),
        "processing plants and holdings raise later offers (model.md); assumption",
        "Score bonus per unit of the power's share of the commodity's licensed value.",
    )
    state_stake_uranium: float = declare(
        0.75,
        "share",
        (0.0, 1.0),
        "Kazatomprom ≥ 75% in new JVs (R104, R105)",
        "State stake in every new uranium award.",
    )
    state_stake_other: float = declare(
        0.30, "share", (0.0, 1.0), "Tau-Ken Samruk 30% of the Cove JV (R67)", "State stake in every other new award."
    )
    export_cn: float = declare(
        0.55,
        "share of state output",
        (0.0, 1.0),
        "copper cathode exports Jan 2024: China 63% [44]; KAP exports Asia 50% [56]",
        "Share of the host's own output sold to China.",
    )
    export_eu: float = declare(
        0.25,
        "share of state output",
        (0.0, 1.0),
        "KAP exports to Europe 27–29% [45, 56]",
        "Share of the host's own output sold to the EU.",
    )
    export_us: float = declare(
        0.12,
        "share of state output",
        (0.0, 1.0),
        "KAP exports to the US 23% (2022) [56]",
        "Share of the host's own output sold to the US (the rest stays in Kazakhstan or goes elsewhere).",
    )
    trust_gain_engagement: float = declare(
        0.008,
        "trust per quarter at full engagement",
        (0.0, 0.5),
        "asymmetric trust, build slowly [15]; assumption",
        "Trust gained per quarter of engagement.",
    )
    trust_gain_delivery: float = declare(
        0.03, "trust per delivery", (0.0, 0.5), "[15]; assumption", "Trust gained when a project starts production."
    )
    trust_loss_missed: float = declare(
        0.02,
        "trust per event",
        (0.0, 1.0),
        'model.md: trust "falls a little" on a missed window; [15]; assumption (2.5× a quarter of full engagement)',
        "Trust lost when a power's approval comes after the tender closed.",
    )
    trust_loss_withdrawal: float = declare(
        0.08,
        "trust per event",
        (0.0, 1.0),
        "lapsed Xiamen Tungsten deal [50]; assumption",
        "Trust lost when a pursuit is withdrawn.",
    )
    trust_loss_slip: float = declare(
        0.02, "trust per event", (0.0, 1.0), "[15]; assumption", "Trust lost per quarter of slippage in development."
    )
    trust_drift: float = declare(
        0.02,
        "per quarter",
        (0.0, 1.0),
        "assumption: half the gap closes in about 8.6 years of idleness",
        "Share of the gap to the baseline closed per idle quarter.",
    )
    trust_baseline: float = declare(
        0.5, "0–1", (0.0, 1.0), "assumption: neutral trust", "Trust an idle power drifts toward."
    )
    revocation_overrun: float = declare(
        2.0,
        "× lead time",
        (1.0, 10.0),
        "use-it-or-lose-it: 74 contracts terminated early by 2023 [65]; assumption for the threshold",
        "A licence still undeveloped after this multiple of its lead time is revoked.",
    )
    revocation_hazard: float = declare(
        0.004,
        "probability per quarter",
        (0.0, 0.2),
        "calibration §7 (≈8% over 5 years, derived from R99, R102)",
        "Chance per quarter that a slipping licence is revoked early.",
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
        0.35,
        "share of revenue",
        (0.0, 1.0),
        "assumption: operating margin net of MET (8.55% Cu, 7.8% W, R106)",
        "Cash margin on output.",
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
        0.12,
        "real post-tax return per year",
        (0.0, 1.0),
        "calibration §7: 8.4% (R128) + frontier premium",
        "Mean hurdle rate.",
    )
    hurdle_sd: float = declare(
        0.02, "return per year", (0.0, 0.5), "range 10–15% (calibration §7)", "Spread of hurdle rates."
    )
    patience_mean_q: float = declare(
        8.0,
        "quarters",
        (0.0, 100.0),
        "calibration §7 (R123, R96)",
        "Mean quarters an investor waits for a pursuit to become binding.",
    )
    patience_sd_q: float = declare(3.0, "quarters", (0.0, 50.0), "range 4–16 (calibration §7)", "Spread of patience.")
    share_kz: float = declare(
        0.45,
        "share of investors",
        (0.0, 1.0),
        "330 exploration firms in 2023, 25 of them foreign (R125); weighted down for their smaller size (assumption)",
        "Share of investors that are Kazakh (their lone bids are KZ holdings).",
    )
    share_eu: float = declare(
        0.10,
        "share of investors",
        (0.0, 1.0),
        "EU firms in only 5 Central Asian CRM projects since 2022 (R59); HMS Bergbau (R111); assumption",
        "Share of investors with EU home affinity.",
    )
    share_us: float = declare(
        0.05,
        "share of investors",
        (0.0, 1.0),
        "Cove Capital (R67); most North American juniors are Canadian (R124, neutral here); assumption",
        "Share with US affinity.",
    )
    share_cn: float = declare(
        0.25,
        "share of investors",
        (0.0, 1.0),
        "Jiaxin, Zijin, Jinchuan scouting [46, 48]; 224 China-linked projects [49]; assumption",
        "Share with Chinese affinity (the rest, e.g. Canadian and Australian juniors, are neutral: PRIVATE).",
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
        "return per unit of trust",
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
    delay_penalty: float = declare(
        0.01,
        "return per year per quarter of delay",
        (0.0, 0.2),
        "assumption: at a 12% hurdle, one quarter of waiting costs about 3% of value; 1 point of return is a "
        "conservative share of that",
        "Return an investor gives up per quarter of the leader's expected approval delay while a pursuit waits.",
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
}


@dataclass(frozen=True)
class PriceParams:
    """Base prices (in each commodity's unit, model/commodities.py) and the price process."""

    base: Mapping[str, float] = per_commodity(
        _PRICES, "USD per commodity unit", (0.0, 1e7), "Base price of the commodity (2024–25 level)."
    )
    vol_base: float = declare(0.10, "sigma of quarterly log change", (0.0, 2.0), "calibration §7", "Base metals.")
    vol_high: float = declare(0.15, "sigma of quarterly log change", (0.0, 2.0), "calibration §7", "U, W, Ni, Co.")
    vol_speculative: float = declare(0.25, "sigma of quarterly log change", (0.0, 2.0), "calibration §7", "Li, REE.")
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


@dataclass(frozen=True)
class DemandParams:
    """What the EU wants from Kazakhstan, against which its supply security is measured."""

    eu_usd_m: float = declare(
        1200.0,
        "USD million per quarter, at base prices",
        (1.0, 100000.0),
        "assumption: about twice the EU's current offtake from Kazakhstan (27–29% of Kazatomprom's "
        "exports [45, 56] ≈ $0.6bn/q at $208/kgU)",
        "Value of Kazakh critical minerals the EU wants per quarter; supply security is its offtake against this.",
    )


GROUPS: dict[str, type] = {
    "run": RunParams,
    "host": HostParams,
    "econ": EconParams,
    "investors": InvestorParams,
    "price": PriceParams,
    "demand": DemandParams,
}

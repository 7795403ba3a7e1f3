"""The host's parameters (``host.*``): how Kazakhstan offers plots, decides by channel, keeps its rights and trust.

``[Rn]`` refers to ``../shared/data/calibration.md``'s sources and ``[n]`` to ``domain-brief.md``'s.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.params.spec import declare


@dataclass(frozen=True)
class HostParams:
    """Kazakhstan's allocation channels, objective, state rights, supervision and trust."""

    # --- offering plots ---------------------------------------------------------------------------
    offer_rate: float = declare(
        0.25,
        "share of free plots per quarter",
        (0.0, 1.0),
        "auction rounds several times a year since 2023: 117 deposits 2023–24, 50 in Jun-2025, 62 planned for 2026 "
        "(R100–R103, data/exploration_rules.csv); assumption that a free plot is offered within about a year",
        "Share of free auction and negotiation plots the host offers each quarter (at least one while any is free; none at 0).",
    )
    channel_rule: int = declare(
        0,
        "rule",
        (0, 2),
        "0 = the Subsoil Code's channels as the data give them (data/deposits.csv, data/state_pipeline.csv); 1 and 2 "
        "are ablations (docs/ODD.md): one channel for every plot",
        "Allocation channel of every offered plot: 0 as the data say, 1 all by auction, 2 all by direct negotiation.",
    )
    auction_window_q: int = declare(
        2,
        "quarters",
        (1, 40),
        "lots are announced ahead of the round and results come within 15 days, extendable by a month (R100, R133); "
        "assumption: announcement to award about two quarters",
        "Quarters from an auction's announcement to its award; bids must be binding by then.",
    )
    negotiation_window_q: int = declare(
        4,
        "quarters",
        (1, 40),
        "direct deals observed: Cove tungsten ~7 months of talks (R82), CDB–Kazakhmys 2.6 months (R51), "
        "Aktogay 6 months (R52); assumption: about a year before the host closes a negotiation",
        "Quarters a direct negotiation stays open before the host decides.",
    )
    preferred_wait_q: int = declare(
        2,
        "quarters",
        (0, 40),
        "the host may keep a negotiation open for a preferred partner (Cove's talks ran 'for months' before the "
        "C5+1 signing, R82); assumption",
        "Extra quarters the host keeps a negotiation open for a partner whose offer, still in approval, it prefers.",
    )
    retender_q: int = declare(
        4,
        "quarters",
        (0, 40),
        "assumption: the ministry re-offers unsold plots in its next annual round (R100–R103)",
        "Quarters before a plot with no acceptable offer is offered again.",
    )
    # --- auctions: the bonus decides, the legal conditions are pass/fail ---------------------------
    auction_min_processing: float = declare(
        0.3,
        "0–1",
        (0.0, 1.0),
        "a foreign investor receiving field rights 'must undertake obligations to process raw materials within "
        "the country' (R87); the level is an assumption",
        "Processing commitment an auction bid must make to qualify.",
    )
    auction_min_coverage: float = declare(
        0.5,
        "share of capex",
        (0.0, 1.0),
        "a bid comes with a work programme it must finance (Subsoil Code, R96); the share is an assumption",
        "Share of capex a bid must show financed to qualify.",
    )
    # --- direct negotiation: the host's objective ---------------------------------------------------
    w_revenue: float = declare(
        0.3,
        "weight",
        (0.0, 1.0),
        "the state's take: signature bonus and the present value of extraction tax (Tax Code Art. 746, R106) and "
        "of its stake; assumption for the weight",
        "Weight of the state's revenue (relative to the best offer) in the host's objective.",
    )
    w_processing: float = declare(
        0.3,
        "weight",
        (0.0, 1.0),
        "'raw materials in exchange for technology' (R111, R112); processing required of investors [64, 67]; "
        "assumption for the weight",
        "Weight of processing and technology in Kazakhstan in the objective.",
    )
    w_finance: float = declare(
        0.2,
        "weight",
        (0.0, 1.0),
        "finance decides awards (CDB for Bozshakol and Aktogay, EXIM/DFC for Cove; [42, 53]); assumption for weight",
        "Weight of the capital an offer brings (share of capex financed) in the objective.",
    )
    w_diversification: float = declare(
        0.2,
        "weight",
        (0.0, 1.0),
        "multi-vector policy [64]; assumption for the weight",
        "Weight of diversification in the objective: 1 − the partner's share of the foreign-held value of the "
        "commodity.",
    )
    discount_rate: float = declare(
        0.08,
        "per year",
        (0.0, 0.5),
        "assumption: Kazakhstan's USD borrowing cost (BBB-/Baa rating, R131, R132) plus a margin",
        "The host's discount rate for the fiscal value of a deposit (bonus, tax and dividends over its life).",
    )
    reservation_score: float = declare(
        0.45,
        "objective",
        (0.0, 2.0),
        "first movers gain (model.md); assumption: an offer from a trusted partner that is best on most terms",
        "A negotiation offer reaching this objective is accepted at once, before the window closes.",
    )
    min_objective: float = declare(
        0.3,
        "objective",
        (0.0, 2.0),
        "the host may decline every offer and keep a strategic deposit: Tau-Ken held Northern Katpar from 2015, let "
        "Xiamen's 2018 term sheet lapse and signed only with Cove in 2025 (R80–R82); assumption for the level",
        "A negotiation's best offer below this objective is declined at the close; the deposit is offered again later.",
    )
    state_firm_objective: float = declare(
        0.5,
        "objective",
        (0.0, 2.0),
        "uranium is awarded to Kazatomprom by direct negotiation (R95) and it took Inkai block 3 and the "
        "Budenovskoye blocks alone in 2024 (data/hindcast_events_2022_2025.csv); assumption for the level",
        "What giving a strategic deposit to the state's own firm is worth to the host: a partner's offer must beat "
        "it, else at the close the state firm takes the deposit (0 = never).",
    )
    incumbency: float = declare(
        0.5,
        "multiplier per share held",
        (0.0, 5.0),
        "processing plants and contracts raise later offers (model.md); assumption",
        "Processing credit per unit of the partner's incumbency in the commodity: the mean of its share of the "
        "refining capacity online and of the producing capacity under contract to it (its plants and contracts).",
    )
    # --- state rights --------------------------------------------------------------------------------
    state_stake_uranium: float = declare(
        0.75,
        "share",
        (0.0, 1.0),
        "Kazatomprom ≥ 75% in new uranium JVs (law of 26 Dec 2025, R104, R105)",
        "State stake taken in every new uranium award.",
    )
    state_stake_uranium_extension: float = declare(
        0.9,
        "share",
        (0.0, 1.0),
        "Kazatomprom 90% on contract extension (law of 26 Dec 2025, R104, R105)",
        "State stake in a uranium contract when it is extended at the end of its term.",
    )
    state_stake_strategic: float = declare(
        0.3,
        "share",
        (0.0, 1.0),
        "Tau-Ken Samruk 30% of the Cove tungsten JV; 25% of the Akbulak REE JV (R67, data/exploration_rules.csv)",
        "State stake taken in other strategic projects allocated by direct negotiation.",
    )
    offtake_term_q: int = declare(
        40,
        "quarters",
        (1, 200),
        "Kazatomprom's long-term supply contracts run about ten years (CNUC and CNNC Overseas 2024–2033; "
        "Kharasan 2009–2038 runs longer; data/contracts.csv)",
        "Term of an offtake contract an award makes for the winner's offtake beyond its equity.",
    )
    renewal_trust: float = declare(
        0.3,
        "trust",
        (0.0, 1.0),
        "assumption: the host renews an incumbent buyer's contract unless its trust has fallen well below the "
        "baseline; plausible 0.2–0.5",
        "Trust at or above which the host renews an offtake contract at the end of its term (with lock-in).",
    )
    w_framework: float = declare(
        0.1,
        "objective weight",
        (0.0, 1.0),
        "assumption: a framework agreement (MoU, roadmap: EU-KZ Nov 2022, C5+1 2023, China 2024-25; "
        "data/deals.csv) gives a partner's package a channel and terms agreed in advance; plausible 0–0.2",
        "Weight of a framework agreement in force (the partner's, for the commodity) in the host's objective.",
    )
    contract_term_q: int = declare(
        100,
        "quarters",
        (4, 400),
        "mining licences run up to 25 years, extendable (R98)",
        "Term of a mining contract from first production; at its end it is extended (uranium: at the extension stake).",
    )
    priority_reservation: float = declare(
        0.3,
        "objective",
        (0.0, 2.0),
        "Art. 43 priority right: the state may buy first on any sale in a strategic deposit; in Dec-2024 it let "
        "Rosatom sell to SNURDC and CGN (R71); assumption: the state waives only for a buyer it values this much",
        "A forced sale of a strategic stake goes to the best buyer whose objective reaches this; else the state buys.",
    )
    # --- supervision: use it or lose it, by the holder's conduct --------------------------------------
    revocation_overrun: float = declare(
        2.0,
        "× planned development",
        (1.0, 10.0),
        "use-it-or-lose-it: 74 contracts terminated early for non-compliance by 2023 (R114); assumption for the "
        "threshold",
        "A licence still undeveloped after this multiple of its planned development is revoked.",
    )
    revocation_hazard: float = declare(
        0.02,
        "probability per quarter per slipped quarter",
        (0.0, 0.5),
        "245 solid-mineral licences terminated by Aug-2023 (R102), 0.045 per licence-year (data/exploration_rules.csv); "
        "assumption that it falls on holders who slip",
        "Chance per quarter, per quarter of slippage so far, that a slipping licence is revoked for non-performance.",
    )
    state_firm_revocation: float = declare(
        0.0,
        "share of the hazard",
        (0.0, 1.0),
        "the ministry's termination lists name private subsoil users (R113, R114); assumption: the host does not "
        "revoke its own state firms' licences",
        "How much of the revocation rules apply to licences led by the host's own firms (0 = none).",
    )
    # --- trust: moves only with a partner's own conduct ----------------------------------------------
    trust_gain_engagement: float = declare(
        0.005,
        "trust per quarter at full engagement",
        (0.0, 0.5),
        "assumption: trust is built slowly [15]; with trust_loss_withdrawal, a power at China's engagement recovers "
        "a lapsed deal in about four years, as China did between Xiamen's lapse (2018) and Boguty (2022) "
        "(data/trust_events.csv)",
        "Trust gained per quarter of engagement (active pursuits or projects).",
    )
    trust_gain_delivery: float = declare(
        0.03,
        "trust per delivery",
        (0.0, 0.5),
        "assumption: one delivered project is worth about six quarters of engagement (Bozshakol and Aktogay "
        "delivered with CDB money were followed by the 2019 expansion loan and the smelter, data/trust_events.csv)",
        "Trust gained when a project starts production (spread over its development as capex tranches are paid).",
    )
    trust_gain_processing: float = declare(
        0.03,
        "trust per unit of processing",
        (0.0, 0.5),
        "'raw materials in exchange for technology' (R111); the Aktogay smelter deal followed CNMC's delivery "
        "(data/trust_events.csv); assumption for the size",
        "Extra trust when a project starts production, times its processing commitment (a plant built).",
    )
    trust_loss_missed: float = declare(
        0.02,
        "trust per event",
        (0.0, 1.0),
        "EU talks that 'never led to real actions' (Ospanov, Jul-2023, R121); assumption: a missed window costs "
        "about four quarters of engagement",
        "Trust lost when a pursuit is still in approval at its tender's close.",
    )
    trust_loss_withdrawal: float = declare(
        0.06,
        "trust per event",
        (0.0, 1.0),
        "Xiamen Tungsten's 2018 term sheet that lapsed (R80, R81); calibrated with trust_gain_engagement "
        "(about four years to recover, data/trust_events.csv)",
        "Trust lost when a pursuit is withdrawn (approval failed) or a won deal collapses.",
    )
    trust_loss_slip: float = declare(
        0.01,
        "trust per slipped quarter",
        (0.0, 1.0),
        "Gornostaevskoye and Balasausqandiq slipped for years (data/README.md); assumption: a slipped quarter costs "
        "a third of a delivered project's gain",
        "Trust lost per quarter of slippage in development.",
    )
    trust_drift: float = declare(
        0.02,
        "per quarter",
        (0.0, 1.0),
        "assumption: half the gap closes in about 8.6 years of idleness",
        "Share of the gap to the baseline closed per quarter with no conduct.",
    )
    trust_baseline: float = declare(
        0.5, "0–1", (0.0, 1.0), "assumption: neutral trust", "Trust an idle power drifts toward."
    )

"""The one source of truth for parameters: type, unit, bounds and source of each.

Keys are dotted (``eu.delay_mean_q``) in scenario files, experiment designs and the docs; the model
takes them as flat keyword arguments (``eu_delay_mean_q``), so that Mesa's ``batch_run`` and
``SolaraViz`` can drive it. ``[Rn]`` refers to ``../shared/data/calibration.md``'s source list and
``[n]`` to ``domain-brief.md``'s; both are reproduced in ``docs/ODD.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from model.commodities import NAMES as COMMODITY_NAMES
from model.errors import InputError
from model.powers import POWERS

Value = bool | int | float | str


@dataclass(frozen=True)
class Param:
    key: str
    default: Value
    unit: str
    bounds: tuple[float, float] | tuple[str, ...] | None
    source: str
    doc: str

    @property
    def kwarg(self) -> str:
        return self.key.replace(".", "_")

    @property
    def kind(self) -> type:
        return type(self.default)

    def allowed(self) -> str:
        if self.kind is bool:
            return "true or false"
        if self.key.endswith(".priorities"):
            return f"weights 'commodity:w;...' with commodities from {', '.join(COMMODITY_NAMES)} and w in [0, 10]"
        if self.kind is str and self.bounds is None:
            return "a non-empty path"
        if self.kind is str:
            return "one of " + ", ".join(repr(b) for b in self.bounds)
        lo, hi = self.bounds
        return f"{self.kind.__name__} in [{lo:g}, {hi:g}] ({self.unit})"

    def check(self, value: Any, where: str) -> Value:
        """Coerce a value to the parameter's type or raise a one-line InputError."""
        kind = self.kind
        if kind is bool:
            if isinstance(value, bool):
                return value
        elif kind is str:
            if isinstance(value, str):
                if self.key.endswith(".priorities"):
                    return canonical_weights(value, where, self.key)
                if (self.bounds is None and value.strip()) or (self.bounds and value in self.bounds):
                    return value
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if not math.isfinite(value) or (kind is int and float(value) != int(value)):
                raise InputError(where, self.key, f"got {value!r}; allowed: {self.allowed()}")
            v = kind(value)
            lo, hi = self.bounds
            if v == v and lo <= v <= hi:  # v == v rejects NaN
                return v
        raise InputError(where, self.key, f"got {value!r}; allowed: {self.allowed()}")


def canonical_weights(text: str, where: str, key: str) -> str:
    """Parse 'copper:1;uranium:0.5' and return it sorted and normalised, or raise InputError."""
    weights = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, sep, w = part.partition(":")
        try:
            value = float(w)
        except ValueError:
            value = -1.0
        if not sep or name.strip() not in COMMODITY_NAMES or not 0 <= value <= 10:
            raise InputError(
                where,
                key,
                f"bad entry {part!r}; allowed: 'commodity:w' with commodity in "
                f"{', '.join(COMMODITY_NAMES)} and w in [0, 10]",
            )
        weights[name.strip()] = value
    return ";".join(f"{k}:{weights[k]:g}" for k in sorted(weights))


def parse_weights(text: str) -> dict[str, float]:
    """Weights of a canonical 'commodity:w;...' string; commodities not named weigh 0."""
    out = dict.fromkeys(COMMODITY_NAMES, 0.0)
    for part in filter(None, text.split(";")):
        name, _, w = part.partition(":")
        out[name] = float(w)
    return out


ASSUMPTION = "assumption"

# --- Powers -------------------------------------------------------------------------------------
# One row per power field: unit, bounds, doc, then {code: (default, source)}.
POWER_FIELDS: dict[str, tuple[str, tuple[float, float] | None, str, dict[str, tuple[Value, str]]]] = {
    "budget_usd_m": (
        "USD million per quarter",
        (0.0, 5000.0),
        "Public finance the power can commit per quarter (development banks, export credit).",
        {
            "EU": (
                21.0,
                "calibration §2: one CRMA Strategic Project capex ($344m, R64/R65) per 16 quarters; "
                "assumption that EU funds back about one such project per 4 years",
            ),
            "CN": (111.0, "calibration §2: CDB loans and NFC/Jiaxin capex 2009–2024, $7.1bn / 64 quarters (R51–R58)"),
            "US": (
                100.0,
                "calibration §2: EXIM $0.9bn + DFC $0.7bn letters for one project over 16 quarters (R67–R69)",
            ),
            "RU": (
                75.0,
                "calibration §2: Russian FDI $3bn (2023) / 4 × 10% mining share (R50; share is an assumption)",
            ),
            "JK": (10.0, "calibration §2: MoUs only, no amounts (R73–R75); assumption"),
        },
    ),
    "start_year": (
        "year",
        (1990.0, 2060.0),
        "First year in which the power pursues new tenders.",
        {
            "EU": (2022, "EU–KZ raw-materials MoU, 7 Nov 2022 [24]"),
            "CN": (2009, "CDB–Samruk-Kazyna facility, 2009 (R51)"),
            "US": (2023, "C5+1 Critical Minerals Dialogue, Sep 2023 [51]"),
            "RU": (1990, "Rosatom/Uranium One present since the 2000s (R71); any year before the run"),
            "JK": (2015, "JOGMEC–Kazgeology REE MoU, Oct 2015 (R73)"),
        },
    ),
    "delay_mean_q": (
        "quarters",
        (0.0, 40.0),
        "Mean approval time of a pursuit before its offer is binding.",
        {
            "EU": (
                4.0,
                "calibration §7: 4 (1.5) quarters to decision: CRMA selection 7–9 months after cut-off [31, 32], "
                "EBRD 3–6 months (R60, R64, R65, R85, R86); financing close takes ≥ 8: of the EUR 12bn Global "
                "Gateway package (Apr 2025) only $0.8bn EBRD + EUR 0.2bn EIB were signed by Dec 2025 [33, 34]",
            ),
            "CN": (1.5, "calibration §3: Bozshakol 2.6 months, Aktogay 6.1, expansion 1.6 (R51–R54)"),
            "US": (3.0, "calibration §3: Cove tungsten ~7 months to binding (R67–R69, R82)"),
            "RU": (2.0, "calibration §7: no timed deals found; assumption"),
            "JK": (6.0, "calibration §7: MoUs never binding; assumption"),
        },
    ),
    "delay_sd_q": (
        "quarters",
        (0.0, 20.0),
        "Standard deviation of the approval time.",
        {
            "EU": (1.5, "calibration §7 (4 ± 1.5 quarters to decision)"),
            "CN": (0.7, "calibration §7 (R51–R54)"),
            "US": (1.0, "calibration §7 (R67–R69, R82)"),
            "RU": (1.0, "calibration §7; assumption"),
            "JK": (3.0, "calibration §7; assumption"),
        },
    ),
    "approval_cap_q": (
        "quarters (0 = no cap)",
        (0.0, 40.0),
        "Fast-track cap on approval time.",
        {
            **{p: (0.0, "lever; 0 = status quo") for p in POWERS},
            "EU": (0.0, "lever: CRMA permit limits of 27/15 months [30]; 0 = status quo"),
        },
    ),
    "approval_prob": (
        "probability",
        (0.0, 1.0),
        "Chance that a pursuit clears approval at all (otherwise it is withdrawn when its approval time is up).",
        {
            "EU": (0.8, "assumption: Sarytogan is the one Kazakh CRMA project of 49 non-EU bids [31, 32]"),
            "CN": (0.9, "assumption: one lapsed Chinese deal (Xiamen Tungsten 2018 [50]) among many"),
            "US": (0.7, "assumption: EXIM/DFC letters are non-binding (R67–R69)"),
            "RU": (0.8, ASSUMPTION),
            "JK": (0.3, "calibration §7: completion probability ≤ 0.3 for Japan/Korea"),
        },
    ),
    "engagement": (
        "0–1 (effort)",
        (0.0, 1.0),
        "Diplomatic and commercial engagement effort.",
        {
            "EU": (0.5, "assumption: roadmaps 2023–26, summits, one CRMA project [25, 26]"),
            "CN": (0.9, "assumption: 224 China-linked projects, constant presence [49]"),
            "US": (0.5, "assumption: C5+1 dialogue 2023–25, MoU Nov 2025 [51, 52]"),
            "RU": (0.4, "assumption: divesting since 2024 (R71)"),
            "JK": (0.3, "assumption: MoUs only (R73–R75)"),
        },
    ),
    "trust0": (
        "0–1",
        (0.0, 1.0),
        "Host's initial trust in the power.",
        {
            "EU": (0.55, "calibration §7 (assumption from trade weight and slow reputation)"),
            "CN": (0.50, "calibration §7 (R115–R120 opinion proxies)"),
            "US": (0.40, "calibration §7 (R115–R120 opinion proxies)"),
            "RU": (0.65, "calibration §7 (R115–R120 opinion proxies)"),
            "JK": (0.50, "calibration §7 (assumption)"),
        },
    ),
    "trust_build_rate": (
        "multiplier",
        (0.0, 5.0),
        "Multiplier on the power's trust gains (engagement and delivery).",
        {p: (1.0, ASSUMPTION) for p in POWERS},
    ),
    "premium": (
        "share of reserve value",
        (0.0, 0.2),
        "Signature bonus offered, as a share of the deposit's reserve value.",
        {
            "EU": (0.002, "assumption: auction bonuses are small (KZT 1.5bn ≈ $3.3m for 2023 auctions, R100–R102)"),
            "CN": (0.006, "Chinese SOE bidding 'above market' for tungsten [53]; size is an assumption"),
            "US": (0.004, ASSUMPTION),
            "RU": (0.003, ASSUMPTION),
            "JK": (0.002, ASSUMPTION),
        },
    ),
    "processing": (
        "0–1",
        (0.0, 1.0),
        "Commitment to process in Kazakhstan.",
        {
            "EU": (0.6, "EU offers value chains and standards [24, 28]; assumption for the level"),
            "CN": (0.5, "NFC 300 kt smelter at Aktogay [43]; most ore still exported [44]; assumption"),
            "US": (0.6, "APT refining in KZ promised for tungsten [53]; assumption"),
            "RU": (0.3, ASSUMPTION),
            "JK": (0.4, ASSUMPTION),
        },
    ),
    "finance_share": (
        "share of capex",
        (0.0, 1.0),
        "Share of capex the power's public finance covers.",
        {
            "EU": (0.3, "EBRD/EIB co-finance minorities (EBRD 17% of Sarytogan, R63); assumption"),
            "CN": (0.7, "CDB financed most of Bozshakol and Aktogay (R51, R52)"),
            "US": (0.8, "EXIM $0.9bn + DFC of a $1.1bn project (R67–R69)"),
            "RU": (0.5, ASSUMPTION),
            "JK": (0.3, ASSUMPTION),
        },
    ),
    "offtake_share": (
        "share of output",
        (0.0, 1.0),
        "Share of a won deposit's output the power contracts "
        "to take (at least its equity share; the rest of the host's share is exported by host.export_*).",
        {
            "EU": (0.3, "assumption: offtaker matchmaking under the CRMA [32]"),
            "CN": (0.8, "loans-for-offtake: Kazakhmys sold ~60% to China [42]; CGN purchase commitments [45]"),
            "US": (1.0, "Cove markets 100% of tungsten output with a Commerce LOI [53]"),
            "RU": (0.5, ASSUMPTION),
            "JK": (0.5, "Energy Asia takes Kharasan output pro rata (Ortalyk rule [45]); assumption"),
        },
    ),
    "max_pursuits": (
        "pursuits",
        (0.0, 1000.0),
        "Most pursuits the power runs at once.",
        {
            "EU": (3, ASSUMPTION),
            "CN": (6, ASSUMPTION),
            "US": (2, ASSUMPTION),
            "RU": (2, ASSUMPTION),
            "JK": (1, ASSUMPTION),
        },
    ),
    "priorities": (
        "weights by commodity",
        None,
        "How much the power wants each commodity (0 = not at all).",
        {
            "EU": (
                "copper:0.8;graphite:1;lithium:1;manganese:0.5;nickel:0.8;cobalt:0.8;rare_earths:1;"
                "titanium:0.6;tungsten:1;uranium:0.7;vanadium:0.6;chromium:0.6",
                "CRMA strategic list [29]",
            ),
            "CN": (
                "copper:1;uranium:1;tungsten:0.9;rare_earths:0.8;nickel:0.7;cobalt:0.7;lithium:0.7;"
                "chromium:0.6;zinc:0.6;lead:0.5;manganese:0.5;vanadium:0.5;graphite:0.5;titanium:0.5",
                "China buys most KZ copper and uranium [42, 45]; broad presence [35]",
            ),
            "US": (
                "tungsten:1;rare_earths:1;lithium:0.7;uranium:0.5;graphite:0.5;nickel:0.4;cobalt:0.4",
                "C5+1 dialogue and tungsten deal [51–54]",
            ),
            "RU": ("uranium:1", "Rosatom's stakes are uranium (R71)"),
            "JK": ("rare_earths:1;uranium:0.6;lithium:0.6", "JOGMEC REE, Kharasan uranium, KIGAM lithium (R73–R75)"),
        },
    ),
}

# EU demand is what supply security is measured against.
_EU_DEMAND = (
    "eu.demand_usd_m",
    1200.0,
    "USD million per quarter, at base prices",
    (1.0, 100000.0),
    "assumption: about twice the EU's current offtake from Kazakhstan (27–29% of Kazatomprom's "
    "exports [45, 56] ≈ $0.6bn/q at $208/kgU)",
    "Value of Kazakh critical minerals the EU wants per quarter; supply security is its offtake against this.",
)


def _power_params() -> list[Param]:
    out = []
    for code in POWERS:
        for field, (unit, bounds, doc, per_power) in POWER_FIELDS.items():
            default, source = per_power[code]
            if field == "priorities":
                default = canonical_weights(default, "model/params.py", f"{code.lower()}.{field}")
            elif bounds and field in ("start_year", "max_pursuits"):
                default = int(default)
            out.append(Param(f"{code.lower()}.{field}", default, unit, bounds, source, doc))
    return out


def _p(key, default, unit, bounds, source, doc) -> Param:
    return Param(key, default, unit, bounds, source, doc)


_OTHER: list[Param] = [
    _p(*_EU_DEMAND),
    # --- run ---
    _p(
        "run.start_year",
        2026,
        "year",
        (2000, 2060),
        "default run starts 2026Q1 (model.md)",
        "Calendar year of step 0 (quarter 1).",
    ),
    _p(
        "run.deposits",
        "data/deposits.csv",
        "path",
        None,
        "data/README.md",
        "Deposit table (CSV), relative to the project root unless absolute.",
    ),
    _p(
        "run.collect_every",
        1,
        "quarters",
        (1, 400),
        "observation setting, not a model parameter: results at the observed quarters do not depend on it",
        "Observe (DataCollector, deposit snapshots) every this many quarters; batches that keep only some years "
        "set it higher to run faster.",
    ),
    _p(
        "run.synthetic_deposits",
        0,
        "deposits",
        (0, 1_000_000),
        "benchmarks",
        "If > 0, ignore the table and generate this many synthetic deposits (for scaling tests).",
    ),
    # --- host ---
    _p(
        "host.tender_rate",
        0.08,
        "share of unlicensed deposits per quarter",
        (0.0, 1.0),
        "assumption: 111 production licences since 2018 (R99) over ~150 candidate deposits",
        "Share of unlicensed deposits the host puts to tender each quarter (at least one while any is free).",
    ),
    _p(
        "host.tender_window_q",
        4,
        "quarters",
        (1, 40),
        "assumption: auction rounds and Tau-Ken reviews run over months (R100, R133)",
        "Quarters a tender stays open.",
    ),
    _p(
        "host.retender_q",
        4,
        "quarters",
        (0, 40),
        ASSUMPTION,
        "Quarters before a deposit with no offer is tendered again.",
    ),
    _p(
        "host.w_money",
        0.30,
        "weight",
        (0.0, 1.0),
        "auction criterion is the bonus [60]; assumption for weight",
        "Weight of money (bonus and committed capital) in the host's score.",
    ),
    _p(
        "host.w_processing",
        0.20,
        "weight",
        (0.0, 1.0),
        "in-country processing required of investors [64, 67]",
        "Weight of in-country processing in the score.",
    ),
    _p(
        "host.w_finance",
        0.20,
        "weight",
        (0.0, 1.0),
        "finance decides awards [42, 53]",
        "Weight of public finance in the score.",
    ),
    _p(
        "host.w_speed",
        0.15,
        "weight",
        (0.0, 1.0),
        "KZ asked the EU to 'move faster' [34]",
        "Weight of speed (how soon the offer became binding) in the score.",
    ),
    _p(
        "host.w_diversification",
        0.15,
        "weight",
        (0.0, 1.0),
        "multi-vector policy [64]; assumption",
        "Weight of diversification in the score: 1 − the bidder's share of the foreign-held licensed value of the "
        "same commodity.",
    ),
    _p(
        "host.reservation_score",
        0.38,
        "score",
        (0.0, 2.0),
        "first movers gain (model.md); assumption: about the 75th percentile of China's scores in the baseline, so "
        "strong offers close a tender early and weak ones wait for the window",
        "An offer scoring at least this is accepted at once, before the window closes.",
    ),
    _p(
        "host.fcfs_max_capex_usd_m",
        100.0,
        "USD million",
        (0.0, 100000.0),
        "exploration licences are first-come-first-served [59], R96; the capex threshold is an assumption",
        "Deposits with capex up to this go to the first binding offer (highest score among the first).",
    ),
    _p(
        "host.incumbency",
        0.5,
        "multiplier per share held",
        (0.0, 5.0),
        "processing plants and holdings raise later offers (model.md); assumption",
        "Score bonus per unit of the power's share of the commodity's licensed value.",
    ),
    _p(
        "host.state_stake_uranium",
        0.75,
        "share",
        (0.0, 1.0),
        "Kazatomprom ≥ 75% in new JVs (R104, R105)",
        "State stake taken in every new uranium award.",
    ),
    _p(
        "host.state_stake_other",
        0.30,
        "share",
        (0.0, 1.0),
        "Tau-Ken Samruk 30% of the Cove JV (R67)",
        "State stake taken in every other new award.",
    ),
    _p(
        "host.export_cn",
        0.55,
        "share of state output",
        (0.0, 1.0),
        "copper cathode exports Jan 2024: China 63% [44]; KAP exports Asia 50% [56]",
        "Share of the host's own output sold to China.",
    ),
    _p(
        "host.export_eu",
        0.25,
        "share of state output",
        (0.0, 1.0),
        "KAP exports to Europe 27–29% [45, 56]",
        "Share of the host's own output sold to the EU.",
    ),
    _p(
        "host.export_us",
        0.12,
        "share of state output",
        (0.0, 1.0),
        "KAP exports to the US 23% (2022) [56]",
        "Share of the host's own output sold to the US (the rest stays in Kazakhstan or goes elsewhere).",
    ),
    _p(
        "host.trust_gain_engagement",
        0.008,
        "trust per quarter at full engagement",
        (0.0, 0.5),
        "asymmetric trust, build slowly [15]; assumption",
        "Trust gained per quarter of engagement.",
    ),
    _p(
        "host.trust_gain_delivery",
        0.03,
        "trust per delivery",
        (0.0, 0.5),
        "[15]; assumption",
        "Trust gained when a project starts production on time.",
    ),
    _p(
        "host.trust_loss_missed",
        0.02,
        "trust per event",
        (0.0, 1.0),
        'model.md: trust "falls a little" on a missed window; [15]; assumption (2.5× a quarter of full engagement)',
        "Trust lost when a power's approval comes after the tender closed.",
    ),
    _p(
        "host.trust_loss_withdrawal",
        0.08,
        "trust per event",
        (0.0, 1.0),
        "lapsed Xiamen Tungsten deal [50]; assumption",
        "Trust lost when a pursuit is withdrawn.",
    ),
    _p(
        "host.trust_loss_slip",
        0.02,
        "trust per event",
        (0.0, 1.0),
        "[15]; assumption",
        "Trust lost per quarter of slippage in development.",
    ),
    _p(
        "host.trust_drift",
        0.02,
        "per quarter",
        (0.0, 1.0),
        ASSUMPTION,
        "Share of the gap to the baseline closed per idle quarter.",
    ),
    _p("host.trust_baseline", 0.5, "0–1", (0.0, 1.0), ASSUMPTION, "Trust an idle power drifts toward."),
    _p(
        "host.revocation_overrun",
        2.0,
        "× lead time",
        (1.0, 10.0),
        "use-it-or-lose-it: 74 contracts terminated early by 2023 [65]; assumption for the threshold",
        "A licence still undeveloped after this multiple of its lead time is revoked.",
    ),
    _p(
        "host.revocation_hazard",
        0.004,
        "probability per quarter",
        (0.0, 0.2),
        "calibration §7 (≈8% over 5 years, derived from R99, R102)",
        "Chance per quarter that a slipping licence is revoked early.",
    ),
    # --- development ---
    _p(
        "econ.capex_per_annual_revenue",
        1.5,
        "years of revenue",
        (0.1, 10.0),
        "Aktogay $2.2bn for 190 kt/yr Cu (1.2), Bozshakol $1.8bn for 100 kt/yr (1.9) (R89, R90)",
        "Capex of a deposit as a multiple of its annual revenue at capacity.",
    ),
    _p(
        "econ.margin",
        0.35,
        "share of revenue",
        (0.0, 1.0),
        "assumption: operating margin net of MET (8.55% Cu, 7.8% W, R106)",
        "Cash margin on output.",
    ),
    _p(
        "econ.slip_prob",
        0.08,
        "probability per quarter",
        (0.0, 1.0),
        "build phases of 2–5 years with decade-long slips for juniors [19, 20]; assumption",
        "Base chance per quarter that a developing project slips by a quarter.",
    ),
    _p(
        "econ.lead_time_sd",
        0.15,
        "share of lead time",
        (0.0, 1.0),
        "lead times 10–18 quarters (R89–R93)",
        "Spread of the drawn development lead time around the deposit's own.",
    ),
    # --- investors ---
    _p(
        "investors.count",
        300,
        "investors",
        (0, 1_000_000),
        "330 exploration firms incl. 25 foreign in 2023 (R125)",
        "Number of private investors.",
    ),
    _p(
        "investors.capital_median_usd_m",
        25.0,
        "USD million",
        (0.1, 100000.0),
        "private exploration >$213m in 2024 (R76); assumption for the spread",
        "Median capital of an investor (log-normal).",
    ),
    _p("investors.capital_sigma", 1.2, "log-normal sigma", (0.0, 4.0), ASSUMPTION, "Spread of investor capital."),
    _p(
        "investors.capital_inflow",
        0.02,
        "share of initial capital per quarter",
        (0.0, 1.0),
        ASSUMPTION,
        "New capital each investor raises per quarter.",
    ),
    _p(
        "investors.hurdle_mean",
        0.12,
        "real post-tax return per year",
        (0.0, 1.0),
        "calibration §7: 8.4% (R128) + frontier premium",
        "Mean hurdle rate.",
    ),
    _p(
        "investors.hurdle_sd",
        0.02,
        "return per year",
        (0.0, 0.5),
        "range 10–15% (calibration §7)",
        "Spread of hurdle rates.",
    ),
    _p(
        "investors.patience_mean_q",
        8.0,
        "quarters",
        (0.0, 100.0),
        "calibration §7 (R123, R96)",
        "Mean quarters an investor waits for a pursuit to become binding.",
    ),
    _p("investors.patience_sd_q", 3.0, "quarters", (0.0, 50.0), "range 4–16 (calibration §7)", "Spread of patience."),
    _p(
        "investors.share_kz",
        0.45,
        "share of investors",
        (0.0, 1.0),
        "330 exploration firms in 2023, 25 of them foreign (R125); weighted down for their smaller size (assumption)",
        "Share of investors that are Kazakh (their lone bids are KZ holdings).",
    ),
    _p(
        "investors.share_eu",
        0.10,
        "share of investors",
        (0.0, 1.0),
        "EU firms in only 5 Central Asian CRM projects since 2022 (R59); HMS Bergbau (R111); assumption",
        "Share of investors with EU home affinity.",
    ),
    _p(
        "investors.share_us",
        0.05,
        "share of investors",
        (0.0, 1.0),
        "Cove Capital (R67); most North American juniors are Canadian (R124, neutral here); assumption",
        "Share with US affinity.",
    ),
    _p(
        "investors.share_cn",
        0.25,
        "share of investors",
        (0.0, 1.0),
        "Jiaxin, Zijin, Jinchuan scouting [46, 48]; 224 China-linked projects [49]; assumption",
        "Share with Chinese affinity (the rest, e.g. Canadian and Australian juniors, are neutral: PRIVATE).",
    ),
    _p(
        "investors.affinity_bonus",
        0.03,
        "return per year",
        (0.0, 0.5),
        ASSUMPTION,
        "Extra return an investor sees in a pursuit led by its home power.",
    ),
    _p(
        "investors.trust_weight",
        0.10,
        "return per unit of trust",
        (0.0, 1.0),
        ASSUMPTION,
        "Return adjustment per unit of host trust above 0.5 in the pursuit's power.",
    ),
    _p(
        "investors.solo_max_capex_usd_m",
        300.0,
        "USD million",
        (0.0, 100000.0),
        "juniors take small projects alone (Kounrad, Sarytogan; R93, R63); assumption",
        "Largest capex an investor will take on alone.",
    ),
    # --- prices and shocks ---
    _p("price.vol_base", 0.10, "sigma of quarterly log change", (0.0, 2.0), "calibration §7", "Base metals."),
    _p("price.vol_high", 0.15, "sigma of quarterly log change", (0.0, 2.0), "calibration §7", "U, W, Ni, Co."),
    _p("price.vol_speculative", 0.25, "sigma of quarterly log change", (0.0, 2.0), "calibration §7", "Li, REE."),
    _p(
        "price.jump_prob",
        0.02,
        "probability per quarter",
        (0.0, 1.0),
        "calibration §7",
        "Chance of a price jump per commodity and quarter.",
    ),
    _p("price.jump_max", 3.0, "factor", (1.0, 10.0), "calibration §7 (×2–×4)", "Largest jump factor."),
    _p(
        "price.reversion",
        0.05,
        "share of log gap per quarter",
        (0.0, 1.0),
        ASSUMPTION,
        "Pull of prices back toward their base level.",
    ),
    _p(
        "shock.sanctions_power",
        "none",
        "power",
        ("none", *POWERS),
        "Rosatom stake sales 2024 (R71)",
        "Power forced to sell all its holdings.",
    ),
    _p(
        "shock.sanctions_year",
        2030,
        "year",
        (1990, 2100),
        ASSUMPTION,
        "Year (first quarter) the sanctions take effect.",
    ),
    _p(
        "shock.price_commodity",
        "none",
        "commodity",
        ("none", *COMMODITY_NAMES),
        "REE 2010–11, nickel 2022, tungsten 2025 (calibration §1)",
        "Commodity hit by a price shock.",
    ),
    _p("shock.price_year", 2030, "year", (1990, 2100), ASSUMPTION, "Year the price shock hits."),
    _p(
        "shock.price_factor",
        2.0,
        "factor",
        (0.05, 20.0),
        "calibration §1 (×2–×26 seen)",
        "Factor applied to the shocked commodity's price.",
    ),
]

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


def _price_params() -> list[Param]:
    from model.commodities import COMMODITIES

    return [
        Param(
            f"price.{c.name}",
            _PRICES[c.name][0],
            f"USD per {c.unit}",
            (0.0, 1e7),
            _PRICES[c.name][1],
            f"Base price of {c.name} (2024–25 level).",
        )
        for c in COMMODITIES
    ]


PARAMS: dict[str, Param] = {p.key: p for p in (*_power_params(), *_OTHER, *_price_params())}
BY_KWARG: dict[str, Param] = {p.kwarg: p for p in PARAMS.values()}
DEFAULTS: dict[str, Value] = {p.key: p.default for p in PARAMS.values()}
assert len(BY_KWARG) == len(PARAMS), "two dotted keys map to the same keyword"


def resolve(overrides: Mapping[str, Any], where: str = "parameters") -> dict[str, Value]:
    """Defaults with ``overrides`` (dotted keys) applied, each checked; unknown keys rejected."""
    values = dict(DEFAULTS)
    for key, value in overrides.items():
        param = PARAMS.get(key)
        if param is None:
            raise InputError(where, str(key), f"unknown parameter; valid: {', '.join(sorted(PARAMS))}")
        values[key] = param.check(value, where)
    return values


def from_kwargs(kwargs: Mapping[str, Any], where: str = "parameters") -> dict[str, Value]:
    """Dotted-key values from the model's keyword arguments (which may come from a GUI as strings)."""
    out = {}
    for kwarg, value in kwargs.items():
        param = BY_KWARG.get(kwarg)
        if param is None:
            raise InputError(where, kwarg, f"unknown parameter; valid: {', '.join(sorted(BY_KWARG))}")
        out[param.key] = value
    return resolve(out, where)


def to_kwargs(values: Mapping[str, Value]) -> dict[str, Value]:
    return {PARAMS[k].kwarg: v for k, v in values.items()}


_TEMPLATE = "jk"  # a declared power starts from Japan/Korea's values: a small, slow newcomer


def resolve_extra_powers(text: str, where: str = "extra_powers") -> dict[str, dict[str, Value]]:
    """Further powers declared by a scenario, as JSON ``{"GULF": {"budget_usd_m": 50, ...}}``.

    Fields are those of the built-in powers; unset fields take Japan/Korea's defaults.
    """
    import json

    if not text:
        return {}
    try:
        spec = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(where, "extra_powers", f"not JSON ({exc.msg})") from None
    if not isinstance(spec, dict):
        raise InputError(where, "extra_powers", "allowed: a table of powers, each a table of fields")
    out = {}
    for code, fields in spec.items():
        if not (isinstance(code, str) and code.isalpha() and code.isupper() and 2 <= len(code) <= 8) or code in (
            *POWERS,
            "KZ",
            "PRIVATE",
        ):
            raise InputError(
                where,
                f"powers.{code}",
                f"allowed: a new upper-case code of 2–8 letters other than {', '.join((*POWERS, 'KZ', 'PRIVATE'))}",
            )
        if not isinstance(fields, dict):
            raise InputError(where, f"powers.{code}", "allowed: a table of fields")
        block = {}
        for field in POWER_FIELDS:
            template = PARAMS[f"{_TEMPLATE}.{field}"]
            param = Param(
                f"powers.{code}.{field}",
                template.default,
                template.unit,
                template.bounds,
                template.source,
                template.doc,
            )
            block[field] = param.check(fields[field], where) if field in fields else template.default
        unknown = sorted(set(fields) - set(POWER_FIELDS))
        if unknown:
            raise InputError(where, f"powers.{code}.{unknown[0]}", f"unknown field; valid: {', '.join(POWER_FIELDS)}")
        out[code] = block
    return out

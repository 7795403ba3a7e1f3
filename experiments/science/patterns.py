"""Patterns of behaviour observed in Kazakhstan 2022–2025, each a continuous measure per seed from a run of the
known-by 2022 start (``measure_seed``), judged on the mean over seeds with a bootstrap interval (``summarise``).

Each pattern's null is the inputs-only run (``BEHAVIOUR_OFF``: no power bids, no investors, no exploration, no
state releases, no offers) on the same seeds: a pattern whose null mean is also inside the band is carried by the
inputs and is reported, not counted (docs/validation.md, whose bands were committed before these runs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from experiments.science.hindcast import QUARTERS, observed, outcomes_of
from model import scenario as scenarios
from model.commodities import INDEX
from model.pursuits import WON
from model.vocabulary import Stage

SCENARIO = "start_2022_known"  # only what was known by 2022-01-01 (model/known_by.py)
LONG_Q = 56  # 2022–2035: enough awards to measure who wins which class of asset and how fast
HIGH_SALIENCE = ("upper_kairakty", "northern_katpar")  # the tungsten asset of the Nov-2025 US deal
SMALL_CAPEX, LARGE_CAPEX = 50.0, 150.0  # USD m: a junior's plot, a state-backed project (powers' min_capex_usd_m)
# The counterfactual for the US pattern: the same US without export credit or political backing.
US_UNBACKED = {"us.finance_share": 0.2, "us.approval_prob": 0.5, "us.engagement": 0.2, "us.budget_usd_m": 25.0}
BEHAVIOUR_OFF = {
    **{f"{p}.budget_usd_m": 0.0 for p in ("eu", "cn", "us", "ru", "jk")},
    "investors.count": 0,
    "explore.filings_per_q": 0.0,
    "explore.discovery_scale": 0.0,
    "explore.state_release_scale": 0.0,
    "host.offer_rate": 0.0,
    "host.state_firm_objective": 0.0,
}


@dataclass(frozen=True)
class Pattern:
    """An observed pattern: where it comes from, how the model measures it, and the band it must hit."""

    name: str
    observed: str
    source: str
    measure: str  # column of the per-seed frame
    band: tuple[float, float]
    how: str

    def verdict(self, values: pd.Series, boot: int = 1000) -> dict:
        """Mean over seeds with a 95% percentile bootstrap interval (NaN seeds left out and counted), and whether
        the mean (pass) and the whole interval (firm) lie in the band; resamples from ``SeedSequence(2022)``."""
        v = values.dropna().to_numpy(dtype=float)
        out = {"mean": np.nan, "lo": np.nan, "hi": np.nan, "n": len(v), "pass": False, "firm": False}
        if not len(v):
            return out
        rng = np.random.default_rng(np.random.SeedSequence(2022))
        means = v[rng.integers(0, len(v), (boot, len(v)))].mean(axis=1)
        lo, hi = (float(np.quantile(means, q)) for q in (0.025, 0.975))
        inside = self.band[0] <= v.mean() <= self.band[1]
        firm = self.band[0] <= lo and hi <= self.band[1]
        return {**out, "mean": float(v.mean()), "lo": lo, "hi": hi, "pass": bool(inside), "firm": bool(firm)}


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "China leads new entries among the powers",
        "≈ 25 China-managed vs 5 EU-firm projects in Central Asia 2022–2025 (share 0.83); on the model's deposits "
        "3 Chinese vs 1 EU new holdings",
        "Vakulchuk via Mistra 2025 [59]; data/hindcast_events_2022_2025.csv",
        "cn_entry_share",
        (0.6, 0.95),
        "China's share of the new holdings (awards and stakes bought) won by China or the EU, 2022–2025",
    ),
    Pattern(
        "Most free deposits are still free after four years",
        "11 of 19 deposits free in 2022 still free in 2026 (0.58)",
        "data/deposits_2022.csv vs data/deposits.csv; data/hindcast_events_2022_2025.csv",
        "still_free",
        (0.4, 0.75),
        "share of the table's deposits free in 2022 still without a licence at 2025Q4",
    ),
    Pattern(
        "China's deals close within a year",
        "CDB–Kazakhmys 2.6 months, Aktogay 6.1, expansion 1.6 (1–2 quarters)",
        "calibration §3 (R51–R54)",
        "cn_lag_q",
        (0.0, 4.0),
        "median quarters from pursuit to award of China's own (power-led) awards, 2022–2035",
    ),
    Pattern(
        "Juniors take the small plots",
        "junior companies hold over 90% of the licences (Apr-2023)",
        "data/exploration_rules.csv (junior_share_of_licences)",
        "small_private",
        (0.75, 1.0),
        f"share of awards of plots with capex < ${SMALL_CAPEX:g}m won by firms bidding alone, 2022–2035",
    ),
    Pattern(
        "State-backed consortia take the large projects",
        "2022–25 large deals: Cove tungsten JV ($1.1bn, EXIM/DFC), CNMC in Benkala, Kazatomprom's blocks",
        "data/hindcast_events_2022_2025.csv; R67–R69, R57",
        "large_public",
        (0.5, 1.0),
        f"share of awards of projects with capex ≥ ${LARGE_CAPEX:g}m won by a power's consortium or the state, 2022–2035",
    ),
    Pattern(
        "Unworked exploration licences are revoked",
        "245 solid-mineral licences terminated by Aug-2023: 0.045 per licence-year",
        "R102; data/exploration_rules.csv (revocation_rate_per_licence_year)",
        "revocation_rate",
        (0.02, 0.08),
        "exploration licences revoked per licence-year, 2022–2025",
    ),
    Pattern(
        "Rosatom's 2024 exits are bought",
        "Zarechnoye sold, Khorasan 30% agreed, Dec-2024",
        "R71; data/deals.csv",
        "exit_bought",
        (0.5, 1.0),
        "share of the Dec-2024 divested stakes (a scenario shock) that change hands by 2025Q4",
    ),
    Pattern(
        "… and China buys them",
        "both to Chinese SOEs (SNURDC, CGN)",
        "R71; data/deals.csv",
        "exit_to_cn",
        (0.5, 1.0),
        "share of Rosatom's divested stakes that China buys",
    ),
    Pattern(
        "The 2025 tungsten deal",
        "Cove Kaz Capital JV with Tau-Ken, Nov-2025",
        "R67–R69; data/deals.csv",
        "tungsten_us",
        (0.2, 1.0),
        "P(the US holds Upper Kairakty or Northern Katpar at 2025Q4)",
    ),
    Pattern(
        "… only with export credit and backing",
        "EXIM/DFC letters and Commerce facilitation",
        "[53], R67–R69",
        "us_backing_effect",
        (0.1, 1.0),
        "per seed: the US holds a tungsten giant at 2025Q4 with its export credit minus without "
        f"({', '.join(f'{k}={v:g}' for k, v in US_UNBACKED.items())})",
    ),
    Pattern(
        "China takes most of the copper offtake",
        "≈ 0.60 [42, 44]",
        "data/contracts.csv",
        "cn_copper_offtake",
        (0.5, 0.7),
        "China's share of copper output value (offtake), 2025Q4",
    ),
)

# Patterns the inputs alone reach (the validation table finds them and does not count them): a forced sale always
# finds a buyer (model/shocks.py), and China's copper offtake is set by the contracts in force (data/contracts.csv).
INPUT_CARRIED = ("exit_bought", "cn_copper_offtake")

# What the first version called validation, carried by the input tables (reported, not counted)
CARRIED = (("Kazakh state's equity share of producing uranium capacity, 2025Q4", "kz_uranium_equity", "≈ 0.50 [45]"),)


def _awards(m, rows: set[int], until: int) -> pd.DataFrame:
    ev = m.events.frame()
    names = {m.deposits.table.names[r] for r in rows}
    return ev[(ev.kind == "award") & ev.deposit.isin(names) & (ev.step <= until)]


def measure_seed(
    seed: int, overrides: dict | None = None, scenario: str = SCENARIO, long: bool = True
) -> dict[str, float]:
    """Every pattern's measure for one seed (``overrides``: dotted settings, as ``validate --set`` gives); without
    ``long``, only the 2022–2025 measures (no run on to 2035, no unbacked US run: the calibration's pool)."""
    scn = scenarios.load(scenario).with_overrides(overrides or {}, "--set")
    m = scn.build(rng=seed)
    obs = observed(m.params.run.deposits)
    m.run_for(QUARTERS)
    d = m.deposits
    ctl, stage = outcomes_of(m, obs.ids)
    early = _awards(m, set(range(len(obs.ids))), QUARTERS)
    cn = (early.power == "CN").sum() + m.tally.stakes_bought[m.index["CN"]]
    eu = (early.power == "EU").sum() + m.tally.stakes_bought[m.index["EU"]]
    free = [i for i, s in enumerate(obs.start_stage) if s == "unlicensed"]
    licence_years = m.ground.licence_quarters / 4 if m.ground is not None else 0.0
    frame = m.commodity_shares()
    last = frame[frame.step == QUARTERS]
    copper = last[(last.commodity == "copper") & (last.holder == "CN")]["output_share"]
    uranium = (d.table.commodity == INDEX["uranium"]) & (d.stage == Stage.PRODUCING)
    attributable = (d.table.capacity[uranium, None] * d.equity[uranium]).sum(axis=0)
    divested = [r for r in m.events.rows if r.kind == "shock" and "divestment" in r.detail]
    bought = [r.others for r in divested if r.others and r.others != r.power]
    out = {
        "seed": seed,
        "awards_table": float(len(early)),
        **{f"awards_{h}": float((early.power == h).sum()) for h in m.holders},
        "cn_entry_share": cn / (cn + eu) if cn + eu else np.nan,
        "still_free": float(np.mean([ctl[i] == "none" for i in free])) if free else np.nan,
        "revocation_rate": m.tally.licences_revoked.sum() / licence_years if licence_years else np.nan,
        "exit_bought": len(bought) / len(divested) if divested else np.nan,
        "exit_to_cn": float(np.mean([b == "CN" for b in bought])) if bought else np.nan,
        "tungsten_us": _us_controls(m),
        "cn_copper_offtake": float(copper.iloc[0]) if len(copper) else np.nan,
        "kz_uranium_equity": float(attributable[m.host_index] / attributable.sum()) if attributable.sum() else np.nan,
        "_controller": ctl,  # each table deposit's controller and stage at 2025Q4, for the hindcast
        "_stage": stage,
    }
    if not long:
        return out
    m.run_for(LONG_Q - QUARTERS)
    ev = m.events.frame()
    awards = ev[ev.kind == "award"]
    rows = [d.table.names.index(n) for n in awards.deposit]
    capex = d.capex[rows] if rows else np.zeros(0)
    solo = awards.detail.str.contains("alone").to_numpy()
    small, large = capex < SMALL_CAPEX, capex >= LARGE_CAPEX
    pur = m.pursuits
    won = np.flatnonzero((pur.status[: pur.n] == WON) & (pur.power[: pur.n] == m.index["CN"]) & ~pur.solo[: pur.n])
    lags = pur.ended[won] - pur.start[won]
    unbacked = scn.with_overrides(US_UNBACKED, "validation").build(rng=seed)
    unbacked.run_for(QUARTERS)
    return {
        **out,
        "cn_lag_q": float(np.median(lags)) if lags.size else np.nan,
        "small_private": float(solo[small].mean()) if small.any() else np.nan,
        "large_public": float((~solo[large]).mean()) if large.any() else np.nan,
        "us_backing_effect": out["tungsten_us"] - _us_controls(unbacked),
    }


def _us_controls(m) -> float:
    d = m.deposits
    rows = [d.table.ids.index(i) for i in HIGH_SALIENCE if i in d.table.ids]
    return float((d.leader[rows] == m.index["US"]).any())


def summarise(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-seed values to one row per pattern: mean, 95% bootstrap interval, seeds with a value, pass and firm."""
    rows = []
    for p in PATTERNS:
        values = frame[p.measure] if p.measure in frame else pd.Series(dtype=float)
        rows.append({"pattern": p.name, "measure": p.measure, "band": p.band, **p.verdict(values)})
    return pd.DataFrame(rows)

"""The baseline study: the full model and each of its rules switched off in turn, over the same seeds (and the
same posterior draws), 2026–2050. It gives the ablation table of ``docs/ODD.md`` (each rule's paired effect on
the headline outcomes, with an interval) and the descriptive findings that need the model itself: awards per
five-year period by power, awards by channel, how often budgets bind, and trust trajectories.

``python run.py study [--seeds 50] [--workers N] [--posterior data/posterior.csv]`` writes
``results/study/records.csv`` (one row per rule and seed) and the ablation block of ``docs/ODD.md``;
``python run.py findings`` turns the records into the tables of ``docs/findings.md``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner import replicates
from experiments.science.paired import ci, level, md
from experiments.science.switches import OBJECTIVE_OFF, TRUST_RATES_OFF
from model import scenario as scenarios
from model.pursuits import WON
from model.vocabulary import Route, Stage

ROOT_SEED = 2026
COMMAND, BLOCK = "python run.py study", "ABLATION"
SCENARIO = "baseline"
PERIODS = (2030, 2035, 2040, 2045, 2050)  # five-year periods ending in these years (2026–2030 is the first)
TRUST_YEARS = (2026, 2030, 2035, 2040, 2050)
HEADLINE = {  # column: what it is (EU-led: won as a state; EU-flagged: by EU firms alone)
    "capacity_share_led_eu_2035": "EU-led share of capacity in operation, 2035Q4",
    "capacity_share_flagged_eu_2035": "EU-flagged share of capacity, 2035Q4",
    "awards_led_eu_2035": "EU-led licences 2026–2035",
    "awards_flagged_eu_2035": "EU-flagged licences 2026–2035",
    "capacity_share_led_cn_2035": "China-led share of capacity, 2035Q4",
    "output_share_cn_2035": "China's share of output taken, 2035Q4",
    "eu_supply_security_2035": "EU supply security, 2035Q4",
    "eu_supply_via_russia_2035": "EU supply via Russia, 2035Q4",
    "price_uranium_2035": "uranium price (USD/t U), 2035Q4",
    "capacity_share_led_eu_2050": "EU-led share of capacity, 2050Q4",
    "eu_supply_security_2050": "EU supply security, 2050Q4",
}
# Each rule of the model switched off in turn (issues 12 and 13): what remains is the rest of the model.
RULES: dict[str, dict] = {
    "full model": {},
    "one channel: every plot by auction": {"host.channel_rule": 1},
    "one channel: every plot negotiated": {"host.channel_rule": 2},
    "host's objective off (no weights, no conditions)": OBJECTIVE_OFF,
    "no wait for a preferred partner": {"host.preferred_wait_q": 0},
    "no incumbency advantage": {"host.incumbency": 0.0},
    "no state firm (Kazatomprom, Tau-Ken) of its own": {"host.state_firm_objective": 0.0},
    "no priority right (Art. 43)": {"host.priority_reservation": 0.0},
    "no state stakes (uranium 75%/90%, strategic 30%)": {
        "host.state_stake_uranium": 0.0,
        "host.state_stake_uranium_extension": 0.0,
        "host.state_stake_strategic": 0.0,
    },
    "no revocation by conduct": {"host.revocation_hazard": 0.0, "explore.revocation_unworked_q": 0.0},
    "trust frozen at its 2026 levels": TRUST_RATES_OFF,
    "speed-indifferent investors": {"investors.speed_sensitivity": 0.0},
    "no investors": {"investors.count": 0},
    "no exploration or discovery": {"explore.filings_per_q": 0.0, "explore.discovery_scale": 0.0},
    "no state releases": {"explore.state_release_scale": 0.0},
    "decision by odds off (the foundation's delay filter)": {"mechanisms.odds": 0},
    "no framework agreements in packages": {"mechanisms.packages": 0},
    "no plants (ore exported as mined, commitments build nothing)": {"mechanisms.plants": 0},
    "no lock-in (contracts end each quarter, plants open to all)": {"mechanisms.lock_in": 0},
    "prices exogenous (no market answer to supply and demand)": {"mechanisms.markets": 0},
    "demand constant at its 2026 level": {"mechanisms.demand_growth": 0},
    "routes unconstrained (every route open, without limit)": {"mechanisms.routes": 0},
    "releases to 2050 with no limit to the inventory (the foundation's assumption)": {
        "explore.release_until_year": 2050,
        "explore.state_inventory": 100000,
    },
}


def step_of(year: int, start_year: int) -> int:
    """The step that ends ``year``'s fourth quarter."""
    return (year - start_year + 1) * 4


def measure_seed(seed: int, overrides: dict) -> dict[str, float]:
    """One run 2026–2050: headline outcomes, awards by period and channel, budgets and trust."""
    scn = scenarios.load(SCENARIO).with_overrides(overrides, "study")
    m = scn.build(rng=seed)
    start = m.params.run.start_year
    powers = [h for h in m.holders if h in m.index and h != m.holders[m.host_index] and h != "PRIVATE"]
    row: dict[str, float] = {"seed": seed}
    before = np.zeros(len(m.holders))
    for year in sorted({*PERIODS, *TRUST_YEARS}):
        m.run_for(step_of(year, start) - m.steps)
        if year in TRUST_YEARS:
            row.update({f"trust_{p.lower()}_{year}": float(m.trust[m.index[p]]) for p in powers})
        if year in PERIODS:
            now = m.tally.awards.copy()
            row.update(
                {f"awards_{h.lower()}_{year - 4}_{year}": float(now[i] - before[i]) for i, h in enumerate(m.holders)}
            )
            before = now
    frame = m.timeseries()
    for year in (2035, 2050):
        at = frame.iloc[step_of(year, start)]
        shares = [f"capacity_share{kind}_{p}" for kind in ("", "_led", "_flagged") for p in ("eu", "cn", "us")]
        flows = ("eu_supply_security", "eu_supply_via_russia", "price_uranium", "output_share_cn", "output_share_eu")
        flows += ("value_added_usd_m", "refined_share")
        row.update({f"{c}_{year}": float(at[c]) for c in (*shares, *flows, "state_inventory_left")})
        awards = [f"awards{kind}_{p}" for kind in ("", "_led", "_flagged") for p in ("eu", "cn", "us")]
        row.update({f"{c}_{year}": float(at[c]) for c in awards})
    released = m.deposits.table.origin == 1  # the state's releases (model/pipeline.py)
    free = np.isin(m.deposits.stage, (Stage.UNLICENSED, Stage.TENDERED))
    row.update({"released_plots": float(released.sum()), "released_free_end": float((released & free).sum())})
    for c, name in enumerate(Route.labels()):
        row.update({f"channel_{name}_{h.lower()}": float(m.tally.by_channel[c, i]) for i, h in enumerate(m.holders)})
    pur = m.pursuits
    won = pur.status[: pur.n] == WON
    solo = np.bincount(pur.power[: pur.n][won & pur.solo[: pur.n]], minlength=len(m.holders))
    row.update({f"solo_awards_{h.lower()}": float(solo[i]) for i, h in enumerate(m.holders)})
    filed = m.tally.licences_filed  # first-come exploration licences (the Code's third channel), 2026-2050
    row.update({f"licences_filed_{h.lower()}": float(filed[i]) for i, h in enumerate(m.holders)})
    for p in powers:
        i = m.index[p]
        row[f"budget_bound_{p.lower()}"] = float(m.budgets.bound[i])
        row[f"budget_active_{p.lower()}"] = float(m.budgets.active[i])
    return row


def run(
    n_seeds: int, workers: int, posterior: pd.DataFrame | None, progress: bool, rules: tuple[str, ...] = tuple(RULES)
) -> pd.DataFrame:
    """Every rule (or those named) over the same seeds and draws: one row per rule and seed."""
    seed_list = replicates.seeds(ROOT_SEED, n_seeds)
    frames = []
    for rule, over in ((r, RULES[r]) for r in rules):
        tasks = replicates.with_draws(seed_list, over, posterior)
        rows = replicates.run(measure_seed, tasks, workers, progress, rule[:24])
        frames.append(pd.DataFrame(rows).assign(rule=rule, replicate=range(n_seeds)))
    return pd.concat(frames, ignore_index=True)


def paired(records: pd.DataFrame, column: str, rule: str, base: str = "full model") -> tuple[float, float, float]:
    """Mean of ``rule`` minus ``base`` over the same seeds, with a 95% t interval of the paired differences."""
    a = records[records.rule == rule].set_index("replicate")[column]
    b = records[records.rule == base].set_index("replicate")[column]
    return ci((a - b.loc[a.index]).to_numpy())


def ablation_table(records: pd.DataFrame) -> str:
    """Markdown: the full model's means, then each rule's paired effect [95% interval]; ≈0 where it spans zero."""
    full = records[records.rule == "full model"]
    n = len(full)
    head = "| rule switched off | " + " | ".join(HEADLINE.values()) + " |"
    lines = [head, "|---" * (len(HEADLINE) + 1) + "|"]
    lines.append("| **full model (mean)** | " + " | ".join(_value(c, full[c].mean()) for c in HEADLINE) + " |")
    for rule in RULES:
        if rule == "full model":
            continue
        cells = []
        for c in HEADLINE:
            mean, lo, hi = paired(records, c, rule)
            mark = "" if lo > 0 or hi < 0 else " ≈0"
            cells.append(f"{_value(c, mean, True)} [{_value(c, lo, True)}, {_value(c, hi, True)}]{mark}")
        lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + f"\n\nPaired differences over {n} seeds (rule off minus full model), 95% t intervals."


def _value(column: str, v: float, signed: bool = False) -> str:
    if column.startswith("awards"):
        return f"{v:+.2f}" if signed else f"{v:.2f}"
    if column.startswith("price"):
        return f"{v:+,.0f}" if signed else f"{v:,.0f}"
    digits = 2 if column.startswith("eu_supply") else 1  # a few percent: shown to a hundredth of a point
    return f"{100 * v:+.{digits}f} pp" if signed else f"{100 * v:.{digits}f}%"


def save(records: pd.DataFrame, out: Path) -> None:
    """Write the records atomically (``out``/records.csv)."""
    from experiments.safe_io.atomic import write_atomic

    write_atomic(out / "records.csv", lambda p: records.to_csv(p, index=False))


def write_block(doc: Path, table: str) -> None:
    """Put the ablation table into ``doc``'s block."""
    from experiments.safe_io import blocks
    from experiments.safe_io.atomic import write_atomic
    from experiments.science.validation import check_text

    new = blocks.replace(check_text(doc, BLOCK, COMMAND), BLOCK, COMMAND, table, str(doc))
    write_atomic(doc, lambda p: p.write_text(new, encoding="utf-8"))


def baseline_tables(results: Path) -> str:
    """From the study's full-model records: awards per five-year period by power, by channel, budgets, trust."""
    rec = pd.read_csv(results / "study" / "records.csv")
    full = rec[rec.rule == "full model"]
    holders = ["kz", "eu", "cn", "us", "ru", "jk", "private"]
    periods = sorted({c.split("_", 2)[2] for c in full.columns if c.startswith("awards_kz_") and c.count("_") == 3})
    by_period = [
        {"period": p.replace("_", "–"), **{h.upper(): f"{full[f'awards_{h}_{p}'].mean():.1f}" for h in holders}}
        for p in periods
    ]
    channels = [
        c.removeprefix("channel_").removesuffix("_kz")
        for c in full.columns
        if c.startswith("channel_") and c.endswith("_kz")
    ]
    by_channel = channel_rows(full, channels, holders)
    alone = [
        {
            "holder": h.upper(),
            "licences 2026–2050": f"{sum(full[f'channel_{ch}_{h}'] for ch in channels).mean():.1f}",
            "won by firms bidding alone (home code)": f"{full[f'solo_awards_{h}'].mean():.1f}",
        }
        for h in holders
    ]
    powers = [c.removeprefix("budget_bound_") for c in full.columns if c.startswith("budget_bound_")]
    at_defaults = results / "study_defaults" / "records.csv"
    defaults = pd.read_csv(at_defaults) if at_defaults.is_file() else None
    budgets = [budget_row(full, p, "over the posterior") for p in powers]
    if defaults is not None:
        budgets = [
            budget_row(defaults[defaults.rule == "full model"], p, "at the defaults") | b
            for p, b in zip(powers, budgets)
        ]
    inventory = [
        {
            "plots the state released 2026–2050": level(*ci(full["released_plots"])),
            "of them still free at the end of 2050": level(*ci(full["released_free_end"])),
            "inventory left unreleased, 2035Q4": level(*ci(full["state_inventory_left_2035"])),
            "... 2050Q4": level(*ci(full["state_inventory_left_2050"])),
        }
    ]
    years = sorted({int(c.rsplit("_", 1)[1]) for c in full.columns if c.startswith("trust_")})
    trust = [{"power": p.upper(), **{str(y): f"{full[f'trust_{p}_{y}'].mean():.2f}" for y in years}} for p in powers]
    n = len(full)
    return "\n\n".join(
        [
            f"Licences won per five-year period by holder (mean of {n} runs):",
            md(pd.DataFrame(by_period)),
            (
                "Licences 2026–2050 by channel, first-come exploration licences included (share of all licences: "
                "mean [95% interval]; then mean count by holder):"
            ),
            md(pd.DataFrame(by_channel)),
            (
                "Who bids: licences won by private firms bidding alone under their home code, which no power's "
                "budget limits, against all licences (mean count):"
            ),
            md(pd.DataFrame(alone)),
            (
                "How often budgets bind (quarters in which a power had plots it wanted and free slots, and the share of "
                "them in which its budget stopped a pursuit), at the defaults (`python run.py study --full-only "
                "--no-posterior --out results/study_defaults`) and over the posterior (`data/posterior.csv`):"
            ),
            md(pd.DataFrame(budgets)),
            "The host's trust in each power at the end of each year (mean):",
            md(pd.DataFrame(trust)),
            (
                "The state's finite inventory (explore.state_inventory plots on its balance, released over the data's "
                "2026–2035 spans; mean [95% interval]): when the released plots are licensed, the state's own "
                "releases are allocated, and the rest of its inventory is not offered by 2035:"
            ),
            md(pd.DataFrame(inventory)),
        ]
    )


def channel_rows(full: pd.DataFrame, channels: list[str], holders: list[str]) -> list[dict]:
    """Licences by channel as shares of all licences, the first-come exploration licences (which are no award:
    ``licences_filed``) counted as a channel of their own when the records have them."""
    count = {ch: full[[c for c in full.columns if c.startswith(f"channel_{ch}_")]].sum(axis=1) for ch in channels}
    per = {ch: {h: full[f"channel_{ch}_{h}"] for h in holders} for ch in channels}
    if any(c.startswith("licences_filed_") for c in full.columns):
        filed = "first-come exploration licence"
        count[filed] = full[[c for c in full.columns if c.startswith("licences_filed_")]].sum(axis=1)
        per[filed] = {h: full.get(f"licences_filed_{h}", pd.Series(0.0, index=full.index)) for h in holders}
    total = sum(count.values())
    return [
        {
            "channel": ch,
            "share of licences 2026–2050": level(*ci(count[ch] / total), pct=True),
            **{h.upper(): f"{per[ch][h].mean():.1f}" for h in holders},
        }
        for ch in count
    ]


def budget_row(records: pd.DataFrame, p: str, where: str) -> dict:
    """A power's active quarters and the share of them in which its budget bound, labelled by ``where``."""
    bound = records[f"budget_bound_{p}"] / records[f"budget_active_{p}"].replace(0, np.nan)
    return {
        "power": p.upper(),
        f"active quarters, {where}": f"{records[f'budget_active_{p}'].mean():.1f}",
        f"budget binds, {where}": level(*ci(bound), pct=True),
    }

"""The numbers behind docs/findings.md, computed from results on disk (experiments and the study).

``python run.py findings`` (after the experiments it names and ``python run.py study``) rewrites the generated
blocks of docs/findings.md. Effects between design points are paired by replicate: replicate r has the same seed
and the same posterior draw at every point, so an effect is the mean of per-replicate differences, with a 95% t
interval. Each claim of the seed article gets a verdict from those intervals: supported (the interval excludes
zero in the claimed direction wherever the mechanism has a channel), conditional (only under some settings), or
not supported.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner.single import RESULTS
from experiments.runner.worker import column
from experiments.safe_io import blocks
from experiments.safe_io.atomic import write_atomic
from experiments.safe_io.store import load_runs
from experiments.science import claims_block, delay_window, package_pace, priority_right, route_closure, sobol_table
from experiments.science.paired import ci, effect, level, md, show, verdict
from experiments.science.study import baseline_tables

EXPERIMENTS = (
    "deep_uncertainty",
    "delay_window",
    "package_pace",
    "priority_right",
    "route_closure",
    "delay_cost",
    "trust_race",
    "window",
    "china_budget",
    "investor_speed",
    "policy_sobol",
    "policy_failure",
    "study",
)
COMMAND = "python run.py findings"


def runs_of(name: str, results: Path) -> pd.DataFrame:
    """The ok runs of an experiment."""
    runs = load_runs(results / name)
    return runs[runs["status"] == "ok"]


def delay_block(results: Path) -> str:
    """EU licences by delay under two auction decision times and two channel mixes, and the cost per quarter."""
    runs = runs_of("delay_cost", results)
    y, x = column("awards_eu", 2035), "eu_delay_mean_q"
    settings = ["host_auction_window_q", "explore_release_direct_share"]
    table = runs.groupby([*settings, x])[y].apply(lambda v: level(*ci(v))).unstack(x).reset_index()
    table.columns = [
        "auction decided after (q)",
        "share of state plots negotiated",
        *[f"delay {c:g} q" for c in table.columns[2:]],
    ]
    slopes = []
    for key, g in runs.groupby(settings):
        per = [np.polyfit(r[x], r[y], 1)[0] for _, r in g.groupby("replicate") if r[x].nunique() > 1]
        m, lo, hi = ci(per)
        slopes.append({"auction decided after (q)": key[0], "share negotiated": key[1], "mean": m, "lo": lo, "hi": hi})
    s = pd.DataFrame(slopes)
    cost = effect(runs, x, 1.0, 6.0, y, settings)
    share = effect(runs, x, 1.0, 6.0, column("capacity_share_eu", 2035), settings)
    out = pd.DataFrame(
        {
            "auction decided after (q)": cost[settings[0]],
            "share negotiated": cost[settings[1]],
            "licences per quarter of delay (slope, 0–8 q)": [show(*r) for r in s[["mean", "lo", "hi"]].to_numpy()],
            "licences, delay 1 vs 6 q": [show(*r) for r in cost[["mean", "lo", "hi"]].to_numpy()],
            "capacity share 2035, delay 1 vs 6 q": [show(*r, pct=True) for r in share[["mean", "lo", "hi"]].to_numpy()],
        }
    )
    return "\n\n".join(
        [
            f"EU licences won 2026–2035 (mean [95% interval], {runs.replicate.nunique()} replicates per point):",
            md(table),
            "Cost of delay (paired by replicate):",
            md(out),
            (
                f"Verdict on 'delay costs': {verdict(s, -1)} (the slope is negative under every decision-time and "
                "channel setting where its interval excludes zero)."
            ),
        ]
    )


def trust_block(results: Path) -> str:
    """Trust-building against the channel mix: trust works through negotiation only."""
    runs = runs_of("trust_race", results)
    x, mix = "eu_trust_build_rate", "explore_release_direct_share"
    rows = []
    for y, label, pct in (
        (column("awards_eu", 2035), "EU licences 2026–2035", False),
        (column("capacity_share_eu", 2040), "EU capacity share 2040", True),
        (column("trust_eu", 2035), "host's trust in the EU, 2035", False),
    ):
        e = effect(runs, x, 3.0, 0.5, y, [mix])
        for r in e.itertuples():
            rows.append(
                {
                    "outcome": label,
                    "share of state plots negotiated": r[1],
                    "build rate 3 vs 0.5": show(r.mean, r.lo, r.hi, pct),
                }
            )
        if label.startswith("EU licences"):
            main = e
    table = pd.DataFrame(rows)
    return "\n\n".join(
        [
            md(table),
            (
                f"Verdict on 'trust, including building it, matters': {verdict(main)} (by channel mix above: the host "
                "weighs trust only in direct negotiations)."
            ),
        ]
    )


def window_block(results: Path) -> str:
    """The cost of a late start (2034 vs 2026) by EU speed, discovery and incumbency, at 2035/2040 and 2050."""
    runs = runs_of("window", results)
    x = "eu_start_year"
    by = ["eu_delay_mean_q", "explore_discovery_scale", "host_incumbency"]
    outs = (
        (column("awards_eu"), "EU licences 2026–2050", False),
        (column("capacity_share_eu", 2040), "EU capacity share 2040", True),
        (column("capacity_share_eu"), "EU capacity share 2050", True),
    )
    table, main = None, None
    for y, label, pct in outs:
        e = effect(runs, x, 2026, 2034, y, by)
        col = e.apply(lambda r, pct=pct: show(r["mean"], r["lo"], r["hi"], pct), axis=1).rename(
            f"{label}: 2026 vs 2034 start"
        )
        table = pd.concat([e[by], col], axis=1) if table is None else pd.concat([table, col], axis=1)
        if label.endswith("2050") and pct:
            main = e
    table.columns = ["EU delay (q)", "discovery (scale)", "incumbency", *table.columns[3:]]
    return "\n\n".join(
        [
            md(table),
            f"Verdict on 'the window closes' (a late start costs 2050 capacity share): {verdict(main)}.",
        ]
    )


def china_block(results: Path) -> str:
    """China's budget against China's licences and capacity, and how often its budget binds."""
    runs = runs_of("china_budget", results)
    x = "cn_budget_usd_m"
    rows = []
    for lvl, g in runs.groupby(x):
        bound = (g[column("budget_bound_cn")] / g[column("budget_active_cn")].replace(0, np.nan)).to_numpy()
        rows.append(
            {
                "China's budget (USD m / quarter)": f"{lvl:g}",
                "China's licences 2026–2035": level(*ci(g[column("awards_cn")])),
                "China's capacity share 2035": level(*ci(g[column("capacity_share_cn")]), pct=True),
                "share of active quarters its budget binds": level(*ci(bound), pct=True),
            }
        )
    awards = effect(runs, x, 444.0, 55.0, column("awards_cn"), []).iloc[0]
    share = effect(runs, x, 444.0, 55.0, column("capacity_share_cn"), []).iloc[0]
    bound = effect(runs, x, 111.0, 55.0, column("capacity_share_cn"), []).iloc[0]
    return "\n\n".join(
        [
            md(pd.DataFrame(rows)),
            (
                f"Eight times the budget (444 vs 55, paired): China's licences {show(awards['mean'], awards['lo'], awards['hi'])}, "
                f"its capacity share 2035 {show(share['mean'], share['lo'], share['hi'], pct=True)}; the calibrated budget "
                f"against half of it: capacity share {show(bound['mean'], bound['lo'], bound['hi'], pct=True)}."
            ),
        ]
    )


def failure_block(results: Path) -> str:
    """The PRIM boxes of ``python run.py discover policy_failure`` (results/policy_failure/discovery)."""
    report = results / "policy_failure" / "discovery" / "discovery.md"
    if not report.is_file():
        return "(run `python run.py discover policy_failure --where ...` first)"
    return report.read_text(encoding="utf-8").strip()


def investors_block(results: Path) -> str:
    """Speed-sensitive minus speed-indifferent investors, by EU delay and channel mix."""
    runs = runs_of("investor_speed", results)
    x, by = "investors_speed_sensitivity", ["eu_delay_mean_q", "explore_release_direct_share"]
    e1 = effect(runs, x, 1.0, 0.0, column("awards_eu"), by)
    e2 = effect(runs, x, 1.0, 0.0, column("private_invested_eu"), by)
    table = pd.DataFrame(
        {
            "EU delay (q)": e1[by[0]],
            "share of state plots negotiated": e1[by[1]],
            "EU licences 2026–2035": [show(*r) for r in e1[["mean", "lo", "hi"]].to_numpy()],
            "private capital in EU-led awards (USD m)": [show(*r) for r in e2[["mean", "lo", "hi"]].to_numpy()],
        }
    )
    slow = e1[e1[by[0]] == e1[by[0]].max()]
    return "\n\n".join(
        [
            "Speed-sensitive minus speed-indifferent investors (paired by replicate):",
            md(table),
            f"Verdict on 'investors favour fast-moving partners' (they cost a slow EU licences): {verdict(slow, -1)}.",
        ]
    )


def sobol_block(results: Path) -> str:
    """Total-order indices with their flags and the replicate noise (experiments/science/sobol_block.py)."""
    return sobol_table.block(results, runs_of("policy_sobol", results))


def delay_window_block(results: Path) -> str:
    """EU-led licences and capacity by delay x decision window, by odds and by the foundation's filter."""
    return delay_window.block(runs_of("delay_window", results))


def package_pace_block(results: Path) -> str:
    """Packages accepted a year and their public finance per power, 2026-2033, against the deals of 2018-2025."""
    return package_pace.block(runs_of("package_pace", results))


def priority_right_block(results: Path) -> str:
    """Who buys a sanctioned power's stakes, by the reservation for the state's priority right."""
    return priority_right.block(runs_of("priority_right", results))


def route_closure_block(results: Path) -> str:
    """The northern route closed for eight quarters against the baseline, markets on and off."""
    return route_closure.block(runs_of("route_closure", results))


def claims_over_uncertainty(results: Path) -> str:
    """The article's claims over the deep-uncertainty hypercube (experiments/science/claims_block.py)."""
    return claims_block.block(runs_of("deep_uncertainty", results))


BLOCKS = {
    "BASELINE": baseline_tables,
    "CLAIMS": claims_over_uncertainty,
    "DELAY_WINDOW": delay_window_block,
    "PACKAGE_PACE": package_pace_block,
    "PRIORITY_RIGHT": priority_right_block,
    "ROUTE_CLOSURE": route_closure_block,
    "DELAY": delay_block,
    "TRUST": trust_block,
    "WINDOW": window_block,
    "CHINA": china_block,
    "INVESTORS": investors_block,
    "SOBOL": sobol_block,
    "FAILURE": failure_block,
}


# the experiment (or study) each block reads
NEEDS = {
    "BASELINE": "study",
    "CLAIMS": "deep_uncertainty",
    "DELAY_WINDOW": "delay_window",
    "PACKAGE_PACE": "package_pace",
    "PRIORITY_RIGHT": "priority_right",
    "ROUTE_CLOSURE": "route_closure",
    "DELAY": "delay_cost",
    "TRUST": "trust_race",
    "WINDOW": "window",
    "CHINA": "china_budget",
    "INVESTORS": "investor_speed",
    "SOBOL": "policy_sobol",
    "FAILURE": "policy_failure",
}


def render(text: str, results: Path = RESULTS, where: str = "docs/findings.md", only: tuple[str, ...] = ()) -> str:
    """``text`` with every generated block (or the blocks named in ``only``) rewritten from ``results``."""
    blocks.check(text, list(BLOCKS), COMMAND, where)
    for name, make in BLOCKS.items():
        if not only or name in only:
            text = blocks.replace(text, name, COMMAND, make(results), where)
    return text


def write(doc: Path, results: Path = RESULTS, only: tuple[str, ...] = ()) -> None:
    """Rewrite ``doc``'s blocks (all, or those in ``only``); a one-line error if an experiment's results are
    missing.
    """
    from model.errors import InputError

    unknown = [b for b in only if b not in BLOCKS]
    if unknown:
        raise InputError("--blocks", unknown[0], f"not a block; allowed: {', '.join(BLOCKS)}")
    needed = {NEEDS[b] for b in only} if only else set(EXPERIMENTS)
    missing = [e for e in EXPERIMENTS if e in needed and not (results / e).is_dir()]
    if missing:
        raise InputError(
            str(results),
            "experiments",
            "missing results for "
            + ", ".join(missing)
            + "; run: python run.py experiment NAME (python run.py study for study), python run.py report "
            "results/policy_sobol and python run.py discover policy_failure --where EXPR",
        )
    new = render(doc.read_text(encoding="utf-8"), results, str(doc), only)
    write_atomic(doc, lambda p: p.write_text(new, encoding="utf-8"))

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
from scipy import stats

from experiments import blocks
from experiments.atomic import write_atomic
from experiments.single import RESULTS
from experiments.store import load_runs
from experiments.worker import column

EXPERIMENTS = ("delay_cost", "trust_race", "window", "china_budget", "investor_speed", "policy_sobol", "study")
COMMAND = "python run.py findings"


def ci(values) -> tuple[float, float, float]:
    """Mean and 95% t interval (NaN-free values)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) < 2:
        return (float(v.mean()) if len(v) else np.nan), np.nan, np.nan
    half = float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    return float(v.mean()), float(v.mean()) - half, float(v.mean()) + half


def show(m: float, lo: float, hi: float, pct: bool = False) -> str:
    """``m [lo, hi]``, in percentage points for shares; marked ≈0 when the interval spans zero."""
    f = (lambda x: f"{100 * x:+.2f} pp") if pct else (lambda x: f"{x:+.2f}")
    zero = "" if (lo > 0 or hi < 0) else " ≈0"
    return f"{f(m)} [{f(lo)}, {f(hi)}]{zero}"


def level(m: float, lo: float, hi: float, pct: bool = False) -> str:
    """A level with its interval (no sign)."""
    if pct:
        return f"{100 * m:.2f}% [{100 * lo:.2f}, {100 * hi:.2f}]"
    return f"{m:.2f} [{lo:.2f}, {hi:.2f}]"


def runs_of(name: str, results: Path) -> pd.DataFrame:
    """The ok runs of an experiment."""
    runs = load_runs(results / name)
    return runs[runs["status"] == "ok"]


def effect(runs: pd.DataFrame, factor: str, hi, lo, outcome: str, by: list[str]) -> pd.DataFrame:
    """Per group of ``by``: the paired effect of ``factor`` at ``hi`` minus at ``lo`` on ``outcome``."""
    rows = []
    for key, g in runs.groupby(by) if by else [((), runs)]:
        a = g[g[factor] == hi].set_index("replicate")[outcome]
        b = g[g[factor] == lo].set_index("replicate")[outcome]
        m, l_, h = ci((a - b.reindex(a.index)).to_numpy())
        rows.append({**dict(zip(by, key if isinstance(key, tuple) else (key,))), "mean": m, "lo": l_, "hi": h})
    return pd.DataFrame(rows)


def verdict(effects: pd.DataFrame, sign: int = 1) -> str:
    """supported / conditional / not supported, from where the intervals exclude zero in the claimed direction."""
    hit = (effects["lo"] > 0) if sign > 0 else (effects["hi"] < 0)
    if hit.all():
        return "**supported**"
    return "**conditional**" if hit.any() else "**not supported**"


def _md(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)


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
            _md(table),
            "Cost of delay (paired by replicate):",
            _md(out),
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
            _md(table),
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
            _md(table),
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
    e = effect(runs, x, 444.0, 55.0, column("awards_cn"), [])
    return "\n\n".join(
        [
            _md(pd.DataFrame(rows)),
            f"Eight times the budget (444 vs 55): China's licences {show(e['mean'][0], e['lo'][0], e['hi'][0])}.",
        ]
    )


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
            _md(table),
            f"Verdict on 'investors favour fast-moving partners' (they cost a slow EU licences): {verdict(slow, -1)}.",
        ]
    )


def sobol_block(results: Path) -> str:
    """Total-order indices with their flags, as written by ``python run.py report results/policy_sobol``."""
    files = sorted((results / "policy_sobol" / "report").glob("sobol_*.csv"))
    if not files:
        return "(run `python run.py report results/policy_sobol` first)"
    rows = ["| outcome | lever: ST [± 95%], largest first; flagged indices in italics |", "|---|---|"]
    for f in files:
        t = pd.read_csv(f).sort_values("ST", ascending=False)
        cells = []
        for r in t.itertuples():
            cell = f"`{r.parameter}` {r.ST:.2f} ± {r.ST_conf:.2f}"
            flag = getattr(r, "flags", "")
            cells.append(f"*{cell} ({flag})*" if isinstance(flag, str) and flag else cell)
        rows.append(f"| {f.stem.removeprefix('sobol_')} | {'; '.join(cells)} |")
    return "\n".join(rows)


def study_block(results: Path) -> str:
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
    total = sum(full[[c for c in full.columns if c.startswith(f"channel_{ch}_")]].sum(axis=1) for ch in channels)
    by_channel = [
        {
            "channel": ch,
            "share of awards 2026–2050": level(
                *ci(full[[c for c in full.columns if c.startswith(f"channel_{ch}_")]].sum(axis=1) / total), pct=True
            ),
            **{h.upper(): f"{full[f'channel_{ch}_{h}'].mean():.1f}" for h in holders},
        }
        for ch in channels
    ]
    powers = [c.removeprefix("budget_bound_") for c in full.columns if c.startswith("budget_bound_")]
    budgets = [
        {
            "power": p.upper(),
            "active quarters 2026–2050": f"{full[f'budget_active_{p}'].mean():.1f}",
            "share of them its budget binds": level(
                *ci(full[f"budget_bound_{p}"] / full[f"budget_active_{p}"].replace(0, np.nan)), pct=True
            ),
        }
        for p in powers
    ]
    years = sorted({int(c.rsplit("_", 1)[1]) for c in full.columns if c.startswith("trust_")})
    trust = [{"power": p.upper(), **{str(y): f"{full[f'trust_{p}_{y}'].mean():.2f}" for y in years}} for p in powers]
    n = len(full)
    return "\n\n".join(
        [
            f"Licences won per five-year period by holder (mean of {n} runs):",
            _md(pd.DataFrame(by_period)),
            "Licences 2026–2050 by channel (share: mean [95% interval]; then mean count by holder):",
            _md(pd.DataFrame(by_channel)),
            (
                "How often budgets bind (quarters in which a power had plots it wanted and free slots, and the share of "
                "them in which its budget stopped a pursuit):"
            ),
            _md(pd.DataFrame(budgets)),
            "The host's trust in each power at the end of each year (mean):",
            _md(pd.DataFrame(trust)),
        ]
    )


BLOCKS = {
    "BASELINE": study_block,
    "DELAY": delay_block,
    "TRUST": trust_block,
    "WINDOW": window_block,
    "CHINA": china_block,
    "INVESTORS": investors_block,
    "SOBOL": sobol_block,
}


def render(text: str, results: Path = RESULTS, where: str = "docs/findings.md") -> str:
    """``text`` with every generated block rewritten from ``results``."""
    blocks.check(text, list(BLOCKS), COMMAND, where)
    for name, make in BLOCKS.items():
        text = blocks.replace(text, name, COMMAND, make(results), where)
    return text


def write(doc: Path, results: Path = RESULTS) -> None:
    """Rewrite ``doc``'s blocks; a one-line error if an experiment's results are missing."""
    from model.errors import InputError

    missing = [e for e in EXPERIMENTS if not (results / e).is_dir()]
    if missing:
        raise InputError(
            str(results),
            "experiments",
            "missing results for "
            + ", ".join(missing)
            + "; run: python run.py experiment NAME (python run.py study for study), and python run.py report "
            "results/policy_sobol",
        )
    new = render(doc.read_text(encoding="utf-8"), results, str(doc))
    write_atomic(doc, lambda p: p.write_text(new, encoding="utf-8"))

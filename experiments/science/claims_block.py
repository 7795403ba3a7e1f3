"""The CLAIMS block of docs/findings.md: each claim of the article over the deep-uncertainty hypercube
(``python run.py experiment deep_uncertainty``), EU-led and EU-flagged apart, with where it holds; the delay
cost against the host's windows; and PRIM's boxes where the EU's package fails.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.science import claims as K
from experiments.science.paired import ci, md

C = K.C
# claim, the test, its contrast weights, the claimed sign
TESTS = (
    ("delay costs", "EU delay 8 vs 1 q", {C["EU delay 8 q"]: 1, C["EU delay 1 q"]: -1}, -1),
    (
        "investors favour fast partners",
        "speed-sensitive vs indifferent investors, status-quo (slow) EU",
        {C["defaults"]: 1, C["speed-indifferent investors"]: -1},
        -1,
    ),
    (
        "trust must be built in real time",
        "trust built 3x vs 1x",
        {C["trust built 3x as fast"]: 1, C["defaults"]: -1},
        1,
    ),
    (
        "reserves are finite",
        "the state's inventory as sampled vs unlimited",
        {C["defaults"]: 1, C["unlimited state inventory"]: -1},
        -1,
    ),
    ("the window narrows", "EU starts 2032 vs on time", {C["EU starts 2032"]: 1, C["defaults"]: -1}, -1),
    (
        "the window narrows",
        "... what lock-in adds to the late start's cost (lock-in on minus off)",
        {C["EU starts 2032"]: 1, C["defaults"]: -1, C["lock-in off, EU starts 2032"]: -1, C["lock-in off"]: 1},
        -1,
    ),
    (
        "the window narrows",
        "... what plants add to the late start's cost (plants on minus off)",
        {C["EU starts 2032"]: 1, C["defaults"]: -1, C["plants off, EU starts 2032"]: -1, C["plants off"]: 1},
        -1,
    ),
    (
        "Kazakhstan welcomes Europe only if it moves decisively",
        "package with fast track vs package at status-quo speed",
        {C["package with a 2-quarter fast track"]: 1, C["package, status-quo speed"]: -1},
        1,
    ),
    (
        "Kazakhstan welcomes Europe only if it moves decisively",
        "... package at status-quo speed vs nothing new",
        {C["package, status-quo speed"]: 1, C["defaults"]: -1},
        1,
    ),
)
OUTCOMES = (
    ("awards_led_eu_2040", "EU-led licences 2026–2040", False),
    ("awards_flagged_eu_2040", "EU-flagged licences 2026–2040", False),
    ("capacity_share_led_eu_2040", "EU-led capacity share 2040", True),
    ("capacity_share_flagged_eu_2040", "EU-flagged capacity share 2040", True),
)
# the test that decides a claim's verdict, where not its first: the window is said to narrow through lock-in
DECIDES = {"the window narrows": TESTS[5][1]}
PACKAGE_FAILS = ("capacity_share_led_eu_2040", {C["package with a 2-quarter fast track"]: 1, C["defaults"]: -1})


def _num(v: float, pct: bool) -> str:
    return f"{100 * v:+.2f} pp" if pct else f"{v:+.2f}"


def claims_table(runs: pd.DataFrame) -> tuple[pd.DataFrame, dict[tuple[str, str], str]]:
    """One row per test and outcome; and each claim's verdicts on EU-led and EU-flagged licences (its first
    test, or the one ``DECIDES`` names)."""
    x = runs.groupby("lhs")[K.factors(runs)].first()
    rows, verdicts = [], {}
    for claim, test, w, sign in TESTS:
        for y, label, pct in OUTCOMES:
            e = K.point_effects(runs, w, y)
            s = K.summary(e, sign)
            rows.append(
                {
                    "claim": claim,
                    "test": test,
                    "outcome": label,
                    "mean over the hypercube [95%]": f"{_num(s['mean'], pct)} [{_num(s['lo'], pct)}, {_num(s['hi'], pct)}]",
                    "points where it holds": f"{s['holds']:.0%}",
                    "against": f"{s['against']:.0%}",
                    "verdict": s["verdict"],
                    "moves with": K.drivers(e, x),
                }
            )
            if y in (OUTCOMES[0][0], OUTCOMES[1][0]) and test == DECIDES.get(claim, test):
                verdicts.setdefault((claim, y), s["verdict"])
    return pd.DataFrame(rows), verdicts


def windows_table(runs: pd.DataFrame, y: str = "awards_led_eu_2040") -> pd.DataFrame:
    """The delay cost (8 vs 1 q) at each sampled point, grouped by the host's auction and negotiation windows."""
    e = K.point_effects(runs, TESTS[0][2], y)
    x = runs.groupby("lhs")[["host_auction_window_q", "host_negotiation_window_q"]].first().loc[e.index]
    a = pd.cut(x["host_auction_window_q"], [0, 2, 4], labels=["auction 1–2 q", "auction 3–4 q"])
    n = pd.cut(x["host_negotiation_window_q"], [0, 2, 5, 8], labels=["negotiation 1–2 q", "3–5 q", "6–8 q"])
    rows = []
    for (ka, kn), g in e.groupby([a, n], observed=True):
        m, lo, hi = ci(g["mean"].to_numpy())
        rows.append(
            {"auction window": ka, "negotiation window": kn, "points": len(g), "delay 8 vs 1 q": _ci(m, lo, hi)}
        )
    return pd.DataFrame(rows)


def _ci(m: float, lo: float, hi: float) -> str:
    return f"{m:+.2f}" + ("" if np.isnan(lo) else f" [{lo:+.2f}, {hi:+.2f}]")


def package_boxes(runs: pd.DataFrame) -> str:
    """PRIM (EMA Workbench) over the sampled factors: where the package with a fast track raises no EU-led
    capacity share in 2040 (its interval at the point reaches zero or below)."""
    from experiments.science import discover

    y, w = PACKAGE_FAILS
    e = K.point_effects(runs, w, y)
    x = runs.groupby("lhs")[K.factors(runs)].first().loc[e.index]
    fails = (e["lo"] <= 0).to_numpy()
    where = f"the package with a fast track raises the EU-led capacity share 2040 by no measurable amount ({y})"
    boxes = discover.find_boxes(x, fails, boxes=2, density=0.6)  # 48 points: a denser target overfits
    text = discover.report(boxes, where, int(fails.sum()), len(fails), x)
    return text.replace(" runs", " sampled points")


def block(runs: pd.DataFrame) -> str:
    """The generated block."""
    runs = K.tag(runs)
    table, verdicts = claims_table(runs)
    n_points, n_rep = runs["lhs"].nunique(), runs["replicate"].nunique()
    lines = [
        (
            f"Each claim over {n_points} points of the hypercube × {n_rep} replicates (paired by point and replicate; "
            f"'holds': the point's 95% interval excludes zero in the claimed direction; 'against': in the other; "
            f"'moves with': the sampled factors the point effects rank-correlate with most):"
        ),
        md(table),
        "Each claim's verdict (its first test; for the window, what lock-in adds to a late start's cost):",
        "\n\n".join(  # one line per claim, as the dashboard's info panel reads verdicts
            f"Verdict on '{c}' over the deep uncertainty: **{v}** (EU-led licences; EU-flagged licences: "
            f"{verdicts[(c, OUTCOMES[1][0])]})."
            for (c, y), v in verdicts.items()
            if y == OUTCOMES[0][0]
        ),
        "The delay cost (EU-led licences 2026–2040, delay 8 vs 1 q) by the host's windows (mean over the points in each cell [95% interval over them]):",
        md(windows_table(runs)),
        "PRIM boxes where the EU's package fails:",
        package_boxes(runs),
    ]
    return "\n\n".join(lines)

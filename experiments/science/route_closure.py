"""The northern route closed for eight quarters against the baseline (``python run.py experiment route_closure``,
then ``python run.py findings``): the paired effect on the uranium price, the flows by corridor and the EU's
supply security, during the closure and after it, with the markets on and off. With the markets off the price
cannot answer the supply the closure strands: that arm is the ablation of the price effect.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.runner.worker import column
from experiments.science.paired import ci, effect, md, show

FACTOR, CLOSED, OPEN, MARKETS = "scenario", "northern_closed", "baseline", "mechanisms_markets"
OUTCOMES = {  # measure → (label, shown as a share in pp)
    "price_uranium": ("uranium price (USD/t U)", False),
    "exports_via_russia_t": ("exports via Russia (t/quarter)", False),
    "exports_via_caspian_t": ("exports via the Caspian (t/quarter)", False),
    "exports_via_china_t": ("exports via China (t/quarter)", False),
    "exports_stranded_share": ("share of exports stranded", True),
    "eu_supply_security": ("EU supply security", True),
    "eu_supply_via_russia": ("EU supply via Russia", True),
}
WHEN = {2031: "closed (2031Q4)", 2033: "reopened (2033Q4)"}


def noise(runs: pd.DataFrame, outcome: str) -> tuple[float, float]:
    """Replicate noise: the sd across replicates of the baseline's level, and of the paired closure effect. With
    the price answering the market, the two runs of a pair draw the same shocks but see different prices, so
    their common random numbers hold less.
    """
    a = runs[runs[FACTOR] == CLOSED].set_index("replicate")[outcome]
    b = runs[runs[FACTOR] == OPEN].set_index("replicate")[outcome]
    return float(b.std(ddof=1)), float(np.std((a - b.reindex(a.index)).to_numpy(), ddof=1))


def shown(e: pd.Series, pct: bool) -> str:
    """An effect with its interval: pp for shares, whole units with thousands separators otherwise."""
    if pct:
        return show(e["mean"], e["lo"], e["hi"], pct=True)
    zero = "" if (e["lo"] > 0 or e["hi"] < 0) else " ≈0"
    return f"{e['mean']:+,.0f} [{e['lo']:+,.0f}, {e['hi']:+,.0f}]{zero}"


def block(runs: pd.DataFrame) -> str:
    """The paired effects of the closure per outcome, year and markets arm, and the replicate noise per arm."""
    rows = []
    for name, (label, pct) in OUTCOMES.items():
        for year, when in WHEN.items():
            out = column(name, year)
            cells = {"outcome": label, "when": when}
            for on, arm in ((1, "markets on"), (0, "markets off (ablation)")):
                g = runs[runs[MARKETS] == on]
                base = ci(g[g[FACTOR] == OPEN][out])[0]
                e = effect(g, FACTOR, CLOSED, OPEN, out, []).iloc[0]
                cells[f"baseline, {arm}"] = f"{100 * base:.2f}%" if pct else f"{base:,.0f}"
                cells[f"closure effect, {arm}"] = shown(e, pct)
            rows.append(cells)
    price, security = column("price_uranium", 2031), column("eu_supply_security", 2031)
    on, off = (noise(runs[runs[MARKETS] == v], price) for v in (1, 0))
    s_on, s_off = (noise(runs[runs[MARKETS] == v], security) for v in (1, 0))
    n = runs.replicate.nunique()
    return "\n\n".join(
        [
            (
                f"The northern route closed 2030Q1–2031Q4 (`scenarios/northern_closed.toml`) against the baseline, "
                f"paired over {n} replicates (closed − baseline, mean [95% interval]; ≈0: the interval spans zero):"
            ),
            md(pd.DataFrame(rows)),
            (
                "Replicate noise (sd across replicates) in 2031Q4. Uranium price, baseline level: "
                f"{on[0]:,.0f} USD/t with the markets on, {off[0]:,.0f} with them off; the paired closure effect: "
                f"{on[1]:,.0f} against {off[1]:,.0f} (with the markets off the closure has no way to the price, so "
                "the pairs are identical). EU supply security, baseline level: "
                f"{100 * s_on[0]:.2f} pp against {100 * s_off[0]:.2f} pp; paired effect {100 * s_on[1]:.2f} pp "
                f"against {100 * s_off[1]:.2f} pp. The feedback's cost in common random numbers is the paired "
                "effect's sd where it is not zero by construction."
            ),
        ]
    )

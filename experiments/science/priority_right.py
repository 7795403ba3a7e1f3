"""Who buys a sanctioned power's stakes, by the host's reservation for its priority right (Subsoil Code Art. 43):
``python run.py experiment priority_right``, then ``python run.py findings``. The rule acts only in a forced sale
and only when no buyer reaches the reservation, which is why the baseline's ablation of it is exactly zero.
"""

from __future__ import annotations

import pandas as pd

from experiments.runner.worker import column
from experiments.science.paired import ci, effect, level, md, show

FACTOR, DEFAULT = "host_priority_reservation", 0.3
BUYERS = {"kz": "the state (Art. 43)", "cn": "China", "us": "the US", "eu": "the EU"}


def block(runs: pd.DataFrame) -> str:
    """Stakes bought by 2035 per buyer and reservation, and the paired effect of the right on China's output."""
    rows = []
    for value, g in runs.groupby(FACTOR):
        row = {"reservation": f"{value:g}" + (" (default)" if value == DEFAULT else "")}
        for code, who in BUYERS.items():
            row[f"stakes bought by {who}"] = level(*ci(g[column(f"stakes_bought_{code}", 2035)]))
        rows.append(row)
    out = column("output_share_cn", 2035)
    lines = []
    for value in sorted(runs[FACTOR].unique()):
        if value != DEFAULT:
            e = effect(runs, FACTOR, value, DEFAULT, out, [])
            lines.append(
                f"- reservation {value:g} against {DEFAULT:g}: {show(*e.iloc[0][['mean', 'lo', 'hi']], pct=True)}"
            )
    return "\n\n".join(
        [
            (
                f"Russia sanctioned in 2028 (`scenarios/sanctions_shock.toml`), {runs.replicate.nunique()} replicates, "
                "stakes bought by 2035Q4 (mean [95% interval]):"
            ),
            md(pd.DataFrame(rows)),
            "China's share of output taken in 2035Q4, paired by replicate:\n\n" + "\n".join(lines),
        ]
    )

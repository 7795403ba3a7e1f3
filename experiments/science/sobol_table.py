"""The SOBOL block of docs/findings.md: total-order indices of ``python run.py report results/policy_sobol``
with their flags, and how much of the point means' variance is replicate noise at 4, 8, ... replicates, with the
replicates a fifth would take (issue 22: noise, not N, made the earlier indices unreadable)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from experiments.science.indices import noise_share, noise_share_plain, replicates_for
from experiments.science.paired import md


def block(results: Path, runs: pd.DataFrame) -> str:
    """Total-order indices with their flags, as written by ``python run.py report results/policy_sobol``, and the
    replicate noise table."""
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
        name = f.stem.removeprefix("sobol_")
        share = noise_share(runs, name)
        noise = f" (replicate noise {share:.0%} of the point means' variance)" if share is not None else ""
        rows.append(f"| {name}{noise} | {'; '.join(cells)} |")
    return "\n".join(rows) + "\n\n" + noise_table(runs, [f.stem[6:] for f in files], len(t))


def noise_table(runs: pd.DataFrame, outcomes: list[str], n_params: int) -> str:
    """Replicate noise as a share of the point means' variance with the first 4, 8, ... replicates (the issue's
    measure, and with what common random numbers cancel removed), and the replicates a fifth would take."""
    n_rep, n = runs["replicate"].nunique(), runs["point"].nunique()
    counts = [r for r in (4, 8, 16, 32, 64) if r < n_rep] + [n_rep]
    rows = []
    for y in outcomes:
        row = {"outcome": y}
        for r in counts:
            sub = runs[runs["replicate"] < r]
            plain, crn = noise_share_plain(sub, y), noise_share(sub, y)
            row[f"{r} replicates"] = f"{_pct(plain)} ({_pct(crn)})"
        plain, crn = noise_share_plain(runs, y), noise_share(runs, y)
        need = [replicates_for(v, n_rep) if v is not None else -1 for v in (plain, crn)]
        row["replicates for ≤20%"] = " (".join(str(k) if k > 0 else "–" for k in need) + ")"
        rows.append(row)
    head = (
        f"Replicate noise at N = {n // (n_params + 2)} ({n} points; the share the issue defines: the mean over points of the "
        "replicate variance over the replicates, against the variance of the point means; in brackets, with what "
        "common random numbers cancel removed), and the replicates that would bring it to a fifth (it falls as "
        "1 / replicates; N does not lower it). Above 100%, the replicates' common shifts, which cancel between "
        "points, exceed the spread of the point means: the levers hardly move that outcome:"
    )
    return head + "\n\n" + md(pd.DataFrame(rows))


def _pct(v: float | None) -> str:
    if v is None:
        return "–"
    return ">100%" if v > 1 else f"{v:.0%}"

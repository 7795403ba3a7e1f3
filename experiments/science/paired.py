"""Paired effects between design points and their intervals, and the Markdown they are shown in (findings and
the study): replicate r has the same seed and posterior draw everywhere, so an effect is a mean of per-replicate
differences with a 95% t interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


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


def md(frame: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)

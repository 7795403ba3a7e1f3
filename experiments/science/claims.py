"""The article's claims over deep uncertainty (issue 22): each claim's paired effect at every point of a Latin
hypercube of the assumptions nothing calibrates (``experiments/designs/deep_uncertainty.toml``), and a verdict
that says in how much of the hypercube, and where, the claim holds.

The design crosses every sampled point with the same contrast rows, so an effect is a weighted sum of contrast
rows within one point and one replicate (same seed): paired twice. At each point the effect's 95% t interval over
replicates says whether the claim holds there; over the points, the mean effect's interval (points as the
sample) says whether it holds on average over the hypercube. Verdicts count intervals, not means, because a
mean of an effect that is large in a corner and nil elsewhere can pass while the claim fails in most worlds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.science.paired import ci

# the rows of [design.contrasts] in deep_uncertainty.toml, in order (a test holds the two together)
CONTRASTS = (
    "defaults",
    "EU delay 1 q",
    "EU delay 8 q",
    "trust built 3x as fast",
    "speed-indifferent investors",
    "EU starts 2032",
    "lock-in off",
    "lock-in off, EU starts 2032",
    "plants off",
    "plants off, EU starts 2032",
    "unlimited state inventory",
    "package, status-quo speed",
    "package with a 2-quarter fast track",
)
C = {name: i for i, name in enumerate(CONTRASTS)}
CHANCE = 0.10  # above this share of points an interval excluding zero is more than the 2.5% a side chance gives


def tag(runs: pd.DataFrame, n_contrasts: int = len(CONTRASTS)) -> pd.DataFrame:
    """The runs with their sampled point (``lhs``) and contrast row (``contrast``): point = lhs * C + contrast."""
    out = runs.copy()
    out["lhs"], out["contrast"] = np.divmod(out["point"].to_numpy(), n_contrasts)
    return out


def factors(runs: pd.DataFrame, exclude: tuple[str, ...] = ()) -> list[str]:
    """The sampled factors: columns constant within a sampled point that vary between points."""
    skip = {"point", "replicate", "lhs", "contrast", "run", "seed", "status", *exclude}
    num = [c for c in runs.columns if c not in skip and pd.api.types.is_numeric_dtype(runs[c])]
    g = runs.groupby("lhs")[num].nunique()
    return [c for c in num if (g[c] <= 1).all() and runs[c].nunique() > 1]


def point_effects(runs: pd.DataFrame, weights: dict[int, float], y: str) -> pd.DataFrame:
    """Per sampled point: the effect sum(w_c * y at contrast c), paired by replicate, with its 95% t interval."""
    table = runs[runs["contrast"].isin(list(weights))].pivot_table(
        index=["lhs", "replicate"], columns="contrast", values=y, aggfunc="first"
    )
    d = sum(w * table[c] for c, w in weights.items())
    rows = [(lhs, *ci(v.to_numpy()), int(v.notna().sum())) for lhs, v in d.groupby(level="lhs")]
    return pd.DataFrame(rows, columns=["lhs", "mean", "lo", "hi", "n"]).set_index("lhs")


def summary(effects: pd.DataFrame, sign: int) -> dict:
    """Mean over the hypercube [95% interval over points], the share of points whose interval excludes zero in
    the claimed direction (``holds``) and in the other (``against``), and the verdict."""
    m, lo, hi = ci(effects["mean"].to_numpy())
    holds = (effects["lo"] > 0) if sign > 0 else (effects["hi"] < 0)
    against = (effects["hi"] < 0) if sign > 0 else (effects["lo"] > 0)
    out = {"mean": m, "lo": lo, "hi": hi, "holds": float(holds.mean()), "against": float(against.mean())}
    return out | {"verdict": verdict(out, sign)}


def verdict(s: dict, sign: int) -> str:
    """supported: the hypercube's mean interval is on the claimed side and no more than chance of the points
    are against it; conditional: the claim holds at more points than chance gives; not supported: otherwise."""
    pooled = s["lo"] > 0 if sign > 0 else s["hi"] < 0
    if pooled and s["against"] <= CHANCE / 2 and s["holds"] > CHANCE:
        return "supported"
    return "conditional" if s["holds"] > CHANCE else "not supported"


def drivers(effects: pd.DataFrame, x: pd.DataFrame, top: int = 2) -> str:
    """The sampled factors the point effects move with most (Spearman's rho, p), strongest first."""
    from scipy.stats import spearmanr

    found = []
    for f in x.columns:
        if x[f].nunique() < 2 or effects["mean"].nunique() < 2:
            continue
        rho, p = spearmanr(x.loc[effects.index, f], effects["mean"])
        if np.isfinite(rho):
            found.append((abs(rho), f, rho, p))
    found.sort(reverse=True)
    return "; ".join(f"`{f}` ρ {rho:+.2f} (p {p:.2g})" for _, f, rho, p in found[:top]) or "–"

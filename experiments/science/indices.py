"""Which Sobol' indices can be read: flags for indices that sampling or replicate noise has made meaningless.

An index estimated on noisy point means can come out with S1 above ST (impossible for exact indices), below
zero, or with an interval wider than itself; and when replicate noise is a large share of the point means'
variance, the indices measure noise. The report and docs/findings.md print these flags instead of the bare
numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NOISE_LIMIT = 0.2  # share of the point means' variance that is replicate noise, above which indices mostly measure it


def flags(s1: float, s1_conf: float, st: float, st_conf: float) -> list[str]:
    """What is wrong with one parameter's indices (empty if nothing)."""
    out = []
    if s1 > st + 1e-12:
        out.append("S1 > ST")
    if s1 < 0 or st < 0:
        out.append("negative")
    if st_conf > abs(st):
        out.append("ST's interval wider than ST")
    if s1_conf > abs(s1) and abs(s1) > 0.01:
        out.append("S1's interval wider than S1")
    return out


def noise_flag(share: float | None) -> str:
    """A warning when replicate noise dominates the variance the indices decompose ('' if not)."""
    if share is None or share < NOISE_LIMIT:
        return ""
    return f"replicate noise is {share:.0%} of the variance: samples too small for the noise (add replicates)"


def noise_share(runs: pd.DataFrame, col: str) -> float | None:
    """Replicate noise in the point means of ``col``, as a share of their variance (None with one replicate).

    Replicate r has the same seed (and posterior draw) at every point, so what replicates share moves every
    point mean alike and adds no variance between points; only the point × replicate interaction does. With
    every point run for the same replicates, that is the residual of a two-way (point, replicate) layout over
    the number of replicates; otherwise, the within-point variance over the number of replicates.
    """
    table = runs.pivot_table(index="point", columns="replicate", values=col, aggfunc="first")
    if table.shape[1] < 2:
        return None
    between = float(table.mean(axis=1).var())
    if between <= 0:
        return None
    y = table.to_numpy(dtype=float)
    if np.isfinite(y).all() and y.shape[0] > 1:
        resid = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + y.mean()
        noise = float((resid**2).sum() / ((y.shape[0] - 1) * (y.shape[1] - 1))) / y.shape[1]
    else:
        g = runs.groupby("point")[col]
        noise = float((g.var() / g.count()).mean())
    return min(1.0, noise / between)


def noise_share_plain(runs: pd.DataFrame, col: str) -> float | None:
    """The issue's measure: the mean over points of the replicate variance / n_rep, over the variance of the point
    means. Unlike :func:`noise_share` it keeps what common random numbers would cancel, so it is the larger."""
    g = runs.groupby("point")[col]
    between = float(g.mean().var())
    if g.count().min() < 2 or not between > 0:
        return None
    return float((g.var() / g.count()).mean()) / between


def replicates_for(share: float, n_rep: int, limit: float = NOISE_LIMIT) -> int:
    """Replicates that bring a noise share measured with ``n_rep`` to ``limit`` (-1 if none can be said): the
    noise term is the replicate variance over the replicates, the point means' true variance does not depend on
    them, and N (the points) only estimates both terms more precisely; so replicates, not N, lower the share."""
    if share <= 0:
        return n_rep
    if share >= 1:
        return -1  # no between-point variance beyond noise: no number of replicates is known to suffice
    # share = n / (T + n) with n = s2 / R: s2 / T = R share / (1 - share); need s2 / R' <= limit T / (1 - limit)
    return max(1, int(np.ceil(n_rep * share / (1 - share) * (1 - limit) / limit - 1e-9)))

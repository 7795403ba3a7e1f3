"""Which Sobol' indices can be read: flags for indices that sampling or replicate noise has made meaningless.

An index estimated on noisy point means can come out with S1 above ST (impossible for exact indices), below
zero, or with an interval wider than itself; and when replicate noise is a large share of the point means'
variance, the indices measure noise. The report and docs/findings.md print these flags instead of the bare
numbers.
"""

from __future__ import annotations

NOISE_LIMIT = 0.2  # share of the point means' variance that is replicate noise, above which indices mostly measure it


def flags(s1: float, s1_conf: float, st: float, st_conf: float) -> list[str]:
    """What is wrong with one parameter's indices (empty if nothing)."""
    out = []
    if s1 > st + 1e-12:
        out.append("S1 > ST")
    if s1 < 0 or st < 0:
        out.append("negative")
    if st_conf > abs(st) or (s1_conf > abs(s1) and abs(s1) > 0.01):
        out.append("interval wider than the index")
    return out


def noise_flag(share: float | None) -> str:
    """A warning when replicate noise dominates the variance the indices decompose ('' if not)."""
    if share is None or share < NOISE_LIMIT:
        return ""
    return f"replicate noise is {share:.0%} of the variance: samples too small for the noise (add replicates)"

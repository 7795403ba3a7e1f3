"""The points of an experiment's design, and the seeds of its replicates.

A factorial crosses its levels; a ``sample`` is given row by row; Latin hypercube, Sobol' and Morris designs are
drawn by their samplers, seeded from ``design.seed``, and integer parameters are rounded. Runs are numbered
replicate-major (run ``r * n_points + p`` is replicate ``r`` of point ``p``), and replicate ``r`` uses the same
seed at every point (common random numbers).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from model import params as P

if TYPE_CHECKING:
    from experiments.runner.experiment import Experiment


@dataclass
class Design:
    """The points of an experiment: one row per point (parameter values as the model gets them)."""

    keys: list[str]
    points: pd.DataFrame  # columns: keys; index 0..n-1 = point id
    sample: np.ndarray | None = None  # sobol/morris/lhs: the raw (unrounded) sample, for SALib's analyses
    problem: dict | None = None  # SALib problem (names, bounds)

    @property
    def n_points(self) -> int:
        return len(self.points)


def n_points(exp: Experiment) -> int:
    d = len(exp.ranges)
    if exp.method == "factorial":
        return math.prod(len(v) for v in exp.factors.values())  # exact: np.prod wraps around at 2**64
    if exp.method == "sample":
        return len(next(iter(exp.factors.values())))
    if exp.method == "lhs":
        return exp.samples * (len(next(iter(exp.factors.values()))) if exp.factors else 1)
    if exp.method == "sobol":
        return exp.samples * (2 * d + 2 if exp.second_order else d + 2)
    return exp.samples * (d + 1)  # morris


def expand(exp: Experiment) -> Design:
    """The design's points, deterministic given the file (samplers are seeded from ``design.seed``)."""
    if exp.method in ("factorial", "sample"):
        rows = itertools.product(*exp.factors.values()) if exp.method == "factorial" else zip(*exp.factors.values())
        points = pd.DataFrame(list(rows), columns=exp.keys)
        return Design(exp.keys, _typed(points, exp))
    problem = {"num_vars": len(exp.ranges), "names": list(exp.ranges), "bounds": [list(b) for b in exp.ranges.values()]}
    if exp.method == "lhs":
        from scipy.stats import qmc

        unit = qmc.LatinHypercube(d=len(exp.ranges), rng=np.random.default_rng(exp.design_seed)).random(exp.samples)
        lo, hi = np.array(list(exp.ranges.values())).T
        sample = qmc.scale(unit, lo, hi)
        if exp.factors:  # contrasts: point i * C + c is sampled point i under contrast row c (paired effects)
            rows = np.array(list(zip(*exp.factors.values())), dtype=float)
            sample = np.hstack([np.repeat(sample, len(rows), axis=0), np.tile(rows, (exp.samples, 1))])
    elif exp.method == "sobol":
        from SALib.sample import sobol

        sample = sobol.sample(problem, exp.samples, calc_second_order=exp.second_order, seed=exp.design_seed)
    else:
        from SALib.sample import morris

        sample = morris.sample(problem, exp.samples, num_levels=exp.levels, seed=exp.design_seed)
    points = pd.DataFrame(sample, columns=exp.keys)
    reg = P.registry(exp.scenario.powers)
    for key in exp.ranges:
        if reg[key].kind is int:
            lo, hi = exp.ranges[key]
            points[key] = np.clip(np.rint(points[key]), lo, hi)
    return Design(exp.keys, _typed(points, exp), np.asarray(sample, dtype=float), problem)


def _typed(points: pd.DataFrame, exp: Experiment) -> pd.DataFrame:
    dtypes = {int: "int64", float: "float64", str: "object"}
    reg = P.registry(exp.scenario.powers)
    return points.astype({k: dtypes[reg[k].kind] if k in reg else "object" for k in exp.keys})


def point_overrides(design: Design, point: int) -> dict[str, Any]:
    """The dotted overrides of one point, as plain Python values."""
    row = design.points.iloc[point]
    return {k: (row[k].item() if isinstance(row[k], np.generic) else row[k]) for k in design.keys}


def seeds(root: int, replicates: int) -> list[int]:
    """One 63-bit integer seed per replicate, from ``SeedSequence(root).spawn(replicates)``.

    The integers are what the model gets (``rng=seed``), so any run can be repeated with
    ``python run.py run --seed SEED``.
    """
    return [
        int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
        for child in np.random.SeedSequence(root).spawn(replicates)
    ]


def describe(exp: Experiment, design: Design) -> str:
    what = {
        "factorial": "factorial over",
        "lhs": "Latin hypercube over",
        "sobol": "Sobol' (Saltelli) sample over",
        "morris": "Morris trajectories over",
        "sample": "a given sample over",
    }[exp.method]
    return (
        f"{exp.name}: {what} {len(design.keys)} parameter(s) ({', '.join(design.keys)}), {design.n_points} "
        f"points x {exp.replicates} replicates = {design.n_points * exp.replicates} runs of {exp.steps} quarters"
    )

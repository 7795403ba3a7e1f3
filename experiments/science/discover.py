"""Scenario discovery: under which conditions does a policy package fail? PRIM (EMA Workbench's analysis
module) over the design of an experiment (levers and uncertainties sampled, e.g. by LHS) and a failure
condition on each run's kept values.

``python run.py discover policy_failure --where "eu_supply_security_2040 < 0.0195"`` runs (or resumes) the
experiment, marks each run that meets the condition, and peels boxes in the space of the design's factors.
Each run is a case (replicates included, so the replicate noise lowers density rather than hiding in means).
The report gives, for each box, its coverage (share of all failures inside it), density (share of the runs
inside it that fail), the restricted factors with their limits, and PRIM's quasi-p-values (one-sided binomial
test of each restriction; large values mean the restriction is not distinguishable from chance).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.safe_io.atomic import write_atomic
from experiments.science import conditions


@dataclass(frozen=True)
class Box:
    """One PRIM box: its statistics on the peeling trajectory and its restricted limits."""

    coverage: float
    density: float
    mass: float
    cases: int
    limits: pd.DataFrame  # index: factor; columns: min, max, qp (the restricted factors only)


def failures(runs: pd.DataFrame, where: str) -> np.ndarray:
    """Which runs meet ``where`` (a condition over the runs table's columns: experiments/science/conditions.py),
    as booleans."""
    return conditions.evaluate(where, runs)


def find_boxes(x: pd.DataFrame, y: np.ndarray, boxes: int = 2, density: float = 0.8, peel_alpha: float = 0.05):
    """Up to ``boxes`` PRIM boxes, each the point of its peeling trajectory with the highest coverage among
    those reaching ``density`` (else the densest). Later boxes are found among the cases the earlier missed.
    """
    from ema_workbench.analysis import prim

    if not y.any():
        return []
    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PRIM warns of boxes below its mass floor; the report shows mass
        finder = prim.Prim(x.astype(float), y, peel_alpha=peel_alpha)
        for _ in range(boxes):
            try:
                box = finder.find_box()
            except Exception:
                break
            if box is None:
                break
            traj = box.peeling_trajectory
            ok = traj[traj.density >= density]
            i = int(ok.coverage.idxmax()) if len(ok) else int(traj.density.idxmax())
            stats, lims = box.inspect(i, style="data")[0]
            found.append(_box(stats, lims))
    return found


def _box(stats: pd.Series, lims: pd.DataFrame) -> Box:
    lims = lims.droplevel(0, axis=1) if isinstance(lims.columns, pd.MultiIndex) else lims
    qp = lims.iloc[:, 2:].min(axis=1, skipna=True)  # the two-sided table: one qp column per side
    table = pd.DataFrame({"min": lims.iloc[:, 0].astype(float), "max": lims.iloc[:, 1].astype(float), "qp": qp})
    return Box(float(stats["coverage"]), float(stats["density"]), float(stats["mass"]), int(stats["n"]), table)


def report(boxes: list[Box], where: str, n_fail: int, n: int, factors: pd.DataFrame) -> str:
    """The Markdown report: the failure rate and each box with its limits against the sampled ranges."""
    lines = [f"Failure condition `{where}`: {n_fail} of {n} runs ({n_fail / max(n, 1):.1%}).", ""]
    if not boxes:
        lines.append("No run meets the condition: nothing to discover.")
    for k, b in enumerate(boxes, 1):
        lines += [
            f"**Box {k}**: coverage {b.coverage:.2f}, density {b.density:.2f}, mass {b.mass:.2f} ({b.cases} runs)",
            "",
            "| factor | sampled | box | quasi-p |",
            "|---|---|---|---|",
        ]
        for name, row in b.limits.iterrows():
            lo, hi = factors[name].min(), factors[name].max()
            lines.append(f"| `{name}` | {lo:.3g}–{hi:.3g} | {row['min']:.3g}–{row['max']:.3g} | {row['qp']:.2g} |")
        lines.append("")
    return "\n".join(lines)


def discover(folder: Path, where: str, boxes: int, density: float, out: Path) -> str:
    """Read an experiment's results, find the boxes and write ``out``/discovery.md with a PNG per box."""
    from experiments.safe_io import store

    runs = store.load_runs(folder)
    design = store.load_design(folder)
    runs = runs[runs["status"] == "ok"].reset_index(drop=True)
    factors = [c for c in design.columns if c != "point" and not c.startswith("x:")]
    x = design.set_index("point").loc[runs["point"], factors].reset_index(drop=True)
    y = failures(runs, where)
    found = find_boxes(x, y, boxes, density)
    text = report(found, where, int(y.sum()), len(y), x)
    write_atomic(out / "discovery.md", lambda p: p.write_text(text + "\n", encoding="utf-8"))
    for k, b in enumerate(found, 1):
        write_atomic(out / f"box_{k}.png", lambda p, b=b: _plot(b, x, p))
    return text


def _plot(box: Box, x: pd.DataFrame, path: Path) -> None:
    """Each restricted factor's box limits as a bar over its sampled range (0–1 scaled)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 0.6 + 0.5 * len(box.limits)))
    for i, (name, row) in enumerate(box.limits.iterrows()):
        lo, hi = x[name].min(), x[name].max()
        span = max(hi - lo, 1e-12)
        ax.barh(i, (row["max"] - row["min"]) / span, left=(row["min"] - lo) / span, color="tab:red", alpha=0.6)
        ax.text(1.02, i, f"qp {row['qp']:.1g}", va="center", fontsize=8)
    ax.set_yticks(range(len(box.limits)), box.limits.index)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the sampled range")
    ax.set_title(f"coverage {box.coverage:.2f}, density {box.density:.2f}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=110)
    plt.close(fig)

"""Calibration with uncertainty: rejection ABC over a pool of prior draws (``python run.py calibrate``).

Each of ``draws`` prior draws (uniform over ``PRIORS``, from ``SeedSequence(2022)``) runs the 2022–2025 part of the
validation on its own seed (one seed per draw: the model's noise is part of what ABC integrates over) from the
known-by start, with the windows held at their direct estimates (``FIXED``, experiments/science/estimates.py). A draw's
distance is the sum of the 2022–2025 patterns' band distances and its run's contested controller mismatch on the
deposits it is fitted to; the ``accept`` share closest is the posterior. The pool is kept on disk
(``results/calibration/pool.csv``), so that the held-out split (experiments/science/holdout.py) refits from it
without running anything. Shrinkage per parameter is 1 − posterior sd / prior sd: 0 means the posterior is the prior.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner import replicates
from experiments.safe_io import blocks
from experiments.safe_io.atomic import write_atomic
from experiments.science import estimates
from experiments.science import hindcast as H
from experiments.science import patterns as PT

# assumption parameters the patterns speak to, and their prior ranges (uniform)
PRIORS: dict[str, tuple[float, float]] = {
    "host.min_objective": (0.1, 0.5),  # declined deals: still-free plots, who gets the strategic ones
    "host.offer_rate": (0.05, 0.6),  # the pace of offers: still-free plots, award counts
    "host.w_diversification": (0.0, 0.5),  # China's entries against the others', the US tungsten deal
    "investors.bonus_share": (0.01, 0.3),  # juniors against state-backed bids at auction
    "explore.revocation_unworked_q": (0.005, 0.1),  # revocation of unworked licences
    "explore.work_usd_m_per_q": (0.005, 0.5),  # who can keep a licence worked
    "host.state_firm_objective": (0.0, 1.0),  # Kazatomprom's own blocks against partners' offers
    "eu.approval_prob": (0.3, 1.0),  # whether the EU's talks become binding offers ("never led to real actions")
    "us.approval_prob": (0.3, 1.0),  # whether EXIM/DFC letters of interest become binding (R67–R69)
}
POSTERIOR = Path(__file__).resolve().parents[2] / "data" / "posterior.csv"
# the 2022–2025 patterns a draw is judged on (the 2022–35 ones and the US counterfactual need three times the runs)
FITTED = ("cn_entry_share", "still_free", "revocation_rate", "exit_to_cn", "tungsten_us", "cn_copper_offtake")
ROOT_SEED = 2022


def fixed() -> dict[str, int]:
    """The windows at their direct estimates (round calendar)."""
    return {k: v["value"] for k, v in estimates.windows().items()}


def band_distance(value: float, band: tuple[float, float]) -> float:
    """0 inside the band, else the distance to it in band widths (a missing value counts as one width)."""
    lo, hi = band
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 1.0
    return max(0.0, lo - value, value - hi) / max(hi - lo, 1e-9)


def prior_draws(n: int, root_seed: int = ROOT_SEED) -> pd.DataFrame:
    """``n`` independent uniform draws from ``PRIORS`` (their own stream of ``SeedSequence(root_seed)``)."""
    rng = np.random.default_rng(np.random.SeedSequence(root_seed).spawn(2)[1])
    return pd.DataFrame({k: rng.uniform(lo, hi, n) for k, (lo, hi) in PRIORS.items()})


def _one(seed: int, theta: dict) -> dict:
    row = PT.measure_seed(seed, theta, long=False)
    row["_controller"] = ";".join(row.pop("_controller"))
    row.pop("_stage")
    return row


def pool(draws: int, workers: int = 1, progress: bool = False, root_seed: int = ROOT_SEED) -> pd.DataFrame:
    """Every prior draw's parameters and measures (draw ``i`` runs on seed ``i`` of the root); the same for any
    ``workers``."""
    theta = prior_draws(draws, root_seed)
    seeds = replicates.seeds(root_seed + 1, draws)  # not the validation's seeds
    tasks = [(s, {**fixed(), **row}) for s, row in zip(seeds, theta.to_dict("records"))]
    rows = replicates.run(_one, tasks, workers, progress, "prior draws")
    return pd.concat([theta, pd.DataFrame(rows)], axis=1)


def mismatch(frame: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
    """Per draw: the share of the deposits in ``mask`` whose 2025Q4 controller differs from the observed one."""
    truth = np.array(H.observed().controller)[mask]
    runs = np.array([c.split(";") for c in frame["_controller"]])[:, mask]
    return (runs != truth).mean(axis=1)


def distance(frame: pd.DataFrame, mask: np.ndarray) -> np.ndarray:
    """Per draw: the fitted patterns' band distances plus the contested controller mismatch on ``mask``."""
    bands = {p.measure: p.band for p in PT.PATTERNS}
    d = sum(np.array([band_distance(float(v), bands[m]) for v in frame[m]]) for m in FITTED)
    return d + mismatch(frame, mask)


def accept(frame: pd.DataFrame, mask: np.ndarray, share: float) -> pd.DataFrame:
    """The ``share`` of draws closest (rejection ABC at that quantile of the distances)."""
    d = distance(frame, mask)
    keep = np.argsort(d, kind="stable")[: max(1, round(share * len(frame)))]
    return frame.iloc[np.sort(keep)].assign(distance=d[np.sort(keep)])


def shrinkage(posterior: pd.DataFrame) -> pd.DataFrame:
    """Per parameter: prior range, posterior mean and 5–95%, and 1 − posterior sd / prior sd."""
    rows = []
    for key, (lo, hi) in PRIORS.items():
        v = posterior[key].to_numpy()
        sd_prior = (hi - lo) / math.sqrt(12)
        rows.append(
            {
                "parameter": key,
                "prior": f"U[{lo:g}, {hi:g}]",
                "mean": float(v.mean()),
                "p5": float(np.quantile(v, 0.05)),
                "p95": float(np.quantile(v, 0.95)),
                "shrinkage": 1 - float(v.std(ddof=1)) / sd_prior if len(v) > 1 else np.nan,
            }
        )
    return pd.DataFrame(rows)


COMMAND = "python run.py calibrate"
BLOCK = "CALIBRATION"


def check_doc(doc: Path) -> str:
    """The text of ``doc``; fails before any draw runs if it lacks the calibration block."""
    from experiments.science.validation import check_text

    return check_text(doc, BLOCK, COMMAND)


def report(frame: pd.DataFrame, posterior: pd.DataFrame, share: float) -> str:
    """The calibration block: the pool, the windows' estimates, the posterior and its shrinkage."""
    from experiments.science.validation import markdown

    est = estimates.windows()
    lines = [
        f"{len(frame)} prior draws × 1 seed each (pool `results/calibration/pool.csv`); accepted the {share:.0%} "
        f"closest: {len(posterior)} draws (distance ≤ {posterior['distance'].max():.3f}), written to "
        "`data/posterior.csv`. Fitted on the patterns " + ", ".join(f"`{m}`" for m in FITTED) + " and the contested "
        "controller mismatch on all contested deposits.",
        "",
        "Held at their direct estimates (`experiments/science/estimates.py`, `data/round_calendar.csv`):",
        "",
    ]
    for key, e in est.items():
        spans = ", ".join(f"{s:g}" for s in e["spans"])
        lines.append(f"- `{key}` = {e['value']} (raw {e['raw']:.2f}: {e['rule']}; spans {spans} q)")
    table = shrinkage(posterior)
    prior_like = table.loc[table["shrinkage"] < 0.1, "parameter"].tolist()
    lines += [
        "",
        markdown(table),
        "",
        "Posterior ≈ prior (shrinkage < 0.1): " + (", ".join(f"`{p}`" for p in prior_like) or "none") + ".",
    ]
    return "\n".join(lines)


def write(frame: pd.DataFrame, posterior: pd.DataFrame, share: float, doc: Path, path: Path, out: Path) -> str:
    """Write the pool, the posterior draws (parameters and the fixed windows) and the block in ``doc``."""
    text = report(frame, posterior, share)
    write_atomic(out / "pool.csv", lambda p: frame.to_csv(p, index=False))
    draws = posterior[list(PRIORS)].assign(**fixed()).reset_index(drop=True)
    write_atomic(path, lambda p: draws.to_csv(p, index=False))
    new = blocks.replace(check_doc(doc), BLOCK, COMMAND, text, str(doc))
    write_atomic(doc, lambda p: p.write_text(new, encoding="utf-8"))
    return text

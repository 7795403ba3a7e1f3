"""Calibration with uncertainty: ABC-SMC (pyabc) over the parameters marked "assumption" that the validation
patterns and the hindcast inform, against all of them jointly.

Each particle runs the validation's per-seed measures on a fixed set of seeds (common random numbers across
particles) and is scored by a distance that is 0 for a pattern inside its band and grows with the distance
outside it (in band widths), plus the hindcast's multi-class Brier scores. The posterior is resampled by its
weights into ``data/posterior.csv`` (one draw per row), which findings use so that their intervals carry
parameter uncertainty (``docs/findings.md``). pyabc draws its particles from numpy's global generator, which
``run`` seeds; the model's own draws stay in its streams.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import hindcast as H
from experiments import patterns as PT

# assumption parameters the patterns speak to, and their prior ranges (uniform)
PRIORS: dict[str, tuple[float, float]] = {
    "host.min_objective": (0.1, 0.5),  # declined deals: still-free plots, who gets the strategic ones
    "host.offer_rate": (0.05, 0.6),  # the pace of offers: still-free plots, award counts
    "host.w_diversification": (0.0, 0.5),  # China's entries against the others', the US tungsten deal
    "investors.bonus_share": (0.01, 0.3),  # juniors against state-backed bids at auction
    "explore.revocation_unworked_q": (0.005, 0.1),  # revocation of unworked licences
    "explore.work_usd_m_per_q": (0.005, 0.5),  # who can keep a licence worked
}
POSTERIOR = Path(__file__).resolve().parent.parent / "data" / "posterior.csv"


def band_distance(value: float, band: tuple[float, float]) -> float:
    """0 inside the band, else the distance to it in band widths (a missing value counts as one width)."""
    lo, hi = band
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return 1.0
    return max(0.0, lo - value, value - hi) / max(hi - lo, 1e-9)


def summary(frame: pd.DataFrame, outcomes: tuple[list, list]) -> dict[str, float]:
    """The statistics a particle is judged on: each pattern's median over seeds and the hindcast's Brier scores."""
    out = {}
    table = PT.summarise(frame)
    for p, med in zip(PT.PATTERNS, table["median"]):
        out[p.measure] = float(med)
    out["us_without"] = float(frame["us_without"].mean())
    obs = H.observed()
    p_ctl = H.probabilities(outcomes[0], H.CLASSES)
    p_stage = H.probabilities(outcomes[1], H.STAGE_CLASSES)
    out["brier_controller"] = H.scores(p_ctl, obs.controller, H.CLASSES)["brier"]
    out["brier_controller_contested"] = H.scores(p_ctl, obs.controller, H.CLASSES, obs.contested)["brier"]
    out["brier_stage_contested"] = H.scores(p_stage, obs.stage, H.STAGE_CLASSES, obs.contested)["brier"]
    return out


def distance(x: dict, _x0: dict | None = None) -> float:
    """Sum of the patterns' band distances (the US pattern's unbacked chance must stay ≤ 0.1) and the Brier scores."""
    d = sum(band_distance(x[p.measure], p.band) for p in PT.PATTERNS if p.measure != "us_backing_effect")
    d += band_distance(x["us_backing_effect"], (0.1, 1.0)) + band_distance(x["us_without"], (0.0, 0.1))
    return d + x["brier_controller"] + x["brier_controller_contested"] + x["brier_stage_contested"]


def simulate(theta: dict, seeds: list[int]) -> dict[str, float]:
    """One particle: the validation on ``seeds`` with the parameters ``theta`` (dotted keys)."""
    rows, ctl, stage = [], [], []
    for seed in seeds:
        row = PT.measure_seed(seed, dict(theta))
        ctl.append(row.pop("_controller"))
        stage.append(row.pop("_stage"))
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame["us_backing_effect"] = frame["us_with"].mean() - frame["us_without"].mean()
    stats = summary(frame, (ctl, stage))
    stats["us_backing_effect"] = float(frame["us_backing_effect"].iloc[0])
    return stats


def run(
    population: int = 40,
    generations: int = 4,
    seeds: int = 8,
    workers: int = 1,
    db: Path | None = None,
    root_seed: int = 2022,
) -> pd.DataFrame:
    """Run ABC-SMC; returns the final population's particles with their weights."""
    import pyabc

    np.random.seed(root_seed)  # noqa: NPY002 (pyabc draws its particles from the global generator; the model does not)
    seed_list = [int(s) for s in np.random.SeedSequence(root_seed).generate_state(seeds, dtype=np.uint32)]
    prior = pyabc.Distribution(**{_name(k): pyabc.RV("uniform", lo, hi - lo) for k, (lo, hi) in PRIORS.items()})

    def model(par):
        return simulate({k: float(par[_name(k)]) for k in PRIORS}, seed_list)

    sampler = pyabc.sampler.SingleCoreSampler() if workers <= 1 else pyabc.sampler.MulticoreEvalParallelSampler(workers)
    abc = pyabc.ABCSMC(model, prior, distance, population_size=population, sampler=sampler)
    db = db or Path("results") / "calibration" / "abc.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    abc.new(f"sqlite:///{db.resolve()}", {})
    history = abc.run(max_nr_populations=generations)
    frame, weights = history.get_distribution()
    frame = frame.rename(columns={_name(k): k for k in PRIORS})
    frame["weight"] = weights
    return frame.reset_index(drop=True)


def _name(key: str) -> str:
    return key.replace(".", "__")


def resample(particles: pd.DataFrame, draws: int = 50, seed: int = 2022) -> pd.DataFrame:
    """``draws`` parameter sets drawn from the weighted posterior (the rows findings run over)."""
    rng = np.random.default_rng(seed)
    w = particles["weight"].to_numpy()
    idx = rng.choice(len(particles), size=draws, p=w / w.sum())
    return particles.iloc[idx][list(PRIORS)].reset_index(drop=True)


def posterior_summary(particles: pd.DataFrame) -> pd.DataFrame:
    """Weighted mean and 5–95% range of each parameter, against its prior range."""
    rows = []
    w = particles["weight"].to_numpy() / particles["weight"].sum()
    for key, (lo, hi) in PRIORS.items():
        v = particles[key].to_numpy()
        order = np.argsort(v)
        cum = np.cumsum(w[order])
        q = [float(v[order][np.searchsorted(cum, x)]) for x in (0.05, 0.5, 0.95)]
        rows.append(
            {
                "parameter": key,
                "prior": f"[{lo:g}, {hi:g}]",
                "mean": float(v @ w),
                "p5": q[0],
                "median": q[1],
                "p95": q[2],
            }
        )
    return pd.DataFrame(rows)

"""Calibration with uncertainty: approximate Bayesian computation (pyabc: rejection ABC by default, ABC-SMC with
more generations) over the parameters marked "assumption" that the validation patterns and the hindcast inform,
against all of them jointly.

Each particle runs the validation's per-seed measures on a fixed set of seeds (common random numbers across
particles) and is scored by a distance that is 0 for a pattern inside its band and grows with the distance
outside it (in band widths), plus the hindcast's multi-class Brier scores. The accepted particles (resampled by
their weights when these differ) go into ``data/posterior.csv`` (one draw per row), which findings use so that their intervals carry
parameter uncertainty (``docs/findings.md``). pyabc draws its particles from numpy's global generator, which
``run`` seeds; the model's own draws stay in its streams.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import multiprocessing as mp
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc

from experiments.safe_io import blocks
from experiments.safe_io.atomic import write_atomic
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
    population: int = 48,
    generations: int = 1,
    seeds: int = 8,
    alpha: float = 0.1,
    workers: int = 1,
    db: Path | None = None,
    root_seed: int = 2022,
    progress: bool = False,
) -> pd.DataFrame:
    """Run ABC; returns the final population's particles with their weights (the same for any ``workers``).

    With one generation (the default) this is rejection ABC: prior draws are accepted below the ``alpha``
    quantile of the distances of a first sample of ``population`` draws, so every particle has the same weight.
    More generations refine it by ABC-SMC; with few particles in nine dimensions their importance weights
    degenerate (an effective sample size of 3 of 48 after four generations, docs/validation.md), hence the default.
    """
    logging.getLogger("ABC").setLevel(logging.INFO if progress else logging.WARNING)
    np.random.seed(root_seed)  # noqa: NPY002 (pyabc draws its particles from the global generator; the model does not)
    seed_list = [int(s) for s in np.random.SeedSequence(root_seed).generate_state(seeds, dtype=np.uint32)]
    prior = pyabc.Distribution(**{_name(k): pyabc.RV("uniform", lo, hi - lo) for k, (lo, hi) in PRIORS.items()})

    def model(par):
        return simulate({k: float(par[_name(k)]) for k in PRIORS}, seed_list)

    with contextlib.ExitStack() as stack:
        if db is None:  # pyabc's database is a working file: it goes with the run
            db = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="great-game-abc-"))) / "abc.db"
        pool = stack.enter_context(mp.get_context("fork").Pool(workers) if workers > 1 else _Serial())
        abc = pyabc.ABCSMC(
            model,
            prior,
            distance,
            population_size=population,
            sampler=SeededSampler(pool.map),
            eps=pyabc.QuantileEpsilon(alpha=alpha),
        )
        abc.new(f"sqlite:///{db.resolve()}", {})
        frame, weights = abc.run(max_nr_populations=generations).get_distribution()
    frame = frame.rename(columns={_name(k): k for k in PRIORS})
    frame["weight"] = weights
    return frame.reset_index(drop=True)


class _Serial:
    """A pool of one: the built-in map, as a context manager."""

    @staticmethod
    def map(f, xs):
        return list(map(f, xs))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class SeededSampler(pyabc.sampler.MappingSampler):
    """pyabc's MappingSampler with each task seeded from the (seeded) global generator instead of the operating
    system's entropy, so that the posterior is the same bits for any number of workers."""

    def sample_until_n_accepted(self, n, simulate_one, t, **_):
        blob = self.pickle(simulate_one)
        seeds = np.random.randint(0, 2**31 - 1, size=n).tolist()  # noqa: NPY002 (pyabc's own generator)
        results = list(self.map_(functools.partial(self.seeded_task, blob), seeds))
        sample = self._create_empty_sample()
        for part, _count in results:
            sample += part
        self.nr_evaluations_ = sum(count for _, count in results)
        return sample

    def seeded_task(self, blob: bytes, seed: int):
        """Sample until one particle is accepted, drawing from ``seed``."""
        simulate_one = self.unpickle(blob)
        outer = np.random.get_state()  # noqa: NPY002 (in a pool of one, the task runs in the main process)
        np.random.seed(seed)  # noqa: NPY002 (pyabc perturbs particles with the global generator)
        sample, count = self._create_empty_sample(), 0
        try:
            while True:
                particle = simulate_one()
                count += 1
                sample.append(particle)
                if particle.accepted:
                    return sample, count
        finally:
            np.random.set_state(outer)  # noqa: NPY002


def _name(key: str) -> str:
    return key.replace(".", "__")


def resample(particles: pd.DataFrame, draws: int | None = None, seed: int = 2022) -> pd.DataFrame:
    """``draws`` parameter sets from the weighted posterior (the rows findings run over): the particles
    themselves when their weights are equal and no other number is asked for, else a weighted resample."""
    w = particles["weight"].to_numpy()
    if draws is None or (draws == len(particles) and np.allclose(w, w[0])):
        if np.allclose(w, w[0]):
            return particles[list(PRIORS)].reset_index(drop=True)
        draws = len(particles)
    rng = np.random.default_rng(seed)
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


COMMAND = "python run.py calibrate"
BLOCK = "CALIBRATION"


def check_doc(doc: Path) -> str:
    """The text of ``doc``; fails before any particle runs if it lacks the calibration block."""
    from experiments.science.validation import check_text

    return check_text(doc, BLOCK, COMMAND)


def write(particles: pd.DataFrame, draws: pd.DataFrame, doc: Path, posterior: Path, out: Path) -> str:
    """Write the particles, the posterior draws and the summary table into ``doc``; returns the table."""
    from experiments.science.validation import markdown

    summary = posterior_summary(particles)
    ess = 1.0 / float(((particles["weight"] / particles["weight"].sum()) ** 2).sum())
    table = (
        f"{len(particles)} particles in the last generation (effective sample size {ess:.0f}); "
        f"{len(draws)} draws resampled into `{posterior.name}`.\n\n{markdown(summary)}"
    )
    write_atomic(out / "particles.csv", lambda p: particles.to_csv(p, index=False))
    write_atomic(posterior, lambda p: draws.to_csv(p, index=False))
    new = blocks.replace(check_doc(doc), BLOCK, COMMAND, table, str(doc))
    write_atomic(doc, lambda p: p.write_text(new, encoding="utf-8"))
    return table

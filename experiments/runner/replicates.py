"""Run one function over many ``(seed, overrides)`` tasks in a process pool, in order, with a progress bar: the
engine of ``validate`` and ``study``, whose per-seed measures need the model itself, not only its results."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner.backends import close_pool, start_pool
from model import params as P
from model.errors import InputError
from model.inputs import read_csv


def seeds(root: int, n: int) -> list[int]:
    """``n`` replicate seeds from ``SeedSequence(root)`` (the same for every variant: paired comparisons)."""
    return [int(s) for s in np.random.SeedSequence(root).generate_state(n, dtype=np.uint32)]


def with_draws(seed_list: list[int], overrides: dict, posterior: pd.DataFrame | None) -> list[tuple[int, dict]]:
    """Tasks: seed ``i`` runs with posterior draw ``i mod K`` (if any) under ``overrides``, which win."""
    tasks = []
    for i, seed in enumerate(seed_list):
        draw = {} if posterior is None else {k: float(v) for k, v in posterior.iloc[i % len(posterior)].items()}
        tasks.append((seed, {**draw, **overrides}))
    return tasks


def read_draws(path: Path, where: str, key: str, scenario) -> pd.DataFrame:
    """Posterior draws from a CSV (one parameter set per row, dotted keys as columns), every row checked as
    settings of ``scenario``; a one-line InputError naming ``where`` and ``key`` otherwise."""
    frame = read_csv(path, "a CSV of posterior draws (python run.py calibrate)", key)
    if frame.empty:
        raise InputError(str(path), key, "no draws; allowed: a CSV with one parameter set per row")
    reg = P.registry(scenario.powers)
    for column in frame.columns:
        if column in reg and reg[column].kind is str:  # unknown columns are refused below, with the closest keys
            raise InputError(
                str(path),
                f"column {column}",
                "a path parameter; allowed: numeric parameters (a posterior holds calibrated values; "
                "name tables in the scenario or the design)",
            )
    for row in frame.to_dict("records"):
        scenario.with_overrides(row, f"{where} ({path.name})")
    return frame


def run(fn: Callable, tasks: list[tuple], workers: int = 1, progress: bool = False, label: str = "") -> list:
    """``[fn(*task) for task in tasks]``, in order, on ``workers`` processes (``fn`` must be importable)."""
    from tqdm import tqdm

    bar = tqdm(total=len(tasks), desc=label, unit="seed", disable=not progress)
    out = []
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            out.append(fn(*task))
            bar.update()
    else:
        pool = start_pool(workers)
        try:
            for row in pool.map(fn, *zip(*tasks), chunksize=max(1, len(tasks) // (8 * workers))):
                out.append(row)
                bar.update()
        finally:  # on Ctrl-C too: the queued tasks are dropped, not waited for
            close_pool(pool)
    bar.close()
    return out


def default_workers() -> int:
    """All cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

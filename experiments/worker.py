"""What runs in a worker: one chunk of runs of a batch, and the fingerprint of the model code a worker sees.

Every run is ``GreatGameModel(**kwargs, rng=seed).run_for(steps)``, exactly as ``python run.py run`` does, so a
row is bit for bit the same whether it ran alone, in the pool or on Dask (``elapsed_s`` aside). A run that
raises is returned as failed, with its error, and the batch goes on.
"""

from __future__ import annotations

import hashlib
import math
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import provenance
from model import params as P
from model.deposit_table import table_path


@dataclass(frozen=True)
class Job:
    """What every run of a batch shares; sent to the workers with each chunk of runs."""

    base_kwargs: dict[str, Any]  # the model's keyword arguments before the point's overrides
    steps: int
    measures: tuple[str, ...]
    final: bool
    years: tuple[int, ...]
    series: bool


def observed_steps(job: Job, start_year: int) -> int:
    """The longest observation interval that still sees every quarter the job keeps (``run.collect_every``)."""
    if job.series:
        return 1
    wanted = [job.steps] if job.final else []
    wanted += [(y - start_year + 1) * 4 for y in job.years if 0 < (y - start_year + 1) * 4 <= job.steps]
    return math.gcd(*wanted) if wanted else job.steps


def simulate(kwargs: dict[str, Any], seed: int, job: Job) -> tuple[pd.DataFrame, int]:
    """One run: the model's time series at the quarters the job keeps, and its start year.

    Observing fewer quarters does not change the run (observation draws no random numbers), only its cost.
    """
    from model import GreatGameModel

    start_year = int(kwargs.get("run.start_year", P.DEFAULTS["run.start_year"]))
    model = GreatGameModel(**{**kwargs, "run.collect_every": observed_steps(job, start_year)}, rng=seed)
    model.run_for(job.steps)
    return model.timeseries(), model.start_year


def outcomes(frame: pd.DataFrame, start_year: int, measures, final: bool, years) -> dict[str, float]:
    """The kept values of a run: ``m`` (last quarter) and ``m@year`` (end of that year; NaN if not reached)."""
    out = {}
    by_step = frame.set_index("step")
    if final:
        last = frame.iloc[-1]
        out.update({m: float(last[m]) for m in measures})
    for y in years:
        step = (y - start_year + 1) * 4
        row = by_step.loc[step] if step > 0 and step in by_step.index else None
        out.update({f"{m}@{y}": float(row[m]) if row is not None else math.nan for m in measures})
    return out


def _error_text(exc: BaseException) -> str:
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    text = f"{type(exc).__name__}: {exc}".splitlines()[0] if str(exc) else type(exc).__name__
    return (text[:400] + where).strip()


def run_chunk(job: Job, tasks: list[tuple[int, int, int, int, dict[str, Any]]]) -> list[tuple[dict, Any]]:
    """Run ``(run, point, replicate, seed, overrides)`` tasks; a run that raises is returned as failed."""
    results = []
    for run, point, replicate, seed, overrides in tasks:
        row: dict[str, Any] = {
            "run": run,
            "point": point,
            "replicate": replicate,
            "seed": seed,
            "status": "ok",
            "error": "",
            **overrides,
        }
        started = time.perf_counter()
        series = None
        try:
            kwargs = {**job.base_kwargs, **overrides}
            frame, start_year = simulate(kwargs, seed, job)
            row.update(outcomes(frame, start_year, job.measures, job.final, job.years))
            if job.series:
                series = {
                    "step": frame["step"].to_numpy(np.int64),
                    "quarter": frame["quarter"].to_numpy(str),
                    **{m: frame[m].to_numpy(np.float64) for m in job.measures},
                }
        except Exception as exc:  # recorded, and the batch goes on
            row["status"], row["error"] = "failed", _error_text(exc)
        row["elapsed_s"] = time.perf_counter() - started
        results.append((row, series))
    return results


def model_fingerprint(tables: Iterable[str] = ()) -> str:
    """Hash of the model's code (model/, agents/) and of every deposit table the batch reads, as this process
    sees them (a table that is missing, or not a regular file, is hashed as missing)."""
    root = provenance.ROOT
    digest = hashlib.sha256()
    for package in ("model", "agents"):
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for name in sorted(set(tables)):
        table = table_path(name)
        data = table.read_bytes() if table.is_file() else b""
        digest.update(f"{name}\0{len(data) if table.is_file() else 'missing'}\0".encode() + data)
    return digest.hexdigest()

"""What runs in a worker: one chunk of runs of a batch, and the fingerprint of the model code a worker sees.

Every run is ``GreatGameModel(**kwargs, rng=seed).run_for(steps)``, exactly as ``python run.py run`` does, so a
row is bit for bit the same whether it ran alone, in the pool or on Dask (``elapsed_s`` aside). A run that
raises is returned as failed, with its error, and the batch goes on.

A kept value's column is the measure's snake_case name (:func:`column`): ``capacity_share_eu`` at the last
quarter, ``capacity_share_eu_2035`` at the end of 2035Q4; a swept parameter's column is its dotted key with
``_`` for ``.`` (``eu_delay_mean_q``).
"""

from __future__ import annotations

import hashlib
import math
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.runner.tables import long_series, parts_of
from model import params as P
from model.deposit_table import table_path
from model.paths import CODE


@dataclass(frozen=True)
class Job:
    """What every run of a batch shares; sent to the workers with each chunk of runs."""

    base_kwargs: dict[str, Any]  # the model's keyword arguments before the point's overrides
    steps: int
    measures: tuple[str, ...]
    final: bool
    years: tuple[int, ...]
    series: bool
    columns: dict[str, str]  # each swept parameter's column in the runs table (dotted key -> eu_delay_mean_q)
    levels: dict[str, dict[str, Any]] = field(default_factory=dict)  # a "scenario" factor: each level's kwargs


def observed_steps(job: Job, start_year: int) -> int:
    """The longest observation interval that still sees every quarter the job keeps (``run.collect_every``)."""
    if job.series:
        return 1
    wanted = [job.steps] if job.final else []
    wanted += [(y - start_year + 1) * 4 for y in job.years if 0 < (y - start_year + 1) * 4 <= job.steps]
    return math.gcd(*wanted) if wanted else job.steps


def simulate(kwargs: dict[str, Any], seed: int, job: Job):
    """One run, observed at the quarters the job keeps.

    Observing fewer quarters does not change the run (observation draws no random numbers), only its cost.
    """
    from model import GreatGameModel

    start_year = int(kwargs.get("run.start_year", P.DEFAULTS["run.start_year"]))
    model = GreatGameModel(**{**kwargs, "run.collect_every": observed_steps(job, start_year)}, rng=seed)
    model.run_for(job.steps)
    return model


def column(measure: str, year: int | None = None) -> str:
    """The runs table's column of a kept value: the measure in snake_case (holder codes lower-case:
    ``capacity_share_EU`` → ``capacity_share_eu``) at the last quarter, or with ``_<year>`` at the end of that
    year's fourth quarter (``capacity_share_eu_2035``)."""
    name = measure.lower()
    return name if year is None else f"{name}_{year}"


def outcomes(frame: pd.DataFrame, measures, final: bool, years) -> dict[str, float]:
    """The kept values of a run (``frame``: its ``timeseries()``), by :func:`column`; NaN for a year the run
    did not reach."""
    out = {}
    if final:
        last = frame.iloc[-1]
        out.update({column(m): float(last[m]) for m in measures})
    for y in years:
        q = pd.Period(f"{y}Q4")
        row = frame.loc[q] if q in frame.index and frame.loc[q, "step"] > 0 else None
        out.update({column(m, y): float(row[m]) if row is not None else math.nan for m in measures})
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
            "error": None,
            **{job.columns[k]: v for k, v in overrides.items() if k in job.columns},  # a posterior draw is not
        }
        started = time.perf_counter()
        series = None
        try:
            base = job.levels.get(overrides.get("scenario"), job.base_kwargs)  # the point's scenario, if swept
            model = simulate({**base, **{k: v for k, v in overrides.items() if k != "scenario"}}, seed, job)
            frame = model.timeseries()
            row.update(outcomes(frame, job.measures, job.final, job.years))
            if job.series:
                series = long_series(frame.reset_index(), parts_of(model), list(job.measures))
        except Exception as exc:  # recorded, and the batch goes on
            row["status"], row["error"] = "failed", _error_text(exc)
        row["elapsed_s"] = time.perf_counter() - started
        results.append((row, series))
    return results


def model_fingerprint(tables: Iterable[str] = ()) -> str:
    """Hash of the model's code (model/, agents/) and of every deposit table the batch reads, as this process
    sees them (a table that is missing, or not a regular file, is hashed as missing)."""
    root = CODE
    digest = hashlib.sha256()
    for package in ("model", "agents"):
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for name in sorted(set(tables)):
        table = table_path(name)
        data = table.read_bytes() if table.is_file() else b""
        digest.update(f"{name}\0{len(data) if table.is_file() else 'missing'}\0".encode() + data)
    return digest.hexdigest()

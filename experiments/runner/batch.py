"""Run an experiment's design as a batch: in this process, a process pool or a Dask cluster.

Results stream to disk as they finish (``experiments/safe_io/store.py``): one row per run in Parquet shards, flushed
every ``output.flush_every`` runs or every few seconds, so memory stays flat however many runs there are.
Re-running the same command skips the runs already on disk (by run id), so an interrupted batch (Ctrl-C,
``kill -9``, a lost worker) resumes where it stopped; a run that raises is recorded as failed and the batch goes
on (``experiments/runner/worker.py``).

A folder holds one experiment (``experiments/runner/folder.py``): the first check refuses another experiment's folder
(or anything else) before anything is written, and the check is made again once the folder's lock is held,
since another batch may have started it in between. Ctrl-C and SIGTERM stop a batch cleanly (``experiments/safe_io/interrupts.py``); a folder that
cannot be written (disk full) stops it with one line, leaving what is on disk resumable.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from experiments.runner import batch_manifest
from experiments.runner.backends import BackendError, Dask, Pool, Serial
from experiments.runner.batch_summary import Interrupted, Summary
from experiments.runner.design import Design, Experiment, point_overrides, seeds
from experiments.runner.folder import (
    COMMAND,
    LOCK,
    check_arithmetic,
    check_model,
    check_out_dir,
    claim,
    done_mask,
    on_disk,
)
from experiments.runner.worker import Job, model_fingerprint
from experiments.safe_io import arithmetic, outdir, provenance
from experiments.safe_io.interrupts import Interrupts
from experiments.safe_io.store import (
    MANIFEST,
    RUN_COLUMNS,
    ShardWriter,
    load_design,
    load_runs,
    load_sample,
    load_series,
    read_manifest,
    write_csv,
    write_json,
)
from model import params as P
from model.errors import InputError

__all__ = [  # the batch API (re-exported from batch_summary.py, folder.py and experiments/safe_io/store.py)
    "COMMAND",
    "LOCK",
    "MANIFEST",
    "RUN_COLUMNS",
    "Interrupted",
    "Summary",
    "check_out_dir",
    "default_workers",
    "load_design",
    "load_runs",
    "load_sample",
    "load_series",
    "on_disk",
    "preflight",
    "read_manifest",
    "run_experiment",
]


def _chunks(exp: Experiment, todo: np.ndarray, design: Design, seed_list: list[int], size: int) -> Iterator[list]:
    n = design.n_points
    for start in range(0, len(todo), size):
        chunk = []
        for run in todo[start : start + size].tolist():
            replicate, point = divmod(run, n)
            over = {**exp.draw(replicate), **point_overrides(design, point)}  # the point wins over the draw
            chunk.append((run, point, replicate, seed_list[replicate], over))
        yield chunk


def preflight(exp: Experiment) -> None:
    """Build the base model once (no steps), and once more for each table a design level names, so that a missing
    or bad table (any of them: deposits, commodity rules, ...) fails now, once, rather than in every run."""
    scenario = exp.base_scenario()
    scenario.build(rng=0)
    for name, level in exp.level_scenarios().items():
        try:
            level.build(rng=0)
        except InputError as exc:
            raise InputError(str(exp.path), f"design.factors.scenario ({name})", str(exc)) from None
    for key, levels in exp.factors.items():
        if key in P.registry(scenario.powers) and P.registry(scenario.powers)[key].kind is str:
            for level in dict.fromkeys(levels):
                try:
                    scenario.with_overrides({key: level}, str(exp.path)).build(rng=0)
                except InputError as exc:
                    raise InputError(str(exp.path), f"design.factors.{key}", str(exc)) from None


def run_experiment(
    exp: Experiment,
    design: Design,
    out: Path,
    *,
    workers: int = 1,
    dask: str | None = None,
    limit: int | None = None,
    retry_failed: bool = False,
    allow_model_change: bool = False,
    progress: bool = False,
    chunk_size: int | None = None,
) -> Summary:
    """Run the pending runs of ``exp`` into ``out``; returns what happened (see :class:`Summary`), or raises
    :class:`Interrupted` (with the summary) after saving, if Ctrl-C or SIGTERM stopped it."""
    out = Path(out)
    manifest = check_out_dir(exp, out)  # may raise before anything is written
    tables = exp.deposit_tables()
    model_fp = model_fingerprint(tables)
    check_model(manifest, model_fp, out, allow_model_change)
    preflight(exp)
    n_runs = design.n_points * exp.replicates
    pending = int((~done_mask(out, n_runs, retry_failed)).sum()) if manifest else n_runs
    if limit is not None:
        pending = min(pending, limit)
    backend = _backend(dask, workers, pending)

    started = time.perf_counter()
    with Interrupts() as signals, contextlib.ExitStack() as stack:
        with signals.deferred():  # a cluster cut while starting would leave its worker processes behind
            stack.enter_context(backend)
        here = arithmetic.probe()
        mixed = backend.check_workers(model_fp, tables, here) if isinstance(backend, Dask) else []
        lock, manifest = claim(exp, out)
        stack.callback(lock.close)
        warnings = check_model(manifest, model_fp, out, allow_model_change)  # the folder may have changed
        warnings += check_arithmetic(manifest, here, out) + mixed
        seed_list = seeds(exp.seed, exp.replicates)
        meta = batch_manifest.metadata(exp, model_fp)
        if manifest is None:
            manifest = batch_manifest.new_manifest(exp, design, seed_list, model_fp)
            try:
                batch_manifest.save_design(out, exp, design, meta)
                write_json(out / MANIFEST, manifest)
            except OSError as exc:
                raise outdir.cannot_write(out, "--out", exc) from None
        done = done_mask(out, n_runs, retry_failed)
        todo = np.flatnonzero(~done)[:limit]
        summary = Summary(exp.name, out, n_runs, int(done.sum()), backend=backend.name, warnings=warnings)
        for w in warnings:
            print(w, file=sys.stderr)
        size = chunk_size or max(1, min(10, len(todo) // (max(workers, 1) * 20)))
        session = {
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "backend": backend.name,
            "git_revision": provenance.git_revision(),
            "model_fingerprint": model_fp,
            "arithmetic": here,
        }
        chunks = _chunks(exp, todo, design, seed_list, size)
        error = _run_pending(exp, backend, _job(exp), chunks, len(todo), summary, signals, progress, meta)
        summary.seconds = time.perf_counter() - started
        closed = _close(out, manifest, session, summary, n_runs)  # always: the session is logged
        error = error or closed
        if error is not None:
            exc = outdir.cannot_write(out, "--out", error)
            raise InputError(exc.where, exc.key, f"{exc.allowed}; {on_disk(out)}: run the same command to resume")
    if summary.interrupted:
        raise Interrupted(summary)
    return summary


def _backend(dask: str | None, workers: int, pending: int):
    """Where the runs go: a Dask cluster if named, a process pool for more than one worker and run, else here."""
    if dask and pending:
        return Dask(dask, workers)
    if workers > 1 and pending > 1:
        return Pool(min(workers, pending))
    return Serial()


def _job(exp: Experiment) -> Job:
    """What every run of the batch shares: the base model's keywords, the steps, what to keep."""
    return Job(
        exp.base_scenario().model_kwargs(),
        exp.steps,
        tuple(exp.measures),
        exp.final,
        tuple(exp.years),
        exp.series,
        exp.columns(),
        {name: scn.model_kwargs() for name, scn in exp.level_scenarios().items()},
    )


def _close(out: Path, manifest: dict, session: dict, summary: Summary, n_runs: int) -> OSError | None:
    """Count what is on disk into the summary, log the session in the manifest and write the runs' CSV; returns
    the error that stopped the writing, if one did."""
    summary.remaining = int((~done_mask(out, n_runs, retry_failed=False)).sum())
    failed = load_runs(out, ["error"]).query("status != 'ok'")
    summary.failed_total = len(failed)
    summary.first_error = failed["error"].iloc[0] if len(failed) else ""
    session.update(
        finished=datetime.now(UTC).isoformat(timespec="seconds"),
        ran=summary.ran,
        failed=summary.failed_now,
        interrupted=summary.interrupted,
        stopped=summary.stopped,
    )
    manifest["sessions"].append(session)
    try:
        write_json(out / MANIFEST, manifest)
        write_csv(out)
    except OSError as exc:
        return exc
    return None


def _run_pending(
    exp, backend, job: Job, chunks, total: int, summary: Summary, signals: Interrupts, progress: bool, meta
):
    """Run the chunks and save each finished run; returns the error that stopped the writing, if one did."""
    columns = [*RUN_COLUMNS, *exp.columns().values(), *exp.outcome_columns()]
    writer = ShardWriter(
        summary.out, columns, batch_manifest.dtypes(exp), exp.series, exp.flush_every, meta, tuple(exp.scenario.powers)
    )
    bar = _progress(total, exp.name, progress)
    error = None
    try:
        for results in backend.imap(job, chunks):
            for row, series in results:
                writer.add(row, series)
                summary.ran += 1
                summary.failed_now += row["status"] != "ok"
            bar.update(len(results))
            if summary.failed_now:
                bar.set_postfix(failed=summary.failed_now, refresh=False)
    except KeyboardInterrupt:
        summary.interrupted = True
    except BackendError as exc:
        summary.stopped = str(exc)
    except OSError as exc:  # a shard could not be written (disk full, folder gone read-only)
        error = exc
    finally:
        signals.stop()  # from here on, a second Ctrl-C or SIGTERM cannot cut the saving
        bar.close()
        try:
            writer.flush()
        except OSError as exc:
            error = error or exc
    return error


def _progress(total: int, name: str, enabled: bool):
    from tqdm import tqdm

    tty = sys.stderr.isatty()
    return tqdm(
        total=total,
        desc=name,
        unit="run",
        file=sys.stderr,
        disable=not enabled or total == 0,
        mininterval=0.5 if tty else 15.0,
        smoothing=0.05,
        dynamic_ncols=True,
    )


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

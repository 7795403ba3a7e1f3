"""Run an experiment's design as a batch: in this process, a process pool or a Dask cluster.

Results stream to disk as they finish, into ``<out>/runs/part-NNNNNN.parquet`` (one row per run) and, if the
experiment keeps them, ``<out>/series/part-NNNNNN.parquet`` (one row per run and quarter). Each shard is
written to a temporary file and renamed, so a reader never sees half of one; a shard is flushed every
``output.flush_every`` runs or every ``FLUSH_SECONDS``, so memory stays flat however many runs there are.

Re-running the same command skips the runs already on disk (by run id), so an interrupted batch (Ctrl-C,
``kill -9``, a lost worker) resumes where it stopped. Readers (:func:`load_runs`, :func:`load_series`) drop
duplicates by run id, so a run that finished twice (its shard landed just before a kill) counts once. A run
that raises is recorded with ``status = "failed"`` and its error, and the batch goes on.

Every run is ``GreatGameModel(**kwargs, rng=seed).run_for(steps)``, exactly as ``python run.py run`` does, so a
row is bit for bit the same whether it ran alone, in the pool or on Dask (``elapsed_s`` aside).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import math
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments import provenance
from experiments.atomic import write_atomic
from experiments.design import Design, Experiment, point_overrides, seeds
from model import params as P
from model.deposit_table import table_path
from model.errors import InputError

RUN_COLUMNS = ("run", "point", "replicate", "seed", "status", "error", "elapsed_s")
FLUSH_SECONDS = 10.0
MANIFEST = "manifest.json"
LOCK = ".lock"


# --- one run (in a worker) -----------------------------------------------------------------------------


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


# --- backends -------------------------------------------------------------------------------------------


class Serial:
    """Runs in this process, one after the other (``--workers 1``)."""

    name = "serial"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def imap(self, job: Job, chunks: Iterable[list]) -> Iterator[list]:
        for chunk in chunks:
            yield run_chunk(job, chunk)


class BackendError(RuntimeError):
    """The pool or the cluster failed (not a run: runs that raise are recorded as failed)."""


def _worker_init() -> None:
    """Pool workers leave Ctrl-C to the parent, and exit if their parent dies (e.g. ``kill -9``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = mp.parent_process()  # the batch's process (not the forkserver), with a sentinel

    def watch() -> None:
        parent.join()  # returns once that process is gone
        os._exit(1)

    if parent is not None:
        threading.Thread(target=watch, daemon=True).start()


def _result(fut, where: str):
    try:
        return fut.result()
    except Exception as exc:
        text = " ".join(f"{type(exc).__name__}: {exc}".split())
        raise BackendError(f"{where}: {text[:300]}") from exc


class Pool:
    """A process pool (forkserver: workers start from a clean process with the model imported)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.name = f"process pool ({workers} workers)"

    def __enter__(self):
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["experiments.batch"])
        self.executor = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_worker_init)
        return self

    def __exit__(self, *exc):
        self.executor.shutdown(wait=True, cancel_futures=True)
        return False

    def _submit(self, job: Job, chunk: list):
        try:
            return self.executor.submit(run_chunk, job, chunk)
        except Exception as exc:  # a pool broken by a dead worker refuses new work (BrokenProcessPool)
            text = " ".join(f"{type(exc).__name__}: {exc}".split())
            raise BackendError(f"process pool: {text[:300]}") from exc

    def imap(self, job: Job, chunks: Iterable[list]) -> Iterator[list]:
        it = iter(chunks)
        pending = {self._submit(job, c) for c in itertools.islice(it, 4 * self.workers)}
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                yield _result(fut, "process pool")
                nxt = next(it, None)
                if nxt is not None:
                    pending.add(self._submit(job, nxt))


class Dask:
    """A Dask cluster: ``local`` starts a LocalCluster of ``workers`` processes; otherwise a scheduler address."""

    def __init__(self, address: str, workers: int):
        self.address, self.workers = address, workers
        self.name = f"Dask LocalCluster ({workers} workers)" if address == "local" else f"Dask at {address}"
        self.cluster = None

    def __enter__(self):
        import logging

        from dask.distributed import Client, LocalCluster

        if self.address == "local":
            # workers started while SIGINT is ignored keep ignoring it: Ctrl-C is the batch's to handle
            main = threading.current_thread() is threading.main_thread()
            old = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
            try:
                self.cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            finally:
                if main:
                    signal.signal(signal.SIGINT, old)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(self.address, timeout="15s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError(
                    "--dask",
                    self.address,
                    f"no scheduler answered ({type(exc).__name__}); allowed: "
                    "'local' or the tcp://host:port of a running `dask scheduler`",
                ) from None
        return self

    def check_workers(self, expected: str, deposits: str | None) -> None:
        """Every worker must import this project and see the same model code and deposit table."""
        try:
            found = self.client.run(model_fingerprint, deposits)
        except Exception as exc:
            raise InputError(
                "--dask",
                self.address,
                f"workers cannot run the model ({type(exc).__name__}: {exc}); allowed: workers started from a "
                "checkout of this project with it installed (pip install -e .)",
            ) from None
        try:  # a task through the scheduler too: recent schedulers unpickle tasks, so they need the project
            self.client.submit(model_fingerprint, deposits, pure=False).result(timeout=120)
        except Exception as exc:
            text = " ".join(str(exc).split())[:200]
            raise InputError(
                "--dask",
                self.address,
                f"the scheduler cannot handle the batch's tasks ({type(exc).__name__}: {text}); allowed: a scheduler "
                "started with this project importable (pip install -e ., or PYTHONPATH=<checkout>)",
            ) from None
        other = [worker for worker, fp in found.items() if fp != expected]
        if other:
            raise InputError(
                "--dask",
                self.address,
                f"worker {other[0]} has other model code or another deposit table than this checkout; allowed: "
                "workers at the same revision with the same data",
            )

    def __exit__(self, *exc):
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
        return False

    def imap(self, job: Job, chunks: Iterable[list]) -> Iterator[list]:
        from dask.distributed import as_completed

        it = iter(chunks)

        # the job goes with each task (a few kB) rather than scattered once: scattered data dies with its workers
        def submit(c):
            return self.client.submit(run_chunk, job, c, pure=False, retries=2)

        ac = as_completed()
        in_flight, window, checked = 0, 4, 0.0
        while True:
            if time.monotonic() - checked > 2.0:  # workers may join or leave a cluster while it runs
                window, checked = 4 * max(1, sum(self.client.nthreads().values())), time.monotonic()
            while in_flight < window and (nxt := next(it, None)) is not None:
                ac.add(submit(nxt))
                in_flight += 1
            if in_flight == 0:
                return
            fut = next(ac)
            in_flight -= 1
            result = _result(fut, self.name)
            fut.release()
            yield result


# --- shards on disk -------------------------------------------------------------------------------------


def _shard_number(path: Path) -> int:
    return int(path.stem.split("-")[1])


def _shards(out: Path, kind: str) -> list[Path]:
    return sorted((out / kind).glob("part-*.parquet"), key=_shard_number)


class ShardWriter:
    """Buffers finished runs and writes them as numbered Parquet shards, each atomically."""

    def __init__(
        self,
        out: Path,
        run_columns: list[str],
        dtypes: dict[str, str],
        series_columns: list[str] | None,
        flush_every: int,
    ):
        self.out, self.columns, self.dtypes = out, run_columns, dtypes
        self.series_columns, self.flush_every = series_columns, flush_every
        existing = [_shard_number(p) for kind in ("runs", "series") for p in _shards(out, kind)]
        self.next = max(existing, default=0) + 1
        self.rows: list[dict] = []
        self.series: list[pd.DataFrame] = []
        self.last_flush = time.monotonic()
        self.written = 0

    def add(self, row: dict, series: dict | None) -> None:
        # series before the row, as on disk: a Ctrl-C in between must not save the row without its series
        if series is not None and self.series_columns is not None:
            n = len(series["step"])
            ids = {
                "run": np.full(n, row["run"]),
                "point": np.full(n, row["point"]),
                "replicate": np.full(n, row["replicate"]),
            }
            self.series.append(pd.DataFrame({**ids, **series}, columns=self.series_columns))
        self.rows.append(row)
        if len(self.rows) >= self.flush_every or time.monotonic() - self.last_flush >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        name = f"part-{self.next:06d}.parquet"
        if self.series:  # series first: a run counts as done only once its row is on disk
            frame = pd.concat(self.series, ignore_index=True)
            _write(self.out / "series" / name, lambda tmp: frame.to_parquet(tmp, index=False))
        rows = pd.DataFrame(self.rows, columns=self.columns).astype(self.dtypes)
        _write(self.out / "runs" / name, lambda tmp: rows.to_parquet(tmp, index=False))
        self.written += len(self.rows)
        self.next += 1
        self.rows, self.series = [], []
        self.last_flush = time.monotonic()


def load_runs(out: str | Path, columns: list[str] | None = None) -> pd.DataFrame:
    """All runs on disk, one row per run id (an ok row wins over a failed one, then the latest shard)."""
    out = Path(out)
    if columns is not None:
        columns = list(dict.fromkeys(["run", "status", *columns]))
    frames = []
    for i, path in enumerate(_shards(out, "runs")):
        frame = pd.read_parquet(path, columns=columns)
        frames.append(frame.assign(_shard=i))
    if not frames:
        return pd.DataFrame(columns=columns or list(RUN_COLUMNS))
    df = pd.concat(frames, ignore_index=True)
    df = df.assign(_ok=df["status"] == "ok").sort_values(["run", "_ok", "_shard"], ascending=[True, False, False])
    return df.drop_duplicates("run").drop(columns=["_ok", "_shard"]).reset_index(drop=True)


def load_series(out: str | Path, columns: list[str] | None = None, runs: Iterable[int] | None = None) -> pd.DataFrame:
    """Quarterly series of the runs on disk (one row per run and step), without duplicates."""
    out = Path(out)
    keep = set(load_runs(out, ["run"]).query("status == 'ok'")["run"]) if runs is None else set(runs)
    if columns is not None:
        columns = list(dict.fromkeys(["run", "point", "replicate", "step", *columns]))
    frames = [pd.read_parquet(p, columns=columns) for p in _shards(out, "series")]
    if not frames:
        return pd.DataFrame(columns=columns or ["run", "point", "replicate", "step"])
    df = pd.concat(frames, ignore_index=True)
    df = df[df["run"].isin(keep)].drop_duplicates(["run", "step"])
    return df.sort_values(["run", "step"]).reset_index(drop=True)


def read_manifest(out: str | Path) -> dict:
    path = Path(out) / MANIFEST
    try:
        return json.loads(path.read_text())
    except FileNotFoundError:
        raise InputError(
            str(out), "folder", f"no {MANIFEST}; allowed: a folder written by 'python run.py experiment'"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "file", f"not a readable manifest ({exc})") from None


def load_design(out: str | Path) -> pd.DataFrame:
    """The design's points (``point`` and the swept parameters; ``x:<key>`` raw samples for lhs/sobol/morris)."""
    return pd.read_parquet(Path(out) / "design.parquet")


# --- the batch ------------------------------------------------------------------------------------------


@dataclass
class Summary:
    name: str
    out: Path
    total: int
    before: int  # runs already on disk when this session started
    ran: int = 0
    failed_now: int = 0
    failed_total: int = 0
    remaining: int = 0
    interrupted: bool = False
    stopped: str = ""  # why the pool or cluster stopped the batch, if it did
    seconds: float = 0.0
    backend: str = ""
    first_error: str = ""
    warnings: list[str] = field(default_factory=list)

    def text(self) -> str:
        rate = f", {self.ran / self.seconds:.1f} runs/s" if self.seconds > 0 and self.ran else ""
        lines = [
            (
                f"{self.name}: {self.ran} runs this session ({self.before} already on disk) on {self.backend}, "
                f"{self.seconds:.1f} s{rate}"
            )
        ]
        done = self.total - self.remaining
        lines.append(
            f"{done} of {self.total} runs on disk, {self.failed_total} failed"
            + (f" (first error: {self.first_error})" if self.first_error else "")
        )
        if self.stopped:
            lines.append(f"stopped: {self.stopped}; finished runs are saved; run the same command again to resume")
        elif self.interrupted:
            lines.append("interrupted: finished runs are saved; run the same command again to resume")
        elif self.remaining:
            lines.append(f"{self.remaining} runs remain; run the same command again to continue")
        lines.append(f"results: {self.out}/  (report: python run.py report {self.out})")
        return "\n".join(lines)


def _dtypes(exp: Experiment) -> dict[str, str]:
    kinds = {int: "int64", float: "float64", bool: "bool", str: "str"}
    out = {
        "run": "int64",
        "point": "int64",
        "replicate": "int64",
        "seed": "int64",
        "status": "str",
        "error": "str",
        "elapsed_s": "float64",
    }
    reg = P.registry(exp.scenario.powers)
    out.update({k: kinds[reg[k].kind] for k in exp.keys})
    out.update(dict.fromkeys(exp.outcome_columns(), "float64"))
    return out


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value).__name__)


def _first_difference(old: Any, new: Any, prefix: str = "") -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            if old.get(key, "<missing>") != new.get(key, "<missing>"):
                return _first_difference(old.get(key, "<missing>"), new.get(key, "<missing>"), f"{prefix}{key}.")
    return prefix.rstrip(".") or "content"


def _is_tmp(path: Path) -> bool:
    """A temporary file of ``write_atomic`` (``.NAME.XXXX.tmp``), left behind by a killed batch."""
    return path.is_file() and path.name.startswith(".") and path.name.endswith(".tmp")


def check_out_dir(exp: Experiment, out: Path) -> dict | None:
    """The existing manifest if ``out`` holds this experiment's results; InputError if it holds others."""
    if not out.exists():
        return None
    if not out.is_dir():
        raise InputError(str(out), "--out", "is a file; allowed: a folder for the results")
    if not (out / MANIFEST).exists():
        # a batch killed while starting leaves its lock, design and temporary files, but no manifest yet
        started = {LOCK, "design.parquet"}
        if any(p.name not in started and not _is_tmp(p) for p in out.iterdir()):
            raise InputError(
                str(out),
                "--out",
                f"exists without {MANIFEST}; allowed: a new or empty folder, or one written by this experiment",
            )
        return None
    manifest = read_manifest(out)
    if manifest.get("fingerprint") != exp.fingerprint():
        old = json.loads(json.dumps(manifest.get("spec", {}), default=_jsonable))
        new = json.loads(json.dumps(exp.spec(), default=_jsonable))
        old["name"] = new["name"]
        key = _first_difference(old, new)
        raise InputError(
            str(exp.path),
            key,
            f"differs from the experiment whose results are in {out} "
            f"({manifest.get('file', '?')}); allowed: the same experiment to resume, or a new --out "
            "(or delete that folder)",
        )
    return manifest


def _lock(out: Path):
    import fcntl

    handle = open(out / LOCK, "a+")  # noqa: SIM115 (held open for the whole batch)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise InputError(
            str(out),
            "--out",
            "another batch is writing to this folder; allowed: wait for it to finish, or use another --out",
        ) from None
    return handle


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_MODE = 0o666 & ~_umask()


def _write(path: Path, write) -> None:
    """``write_atomic`` with the usual file mode (its temporary files are private)."""

    def fill(tmp: Path) -> None:
        write(tmp)
        os.chmod(tmp, _MODE)

    write_atomic(path, fill)


def _write_json(path: Path, data: dict) -> None:
    text = json.dumps(data, indent=2, default=_jsonable) + "\n"
    _write(path, lambda tmp: tmp.write_text(text))


def _new_manifest(exp: Experiment, design: Design, seed_list: list[int], model_fp: str) -> dict:
    return {
        "experiment": exp.name,
        "description": exp.description,
        "file": str(exp.path),
        "file_text": exp.text,
        "fingerprint": exp.fingerprint(),
        "model_fingerprint": model_fp,
        "spec": exp.spec(),
        "design": {
            "method": exp.method,
            "keys": design.keys,
            "n_points": design.n_points,
            "replicates": exp.replicates,
            "n_runs": design.n_points * exp.replicates,
            "run_numbering": "run = replicate * n_points + point",
            "replicate_seeds": seed_list,
        },
        "outcomes": exp.outcome_columns(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": provenance.versions(),
        "git_revision": provenance.git_revision(),
        "sessions": [],
    }


def _save_design(out: Path, design: Design) -> None:
    frame = design.points.copy()
    frame.insert(0, "point", np.arange(design.n_points, dtype=np.int64))
    if design.sample is not None:
        for i, key in enumerate(design.keys):
            frame[f"x:{key}"] = design.sample[:, i]
    _write(out / "design.parquet", lambda tmp: frame.to_parquet(tmp, index=False))


def _done_mask(out: Path, n_runs: int, retry_failed: bool) -> np.ndarray:
    """Which runs are on disk (failed ones count as done unless ``retry_failed``)."""
    done = np.zeros(n_runs, dtype=bool)
    for path in _shards(out, "runs"):
        table = pd.read_parquet(path, columns=["run", "status"])
        runs = table["run"].to_numpy()
        keep = (table["status"].to_numpy() == "ok") | (not retry_failed)
        done[runs[keep]] = True
    return done


def _chunks(todo: np.ndarray, design: Design, seed_list: list[int], size: int) -> Iterator[list]:
    n = design.n_points
    for start in range(0, len(todo), size):
        chunk = []
        for run in todo[start : start + size].tolist():
            replicate, point = divmod(run, n)
            chunk.append((run, point, replicate, seed_list[replicate], point_overrides(design, point)))
        yield chunk


def model_fingerprint(deposits: str | None) -> str:
    """Hash of the model's code (model/, agents/) and of the deposit table it reads, as this process sees them."""
    root = provenance.ROOT
    digest = hashlib.sha256()
    for package in ("model", "agents"):
        for path in sorted((root / package).rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    if deposits:
        table = table_path(deposits)
        digest.update(table.read_bytes() if table.is_file() else b"missing " + str(deposits).encode())
    return digest.hexdigest()


def _deposits_of(exp: Experiment) -> str | None:
    run = exp.base_scenario().params().run
    return None if run.synthetic_deposits else run.deposits


def preflight(exp: Experiment) -> None:
    """Build the base model once (no steps) so that a missing deposit table or bad scenario fails now."""
    exp.base_scenario().build(rng=0)


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
    """Run the pending runs of ``exp`` into ``out``; returns what happened (see :class:`Summary`)."""
    out = Path(out)
    manifest = check_out_dir(exp, out)  # may raise before anything is written
    model_fp = model_fingerprint(_deposits_of(exp))
    warnings = []
    if manifest and manifest.get("model_fingerprint") != model_fp:
        if not allow_model_change:
            raise InputError(
                str(out),
                "model",
                f"the model code (model/, agents/) or the deposit table changed since these results were started "
                f"(at git {manifest.get('git_revision', '?')}); allowed: a new --out, or --allow-model-change to "
                "resume anyway (its rows would mix two versions of the model)",
            )
        warnings.append(f"warning: resuming {out} with a changed model or deposit table (--allow-model-change)")
    preflight(exp)
    n_runs = design.n_points * exp.replicates
    seed_list = seeds(exp.seed, exp.replicates)
    job = Job(
        exp.base_scenario().model_kwargs(), exp.steps, tuple(exp.measures), exp.final, tuple(exp.years), exp.series
    )
    pending = int((~_done_mask(out, n_runs, retry_failed)).sum()) if manifest else n_runs
    if limit is not None:
        pending = min(pending, limit)
    if dask and pending:
        backend = Dask(dask, workers)
    elif workers > 1 and pending > 1:
        backend = Pool(min(workers, pending))
    else:
        backend = Serial()

    started = time.perf_counter()
    with backend, _sigterm_as_interrupt():
        if isinstance(backend, Dask):
            backend.check_workers(model_fp, _deposits_of(exp))
        out.mkdir(parents=True, exist_ok=True)
        lock = _lock(out)
        try:
            for tmp in out.rglob(".*.tmp"):  # left by a killed batch
                tmp.unlink(missing_ok=True)
            if manifest is None:
                manifest = _new_manifest(exp, design, seed_list, model_fp)
                _save_design(out, design)
                _write_json(out / MANIFEST, manifest)
            done = _done_mask(out, n_runs, retry_failed)
            before = int(done.sum())
            todo = np.flatnonzero(~done)
            if limit is not None:
                todo = todo[:limit]
            summary = Summary(exp.name, out, n_runs, before, backend=backend.name, warnings=warnings)
            for w in warnings:
                print(w, file=sys.stderr)
            size = chunk_size or max(1, min(10, len(todo) // (max(workers, 1) * 20)))
            series_cols = ["run", "point", "replicate", "step", "quarter", *exp.measures] if exp.series else None
            writer = ShardWriter(
                out, [*RUN_COLUMNS, *exp.keys, *exp.outcome_columns()], _dtypes(exp), series_cols, exp.flush_every
            )
            bar = _progress(len(todo), exp.name, progress)
            session = {
                "started": datetime.now(UTC).isoformat(timespec="seconds"),
                "backend": backend.name,
                "git_revision": provenance.git_revision(),
                "model_fingerprint": model_fp,
            }
            try:
                for results in backend.imap(job, _chunks(todo, design, seed_list, size)):
                    for row, series in results:
                        writer.add(row, series)
                        summary.ran += 1
                        if row["status"] != "ok":
                            summary.failed_now += 1
                    bar.update(len(results))
                    if summary.failed_now:
                        bar.set_postfix(failed=summary.failed_now, refresh=False)
            except KeyboardInterrupt:
                summary.interrupted = True
            except BackendError as exc:
                summary.stopped = str(exc)
            finally:
                bar.close()
                writer.flush()
                summary.seconds = time.perf_counter() - started
                done = _done_mask(out, n_runs, retry_failed=False)
                summary.remaining = int((~done).sum())
                runs = load_runs(out, ["error"])
                failed = runs[runs["status"] != "ok"]
                summary.failed_total = len(failed)
                summary.first_error = failed["error"].iloc[0] if len(failed) else ""
                session.update(
                    finished=datetime.now(UTC).isoformat(timespec="seconds"),
                    ran=summary.ran,
                    failed=summary.failed_now,
                    interrupted=summary.interrupted,
                    stopped=summary.stopped,
                )
                manifest.setdefault("sessions", []).append(session)
                _write_json(out / MANIFEST, manifest)
        finally:
            lock.close()
    return summary


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """``kill PID`` (SIGTERM, as cluster schedulers send) stops the batch like Ctrl-C: finished runs are saved."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old)


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

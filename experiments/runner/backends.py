"""Where a batch's runs run: in this process, a process pool, or a Dask cluster.

Each backend is a context manager with ``imap(job, chunks)``, which yields each chunk's results as it finishes.
Leaving one never waits on a worker for long: a pool's workers get ``GRACE_SECONDS`` to finish, then are killed
(a stopped or hung worker would otherwise make Ctrl-C useless), and a cluster is closed with a timeout.
Connecting to a scheduler has a deadline, since a port that answers something other than Dask can keep
``distributed.Client`` waiting forever (or make it allocate a message length read from garbage).
"""

from __future__ import annotations

import itertools
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from experiments.runner.worker import Job, model_fingerprint, run_chunk
from experiments.safe_io.arithmetic import probe
from model.errors import InputError

GRACE_SECONDS = 2.0  # a pool worker's time to finish its chunk once the batch stops
CONNECT_SECONDS = 20.0  # to reach a Dask scheduler and shake hands with it
CLOSE_SECONDS = 10.0


class BackendError(RuntimeError):
    """The pool or the cluster failed (not a run: runs that raise are recorded as failed)."""


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


def _worker_init() -> None:
    """Pool workers leave Ctrl-C to the parent, and exit if their parent dies (e.g. ``kill -9``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = mp.parent_process()  # the batch's process (not the forkserver), with a sentinel

    def watch() -> None:
        parent.join()  # returns once that process is gone
        os._exit(1)

    if parent is not None:
        threading.Thread(target=watch, daemon=True).start()


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]


def _result(fut, where: str):
    try:
        return fut.result()
    except Exception as exc:
        raise BackendError(f"{where}: {_one_line(exc)}") from exc


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool (forkserver: workers start from a clean process with the model imported) whose workers
    leave Ctrl-C to this process; close it with :func:`close_pool`."""
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["experiments.runner.worker"])
    return ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init)


def close_pool(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started, give running tasks ``GRACE_SECONDS``, then kill the workers left (the
    executor's own shutdown would wait for every queued task, so Ctrl-C would not stop it)."""
    procs = list((getattr(executor, "_processes", None) or {}).values())  # no public API for them
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + GRACE_SECONDS
    for proc in procs:
        proc.join(max(0.0, deadline - time.monotonic()))
    for proc in procs:
        if proc.is_alive():
            proc.kill()  # SIGKILL: a stopped (SIGSTOP) process cannot ignore it
            proc.join(CLOSE_SECONDS)


class Pool:
    """A batch's process pool (:func:`start_pool`), closed without waiting long on any worker."""

    def __init__(self, workers: int):
        self.workers = workers
        self.name = f"process pool ({workers} workers)"

    def __enter__(self):
        self.executor = start_pool(self.workers)
        return self

    def __exit__(self, *exc):
        close_pool(self.executor)
        return False

    def _submit(self, job: Job, chunk: list):
        try:
            return self.executor.submit(run_chunk, job, chunk)
        except Exception as exc:  # a pool broken by a dead worker refuses new work (BrokenProcessPool)
            raise BackendError(f"process pool: {_one_line(exc)}") from exc

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


def _connect(address: str):
    """A ``distributed.Client`` for ``address``, or one line if none answers as a Dask scheduler in time."""
    from dask.distributed import Client

    box: dict = {}

    def attempt() -> None:
        try:
            box["client"] = Client(address, timeout=f"{CONNECT_SECONDS}s")
        except BaseException as exc:  # any failure here is the address's: reported below
            box["error"] = exc

    thread = threading.Thread(target=attempt, name="dask-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_SECONDS * 1.25)  # the Client's own timeout first, if it keeps to it
    if "client" in box:
        return box["client"]
    why = f"{type(box['error']).__name__}: {box['error']}" if "error" in box else f"no answer in {CONNECT_SECONDS:g} s"
    raise InputError(
        "--dask",
        address,
        f"no Dask scheduler answered ({' '.join(why.split())[:200]}); allowed: 'local', or the tcp://HOST:PORT of "
        "a running `dask scheduler` (tls:// needs Dask's TLS configuration)",
    )


class Dask:
    """A Dask cluster: ``local`` starts a LocalCluster of ``workers`` processes; otherwise a scheduler address."""

    def __init__(self, address: str, workers: int):
        self.address, self.workers = address, workers
        self.name = f"Dask LocalCluster ({workers} workers)" if address == "local" else f"Dask at {address}"
        self.cluster = None

    def __enter__(self):
        if self.address != "local":
            self.client = _connect(self.address)
            return self
        from dask.distributed import Client, LocalCluster

        # workers started while SIGINT is ignored keep ignoring it: Ctrl-C is the batch's to handle
        main = threading.current_thread() is threading.main_thread()
        old = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            self.cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.CRITICAL,  # a lost worker's tasks are retried; the batch reports its own failures
            )
        except Exception as exc:  # a worker killed while the cluster starts, a port taken, ...
            raise BackendError(f"Dask LocalCluster could not start ({_one_line(exc)})") from None
        finally:
            if main:
                signal.signal(signal.SIGINT, old)
        self.client = Client(self.cluster)
        return self

    def check_workers(self, expected: str, tables: list[str], arithmetic: str) -> list[str]:
        """Every worker must import this project and see the same model code and deposit tables; returns a warning
        if some compute with other arithmetic than this machine (``experiments/safe_io/arithmetic.py``)."""
        try:
            found = self.client.run(model_fingerprint, tables)
        except Exception as exc:
            raise InputError(
                "--dask",
                self.address,
                f"workers cannot run the model ({_one_line(exc)}); allowed: workers started from a "
                "checkout of this project with it installed (pip install -e .)",
            ) from None
        try:  # a task through the scheduler too: recent schedulers unpickle tasks, so they need the project
            self.client.submit(model_fingerprint, tables, pure=False).result(timeout=120)
        except Exception as exc:
            raise InputError(
                "--dask",
                self.address,
                f"the scheduler cannot handle the batch's tasks ({_one_line(exc)[:200]}); allowed: a scheduler "
                "started with this project importable (pip install -e ., or PYTHONPATH=<checkout>)",
            ) from None
        other = [worker for worker, fp in found.items() if fp != expected]
        if other:
            raise InputError(
                "--dask",
                self.address,
                f"worker {other[0]} has other model code or other deposit tables than this checkout; allowed: "
                "workers at the same revision with the same data",
            )
        try:
            probes = self.client.run(probe)
        except Exception as exc:  # the batch can still run; only the warning is lost
            return [f"warning: the Dask workers' arithmetic could not be probed ({_one_line(exc)[:200]})"]
        odd = sorted(worker for worker, found in probes.items() if found != arithmetic)
        if not odd:
            return []
        said = (
            f"warning: {len(odd)} of {len(probes)} Dask workers ({odd[0]}, ...) compute with other arithmetic than "
            f"this machine (probe {probes[odd[0]]}; here {arithmetic}): a run's last bits depend on the worker that "
            "runs it (another C library or CPU architecture; ODD section 4.10)"
        )
        return [said]

    def __exit__(self, *exc):
        self.client.close(timeout=CLOSE_SECONDS)
        if self.cluster is not None:
            self.cluster.close(timeout=CLOSE_SECONDS)
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

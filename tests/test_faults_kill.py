"""Killed batches: SIGKILL at random points, SIGTERM and Ctrl-C, a dead pool worker, a kill while starting.

Every time, the resumed batch must end with exactly the rows of an uninterrupted one (row for row, series
included), no run twice in the shards, and no process of the killed batch left behind.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from experiments.runner import batch, design
from experiments.safe_io import outdir, store
from tests.experiment_text import small_experiment

ROOT = Path(__file__).resolve().parent.parent
EXP = small_experiment("fault test", steps=40, replicates="{replicates}", seed=11, deposits=100)


def write(tmp: Path, replicates: int) -> Path:
    path = tmp / "faults.toml"
    path.write_text(textwrap.dedent(EXP.format(replicates=replicates)))
    return path


def run_inline(path: Path, out: Path, **kw) -> batch.Summary:
    exp = design.load(path)
    return batch.run_experiment(exp, design.expand(exp), out, **kw)


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["elapsed_s"], errors="ignore").sort_values("run").reset_index(drop=True)


def assert_same_results(expected: Path, got: Path, n_runs: int) -> None:
    """Row for row the same runs and series; every run once in the shards."""
    runs = batch.load_runs(got)
    assert runs["run"].tolist() == list(range(n_runs))
    pd.testing.assert_frame_equal(comparable(batch.load_runs(expected)), comparable(runs), check_exact=True)
    pd.testing.assert_frame_equal(batch.load_series(expected), batch.load_series(got), check_exact=True)
    raw = pd.concat(pd.read_parquet(p, columns=["run"]) for p in sorted((got / "runs").glob("part-*.parquet")))
    assert not raw["run"].duplicated().any(), "a run landed twice in the runs shards"


def on_disk(out: Path) -> int:
    """Runs on disk, read as a resumed batch would (every shard must be whole and readable)."""
    return len(batch.load_runs(out)) if (out / "runs").exists() else 0


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def wait_group_gone(pgid: int, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while group_alive(pgid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not group_alive(pgid)


def wait_for_runs(proc: subprocess.Popen, out: Path, n: int, timeout: float = 60) -> None:
    """Wait until ``n`` runs are on disk (or the batch ended, or ``timeout`` passed)."""
    deadline = time.monotonic() + timeout
    while on_disk(out) < n and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


def start(path: Path, out: Path, workers: int = 2, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, "run.py", "experiment", str(path), "--out", str(out), "--workers", str(workers), "--quiet"]
    cmd += extra
    return subprocess.Popen(
        cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode, out, err


def _reference(tmp_path_factory, replicates: int) -> tuple[Path, int]:
    """The uninterrupted batch (``replicates`` x 6 points), run in this process on the pool."""
    tmp = tmp_path_factory.mktemp("ref")
    summary = run_inline(write(tmp, replicates), tmp / "out", workers=2)
    assert summary.ran == 6 * replicates and summary.failed_total == 0
    return tmp / "out", 6 * replicates


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return _reference(tmp_path_factory, 50)  # long enough for five kills


@pytest.fixture(scope="module")
def reference_short(tmp_path_factory):
    return _reference(tmp_path_factory, 20)


MAX_STEP = 50  # runs an attempt may add before it is killed (5 x 50 < 300)


def shards_on_disk(out: Path) -> int:
    """Cheap progress while a batch runs: runs shards on disk (``flush_every = 4`` runs each)."""
    return len(list((out / "runs").glob("part-*.parquet"))) if (out / "runs").exists() else 0


def wait_for(proc: subprocess.Popen, done, deadline: float) -> None:
    while not done() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)


@pytest.mark.slow
def test_five_random_sigkills_then_resume_gives_the_uninterrupted_rows(reference, tmp_path):
    """kill -9 the batch at five random points (its process alone, or its whole process group like a power
    cut), resuming after each; the final results equal an uninterrupted run's, row for row."""
    expected, n_runs = reference
    path, out = write(tmp_path, 50), tmp_path / "killed"
    seed = int(os.environ.get("FAULTS_SEED", secrets.randbits(32)))
    rnd = random.Random(seed)
    log = []
    modes = ["moment", "moment", "progress", "progress", rnd.choice(["moment", "progress"])]
    rnd.shuffle(modes)
    for attempt, mode in enumerate(modes):
        before = on_disk(out)
        proc = start(path, out)
        try:
            # each attempt adds at most ~MAX_STEP runs, so five never finish the batch, however fast the machine
            if mode == "moment":  # a random moment: during start-up, the pool's start, a run or a flush
                delay = rnd.uniform(0.1, 2.5)
                how = f"after {delay:.2f} s"
                wait_for(proc, lambda b=before: shards_on_disk(out) * 4 >= b + MAX_STEP, time.monotonic() + delay)
            else:  # a random amount of progress, plus a random moment after it
                target = before + rnd.randint(1, MAX_STEP - 10)
                wait_for(proc, lambda t=target: shards_on_disk(out) * 4 >= t, time.monotonic() + 60)
                time.sleep(rnd.uniform(0.0, 0.1))
                how = f"after {target - before}+ runs"
            assert proc.poll() is None, f"seed {seed}: the batch ended before kill {attempt + 1} ({how}): {log}"
            whole_group = attempt % 2 == 1
            if whole_group:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                os.kill(proc.pid, signal.SIGKILL)  # the batch's process only: its pool must not outlive it
            proc.wait(timeout=30)
            assert wait_group_gone(proc.pid), f"seed {seed}: processes outlived the killed batch"
        finally:
            if group_alive(proc.pid):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        after = on_disk(out)  # every shard is whole: a resumed batch can read them
        log.append((attempt + 1, how, "group" if whole_group else "process", before, after))
        assert after >= before, f"seed {seed}: runs on disk went down: {log}"
    assert sum(0 < a < n_runs for *_, a in log) >= 2, f"seed {seed}: too few kills landed mid-batch: {log}"
    code, stdout, stderr = finish(start(path, out))
    assert code == 0, f"seed {seed}: {stderr[-2000:]}"
    assert f"{n_runs} of {n_runs} runs on disk, 0 failed" in stdout
    assert_same_results(expected, out, n_runs)
    manifest = batch.read_manifest(out)
    assert len(manifest["sessions"]) >= 1  # sessions killed by SIGKILL are not recorded; the last one is
    print(f"FAULTS_SEED={seed}: kills {log}")


@pytest.mark.slow
@pytest.mark.parametrize(("sig", "target"), [(signal.SIGTERM, "process"), (signal.SIGINT, "group")])
def test_sigterm_and_ctrl_c_save_finished_runs_and_exit_130(reference_short, tmp_path, sig, target):
    """``kill PID`` (SIGTERM) and Ctrl-C (SIGINT to the terminal's process group) stop the batch cleanly."""
    expected, n_runs = reference_short
    path, out = write(tmp_path, 20), tmp_path / "stopped"
    proc = start(path, out)
    try:
        wait_for_runs(proc, out, 8)
        assert proc.poll() is None, "the batch ended before it could be stopped"
        (os.kill if target == "process" else os.killpg)(proc.pid, sig)
        code, stdout, stderr = finish(proc, timeout=60)
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert code == 130, stderr[-2000:]
    assert "interrupted" in stdout + stderr and "Traceback" not in stderr
    assert wait_group_gone(proc.pid), "pool processes outlived the stopped batch"
    saved = on_disk(out)
    assert 8 <= saved < n_runs
    assert batch.read_manifest(out)["sessions"][-1]["interrupted"] is True
    code, stdout, stderr = finish(start(path, out))
    assert code == 0, stderr[-2000:]
    assert f"({saved} already on disk)" in stdout
    assert_same_results(expected, out, n_runs)


def _pool_workers(pid: int) -> list[psutil.Process]:
    """The pool's worker processes: children of the forkserver, itself a child of the batch."""
    return [g for c in psutil.Process(pid).children() for g in c.children()]


@pytest.mark.slow
def test_a_killed_pool_worker_stops_the_batch_and_the_resume_loses_nothing(reference_short, tmp_path):
    expected, n_runs = reference_short
    path, out = write(tmp_path, 20), tmp_path / "worker"
    proc = start(path, out)
    try:
        wait_for_runs(proc, out, 8)
        workers = _pool_workers(proc.pid)
        assert workers and proc.poll() is None
        workers[0].kill()
        code, stdout, stderr = finish(proc, timeout=60)
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert code == 1, stderr[-2000:]
    assert "stopped: process pool" in stdout and "Traceback" not in stderr, (stdout, stderr[-3000:])
    assert wait_group_gone(proc.pid)
    saved = on_disk(out)
    assert 0 < saved < n_runs
    code, stdout, stderr = finish(start(path, out))
    assert code == 0, stderr[-2000:]
    assert_same_results(expected, out, n_runs)


@pytest.mark.slow
def test_ctrl_c_with_a_stopped_pool_worker_still_stops_the_batch(reference_short, tmp_path):
    """A worker stopped with SIGSTOP (hung) used to make the batch wait for it forever after Ctrl-C."""
    expected, n_runs = reference_short
    path, out = write(tmp_path, 20), tmp_path / "hung"
    proc = start(path, out)
    try:
        wait_for_runs(proc, out, 8)
        workers = _pool_workers(proc.pid)
        assert workers and proc.poll() is None
        workers[0].suspend()  # SIGSTOP
        time.sleep(0.2)
        os.killpg(proc.pid, signal.SIGINT)
        started = time.monotonic()
        code, stdout, stderr = finish(proc, timeout=30)
        assert time.monotonic() - started < 15, "Ctrl-C waited for the stopped worker"
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert code == 130 and "Traceback" not in stderr, stderr[-2000:]
    assert "interrupted" in stdout and f"of {n_runs} runs on disk" in stdout
    assert wait_group_gone(proc.pid), "the stopped worker outlived the batch"
    code, _, stderr = finish(start(path, out))
    assert code == 0, stderr[-2000:]
    assert_same_results(expected, out, n_runs)


@pytest.mark.slow
def test_two_sigterms_in_a_row_still_save_and_stop_cleanly(reference_short, tmp_path):
    """The second SIGTERM used to land in the middle of saving: a traceback, and the buffered runs lost."""
    expected, n_runs = reference_short
    path, out = write(tmp_path, 20), tmp_path / "twice"
    proc = start(path, out)
    try:
        wait_for_runs(proc, out, 8)
        os.kill(proc.pid, signal.SIGTERM)
        time.sleep(0.02)
        os.kill(proc.pid, signal.SIGTERM)
        code, stdout, stderr = finish(proc, timeout=60)
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert code == 130 and "Traceback" not in stderr and "interrupted" in stdout, stderr[-2000:]
    assert wait_group_gone(proc.pid)
    code, _, stderr = finish(start(path, out))
    assert code == 0, stderr[-2000:]
    assert_same_results(expected, out, n_runs)


@pytest.mark.slow
@pytest.mark.parametrize("signals", [1, 2])
def test_sigterm_while_a_dask_cluster_starts_is_one_line_and_leaves_no_process(tmp_path, signals):
    """SIGTERM (once, or twice in a row) while the LocalCluster starts its workers: exit 130, one line, nothing
    left running; the folder, if the batch got that far, resumes."""
    path, out = write(tmp_path, 2), tmp_path / "dask"
    proc = start(path, out, 2, "--dask", "local")
    try:
        deadline = time.monotonic() + 60
        while not psutil.Process(proc.pid).children(recursive=True) and time.monotonic() < deadline:
            time.sleep(0.01)  # the cluster's first worker process is starting
        for _ in range(signals):
            os.kill(proc.pid, signal.SIGTERM)
            time.sleep(0.05)
        code, _, stderr = finish(proc, timeout=90)
    finally:
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    assert code == 130, stderr[-3000:]
    assert "Traceback" not in stderr and stderr.strip().splitlines()[-1].endswith(
        "run the same command again to resume"
    )
    assert len([line for line in stderr.splitlines() if "interrupted" in line]) == 1, stderr[-3000:]
    assert wait_group_gone(proc.pid), "a Dask process outlived the batch"


class _Killed(BaseException):
    """Stands in for SIGKILL inside this process: nothing after it runs, not even ``except Exception``."""


def test_a_batch_killed_while_starting_resumes(tmp_path, monkeypatch):
    """Killed after the design was written but before the manifest (or halfway through writing the design):
    the folder holds a lock, the design and temporary files, and the next run must start it afresh."""
    path = write(tmp_path, 2)
    small = path.read_text().replace("steps = 40", "steps = 8")
    path.write_text(small)
    expected = tmp_path / "expected"
    run_inline(path, expected)

    out = tmp_path / "killed"
    real = batch.write_json
    monkeypatch.setattr(batch, "write_json", lambda p, d: (_ for _ in ()).throw(_Killed()))
    with pytest.raises(_Killed):
        run_inline(path, out)
    monkeypatch.setattr(batch, "write_json", real)
    assert sorted(p.name for p in out.iterdir()) == sorted([batch.LOCK, outdir.MARKER, "design.parquet"])
    (out / ".design.parquet.k1ll3dab.tmp").write_bytes(b"torn")  # and a write torn by the kill
    summary = run_inline(path, out)
    assert summary.before == 0 and summary.ran == 12 and summary.remaining == 0
    assert not list(out.rglob("*.tmp"))
    assert_same_results(expected, out, 12)
    # anything else in a folder without a manifest is still refused
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(batch.InputError, match=r"exists without manifest\.json"):
        run_inline(path, tmp_path / "other")


class _PandasCtrlC:
    """pandas for experiments/safe_io/store.py only, with a Ctrl-C while the ``nth`` run's series frame is built."""

    def __init__(self, nth: int):
        import pandas

        self._pd, self.left = pandas, nth

    def __getattr__(self, name):
        return getattr(self._pd, name)

    def DataFrame(self, data=None, *args, **kwargs):
        if isinstance(data, dict) and "step" in data:
            self.left -= 1
            if self.left == 0:
                raise KeyboardInterrupt
        return self._pd.DataFrame(data, *args, **kwargs)


@pytest.mark.parametrize("nth", [1, 5])
def test_ctrl_c_while_saving_a_run_never_keeps_its_row_without_its_series(tmp_path, monkeypatch, nth):
    """A run counts as done once its row is on disk, so its series must never be left behind in memory."""
    path = write(tmp_path, 2)
    path.write_text(path.read_text().replace("steps = 40", "steps = 8"))
    expected = tmp_path / "expected"
    run_inline(path, expected)
    out = tmp_path / "out"
    monkeypatch.setattr(store, "pd", _PandasCtrlC(nth))
    with pytest.raises(batch.Interrupted) as stop:  # after saving, the caller is interrupted too
        run_inline(path, out)
    monkeypatch.undo()
    summary = stop.value.summary
    assert summary.interrupted and summary.ran == nth - 1
    saved = set(batch.load_runs(out)["run"])
    assert len(saved) >= nth - 1
    assert saved <= set(batch.load_series(out, runs=range(12))["run"]), "a saved run has no series"
    assert run_inline(path, out).remaining == 0
    assert_same_results(expected, out, 12)


class _BreakingPool(batch.Pool):
    """A pool whose workers die while a finished chunk is being saved: the next submit finds it broken."""

    def __enter__(self):
        from concurrent.futures.process import BrokenProcessPool

        super().__enter__()
        real, count = self.executor.submit, [0]

        def submit(*args, **kwargs):
            count[0] += 1
            if count[0] > 4 * self.workers + 2:
                raise BrokenProcessPool("A child process terminated abruptly (test)")
            return real(*args, **kwargs)

        self.executor.submit = submit
        return self


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_a_pool_found_broken_when_submitting_stops_the_batch_cleanly(tmp_path, monkeypatch):
    """A dead worker can show first as a refused submit rather than a failed result: same clean stop."""
    path = write(tmp_path, 4)
    path.write_text(path.read_text().replace("steps = 40", "steps = 8"))
    monkeypatch.setattr(batch, "Pool", _BreakingPool)
    summary = run_inline(path, tmp_path / "out", workers=2, chunk_size=1)
    assert summary.stopped.startswith("process pool: BrokenProcessPool"), summary.text()
    assert summary.ran == on_disk(tmp_path / "out") >= 3 and summary.remaining == 24 - summary.ran

"""Batch runner: results on disk, resume, faults, and the same numbers on every backend."""

from __future__ import annotations

import fcntl
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.cli.main import main
from experiments.runner import batch, design, worker
from experiments.runner.single import run_model
from experiments.safe_io import store
from model.errors import InputError
from tests.cli_helpers import assert_one_line_error, run_cli
from tests.conftest import deposit_row, write_table
from tests.experiment_text import small_experiment

ROOT = Path(__file__).resolve().parent.parent
EXP = small_experiment("test batch", steps=12, replicates=3, seed=11, deposits=30)


def write(tmp_path: Path, text: str = EXP, name: str = "exp.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def run(path: Path, out: Path, **kw) -> batch.Summary:
    exp = design.load(path)
    return batch.run_experiment(exp, design.expand(exp), out, **kw)


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["elapsed_s"], errors="ignore").sort_values("run").reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The whole test batch, run serially in this process.

    The time-based flush is held off so that the shard count depends on ``flush_every`` alone, not on the
    machine's speed (a slow CI machine once crossed the 10 s mark mid-batch and wrote a sixth shard).
    """
    tmp = tmp_path_factory.mktemp("ref")
    path = write(tmp)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "FLUSH_SECONDS", float("inf"))
        summary = run(path, tmp / "out")
    return path, tmp / "out", summary


def test_serial_batch_writes_rows_series_manifest_and_design(reference):
    path, out, summary = reference
    assert (summary.ran, summary.failed_total, summary.remaining) == (18, 0, 0)
    runs = batch.load_runs(out)
    assert runs["run"].tolist() == list(range(18))
    assert set(runs["status"]) == {"ok"}
    assert list(runs.columns[:7]) == list(batch.RUN_COLUMNS)
    assert {"eu_delay_mean_q", "eu_trust0", "capacity_share_eu", "missed_eu_2027"} <= set(runs.columns)
    assert runs["error"].isna().all()
    assert len(list((out / "runs").glob("part-*.parquet"))) == 5  # flush_every = 4
    series = batch.load_series(out)
    assert len(series) == 18 * 13 * 3 and series.groupby("run").size().eq(13 * 3).all()
    assert set(series["measure"]) == {"capacity_share", "trust", "missed"} and set(series["holder"]) == {"EU"}
    manifest = batch.read_manifest(out)
    assert manifest["file_text"] == path.read_text()
    assert manifest["design"]["n_runs"] == 18 and manifest["versions"]["mesa"]
    assert manifest["spec"]["base_parameters"]["run.synthetic_deposits"] == 30
    assert batch.load_design(out)["eu_trust0"].tolist() == [0.3, 0.5, 0.7] * 2
    assert manifest["parameter_columns"] == {"eu.delay_mean_q": "eu_delay_mean_q", "eu.trust0": "eu_trust0"}


def test_common_random_numbers(reference):
    _, out, _ = reference
    runs = batch.load_runs(out)
    per_rep = runs.groupby("replicate")["seed"].agg(["nunique", "first"])
    assert per_rep["nunique"].eq(1).all()  # replicate r: one seed at every point
    assert per_rep["first"].tolist() == design.seeds(11, 3)  # and distinct across replicates
    assert runs.groupby("point")["seed"].nunique().eq(3).all()


def test_a_batch_row_is_the_run_alone_bit_for_bit(reference):
    path, out, _ = reference
    exp = design.load(path)
    runs, series = batch.load_runs(out), batch.load_series(out)
    for run_id in (0, 10, 17):
        row = runs.set_index("run").loc[run_id]
        point = {"eu.delay_mean_q": row["eu_delay_mean_q"], "eu.trust0": row["eu_trust0"]}
        model = run_model(exp.base_scenario().with_overrides(point, "test"), int(row["seed"]), exp.steps)
        frame = model.timeseries()
        assert row["capacity_share_eu"] == frame["capacity_share_eu"].iloc[-1]
        assert row["missed_eu_2027"] == model.at("2027Q4")["missed_eu"]
        mine = series[(series["run"] == run_id) & (series["measure"] == "trust")]
        assert np.array_equal(mine["value"].to_numpy(), frame["trust_eu"].to_numpy())
        assert mine["quarter"].tolist() == frame.index.tolist()


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_pool_gives_the_same_results(reference, tmp_path):
    path, out, _ = reference
    summary = run(path, tmp_path / "pool", workers=2, chunk_size=2)
    assert summary.backend.startswith("process pool") and summary.ran == 18
    pd.testing.assert_frame_equal(comparable(batch.load_runs(out)), comparable(batch.load_runs(tmp_path / "pool")))
    pd.testing.assert_frame_equal(batch.load_series(out), batch.load_series(tmp_path / "pool"))


def test_resume_after_a_partial_batch_gives_identical_results(reference, tmp_path):
    path, out, _ = reference
    part = tmp_path / "part"
    first = run(path, part, limit=7)
    assert (first.ran, first.remaining) == (7, 11)
    second = run(path, part)
    assert (second.before, second.ran, second.remaining) == (7, 11, 0)
    third = run(path, part)
    assert third.ran == 0
    pd.testing.assert_frame_equal(comparable(batch.load_runs(out)), comparable(batch.load_runs(part)))
    pd.testing.assert_frame_equal(batch.load_series(out), batch.load_series(part))
    assert len(batch.read_manifest(part)["sessions"]) == 3


def test_readers_drop_duplicates_and_torn_files(reference, tmp_path):
    _, out, _ = reference
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    # a run finished twice (its shard landed just before a kill) and a temporary file left by kill -9
    shutil.copy(copy / "runs" / "part-000002.parquet", copy / "runs" / "part-000009.parquet")
    shutil.copy(copy / "series" / "part-000002.parquet", copy / "series" / "part-000009.parquet")
    (copy / "runs" / ".part-000010.parquet.k1ll3dab.tmp").write_bytes(b"torn")
    pd.testing.assert_frame_equal(comparable(batch.load_runs(out)), comparable(batch.load_runs(copy)))
    pd.testing.assert_frame_equal(batch.load_series(out), batch.load_series(copy))
    summary = run(write(tmp_path), copy)
    assert summary.ran == 0 and not list(copy.rglob("*.tmp"))


def test_a_failing_run_is_recorded_and_the_batch_goes_on(tmp_path, monkeypatch):
    path = write(tmp_path)
    real = worker.simulate

    def flaky(kwargs, seed, steps):
        if kwargs["eu.trust0"] == 0.5:
            raise ZeroDivisionError("injected")
        return real(kwargs, seed, steps)

    monkeypatch.setattr(worker, "simulate", flaky)
    summary = run(path, tmp_path / "out")
    assert (summary.ran, summary.failed_now, summary.failed_total, summary.remaining) == (18, 6, 6, 0)
    assert "ZeroDivisionError: injected" in summary.first_error and "6 failed" in summary.text()
    runs = batch.load_runs(tmp_path / "out")
    failed = runs[runs["status"] == "failed"]
    assert set(failed["eu_trust0"]) == {0.5} and failed["capacity_share_eu"].isna().all()
    assert failed["error"].str.contains("ZeroDivisionError: injected").all()
    assert not batch.load_series(tmp_path / "out")["run"].isin(failed["run"]).any()
    # failed runs count as done; --retry-failed runs them again, and the ok rows win
    monkeypatch.setattr(worker, "simulate", real)
    assert run(path, tmp_path / "out").ran == 0
    again = run(path, tmp_path / "out", retry_failed=True)
    assert (again.ran, again.failed_total) == (6, 0)
    assert set(batch.load_runs(tmp_path / "out")["status"]) == {"ok"}


def _two_tables(tmp_path: Path) -> tuple[Path, Path, str]:
    """Two small deposit tables and the test experiment sweeping them as a design level."""
    t1, t2 = (write_table(tmp_path / f"t{i}.csv", [deposit_row(), deposit_row(id="d2")]) for i in (1, 2))
    text = EXP.replace('"run.synthetic_deposits" = 30', '"run.synthetic_deposits" = 0')
    return t1, t2, text.replace('"eu.trust0" = [0.3, 0.5, 0.7]', f'"run.deposits" = ["{t1}", "{t2}"]')


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_a_failing_run_in_a_worker_process(tmp_path, monkeypatch):
    """A point whose deposit table vanishes after the checks fails in the pool; the other points go on."""
    _t1, t2, text = _two_tables(tmp_path)
    real = batch.preflight
    monkeypatch.setattr(batch, "preflight", lambda exp: (real(exp), t2.unlink()))
    summary = run(write(tmp_path, text), tmp_path / "out", workers=2)
    runs = batch.load_runs(tmp_path / "out")
    assert summary.failed_total == 6 and (runs["status"] == "failed").eq(runs["run_deposits"] == str(t2)).all()
    assert runs.loc[runs["status"] == "failed", "error"].str.contains("t2.csv").all()


def test_every_deposit_table_of_the_design_is_checked_and_fingerprinted(tmp_path, capsys):
    """A table named as a design level: a missing one is refused up front; an edited one blocks the resume."""
    t1, t2, text = _two_tables(tmp_path)
    path, out = write(tmp_path, text), tmp_path / "out"
    t2.rename(tmp_path / "gone.csv")
    code, stdout, err = run_cli(capsys, "experiment", str(path), "--out", str(out), "--workers", "1")
    assert_one_line_error(code, err, str(path), "design.factors.run.deposits", "t2.csv", "not found")
    assert stdout == "" and not out.exists()
    (tmp_path / "gone.csv").rename(t2)
    assert run(path, out, limit=3).ran == 3
    t2.write_text(t2.read_text().replace("Test One", "Test Two"))  # the table changes between batch and resume
    with pytest.raises(InputError) as err:
        run(path, out)
    assert err.value.key == "model" and "deposit table" in str(err.value)
    assert run(path, out, allow_model_change=True).ran == 9 and t1.is_file()


def test_changed_experiment_is_refused_and_nothing_changes(reference, tmp_path):
    _path, out, _ = reference
    copy = tmp_path / "copy"
    shutil.copytree(out, copy)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in copy.rglob("*"))
    changed = write(tmp_path, EXP.replace("[0, 8]", "[0, 9]"), "changed.toml")
    with pytest.raises(InputError) as err:
        run(changed, copy)
    assert err.value.key == "factors.eu.delay_mean_q" and "new --out" in str(err.value)
    with pytest.raises(InputError, match="replicates"):
        run(write(tmp_path, EXP.replace("replicates = 3", "replicates = 4"), "more.toml"), copy)
    assert sorted((p.name, p.stat().st_mtime_ns) for p in copy.rglob("*")) == before


def test_a_folder_being_written_is_locked(reference, tmp_path):
    path, _out, _ = reference
    target = tmp_path / "busy"
    target.mkdir()
    with open(target / batch.LOCK, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(InputError, match="another batch"):
            run(path, target)


def test_cli_runs_resumes_and_reports_exit_status(tmp_path, capsys):
    path = write(tmp_path)
    out = tmp_path / "out"
    assert main(["experiment", str(path), "--out", str(out), "--workers", "1", "--limit", "5", "--quiet"]) == 0
    assert "13 runs remain" in capsys.readouterr().out
    assert main(["experiment", str(path), "--out", str(out), "--workers", "1", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "13 runs this session (5 already on disk)" in text and "18 of 18 runs on disk, 0 failed" in text
    assert main(["experiment", str(path), "--out", str(tmp_path / "dry"), "--dry-run"]) == 0
    assert "6 points x 3 replicates = 18 runs" in capsys.readouterr().out
    assert not (tmp_path / "dry").exists()


BAD_FILES = {
    "malformed.toml": "steps = [",
    "unknown_param.toml": "[design]\nmethod='factorial'\n[design.factors]\n'eu.nonsense'=[1]",
    "empty_range.toml": "[design]\nmethod='lhs'\nsamples=4\n[design.ranges]\n'eu.trust0'=[0.5, 0.5]",
    "bad_method.toml": "[design]\nmethod='grid'",
    "zero_reps.toml": "replicates = 0\n[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]",
    "bad_measure.toml": "[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]\n[output]\nmeasures=['x']",
    "unsafe.toml": "name = '../../etc'\n[design]\nmethod='factorial'\n[design.factors]\n'eu.trust0'=[0.5]",
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_exit_2_with_one_line_and_write_nothing(tmp_path, capsys, name):
    path = write(tmp_path, BAD_FILES[name], name)
    before = sorted(ROOT.joinpath("results").glob("*")) if ROOT.joinpath("results").exists() else []
    assert main(["experiment", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"run.py: error: {path}: ") and "\n" not in err
    assert not (tmp_path / "out").exists()
    assert main(["experiment", str(path)]) == 2  # default out: results/<name> is not created either
    after = sorted(ROOT.joinpath("results").glob("*")) if ROOT.joinpath("results").exists() else []
    assert before == after


def test_bad_file_through_run_py(tmp_path):
    path = write(tmp_path, BAD_FILES["unknown_param.toml"], "bad.toml")
    proc = subprocess.run(
        [sys.executable, "run.py", "experiment", str(path), "--out", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith(f"run.py: error: {path}: design.factors.eu.nonsense")
    assert proc.stdout == "" and not (tmp_path / "out").exists()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _shards_on_disk(out: Path) -> int:
    return len(list((out / "runs").glob("part-*.parquet"))) if (out / "runs").exists() else 0


@pytest.mark.slow
def test_resume_after_sigkill_mid_batch(tmp_path):
    """kill -9 the whole batch (parent and pool) once some shards are on disk; resume; compare."""
    text = EXP.replace("replicates = 3", "replicates = 12").replace("steps = 12", "steps = 24")
    text = text.replace("flush_every = 4", "flush_every = 2")
    path = write(tmp_path, text)
    out = tmp_path / "killed"
    cmd = [sys.executable, "run.py", "experiment", str(path), "--out", str(out), "--workers", "2", "--quiet"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while _shards_on_disk(out) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the batch finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)  # the batch's process only: its pool must not outlive it
        proc.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _group_alive(proc.pid), "pool processes outlived the killed batch"
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
    n_before = len(batch.load_runs(out))
    assert 0 < n_before < 72
    resumed = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    assert f"({n_before} already on disk)" in resumed.stdout or "already on disk" in resumed.stdout
    full = run(path, tmp_path / "full")
    assert full.ran == 72
    resumed_runs = batch.load_runs(out)
    assert resumed_runs["run"].tolist() == list(range(72))
    pd.testing.assert_frame_equal(comparable(batch.load_runs(tmp_path / "full")), comparable(resumed_runs))
    pd.testing.assert_frame_equal(batch.load_series(tmp_path / "full"), batch.load_series(out))


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_dask_local_cluster_gives_the_same_results(reference, tmp_path):
    path, out, _ = reference
    summary = run(path, tmp_path / "dask", workers=2, dask="local", chunk_size=3)
    assert summary.backend.startswith("Dask LocalCluster") and summary.ran == 18
    assert summary.warnings == []  # its workers compute as this process does (one BLAS thread or several)
    pd.testing.assert_frame_equal(comparable(batch.load_runs(out)), comparable(batch.load_runs(tmp_path / "dask")))
    pd.testing.assert_frame_equal(batch.load_series(out), batch.load_series(tmp_path / "dask"))


@pytest.mark.slow
def test_a_lost_dask_worker_loses_no_run(reference, tmp_path, monkeypatch):
    """SIGKILL one Dask worker mid-batch: Dask reruns its tasks on the restarted worker; same rows."""
    path, out, _ = reference

    class KillingDask(batch.Dask):
        def imap(self, job, chunks):
            for i, result in enumerate(super().imap(job, chunks)):
                yield result
                if i == 1:
                    pids = self.client.run(os.getpid)
                    os.kill(next(iter(pids.values())), signal.SIGKILL)

    monkeypatch.setattr(batch, "Dask", KillingDask)
    summary = run(path, tmp_path / "dask", workers=2, dask="local", chunk_size=1)
    assert summary.ran == 18 and summary.remaining == 0 and not summary.stopped
    pd.testing.assert_frame_equal(comparable(batch.load_runs(out)), comparable(batch.load_runs(tmp_path / "dask")))


def test_a_changed_model_is_refused_unless_allowed(reference, tmp_path, monkeypatch, capsys):
    path, _out, _ = reference
    part = tmp_path / "part"
    run(path, part, limit=4)
    monkeypatch.setattr(batch, "model_fingerprint", lambda deposits: "another model")
    with pytest.raises(InputError) as err:
        run(path, part)
    assert err.value.key == "model" and "--allow-model-change" in str(err.value)
    summary = run(path, part, allow_model_change=True)
    assert summary.ran == 14 and "changed model" in capsys.readouterr().err
    assert batch.read_manifest(part)["sessions"][-1]["model_fingerprint"] == "another model"


def test_unreachable_dask_scheduler_is_one_line(reference, tmp_path, monkeypatch):
    path, _, _ = reference
    monkeypatch.setattr(batch, "Dask", lambda address, workers: _Refusing(address))
    with pytest.raises(InputError, match="no scheduler answered"):
        run(path, tmp_path / "out", dask="tcp://127.0.0.1:1")


class _Refusing(batch.Dask):
    def __init__(self, address):
        super().__init__(address, 1)

    def __enter__(self):
        raise InputError("--dask", self.address, "no scheduler answered (test)")

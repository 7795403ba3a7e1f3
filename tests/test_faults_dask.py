"""Dask workers lost mid-batch: the batch completes with every run once, the same rows as a serial batch."""

from __future__ import annotations

import os
import signal
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from experiments import batch, design
from tests.experiment_text import small_experiment

EXP = small_experiment("dask fault test", steps=16, replicates=6, seed=5, deposits=60, years="", flush_every=3)
N_RUNS = 36


def run(path: Path, out: Path, **kw) -> batch.Summary:
    exp = design.load(path)
    return batch.run_experiment(exp, design.expand(exp), out, **kw)


def comparable(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=["elapsed_s"], errors="ignore").sort_values("run").reset_index(drop=True)


class KillingDask(batch.Dask):
    """Kills one worker process (SIGKILL) after each of the results numbered in ``KILL_AFTER``."""

    KILL_AFTER = (1, 6, 12)
    killed: list[int] = []

    def imap(self, job, chunks):
        for i, result in enumerate(super().imap(job, chunks)):
            yield result
            if i in self.KILL_AFTER:
                pids = sorted(self.client.run(os.getpid).values())  # the workers alive now
                victim = pids[len(type(self).killed) % len(pids)]
                os.kill(victim, signal.SIGKILL)
                type(self).killed.append(victim)


@pytest.mark.slow
def test_killed_dask_workers_lose_and_duplicate_nothing(tmp_path, monkeypatch):
    path = tmp_path / "exp.toml"
    path.write_text(textwrap.dedent(EXP))
    serial = run(path, tmp_path / "serial")
    assert serial.ran == N_RUNS

    KillingDask.killed = []
    monkeypatch.setattr(batch, "Dask", KillingDask)
    summary = run(path, tmp_path / "dask", workers=2, dask="local", chunk_size=1)
    assert len(KillingDask.killed) == 3, "the workers were not killed"
    assert (summary.ran, summary.remaining, summary.failed_total, summary.stopped) == (N_RUNS, 0, 0, "")

    out = tmp_path / "dask"
    raw = pd.concat(pd.read_parquet(p) for p in sorted((out / "runs").glob("part-*.parquet")))
    assert sorted(raw["run"]) == list(range(N_RUNS)), "a run is missing or landed twice"
    pd.testing.assert_frame_equal(
        comparable(batch.load_runs(tmp_path / "serial")), comparable(batch.load_runs(out)), check_exact=True
    )
    pd.testing.assert_frame_equal(batch.load_series(tmp_path / "serial"), batch.load_series(out), check_exact=True)
    raw_series = pd.concat(pd.read_parquet(p) for p in sorted((out / "series").glob("part-*.parquet")))
    assert not raw_series.duplicated(["run", "step"]).any()
    assert batch.read_manifest(out)["sessions"][-1]["ran"] == N_RUNS

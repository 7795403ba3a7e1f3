"""The test run itself: Ctrl-C stops it within seconds, wherever it is, and no process it started outlives it.

A real ``pytest`` runs tests that start process pools, ``run.py`` subprocesses in their own sessions and a Dask
cluster, on two xdist workers; Ctrl-C (SIGINT to its process group, as a terminal sends it) comes while it
starts its workers, or while those tests run. Every process the run started carries a marker in its
environment, by which the survivors are found.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import RUN_MARK, marked_processes

ROOT = Path(__file__).resolve().parent.parent
BUSY = [  # tests that leave pools, sessions of their own and a cluster running while they last
    "tests/test_batch.py::test_resume_after_sigkill_mid_batch",
    "tests/test_batch.py::test_dask_local_cluster_gives_the_same_results",
    "tests/test_faults_kill.py::test_a_killed_pool_worker_stops_the_batch_and_the_resume_loses_nothing",
    "tests/test_faults_kill.py::test_two_sigterms_in_a_row_still_save_and_stop_cleanly",
]


def _default_sigint() -> None:
    """A child inherits an ignored SIGINT from its parent; a test run started from a shell has it at its default."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.parametrize("after_s", [2.0, 12.0])  # starting its workers; running the tests above
def test_ctrl_c_stops_a_test_run_within_seconds_and_leaves_no_process(after_s):
    name, value = "GREAT_GAME_HYGIENE", uuid.uuid4().hex
    probe = f"{name}={value}"
    env = {k: v for k, v in os.environ.items() if k != RUN_MARK} | {name: value}  # the inner run is its own
    argv = [sys.executable, "-m", "pytest", "-q", "-m", "slow", "-n", "2", *BUSY]
    proc = subprocess.Popen(  # with Ctrl-C at its default, as a shell starts it (not as this process has it now)
        argv,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_default_sigint,
    )
    try:
        time.sleep(after_s)
        assert proc.poll() is None, "the run ended before Ctrl-C"
        os.killpg(proc.pid, signal.SIGINT)
        sent = time.monotonic()
        proc.wait(timeout=30)
        took = time.monotonic() - sent
        time.sleep(0.5)  # SIGKILL is delivered at once, but a process leaves /proc when it is reaped
        left = marked_processes(probe.encode())
        assert took < 5 and not left, (took, left)
    finally:
        for pid in [proc.pid, *marked_processes(probe.encode())]:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)

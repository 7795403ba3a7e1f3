"""Dask: workers lost mid-batch lose and duplicate no run; a bad or wrong address is one line, never a hang.

The family of addresses: any text, other schemes (ucx://, inproc://, http://), missing or out-of-range ports,
hosts with spaces or control characters (refused before anything starts), and well-formed addresses whose port
is closed, silent, answers garbage or HTTP, or tls:// without Dask's TLS settings (one line within the
connection deadline).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.runner import backends, batch, design
from experiments.safe_io import store
from tests.cli_helpers import assert_one_line_error, run_cli
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
    assert not raw_series.duplicated(store.SERIES_KEY).any()
    assert batch.read_manifest(out)["sessions"][-1]["ran"] == N_RUNS


# --- Dask addresses: each one line, none a hang ----------------------------------------------------------

addresses = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.builds(
        "{}://{}:{}".format,
        st.sampled_from(["ucx", "inproc", "http", "udp", "tcp ", "TCP", ""]),
        st.sampled_from(["127.0.0.1", "host", "[::1]"]),
        st.integers(1, 65535),
    ),
    st.builds(
        "tcp://{}:{}".format,
        st.sampled_from(["", " ", "host name", "a\nb", "h\x1b[31m", "[::1", "-x"]),
        st.integers(1, 65535),
    ),
    st.builds(
        "tcp://127.0.0.1:{}".format,
        st.one_of(st.integers(max_value=0), st.integers(65536), st.sampled_from(["", "x", "9" * 5000, "80/x"])),
    ),
    st.sampled_from(["tcp://127.0.0.1", "tcp://:8786", "local ", "LOCAL", "tls://"]),
)


@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(address=addresses)
def test_a_malformed_dask_address_is_one_line(tmp_path_factory, capsys, address):
    tmp = tmp_path_factory.mktemp("dask")
    (tmp / "exp.toml").write_text(textwrap.dedent(EXP))
    code, out, err = run_cli(capsys, "experiment", str(tmp / "exp.toml"), "--dask", address, "--out", str(tmp / "o"))
    assert_one_line_error(code, err, "--dask")
    assert out == "" and sorted(p.name for p in tmp.iterdir()) == ["exp.toml"]


@contextlib.contextmanager
def server(kind: str):
    """A port that answers, but not as Dask does: silently, with garbage, or as a web server."""
    srv = socket.create_server(("127.0.0.1", 0))
    port, conns = srv.getsockname()[1], []

    def serve() -> None:
        while True:
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conns.append(conn)
            if kind == "garbage":
                conn.sendall(b"\xff" * 64 + b"\x00" * 64)
            elif kind == "http":
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield port
    finally:
        srv.close()
        for conn in conns:
            conn.close()


WAITS = pytest.mark.slow  # these wait for the deadline (2 s here)


@pytest.mark.parametrize(
    ("scheme", "kind"),
    [
        pytest.param("tcp", "silent", marks=WAITS),
        pytest.param("tcp", "closed", marks=WAITS),
        ("tcp", "garbage"),
        ("tcp", "http"),
        ("tls", "silent"),
    ],
)
def test_a_port_that_is_not_a_dask_scheduler_is_one_line_within_the_deadline(
    tmp_path, capsys, monkeypatch, scheme, kind
):
    """A silent port used to hang in distributed.Client forever; garbage made it allocate exabytes; tls://
    without Dask's TLS settings was a traceback."""
    monkeypatch.setattr(backends, "CONNECT_SECONDS", 2.0)
    (tmp_path / "exp.toml").write_text(textwrap.dedent(EXP))
    with server(kind) as port:
        port = port if kind != "closed" else socket.create_server(("127.0.0.1", 0)).getsockname()[1]  # closed at once
        started = time.monotonic()
        code, out, err = run_cli(
            capsys, "experiment", str(tmp_path / "exp.toml"), "--dask", f"{scheme}://127.0.0.1:{port}",
            "--out", str(tmp_path / "o"), "--quiet",
        )  # fmt: skip
    assert time.monotonic() - started < 10
    assert_one_line_error(code, err, "--dask", "no Dask scheduler answered")
    assert not (tmp_path / "o").exists() and "Traceback" not in out


# --- Dask workers killed at random moments, through the command line -------------------------------------


@pytest.mark.slow
def test_dask_workers_killed_at_random_moments_leave_one_line_at_most_and_the_rows(tmp_path):
    """One to three workers of ``--dask local`` killed (SIGKILL) at random moments, from the cluster's start to
    the batch's end: the command ends with its summary (or, if the cluster could not start, one line saying to run
    it again), never a traceback or a log line; run again, the rows are those of a serial batch."""
    import random
    import subprocess
    import sys

    import psutil

    from tests.test_faults_kill import ROOT, finish, start

    seed = int(os.environ.get("FAULTS_SEED", random.SystemRandom().randrange(2**32)))  # new moments each run
    rng = random.Random(seed)
    path = tmp_path / "exp.toml"
    path.write_text(textwrap.dedent(EXP))
    serial = run(path, tmp_path / "serial")
    out = tmp_path / "dask"
    proc = start(path, out, 2, "--dask", "local")
    moments = sorted(rng.uniform(0.5, 9.0) for _ in range(rng.randint(1, 3)))
    began, killed = time.monotonic(), []
    for moment in moments:
        time.sleep(max(0.0, began + moment - time.monotonic()))
        with contextlib.suppress(psutil.Error):  # the batch or a worker may end meanwhile
            workers = [c for c in psutil.Process(proc.pid).children() if "spawn_main" in " ".join(c.cmdline())]
            victim = rng.choice(workers) if workers else None
            if victim is not None:
                victim.kill()
                killed.append((round(moment, 2), victim.pid))
    code, _, err = finish(proc)
    print(f"FAULTS_SEED={seed}: kills {killed}")
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 1, err[-3000:]
    assert code == 0 or (code == 1 and "run the same command again" in err), (code, err[-2000:])
    again = subprocess.run(
        [sys.executable, "run.py", "experiment", str(path), "--out", str(out), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    assert serial.ran == N_RUNS
    pd.testing.assert_frame_equal(
        comparable(batch.load_runs(tmp_path / "serial")), comparable(batch.load_runs(out)), check_exact=True
    )

"""Shared fixtures: tiny hand-made deposit tables so rule tests do not depend on the real data; and the test run's
own hygiene: no process it started outlives it, and browser tests find Solara's assets or say how to get them."""

from __future__ import annotations

import contextlib
import csv
import os
import signal
from pathlib import Path

import pytest

from model.deposit_load import COLUMNS
from model.powers import POWERS

QUIET_POWERS = {f"{p.lower()}.budget_usd_m": 0.0 for p in POWERS}  # every power idle


def deposit_row(**over) -> dict:
    row = {
        "id": "d1",
        "name": "Test One",
        "commodity": "copper",
        "contained_t": "1000000",
        "capacity_t_per_q": "10000",
        "lead_time_q": "8",
        "stage_2026": "unlicensed",
        "start_year": "",
        "holders_2026": "",
        "offtake_2026": "",
        "region": "Abai Region",
        "lon": "79.0",
        "lat": "47.0",
        "coord_approx": "false",
        "channel": "auction",
        "strategic": "false",
        "capex_usd_m": "",
        "source": "test",
    }
    row.update({k: str(v) for k, v in over.items()})
    return row


def write_table(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=[*COLUMNS, "start_year"])
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def table(tmp_path):
    """Factory: table(row_overrides, ...) -> path of a CSV with those rows."""

    def make(*rows: dict) -> str:
        return str(write_table(tmp_path / "deposits.csv", [deposit_row(**r) for r in rows]))

    return make


# Every process a test run starts (xdist workers, pools, `run.py` subprocesses in their own sessions, Dask workers,
# the dashboard's server) inherits this variable; when the run ends, Ctrl-C included, the process that set it
# kills whichever of them is still there.
RUN_MARK = "GREAT_GAME_TEST_RUN"


def pytest_configure(config):
    os.environ.setdefault(RUN_MARK, str(os.getpid()))


def pytest_keyboard_interrupt(excinfo):
    """Ctrl-C: stop at once (pytest-xdist would otherwise give its workers up to 10 s to finish)."""
    reap()


def pytest_unconfigure(config):
    reap()


def reap() -> None:
    """In the process that started the run: kill every other process of the run still alive."""
    if os.environ.get(RUN_MARK) == str(os.getpid()):
        for pid in marked_processes(f"{RUN_MARK}={os.getpid()}".encode()):
            with contextlib.suppress(OSError):  # gone meanwhile
                os.kill(pid, signal.SIGKILL)


def marked_processes(entry: bytes) -> list[int]:
    """The processes, other than this one, whose environment holds ``entry`` (``NAME=value``)."""
    found = []
    for name in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if name.isdigit() and int(name) != os.getpid():
            try:
                with open(f"/proc/{name}/environ", "rb") as fh:
                    if entry in fh.read().split(b"\0"):
                        found.append(int(name))
            except OSError:  # gone, or not ours to read
                pass
    return found


def pytest_runtest_setup(item):
    """Before a browser test's fixtures: with Chromium present, Solara's assets are installed, or the test is
    skipped with the command that would install them (the tests serve the dashboard offline)."""
    if "browser" in item.keywords:
        from tests.browser.support import assets_ready

        reason = assets_ready()
        if reason:
            pytest.skip(reason)

"""``python run.py dashboard [--port N]``: the dashboard in one command.

Checks Solara's browser assets (installing them once if missing, see dashboard/assets.py), then starts
``solara run server.py`` on 127.0.0.1 in production mode, with no request to the internet: telemetry off,
Solara's check for a newer version on PyPI off, no browser opened; and prints the address.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path

from dashboard.assets import AssetsError, ensure

SERVER = Path(__file__).resolve().parent.parent / "server.py"
HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def command(port: int) -> list[str]:
    """The ``solara run`` command line (run with this Python, so that the same environment serves it)."""
    return [
        sys.executable, "-m", "solara", "run", str(SERVER), "--host", HOST, "--port", str(port),
        "--production", "--no-check-version", "--no-open",
    ]  # fmt: skip


def environment() -> dict[str, str]:
    return {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false", "REACTON_FAST": "1"}


def main(port: int = DEFAULT_PORT) -> int:
    """Check the assets, print the address, and become the server (exit code 2: it cannot start)."""
    try:
        ensure(say=lambda text: print(f"dashboard: {text}", flush=True))
    except AssetsError as exc:
        print(f"run.py: error: dashboard: {exc}", file=sys.stderr)
        return 2
    port = free_port() if port == 0 else port
    if not port_free(port):
        print(
            f"run.py: error: dashboard: port {port} is in use; allowed: a free port (--port 0 picks one)",
            file=sys.stderr,
        )
        return 2
    print(f"dashboard: http://{HOST}:{port}/ (Ctrl-C stops it)", flush=True)
    os.chdir(SERVER.parent)
    os.execve(sys.executable, command(port), environment())  # noqa: S606 (our own Python, no shell)
    return 0  # not reached: the process is now the server

"""Ten browser sessions at once against one server: no cross-talk, no errors, memory returns after they close.

Uses its own ``python run.py dashboard`` (short session cull time) so that its memory is not mixed with the
other browser tests'.
"""

from __future__ import annotations

import time

import psutil
import pytest

from tests.browser.support import VIEWPORT, DashboardServer, open_dashboard, quarter, step

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SESSIONS = 10


def tree_rss_mb(pid: int) -> float:
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


def run_sessions(chromium, url: str) -> None:
    """Ten sessions at once, session i stepping i + 1 quarters; each must see only its own model."""
    contexts = [chromium.new_context(viewport=VIEWPORT) for _ in range(SESSIONS)]
    try:
        pages = [open_dashboard(ctx, url) for ctx in contexts]
        start = quarter(pages[0][0])
        seen = {i: step(page, i + 1) for i, (page, _) in enumerate(pages)}
        for i, (page, watch) in enumerate(pages):
            assert quarter(page) == seen[i]
            assert watch.errors == [], (i, watch.errors)
        assert len(set(seen.values())) == SESSIONS and start not in seen.values()
    finally:
        for ctx in contexts:
            ctx.close()


def test_ten_sessions_step_their_own_models_and_memory_returns(chromium, monkeypatch, tmp_path):
    """Three rounds of ten sessions: the server's memory after a round (sessions culled) must not keep growing."""
    monkeypatch.setenv("SOLARA_KERNEL_CULL_TIMEOUT", "2s")
    with DashboardServer(log_path=tmp_path / "server.log") as server:
        rss = []
        for _ in range(3):
            run_sessions(chromium, server.url)
            time.sleep(10)  # closed tabs are culled 2 s after their websocket goes
            rss.append(tree_rss_mb(server.proc.pid))
        assert server.bad_log_lines() == []
        assert "Traceback" not in server.log()
        print(f"\nserver RSS after each round of {SESSIONS} sessions: {', '.join(f'{r:.0f} MB' for r in rss)}")
        assert rss[2] - rss[1] < 0.5 * max(rss[1] - rss[0], 20.0), rss  # growth levels off: nothing kept per session

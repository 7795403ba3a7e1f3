"""Fixtures for the browser tests: one ``python run.py dashboard`` and one Chromium for the whole session.

The server gets its own results folder (the Experiments tab writes there) and a sitecustomize that logs every
outgoing connection (``support.NET_AUDIT``). Needs Debian's Chromium (``apt-get install -y chromium``) and
Solara's assets (``python -m dashboard.assets``); without Chromium the tests are skipped, without the assets
they fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.support import (
    CHROMIUM,
    NET_AUDIT,
    VIEWPORT,
    DashboardServer,
    launch_chromium,
    missing_assets,
    proxy_cache_dir,
)


@pytest.fixture(scope="session")
def dashboard_server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install -y chromium)")
    missing = missing_assets()
    if missing:
        pytest.fail(f"Solara assets missing from {proxy_cache_dir()}: {missing}; run python -m dashboard.assets")
    home = tmp_path_factory.mktemp("dashboard")
    (home / "site").mkdir()
    (home / "site" / "sitecustomize.py").write_text(NET_AUDIT)
    env = {
        "GG_RESULTS_DIR": str(home / "results"),
        "GG_NET_LOG": str(home / "net.log"),
        "PYTHONPATH": str(home / "site"),
    }
    server = DashboardServer(log_path=home / "server.log", env=env).start()
    server.home = home
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium(dashboard_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = launch_chromium(p)
        yield browser
        browser.close()


@pytest.fixture
def context(chromium):
    ctx = chromium.new_context(viewport=VIEWPORT, accept_downloads=True)
    yield ctx
    ctx.close()

"""Fixtures for the browser tests: one ``solara run server.py`` and one Chromium for the session.

Needs Debian's Chromium (``apt-get install -y chromium``) and Solara's assets in the proxy cache
(``.ci/solara_assets.sh``); without Chromium the tests are skipped, without the assets they fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.support import CHROMIUM, VIEWPORT, DashboardServer, launch_chromium, missing_assets, proxy_cache_dir


@pytest.fixture(scope="session")
def dashboard_server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("no Chromium at /usr/bin/chromium (apt-get install -y chromium)")
    missing = missing_assets()
    if missing:
        pytest.fail(f"Solara assets missing from {proxy_cache_dir()}: {missing}; run .ci/solara_assets.sh")
    server = DashboardServer(log_path=tmp_path_factory.mktemp("solara") / "server.log").start()
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
    ctx = chromium.new_context(viewport=VIEWPORT)
    yield ctx
    ctx.close()

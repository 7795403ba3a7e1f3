"""Pause at the fastest setting, with a browser that draws more slowly than the server steps."""

from __future__ import annotations

import pytest

from tests.browser.support import (
    button_enabled,
    click_once,
    later,
    open_dashboard,
    press,
    quarter,
    quarters_between,
    set_speed,
    settle,
    throttle_cpu,
    wait_drawn,
)

pytestmark = pytest.mark.browser


def test_pause_at_the_fastest_setting_stops_within_two_quarters(dashboard_server, context):
    """One click on Pause stops the run at once, even when the browser draws more slowly than the server steps
    (CPU throttled 4×): at most two quarters follow the one on screen at the click (the frames in flight)."""
    page, watch = open_dashboard(context, dashboard_server.url)
    set_speed(page, "as fast as drawn")
    throttle_cpu(page, 4)
    for _ in range(2):
        before = quarter(page)
        press(page, "Play")
        page.wait_for_function(
            "q => document.querySelector('.gg-quarter')?.textContent >= q",
            arg=later(before, 6),
            timeout=30_000,
            polling=100,
        )
        shown = click_once(page, "Pause")  # one click: a second one would play again
        page.get_by_role("button", name="Play").wait_for(timeout=5_000)
        stopped = settle(page, quiet_ms=800)
        assert 0 <= quarters_between(shown, stopped) <= 2, (shown, stopped)
        wait_drawn(page, stopped)
        page.wait_for_timeout(1000)
        assert quarter(page) == stopped and button_enabled(page, "Step")
    assert watch.errors == []

"""Play, Pause, the run's end and Reset in real Chromium (issue 11, items 16, 17 and 19)."""

from __future__ import annotations

import pytest

from dashboard.app import PLAY_INTERVAL_MS
from dashboard.sim import DEFAULT_SEED, RUN_QUARTERS
from model import scenario as scenarios
from model.model import quarter_label
from model.params import PARAMS
from tests.browser.support import (
    button_enabled,
    click_once,
    later,
    open_dashboard,
    press,
    quarter,
    quarters_between,
    set_play_interval_to_minimum,
    settle,
    step,
    throttle_cpu,
    wait_drawn,
)

pytestmark = pytest.mark.browser
LAST = quarter_label(PARAMS["run.start_year"].default, RUN_QUARTERS)  # 2050Q4


def test_pause_at_the_smallest_interval_stops_within_one_render(dashboard_server, context):
    """One click on ❚❚ stops the run at once, even when the browser draws more slowly than the server
    steps (CPU throttled 4×): the button flips, and at most two quarters follow the one on screen at the
    click (the frame on its way to the browser and the step already under way)."""
    page, watch = open_dashboard(context, dashboard_server.url)
    assert set_play_interval_to_minimum(page) == 1
    throttle_cpu(page, 4)
    for _ in range(2):
        before = quarter(page)
        press(page, "▶")
        page.wait_for_function(
            "q => document.querySelector('.gg-quarter')?.textContent >= q",
            arg=later(before, 6),
            timeout=20_000,
            polling=100,
        )
        shown = click_once(page, "❚❚")  # one click: a second one would play again
        page.get_by_role("button", name="▶").wait_for(timeout=3_000)
        stopped = settle(page, quiet_ms=800)
        assert 0 <= quarters_between(shown, stopped) <= 2, (shown, stopped)
        wait_drawn(page, stopped)
        page.wait_for_timeout(1000)
        assert quarter(page) == stopped and button_enabled(page, "Step")
    assert watch.errors == []


def test_play_stops_at_the_runs_last_quarter(dashboard_server, context):
    """Play at the smallest interval runs the 100 quarters of `python run.py run` and stops on the last."""
    page, watch = open_dashboard(context, dashboard_server.url)
    set_play_interval_to_minimum(page)
    press(page, "▶")
    page.locator(".gg-over", has_text="The run is over").wait_for(timeout=60_000)
    wait_drawn(page, LAST)
    page.wait_for_timeout(1500)
    assert quarter(page) == LAST and f"step {RUN_QUARTERS} of {RUN_QUARTERS}" in page.locator(".gg-run").inner_text()
    assert not button_enabled(page, "Step") and not button_enabled(page, "▶") and not button_enabled(page, "❚❚")
    press(page, "Reset")  # and Reset starts it again
    wait_drawn(page, quarter_label(PARAMS["run.start_year"].default, 0))
    assert button_enabled(page, "Step") and page.locator(".gg-over").count() == 0
    assert watch.errors == []


def test_reset_with_untouched_levers_keeps_the_scenarios_values(dashboard_server, context):
    """The page leaves every slider where the scenario puts it (Vuetify snaps off-grid values), so the
    first Reset builds the model of `python run.py run --scenario baseline --seed 42`."""
    page, watch = open_dashboard(context, dashboard_server.url)
    initial = quarter(page)
    step(page)
    press(page, "Reset")
    wait_drawn(page, initial)
    command = page.locator(".gg-command").inner_text()
    assert command == f"python run.py run --scenario baseline --seed {DEFAULT_SEED}"
    budget = scenarios.load("baseline").params().values()["cn.budget_usd_m"]
    card = page.locator(".gg-this-run").inner_text()
    assert f"{budget:g}" in card
    sliders = {
        name: float(page.locator(f'.v-input:has-text("{name}") [role=slider]').first.get_attribute("aria-valuenow"))
        for name in ("China's budget", "Play Interval")
    }
    assert sliders == {"China's budget": budget, "Play Interval": PLAY_INTERVAL_MS}
    assert watch.errors == []

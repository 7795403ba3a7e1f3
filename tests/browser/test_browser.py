"""The dashboard in real Chromium against ``solara run server.py`` (no internet: assets from the cache)."""

from __future__ import annotations

import pytest

from model import scenario as scenarios
from tests.browser.support import (
    ROOT,
    drawn,
    open_dashboard,
    press,
    quarter,
    set_play_interval_to_minimum,
    settle,
    step,
    svg_of,
    wait_drawn,
)

pytestmark = pytest.mark.browser


def test_page_renders_with_no_errors_and_no_asset_failures(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    page.locator(".gg-events").wait_for()
    assert page.locator(".gg-map svg .layer_0_marks path").count() >= 1  # the outline
    assert page.locator(".gg-map svg .layer_1_marks path").count() > 20  # the deposits
    assert page.locator(".gg-charts svg").count() == 1
    for name in ("EU approval delay", "EU finance", "EU trust-building", "China's budget", "US engagement",
                 "Host's weight on diversification", "Seed", "Play Interval"):  # fmt: skip
        assert page.locator(f'.v-input:has-text("{name}") [role=slider]').count() >= 1, name
    for name in ("Reset", "▶", "Step"):
        assert page.get_by_role("button", name=name).is_visible()
    page.wait_for_timeout(500)
    assert watch.errors == []
    assert dashboard_server.bad_log_lines() == []


def test_step_advances_the_quarter_and_the_views_change(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    q0, map0, charts0 = quarter(page), svg_of(page, "map"), svg_of(page, "charts")
    assert drawn(page, "map")[0] == q0
    q1 = step(page)
    assert q1 != q0 and drawn(page, "map")[0] == q1 and drawn(page, "charts")[0] == q1
    step(page, 3)
    assert svg_of(page, "map") != map0 and svg_of(page, "charts") != charts0
    assert quarter(page) in page.locator(".gg-map svg").first.text_content()  # the quarter drawn on the map
    assert watch.errors == []


def test_hovering_a_deposit_shows_its_name_commodity_holders_and_stage(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    page.locator(".gg-map svg .layer_1_marks path").nth(2).hover(force=True)
    tip = page.locator("#vg-tooltip-element.visible")
    tip.wait_for()
    text = tip.inner_text()
    for field in ("Deposit", "Commodity", "Holders", "Stage"):
        assert field in text
    assert watch.errors == []


def test_play_runs_and_pauses(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    q0 = quarter(page)
    press(page, "▶")
    page.wait_for_function("q => document.querySelector('.gg-quarter')?.textContent > q", arg=q0[:4] + "Q4")
    press(page, "❚❚")
    page.get_by_role("button", name="▶").wait_for()
    paused = settle(page)  # updates already on the wire arrive, then nothing moves
    wait_drawn(page, paused)
    page.wait_for_timeout(1200)
    assert quarter(page) == paused > q0
    assert page.get_by_role("button", name="Step").is_enabled()
    assert watch.errors == []


def test_scenario_change_and_reset_rebuild_the_model(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    q0 = quarter(page)
    step(page, 2)
    page.locator(".gg-scenario .v-select").click()
    page.locator(".v-menu__content .v-list-item", has_text="china_surge").click()
    page.get_by_text("Press Reset to run china_surge").wait_for()
    surge = scenarios.load("china_surge").params().values()["cn.budget_usd_m"]
    # the (re-mounted) slider starts at the scenario's value; once it does, the new controls are in place
    page.wait_for_function(
        """v => [...document.querySelectorAll('.v-input')].some(i => i.textContent.includes("China's budget")
              && parseFloat(i.querySelector('[role=slider]')?.getAttribute('aria-valuenow')) === v)""",
        arg=surge,
    )
    page.get_by_role("button", name="Reset").click()
    page.locator(".gg-run", has_text="scenario china_surge").wait_for()
    wait_drawn(page, q0)
    page.locator(".gg-this-run", has_text=f"{surge:g}").wait_for()  # the card shows what the model runs with
    step(page)
    assert watch.errors == []


def test_scenario_change_while_playing_stops_the_play(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    press(page, "▶")
    page.wait_for_timeout(800)
    page.locator(".gg-scenario .v-select").click()
    page.locator(".v-menu__content .v-list-item", has_text="eu_late_start").click()
    page.get_by_role("button", name="▶").wait_for()
    stopped = settle(page)  # the old controls' loop did not play on (else this raises)
    page.get_by_role("button", name="Reset").click()
    page.locator(".gg-run", has_text="scenario eu_late_start").wait_for()
    initial = quarter(page)
    assert initial < stopped
    press(page, "▶")  # the new controls play the new model
    page.wait_for_function("q => document.querySelector('.gg-quarter')?.textContent > q", arg=initial)
    press(page, "❚❚")
    assert watch.errors == []


def test_compare_bad_seed_gets_a_message_in_place(dashboard_server, context):
    """Issue 11.15: a negative seed marks the seed box with a message; the page stays as it is."""
    page, watch = open_dashboard(context, dashboard_server.url)
    page.get_by_role("tab", name="Compare").click()
    page.locator(".gg-compare-table").wait_for()
    box = page.locator(".gg-compare-seed input")
    box.fill("-5")
    box.press("Enter")
    page.locator(".gg-compare-seed", has_text="-5: out of range").wait_for()
    page.locator(".gg-compare-note").wait_for()
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and str(ROOT) not in body and page.locator(".gg-compare-table").count() == 0
    box.fill("7")
    box.press("Enter")
    page.locator(".gg-compare-table").wait_for()
    assert watch.errors == [] and dashboard_server.bad_log_lines() == []


def test_two_browser_contexts_keep_separate_models(dashboard_server, chromium):
    from tests.browser.support import VIEWPORT

    a_ctx, b_ctx = chromium.new_context(viewport=VIEWPORT), chromium.new_context(viewport=VIEWPORT)
    try:
        a, _ = open_dashboard(a_ctx, dashboard_server.url)
        b, _ = open_dashboard(b_ctx, dashboard_server.url)
        q0 = quarter(a)
        qa = step(a, 3)
        assert quarter(b) == q0
        qb = step(b, 1)
        assert quarter(a) == qa and qb != qa and quarter(b) == qb
    finally:
        a_ctx.close()
        b_ctx.close()


def test_compare_tab_shows_both_scenarios(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    page.get_by_role("tab", name="Compare").click()
    page.locator(".gg-compare svg").first.wait_for()
    page.locator(".gg-compare-table").wait_for()
    assert "B − A" in page.locator(".gg-compare").inner_text()
    assert watch.errors == []


def test_play_at_the_smallest_interval_keeps_drawing(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    assert set_play_interval_to_minimum(page) == 1
    frames0 = drawn(page, "map")[1]
    press(page, "▶")
    page.wait_for_timeout(1000)  # well before the run's end (100 quarters at 20-40 a second)
    # a render from another thread while the model plays (here: a slider) must not stall the page
    seed = page.locator(".v-input:has-text('Seed') [role=slider]")
    seed.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(700)
    press(page, "❚❚")
    page.get_by_role("button", name="▶").wait_for()
    assert drawn(page, "map")[1] - frames0 >= 5  # Solara's own debounced chart would not draw at all
    assert "Too many renders" not in page.locator("body").inner_text()
    assert page.locator(".gg-map .gg-vega").count() == 1
    wait_drawn(page, quarter(page))
    assert watch.errors == []


def test_play_with_mesas_use_threads_option(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    page.get_by_text("Use Threads").click()
    page.get_by_text("Increase play interval to avoid skipping plots").wait_for()  # Mesa took the option
    set_play_interval_to_minimum(page)
    q0 = quarter(page)
    press(page, "▶")
    page.wait_for_timeout(1000)
    press(page, "❚❚")
    page.get_by_role("button", name="▶").wait_for()
    page.wait_for_timeout(500)
    assert quarter(page) > q0 and drawn(page, "map")[1] >= 3
    assert watch.errors == []


def test_screenshot_after_40_quarters(dashboard_server, chromium, tmp_path):
    """What `python -m tests.browser.screenshot` does for docs/img/dashboard.png."""
    from tests.browser.screenshot import MAX_BYTES, take

    path = take(tmp_path / "dashboard.png", 40, dashboard_server, chromium)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size < MAX_BYTES


def test_server_log_stays_clean(dashboard_server):
    """Last: nothing in the whole session logged an asset failure or a traceback."""
    assert dashboard_server.bad_log_lines() == []

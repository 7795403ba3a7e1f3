"""The dashboard in real Chromium against ``python run.py dashboard`` (no internet: assets from the cache)."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from dashboard.sim import make_model
from model.params import PARAMS
from tests.browser.support import (
    LOCAL,
    MAP_ITEMS,
    downloaded,
    drawn,
    map_items,
    open_dashboard,
    open_tab,
    press,
    quarter,
    step,
    wait_drawn,
)

pytestmark = pytest.mark.browser


def test_page_is_offline_titled_and_every_control_is_named(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    assert page.title() == "The Great Game: Kazakhstan's critical minerals"
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('button, [role=slider], input:not([type=hidden]), [role=tab]')]
                 .filter(e => e.offsetParent !== null)
                 .filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() || e.title ||
                                (e.labels && [...e.labels].some(l => l.textContent.trim())) ||
                                (e.id && document.querySelector(`label[for="${e.id}"]`))))
                 .map(e => e.outerHTML.slice(0, 120))"""
    )
    assert unnamed == []
    page.wait_for_timeout(500)
    assert watch.errors == [] and dashboard_server.bad_log_lines() == []
    lines = (
        (dashboard_server.home / "net.log").read_text().splitlines()
        if (dashboard_server.home / "net.log").exists()
        else []
    )
    outside = [line for line in lines if line.split(" ", 1)[1].split(",")[0].strip("('") not in LOCAL]
    assert outside == [], outside[:5]  # no request to the internet (PyPI's version check, telemetry)


def test_monitors_number_boxes_help_and_search(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    step(page, 2)
    monitors = page.locator(".gg-monitors").inner_text()
    split = "capacity_share_led_eu" in make_model().measures  # led and flagged where the model has them
    for name in (
        *(("EU-led capacity", "EU-flagged capacity") if split else ("EU capacity share (total)",)),
        "EU supply security",
        "EU value lost",
        "Licences in 2026",
        "Host's trust",
    ):
        assert name in monitors
    box = page.get_by_role("textbox", name="China's budget")
    assert box.input_value() == f"{PARAMS['cn.budget_usd_m'].default:g}"
    box.fill("250")
    box.press("Enter")
    thumb = page.locator('[role=slider][aria-label="China\'s budget"]')
    page.wait_for_function("t => t.getAttribute('aria-valuenow') === '250'", arg=thumb.element_handle())
    page.get_by_role("button", name="About China's budget").hover()
    tip = page.locator(".v-tooltip__content.menuable__content__active")
    tip.wait_for()
    assert (
        PARAMS["cn.budget_usd_m"].source[:40] in tip.inner_text()
        and "Unit: USD million per quarter" in tip.inner_text()
    )
    page.locator(".gg-search input:not([type=hidden])").fill("trust_drift")
    page.locator(".v-menu__content:visible .v-list-item", has_text="host.trust_drift").first.click()
    page.get_by_role("textbox", name="host.trust_drift").wait_for()
    press(page, "Reset")
    page.locator(".gg-command", has_text="--set cn.budget_usd_m=250").wait_for()
    assert watch.errors == []


def test_play_to_the_end_draws_every_quarter_with_flat_frames(dashboard_server, context):
    """At the fastest setting the run's 100 quarters are all drawn (none skipped), and a frame at quarter 100
    is at most 1.2 times one at quarter 10 (the map and the charts send what changed)."""
    from tests.browser.support import Recording, set_speed

    page, watch = open_dashboard(context, dashboard_server.url)
    set_speed(page, "as fast as drawn")
    rec = Recording(page)
    press(page, "Play")
    page.locator(".gg-over", has_text="The run is over").wait_for(timeout=90_000)
    wait_drawn(page, "2050Q4")
    page.wait_for_timeout(500)
    for view in ("map", "charts"):
        quarters = [label for _, label in rec.drawn(view)]
        assert len(set(quarters)) == 100 and quarters == sorted(quarters), view
    ratio = rec.mean_bytes(91, 100) / rec.mean_bytes(6, 15)
    assert ratio <= 1.2, ratio
    assert (
        page.get_by_role("button", name="Play").is_disabled() and page.get_by_role("button", name="Step").is_disabled()
    )
    press(page, "Reset")
    wait_drawn(page, "2025Q4")
    assert watch.errors == []


def test_pause_scrub_and_run_to(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    page.locator(".gg-run-to input:not([type=hidden])").fill("2031Q4")
    press(page, "Run to")
    wait_drawn(page, "2031Q4")
    thumb = page.locator(".gg-scrubber [role=slider]")
    thumb.focus()
    for _ in range(8):
        page.keyboard.press("ArrowLeft")
    wait_drawn(page, "2029Q4")  # a past quarter, from what was recorded
    assert "2029Q4 shown; run so far: to 2031Q4" in page.locator(".gg-scrubber").inner_text()
    q = step(page)
    assert q == "2030Q1" and drawn(page, "map")[0] == q
    press(page, "Play")
    page.wait_for_function("() => document.querySelector('.gg-quarter').textContent >= '2031Q2'")
    press(page, "Pause")
    page.get_by_role("button", name="Play").wait_for()
    assert watch.errors == []


def test_event_log_filters_search_and_csv(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    page.locator(".gg-run-to input:not([type=hidden])").fill("2035Q4")
    press(page, "Run to")
    wait_drawn(page, "2035Q4")
    log = page.locator(".gg-event-lines")
    assert log.locator(".gg-event[data-kind=licences_filed]").count() >= 1  # a quarter's licences, one line
    assert "s's" not in log.inner_text() and "_" not in log.inner_text()
    page.locator(".gg-f-kind").click()
    page.locator(".v-menu__content:visible .v-list-item", has_text="revocation").click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.gg-event-lines .gg-event')].every(e => e.dataset.kind === 'revocation')"
    )
    page.locator(".gg-f-search input:not([type=hidden])").fill("slipped")
    page.locator(".gg-f-search input:not([type=hidden])").press("Enter")
    page.locator(".gg-event-count", has_text=re.compile(r"lines")).wait_for()
    name, data = downloaded(page, lambda: page.get_by_role("button", name="Events as CSV").click())
    table = pd.read_csv(io.BytesIO(data))
    assert name.endswith(".csv") and len(table) > 0 and set(table["kind"]) == {"revocation"}
    assert table["sentence"].str.contains("slipped").all()
    page.get_by_text("Terms").click()
    page.get_by_text("a quarter of development in which the project fell behind its plan").wait_for()
    assert watch.errors == []


def test_inspect_a_deposit_from_the_map_and_from_the_table(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    step(page, 4)
    items = map_items(page)
    item = max(items, key=lambda i: i["y"])  # any deposit on the map (another may lie on top of it)
    page.mouse.click(item["x"], item["y"])
    page.locator(".gg-item-title", has_text="Deposit:").wait_for()
    near = {i["name"] for i in items if abs(i["x"] - item["x"]) < 15 and abs(i["y"] - item["y"]) < 15}
    assert page.locator(".gg-item-title").inner_text().removeprefix("Deposit: ") in near
    assert "Events" in page.locator(".gg-inspector").inner_text()
    open_tab(page, "Deposits")
    table = page.locator(".gg-table-deposits")
    table.locator("th", has_text="value").click()  # sortable by any column
    first = table.locator("tbody tr").first
    name = first.locator("td").first.inner_text()
    first.click()
    page.locator(".gg-item-title", has_text=name).wait_for()
    assert page.locator(".gg-item-changes tr").count() >= 2
    assert watch.errors == []


def test_inspect_a_plant_from_the_map_with_its_contracts_and_hide_the_plants(dashboard_server, context):
    """Baseline seed 1 at 2029Q1: the US-held tungsten plant (planned at the start) is online, its output
    under contract to the US; the checkbox under the map hides every plant."""
    page, watch = open_dashboard(context, dashboard_server.url + "?scenario=baseline&seed=1&quarter=2029Q1")
    wait_drawn(page, "2029Q1")
    plant = next(i for i in map_items(page) if i["id"] == "katpar_apt_plant")
    page.mouse.click(plant["x"], plant["y"])
    page.locator(".gg-item-title", has_text="Plant: Severniy Katpar").wait_for()
    contracts = page.locator(".gg-inspector .gg-item-contracts tbody tr")
    assert contracts.count() == 1 and contracts.locator("td").all_inner_texts()[:3] == ["US", "100%", "2029Q1–2040Q4"]
    page.get_by_label("Plants").uncheck()
    page.wait_for_function(f"() => !({MAP_ITEMS})().some(i => i.layer === 'plants')")
    assert any(i["layer"] == "deposits" for i in map_items(page)) and watch.errors == []


def test_downloads_arrive_and_read(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    step(page, 3)
    name, data = downloaded(page, lambda: page.get_by_role("button", name="The run's tables (Parquet, zip)").click())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        deposits = pd.read_parquet(io.BytesIO(z.read("deposits.parquet")))
        series = pd.read_parquet(io.BytesIO(z.read("timeseries.parquet")))
    assert name.endswith(".zip") and len(deposits) > 50 and series["step"].max() == 3
    name, png = downloaded(page, lambda: page.get_by_role("button", name="Download map as PNG").click())
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and name == "map-2026Q3.png"
    name, svg = downloaded(page, lambda: page.get_by_role("button", name="Download charts as SVG").click())
    assert svg.lstrip().startswith(b"<svg") and b"Share of licensed reserve value" in svg
    assert watch.errors == []


def test_compare_three_scenarios_with_bands(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    open_tab(page, "Compare")
    box = page.locator(".gg-compare-n input:not([type=hidden])")
    box.fill("2")
    box.press("Enter")
    page.locator(".gg-compare-progress").first.wait_for()
    page.locator(".gg-compare-table").wait_for(timeout=90_000)
    chart = page.locator(".gg-compare-chart .gg-vega")
    page.wait_for_function("e => e.dataset.frames === '1'", arg=chart.element_handle())
    heads = page.locator(".gg-compare-table th").all_inner_texts()
    assert heads == ["year", "baseline", "eu_global_gateway", "china_surge"]
    assert "90% band over 2 seeds" in page.evaluate(
        "() => document.querySelector('.gg-compare-chart .gg-vega').__vue__.spec_json"
    )
    box = page.locator(".gg-compare-seed input:not([type=hidden])")
    box.fill("-5")
    box.press("Enter")
    page.locator(".gg-compare-seed", has_text="-5: out of range").wait_for()
    assert watch.errors == []


def test_experiments_tab_launches_and_shows_an_experiment(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    open_tab(page, "Experiments")
    page.locator(".gg-x-name input:not([type=hidden])").fill("browser_tiny")
    page.locator(".gg-x-levels input:not([type=hidden])").fill("0, 4")
    page.locator(".gg-launch [role=slider]").first.focus()
    page.keyboard.press("Home")  # one replicate
    press(page, "Launch")
    page.locator(".gg-x-status", has_text="finished (exit 0)").wait_for(timeout=120_000)
    page.locator(".gg-x-done", has_text="2 of 2 runs done").wait_for()
    page.wait_for_function("() => document.querySelector('.gg-x-effects .gg-vega')?.dataset.frames === '1'")
    press(page, "Write the report")
    page.get_by_text("Report (report.md)").wait_for(timeout=120_000)
    assert (dashboard_server.home / "results" / "browser_tiny" / "report" / "report.md").exists()
    assert watch.errors == []


def test_the_address_restores_the_run(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    box = page.locator(".gg-seed input:not([type=hidden])")
    box.fill("9")
    box.press("Enter")
    press(page, "Reset")
    page.locator(".gg-run", has_text="seed 9").wait_for()
    step(page, 5)
    page.wait_for_function("() => location.search.includes('quarter=2027Q1')")
    query = parse_qs(urlparse(page.url).query)
    assert query["seed"] == ["9"] and query["scenario"] == ["baseline"] and "eu.delay_mean_q" in query
    page.reload()
    page.locator(".gg-map .gg-vega[data-label='2027Q1']").wait_for(timeout=60_000)
    assert quarter(page) == "2027Q1" and "seed 9" in page.locator(".gg-run").inner_text()
    assert watch.errors == []


def test_phone_layout(dashboard_server, chromium):
    ctx = chromium.new_context(viewport={"width": 390, "height": 844})
    try:
        page, watch = open_dashboard(ctx, dashboard_server.url)
        drawer = page.locator(".gg-sidebar")
        assert drawer.bounding_box()["x"] + drawer.bounding_box()["width"] <= 1  # closed: off the screen
        page.get_by_role("button", name="Show or hide the controls").click()
        page.wait_for_function("() => document.querySelector('.gg-sidebar').getBoundingClientRect().x >= 0")
        page.mouse.click(380, 400)  # a tap beside it closes it
        page.wait_for_function("() => document.querySelector('.gg-sidebar').getBoundingClientRect().right <= 1")
        assert page.locator(".gg-map").bounding_box()["width"] <= 390
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
        assert watch.errors == []
    finally:
        ctx.close()


def test_dark_mode_reaches_the_charts(dashboard_server, context):
    page, watch = open_dashboard(context, dashboard_server.url)
    page.get_by_role("button", name="Dark mode").click()
    page.get_by_role("button", name="Light mode").wait_for()
    page.wait_for_function(
        "() => ['map', 'charts'].every(v => document.querySelector(`.gg-${v} .gg-vega`).__vue__.view?.background() === '#333')"
    )
    step(page)
    assert watch.errors == []


def test_two_tabs_keep_separate_models(dashboard_server, chromium):
    from tests.browser.support import VIEWPORT

    a_ctx, b_ctx = chromium.new_context(viewport=VIEWPORT), chromium.new_context(viewport=VIEWPORT)
    try:
        a, _ = open_dashboard(a_ctx, dashboard_server.url)
        b, _ = open_dashboard(b_ctx, dashboard_server.url)
        q0 = quarter(a)
        qa = step(a, 3)
        assert quarter(b) == q0
        assert step(b, 1) != qa and quarter(a) == qa
    finally:
        a_ctx.close()
        b_ctx.close()


def test_screenshot_after_40_quarters(dashboard_server, chromium, tmp_path):
    """What `python -m tests.browser.screenshot` does for docs/img/dashboard.png."""
    from tests.browser.screenshot import MAX_BYTES, take

    path = take(tmp_path / "dashboard.png", 40, dashboard_server, chromium)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size < MAX_BYTES


def test_server_log_stays_clean(dashboard_server):
    """Last: nothing in the whole session logged an asset failure or a traceback."""
    assert dashboard_server.bad_log_lines() == []

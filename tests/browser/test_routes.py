"""The export routes on the map and the markets view in real Chromium (issue 21)."""

from __future__ import annotations

import pytest

from model.route_table import route_ids
from tests.browser.support import MAP_ITEMS, map_items, open_dashboard, wait_drawn

pytestmark = pytest.mark.browser
MARKETS = ".gg-markets .gg-vega"


def test_routes_are_drawn_and_hidden_and_the_markets_view_follows_the_quarter(dashboard_server, context):
    """Baseline seed 2 at 2027Q2: every route of data/routes.csv drawn (a rule per segment), the Routes checkbox
    hides them all, the markets view shows the quarter and its menus pick in the browser."""
    page, watch = open_dashboard(context, dashboard_server.url + "?scenario=baseline&seed=2&quarter=2027Q2")
    wait_drawn(page, "2027Q2")
    page.wait_for_selector(f"{MARKETS}[data-label='2027Q2']")
    assert {i["id"] for i in map_items(page) if i["layer"] == "routes"} == set(route_ids("data/routes.csv"))
    page.get_by_label("Routes").uncheck()
    page.wait_for_function(f"() => !({MAP_ITEMS})().some(i => i.layer === 'routes')")
    assert any(i["layer"] == "deposits" for i in map_items(page))
    frames = page.locator(MARKETS).get_attribute("data-frames")
    page.get_by_label("Demand and supply:").select_option("chromium")
    page.get_by_label("Prices:").select_option("all")
    assert page.locator(MARKETS).get_attribute("data-frames") == frames  # no frame: the browser filters alone
    assert watch.errors == []

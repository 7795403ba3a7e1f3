"""The dashboard's routes and markets (issue 21): a closed route is drawn closed, the routes carry the exports the
results count, the markets view gets what the model's markets and results say, quarter by quarter."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dashboard import sim
from dashboard.layers import ROUTES
from dashboard.map import map_spec
from dashboard.market_charts import MAIN, MAIN_FOUR, markets_spec, stranded_t
from dashboard.route_layer import CLOSED, NOT_BUILT, OPEN, courses, route_mark
from dashboard.session import MAP, MARKETS, Session
from model.commodities import NAMES as COMMODITIES
from model.route_table import route_ids
from tests.test_dashboard import inspected, map_state

CLOSURE = """description = "the northern route closed for eight quarters from 2027Q1"
extends = "baseline"

[[shocks]]
kind = "route"
route = "northern"
share = 0.0
quarters = 8
year = 2027
quarter = 1
"""
SHUT = 5  # 2027Q1


@pytest.fixture(scope="module")
def closed(tmp_path_factory):
    """Baseline seed 3 with the northern route closed from 2027Q1, run 7 quarters with every view attached."""
    path = tmp_path_factory.mktemp("scenarios") / "north_closed.toml"
    path.write_text(CLOSURE, encoding="utf-8")
    session = Session(sim.make_model(str(path), 3))
    frames = {MAP: [], MARKETS: []}
    for view, got in frames.items():
        session.attach(view, lambda text, got=got: got.append(json.loads(text)))
    for _ in range(SHUT + 2):
        session.advance()
    return session, frames


def test_every_route_has_a_course_near_kazakhstan():
    known = courses()
    for route in route_ids("data/routes.csv"):
        lon, lat = known[route]
        assert len(lon) >= 2 and (lon > 45).all() and (lon < 90).all() and (lat > 38).all() and (lat < 57).all()


def test_a_closed_route_is_marked_closed_on_the_map(closed):
    session, frames = closed
    model, north = session.model, session.model.routes.table.ids.index("northern")
    before, after = ROUTES.rows(model, SHUT - 1), ROUTES.rows(model, SHUT)
    assert before["status"][north] == OPEN and before["carried"][north] > 0
    assert after["status"][north] == CLOSED and after["capacity"][north] == 0 and after["carried"][north] == 0
    assert after["built"][north] == before["built"][north] > 0  # closed, not gone
    bakhty = model.routes.table.ids.index("china_bakhty")
    assert after["status"][bakhty] == NOT_BUILT  # its line is built from 2028
    drawn = map_state(frames[MAP], "routes")  # what the browser holds after the deltas
    assert drawn["northern"]["status"] == CLOSED and drawn["northern"]["value"] == 0
    spec = map_spec(model)
    assert {"name": "show_routes", "value": True, "bind": {"input": "checkbox", "name": "Routes "}} in spec["params"]
    assert spec["layer"][1]["layer"][0]["data"] == {"name": "routes"}  # under the deposits and the plants
    rule = route_mark(model.holders, 1.0)["layer"][0]["encoding"]
    assert rule["color"]["condition"][0] == {"test": f"datum.status === '{CLOSED}'", "value": "#d62728"}
    assert rule["strokeDash"]["condition"][0]["value"] == [7, 4]


def test_the_routes_carry_the_exports_the_results_count(closed):
    session, _ = closed
    model = session.model
    series = model.timeseries().set_index("step")
    for step in range(1, SHUT + 3):
        carried = ROUTES.rows(model, step)["carried"].sum()
        corridors = series.loc[step, ["exports_via_caspian_t", "exports_via_russia_t", "exports_via_china_t"]]
        assert carried == pytest.approx(corridors.sum())
    exports = model.chains.delivered[0].copy()  # the last quarter's take, less the host's own part
    exports[:, model.host_index] = 0.0
    last = ROUTES.rows(model, model.steps)["carried"].sum() + stranded_t(model, [model.steps])[0]
    assert last == pytest.approx(exports.sum())


def test_a_pinned_route_shows_its_closure_and_what_it_carried(closed):
    session, _ = closed
    text = inspected(session, SHUT, ("routes", "northern"))
    assert "route northern closed for 8 quarters" in text and f"<td>{session.quarter(SHUT)}</td><td>{CLOSED}" in text
    assert "nothing" in text  # carried nothing that quarter
    text = inspected(session, SHUT - 1, ("routes", "northern"))
    assert "Carried this quarter (t)" in text and "<td>uranium</td>" in text


def test_the_markets_view_gets_prices_demand_supply_and_trade_each_quarter(closed):
    session, frames = closed
    model = session.model
    sent = frames[MARKETS]
    assert [f["delta"] for f in sent] == [False] + [True] * (SHUT + 2)
    market = pd.concat(pd.DataFrame(f["data"]["market"]) for f in sent)
    trade = pd.concat(pd.DataFrame(f["data"]["trade"]) for f in sent).set_index("s")
    assert market.groupby("s").size().tolist() == [len(COMMODITIES)] * (SHUT + 3)
    series = model.timeseries().set_index("step")
    uranium = market[market.c == "uranium"].set_index("s")
    u = COMMODITIES.index("uranium")
    assert uranium["i"].tolist() == pytest.approx((series["price_uranium"] / model.base_price[u]).tolist(), rel=1e-3)
    assert uranium.loc[SHUT, "e"] == pytest.approx(model.markets.demand_eu(SHUT)[u], rel=1e-3)
    assert pd.isna(uranium.loc[0, "k"]) and uranium.loc[SHUT, "k"] > 0  # nothing supplied before the first quarter
    assert trade.index.tolist() == list(range(SHUT + 3)) and trade.loc[0, "tc"] == 0 and pd.isna(trade.loc[0, "sec"])
    assert trade.loc[SHUT, "tr"] == 0 and trade.loc[SHUT - 1, "tr"] > 0  # nothing through Russia once closed
    assert trade.loc[SHUT, "sec"] == pytest.approx(series.loc[SHUT, "eu_supply_security"], rel=1e-3)
    assert trade["ts"].tolist() == pytest.approx(stranded_t(model, list(range(SHUT + 3))), rel=1e-3)
    session.show(2)  # a past quarter: a snapshot of what was recorded up to it
    back = session.payload(MARKETS, 2, delta=False)
    assert back["trade"]["s"] == [0, 1, 2] and back["market"]["s"][-1] == 2


def test_the_markets_spec_reads_its_two_sources_and_picks_in_the_browser():
    model = sim.make_model("baseline", 1)
    spec = markets_spec(model.start_year, model.end_step, model.base_price)
    assert [p["data"]["name"] for p in spec["concat"]] == ["market", "market", "trade", "trade"]
    price_of, market_of = spec["params"]
    assert price_of["value"] == MAIN_FOUR and market_of["value"] == MAIN[0]
    assert set(MAIN) | {"rare earths"} <= set(price_of["bind"]["options"])
    json.dumps(spec, allow_nan=False)  # it goes to the browser as it is


def test_a_route_without_a_course_is_left_off_the_map(monkeypatch, closed):
    session, _ = closed
    known = {k: v for k, v in courses().items() if k != "titr"}
    monkeypatch.setattr("dashboard.route_layer.courses", lambda: known)
    rows = ROUTES.rows(session.model, 2)
    assert "titr" not in rows["id"] and len(rows["id"]) == len(known) and not np.isnan(rows["lon"]).any()
    monkeypatch.setattr("dashboard.route_layer.courses", dict)
    assert ROUTES.rows(session.model, 2) is None  # no course file: no routes layer

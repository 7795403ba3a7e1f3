"""The dashboard's views without a browser: solara.render, then click and read the widgets."""

from __future__ import annotations

import html
import inspect
import json

import ipyvuetify as v
import pytest
import solara
from mesa.visualization.solara_viz import _build_model_init_kwargs, _check_model_params
from mesa.visualization.utils import force_update

from dashboard import compare, sim
from dashboard.app import Page
from dashboard.charts import PANELS, Charts, charts_spec
from dashboard.events import EventLog, describe
from dashboard.map import DepositMap, holders_text, outline_features
from dashboard.vega import VegaView
from model import GreatGameModel
from model import scenario as scenarios
from model.model import quarter_label
from model.params import PARAMS

SURGE = scenarios.load("china_surge").params().values()["cn.budget_usd_m"]  # China's budget in china_surge


@pytest.fixture
def model():
    return sim.make_model("baseline", 7)


def q(steps: int) -> str:
    """The quarter label the dashboard shows after ``steps`` quarters of a default run."""
    return quarter_label(PARAMS["run.start_year"].default, steps)


def views(rc) -> list[VegaView]:
    return rc.find(VegaView).widgets


def data_of(view: VegaView) -> dict:
    return json.loads(view.data_json)


def spec_of(view: VegaView) -> dict:
    return json.loads(view.spec_json)


def step(model, n: int = 1) -> None:
    for _ in range(n):
        model.step()
    force_update()


# --- the model the dashboard builds ------------------------------------------------------------------
def test_model_params_follow_the_scenario_and_params():
    params = sim.model_params("china_surge", seed=5)
    assert params["scenario_name"] == "china_surge"
    assert params["rng"] == {"type": "SliderInt", "label": "Seed", "value": 5, "min": 0, "max": sim.SEED_MAX, "step": 1}
    values = scenarios.load("china_surge").params().values()
    for lever in sim.LEVERS:
        slider = params[lever.kwarg]
        assert slider["type"] == "SliderFloat"
        assert slider["value"] == values[lever.key]
        assert PARAMS[lever.key].bounds[0] <= slider["min"] <= slider["value"] <= slider["max"]
        assert slider["max"] <= PARAMS[lever.key].bounds[1]
    assert params["cn_budget_usd_m"]["value"] == SURGE != PARAMS["cn.budget_usd_m"].default  # the scenario's
    # every name SolaraViz passes must be a keyword of the model, and none may be `scenario`
    signature = inspect.signature(sim.DashboardModel.__init__).parameters
    assert set(params) <= set(signature)
    assert "scenario" not in signature
    assert all(p.kind is p.KEYWORD_ONLY for name, p in signature.items() if name != "self")


def test_scenario_is_the_base_and_levers_override(model):
    surge = sim.DashboardModel(scenario_name="china_surge", rng=1)
    pursuits = scenarios.load("china_surge").params().values()["cn.max_pursuits"]
    assert surge.params.values()["cn.budget_usd_m"] == SURGE and surge.params.values()["cn.max_pursuits"] == pursuits
    moved = sim.DashboardModel(scenario_name="china_surge", cn_budget_usd_m=50.0, eu_delay_mean_q=2.0, rng="3")
    assert moved.params.values()["cn.budget_usd_m"] == 50 and moved.params.values()["eu.delay_mean_q"] == 2
    assert moved.params.values()["cn.max_pursuits"] == pursuits  # the scenario's other values stay
    assert moved.seed == 3 and moved.scenario_name == "china_surge"
    assert model.params.values()["cn.budget_usd_m"] == PARAMS["cn.budget_usd_m"].default


def test_mesa_reset_rebuilds_the_same_run(model):
    """What SolaraViz's Reset does: check the parameters, build kwargs, call type(model)(**kwargs)."""
    params = sim.model_params("eu_fast_track", seed=7)
    _check_model_params(model, params)
    chosen = {k: (p["value"] if isinstance(p, dict) else p) for k, p in params.items()}
    kwargs = _build_model_init_kwargs(model, chosen, add_scenario_when_empty=True, require_model_accepts_scenario=True)
    assert "scenario" not in kwargs
    rebuilt = type(model)(**kwargs)
    assert rebuilt.scenario_name == "eu_fast_track"
    assert (
        rebuilt.params.values()["eu.approval_cap_q"]
        == scenarios.load("eu_fast_track").params().values()["eu.approval_cap_q"]
        > 0
    )
    same = GreatGameModel(**scenarios.load("eu_fast_track").model_kwargs(rng=7))
    rebuilt.run_for(12)
    same.run_for(12)
    assert rebuilt.timeseries().equals(same.timeseries())


def test_step_is_locked_around_mesas_step_counter(model):
    assert model.step.__func__ is sim.DashboardModel._locked_step
    with sim.reading(model):
        pass
    step(model, 2)
    assert model.steps == 2 and len(model.timeseries()) == 3


def test_stop_playing_ends_a_loop_in_another_thread(model):
    """A Mesa-like play loop: step, then read model.running; stop_playing() makes it exit."""
    import threading
    import time

    loop_running = threading.Event()

    def play():
        loop_running.set()
        while True:
            model.step()
            if not model.running:
                return
            time.sleep(0.001)

    t = threading.Thread(target=play)
    t.start()
    loop_running.wait()
    time.sleep(0.05)
    assert model.stop_playing() is True
    t.join(2)
    assert not t.is_alive()
    steps = model.steps
    assert model.stop_playing() is False  # nothing playing now
    model.step()  # a Step from elsewhere runs again
    assert model.running and model.steps == steps + 1


# --- map ------------------------------------------------------------------------------------------------
def test_map_shows_every_deposit_and_updates_each_step(model):
    _box, rc = solara.render(DepositMap(model), handle_error=False)
    (view,) = views(rc)
    spec, data = spec_of(view), data_of(view)
    frame = model.deposit_frame()
    assert len(data["deposits"]) == len(frame)
    assert {r["name"] for r in data["deposits"]} == set(frame["name"])
    assert data["meta"] == [{"quarter": model.quarter}] and view.label == model.quarter
    row = data["deposits"][0]
    assert set(row) >= {"name", "commodity", "stage", "controller", "holders", "value", "lon", "lat"}
    points = next(layer for layer in spec["layer"] if layer.get("data") == {"name": "deposits"})
    enc = points["encoding"]
    assert enc["color"]["field"] == "controller" and enc["size"]["field"] == "value"
    assert enc["shape"]["field"] == "stage"
    assert {t["field"] for t in enc["tooltip"]} >= {"name", "commodity", "holders", "stage"}
    assert outline_features(), "data/kazakhstan_outline.geojson is missing"
    assert spec["layer"][0]["mark"]["type"] == "geoshape"
    before = view.data_json
    step(model, 3)
    (view,) = views(rc)
    assert view.label == model.quarter == q(3)
    assert view.data_json != before
    assert view.spec_json == json.dumps(spec, separators=(",", ":"))  # the spec is sent once per model


def test_holders_text():
    assert holders_text("KZ:0.300;CN:0.700") == "Kazakhstan 30%, China 70%"
    assert holders_text("") == "none"


# --- charts ---------------------------------------------------------------------------------------------
def test_charts_have_five_panels_and_grow_each_step(model):
    _box, rc = solara.render(Charts(model), handle_error=False)
    (view,) = views(rc)
    spec = spec_of(view)
    assert [p["title"] for p in spec["concat"]] == [p[0] for p in PANELS]
    rows = data_of(view)["series"]
    by_panel = {i: {r["h"] for r in rows if r["p"] == i} for i in range(len(PANELS))}
    assert by_panel[0] == {"Kazakhstan", "EU", "China", "US", "Russia", "Japan/Korea", "Private"}
    assert by_panel[1] == {"EU"}
    assert by_panel[2] == by_panel[3] == {"EU", "China", "US", "Russia", "Japan/Korea"}
    assert by_panel[4] == by_panel[0]
    n0 = len(rows)
    step(model, 4)
    (view,) = views(rc)
    rows = data_of(view)["series"]
    end = f"{model.start_year + 1}-01-01"  # 4 quarters after 1 January of the start year
    assert len(rows) == 5 * n0 and view.label == q(4)
    assert max(r["d"] for r in rows) == end
    shares = [r["v"] for r in rows if r["p"] == 0 and r["d"] == end]
    assert sum(shares) == pytest.approx(1.0, abs=1e-3)


def test_chart_colours_are_fixed_per_power():
    spec = charts_spec(("KZ", "EU", "CN", "US", "RU", "JK", "GULF", "PRIVATE"))
    scale = spec["concat"][0]["encoding"]["color"]["scale"]
    assert scale["domain"][:3] == ["Kazakhstan", "EU", "China"] and "GULF" in scale["domain"]
    assert len(set(scale["range"])) == len(scale["range"])


# --- event log ------------------------------------------------------------------------------------------
def test_events_in_words():
    award = {"quarter": "2027Q3", "kind": "award", "deposit": "Upper Kairakty", "commodity": "tungsten",
             "power": "CN", "others": "EU (in approval)", "amount_usd_m": 0.0, "detail": ""}  # fmt: skip
    text = "2027Q3 China wins Upper Kairakty (tungsten) over the EU, whose offer was still in approval"
    assert describe(award) == text
    several = {**award, "others": "PRIVATE, US (in approval), EU (in approval)", "amount_usd_m": 1760.0}
    assert describe(several) == (
        "2027Q3 China wins Upper Kairakty (tungsten) over private investors, and over the US and the EU, "
        "whose offers were still in approval; $1.8bn committed"
    )
    solo = {**award, "power": "US", "others": "", "detail": "a private investor bidding alone"}
    assert describe(solo) == "2027Q3 A private investor from the US, bidding alone, wins Upper Kairakty (tungsten)"
    missed = {**award, "kind": "missed_window", "power": "EU", "others": "", "amount_usd_m": 311.3}
    assert describe(missed).startswith("2027Q3 The EU misses the window for Upper Kairakty (tungsten)")
    assert describe(missed).endswith("($311m of reserves lost)")
    revoked = {**award, "kind": "revocation", "detail": "undeveloped after 30 quarters"}
    assert describe(revoked) == "2027Q3 Kazakhstan revokes China's licence for Upper Kairakty (tungsten): undeveloped after 30 quarters"  # fmt: skip
    sanction = {**award, "kind": "shock", "power": "RU", "others": "CN", "detail": "sanctions: RU sells 49% to CN"}
    assert describe(sanction) == "2027Q3 Sanctions: Russia sells 49% of Upper Kairakty (tungsten) to China"
    price = {"quarter": "2030Q1", "kind": "shock", "deposit": "", "commodity": "", "power": "",
             "detail": "copper price ×2"}  # fmt: skip
    assert describe(price) == "2030Q1 Shock: copper price ×2"


def test_event_log_lists_latest_events_newest_first(model):
    _box, rc = solara.render(EventLog(model), handle_error=False)
    log = lambda: rc.find(solara.widgets.HTML).widget.unsafe_innerHTML  # noqa: E731
    assert "No events yet" in log()
    step(model, 40)
    latest = model.events.latest(14)
    assert latest, "the baseline has no event in 40 quarters"
    text = log()
    assert text.count('class="gg-event"') == len(latest)
    positions = [text.index(html.escape(describe(e))) for e in latest]
    assert positions == sorted(positions)  # newest first, as latest() returns them
    assert latest[0]["step"] >= latest[-1]["step"]


# --- compare and the whole page --------------------------------------------------------------------------
def test_compare_same_scenario_same_seed_has_no_gap():
    frame = compare.compare_frame("baseline", "baseline", seed=3, quarters=12)
    assert len(frame) == 13 and (frame["diff"] == 0).all()
    other = compare.compare_frame("baseline", "china_surge", seed=3, quarters=12)
    assert other["eu_a"].equals(frame["eu_a"])


def test_compare_page_renders():
    _box, rc = solara.render(compare.Compare(default_seed=3), handle_error=False)
    spec = json.loads(json.dumps(rc.find(solara.widgets.VegaLite).widget.spec))
    assert spec["vconcat"][0]["data"]["values"] and "seed 3" in spec["title"]["text"]


def test_page_step_and_reset_in_one_session():
    _box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    labels = lambda: [w.label for w in views(rc)]  # noqa: E731
    assert labels() == [q(0), q(0)]
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert labels() == [q(2), q(2)]
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert labels() == [q(0), q(0)]


def test_each_page_builds_its_own_model():
    _box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    _box2, rc2 = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert views(rc)[0].label == q(1)
    assert views(rc2)[0].label == q(0)


def test_scenario_choice_and_sliders_apply_on_reset():
    _box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    run = lambda: rc.find(v.Html, class_="gg-run").widget.children[0]  # noqa: E731
    slider = lambda text: next(w for w in rc.find(v.Slider).widgets if w.label.startswith(text))  # noqa: E731
    rc.find(v.Select, label="Scenario").widget.v_model = "china_surge"
    assert slider("China's budget").v_model == SURGE  # the slider moved to the scenario's value
    assert "baseline" in run()  # ... and the model waits for Reset
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert "china_surge" in run()
    slider("China's budget").v_model = 200.0
    slider("Seed").v_model = 9
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert "china_surge · seed 9" in run()
    this_run = rc.find(solara.widgets.HTML, attributes={"style": "font-size: 12px"}).widget.unsafe_innerHTML
    assert ">200<" in this_run and ">9<" in this_run
    rc.find(v.Select, label="Scenario").widget.v_model = "baseline"
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert "baseline · seed 9" in run() and slider("China's budget").v_model == PARAMS["cn.budget_usd_m"].default

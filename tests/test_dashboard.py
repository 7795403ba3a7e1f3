"""The dashboard's views without a browser: solara.render, then click and read the widgets."""

from __future__ import annotations

import html
import inspect
import json
import threading
import time

import ipyvuetify as v
import pytest
import solara
from mesa.visualization.solara_viz import _build_model_init_kwargs, _check_model_params
from mesa.visualization.utils import force_update

from dashboard import compare, levers, sim
from dashboard.app import Live, Page
from dashboard.charts import PANELS, charts_spec
from dashboard.events import describe, merge_pre_empted
from dashboard.map import holders_text, outline_features
from dashboard.style import COLOURS, EXTRA_COLOURS, STAGE_SHAPES, label
from dashboard.vega import VegaView
from experiments.cli.main import build_parser
from experiments.runner.single import run_model
from model import GreatGameModel
from model import scenario as scenarios
from model.errors import InputError
from model.model import quarter_label
from model.params import PARAMS
from model.vocabulary import Stage

SURGE = scenarios.load("china_surge").params().values()["cn.budget_usd_m"]  # China's budget in china_surge


@pytest.fixture
def model():
    return sim.make_model("baseline", 7)


def q(steps: int) -> str:
    """The quarter label the dashboard shows after ``steps`` quarters of a default run."""
    return quarter_label(PARAMS["run.start_year"].default, steps)


def views(rc) -> list[VegaView]:
    return rc.find(VegaView).widgets


def view_of(rc, kind: str) -> VegaView:
    """The map's ('map') or the charts' ('charts') widget."""
    return next(w for w in views(rc) if ("concat" in spec_of(w)) == (kind == "charts"))


def data_of(view: VegaView) -> dict:
    return json.loads(view.data_json)


def spec_of(view: VegaView) -> dict:
    return json.loads(view.spec_json)


def step(model, n: int = 1) -> None:
    for _ in range(n):
        model.step()
    force_update()


def page():
    """The whole page in one session, as the browser gets it."""
    return solara.render(solara.AppLayout(children=[Page()]), handle_error=False)[1]


def click(rc, label: str) -> None:
    rc.find(v.Btn, children=[label]).widget.click()


def text_of(rc, cls: str) -> str:
    return rc.find(v.Html, class_=cls).widget.children[0]


@pytest.fixture
def gulf(tmp_path) -> str:
    """A scenario that declares a power (GULF) strong and fast enough to win a deposit within 16 quarters."""
    path = tmp_path / "gulf.toml"
    path.write_text(
        'description = "A Gulf fund joins"\nextends = "baseline"\n[powers.GULF]\nbudget_usd_m = 2000\n'
        "delay_mean_q = 0.5\ndelay_sd_q = 0\nengagement = 1\ntrust0 = 0.9\nstart_year = 2026\nmax_pursuits = 4\n"
        "approval_prob = 1\n[powers.GULF.priorities]\ncopper = 1\nchromium = 1\nzinc = 1\n"
    )
    return str(path)


# --- the model the dashboard builds ------------------------------------------------------------------
def test_model_params_follow_the_scenario_and_params():
    params = levers.model_params("china_surge", seed=5)
    assert params["scenario_name"] == "china_surge"
    assert params["rng"] == {
        "type": "SliderInt",
        "label": "Seed",
        "value": 5,
        "min": 0,
        "max": levers.SEED_MAX,
        "step": 1,
    }
    values = scenarios.load("china_surge").params().values()
    for lever in levers.LEVERS:
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
    params = levers.model_params("eu_fast_track", seed=7)
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


def test_run_length_is_the_command_lines():
    """One definition of a run's length: `python run.py run`'s default --steps (100 quarters)."""
    assert build_parser().parse_args(["run"]).steps == sim.RUN_QUARTERS == compare.DEFAULT_QUARTERS


def test_the_run_stops_at_its_last_quarter(model):
    """Issue 11.19: steps past the run's last quarter are refused and `running` turns False (Mesa then
    disables Play and Step and ends its play loop)."""
    with_start = sim.make_model("start_2022", 7)
    assert with_start.last_quarter == "2046Q4" and model.last_quarter == q(sim.RUN_QUARTERS) == "2050Q4"
    model.run_for(sim.RUN_QUARTERS - 1)
    assert model.running and not model.over
    model.step()
    assert model.over and not model.running and model.quarter == "2050Q4"
    rows = len(model.timeseries())
    model.step()
    assert model.steps == sim.RUN_QUARTERS and len(model.timeseries()) == rows and not model.running


def test_step_and_play_end_with_the_run_on_the_page(monkeypatch):
    monkeypatch.setattr(sim, "RUN_QUARTERS", 3)  # a 3-quarter run, so that a few clicks reach its end
    rc = page()
    for _ in range(3):
        click(rc, "Step")
    assert text_of(rc, "gg-quarter") == q(3) and "step 3 of 3" in text_of(rc, "gg-run")
    assert "The run is over" in text_of(rc, "gg-over") and q(3) in text_of(rc, "gg-over")
    assert rc.find(v.Btn, children=["Step"]).widget.disabled and rc.find(v.Btn, children=["▶"]).widget.disabled
    click(rc, "Reset")
    assert text_of(rc, "gg-quarter") == q(0) and not rc.find(v.Btn, children=["Step"]).widget.disabled
    assert rc.find(v.Html, class_="gg-over").widgets == []


def test_play_loop_waits_for_the_browser_to_draw(model):
    """Issue 11.16: each view reports the frame the browser drew (VegaView.drawn); a step waits until every
    reporting view has drawn the latest one, so frames cannot queue up ahead of a slow browser."""
    _box, rc = solara.render(Live(model), handle_error=False)
    step(model)  # no view has reported yet (as with no browser): nothing waits
    for view in views(rc):
        view.drawn = view.frame  # what vega_view.vue sends back once the frame is on screen
    assert set(model._drawn) == {"map", "charts"}
    force_update()  # a new frame, not drawn yet
    stepper = threading.Thread(target=model.step)
    stepper.start()
    stepper.join(0.3)
    assert stepper.is_alive() and model.steps == 1  # waiting for the browser
    for view in views(rc):
        view.drawn = view.frame
    stepper.join(2)
    assert not stepper.is_alive() and model.steps == 2
    force_update()  # not drawn yet, but a step from the thread that brings the reports (a click) cannot wait
    started = time.monotonic()
    model.step()
    assert model.steps == 3 and time.monotonic() - started < 0.5
    rc.close()
    assert model._drawn == {}  # gone views do not hold the model back


# --- the sliders ----------------------------------------------------------------------------------------
def test_snap_is_vuetifys():
    """What the page did before: China's budget 111 with a step of 5 became 110, Mesa's play interval 100
    (its slider runs from 1 by 10) became 101."""
    assert levers.snap(111.0, 0.0, 1000.0, 5.0) == 110.0 and levers.snap(100, 1, 500, 10) == 101
    assert levers.snap(0.15, 0.0, 1.0, 0.05) == 0.15 and levers.snap(0.37, 0.0, 1.0, 0.05) == 0.35
    assert levers.slider_step(111.0, 0.0, 1000.0, 5.0) == 1.0 and levers.slider_step(0.37, 0, 1, 0.05) == 0.01


def test_every_slider_starts_on_its_grid():
    """Issue 11.17: the browser snaps a slider to min + k·step as it draws it, so every slider, for every
    scenario, must start exactly where it is (else Reset with untouched levers changes the model)."""
    for name in scenarios.names():
        values = scenarios.load(name).params().values()
        params = levers.model_params(name)
        for lever in levers.LEVERS:
            s = params[lever.kwarg]
            assert levers.snap(s["value"], s["min"], s["max"], s["step"]) == s["value"] == values[lever.key]
    rc = page()
    sliders = rc.find(v.Slider).widgets
    assert any(w.label == "Play Interval (ms)" for w in sliders)
    for w in sliders:  # Mesa's own (play and render interval) too
        assert levers.snap(w.v_model, w.min, w.max, w.step) == w.v_model, w.label


def test_first_reset_rebuilds_the_model_run_py_builds(model):
    """Reset with untouched sliders builds `python run.py run --scenario S --seed N`: the same parameters
    and, over the whole run, the same numbers."""
    for name in ("baseline", "start_2022"):
        params = levers.model_params(name, seed=42)
        snapped = {k: levers.snap(p["value"], p["min"], p["max"], p["step"]) for k, p in params.items()
                   if isinstance(p, dict) and p["type"] == "SliderFloat"}  # fmt: skip
        chosen = {**{k: (p["value"] if isinstance(p, dict) else p) for k, p in params.items()}, **snapped}
        kwargs = _build_model_init_kwargs(
            model, chosen, add_scenario_when_empty=True, require_model_accepts_scenario=True
        )
        rebuilt = type(model)(**kwargs)
        assert rebuilt.params.values() == scenarios.load(name).params().values()
        assert levers.run_command(rebuilt) == f"python run.py run --scenario {name} --seed 42"
    rebuilt.run_for(sim.RUN_QUARTERS)
    same = run_model(scenarios.load("start_2022"), 42, sim.RUN_QUARTERS)
    assert rebuilt.timeseries().equals(same.timeseries())
    moved = sim.make_model("baseline", 5, cn_budget_usd_m=200.0)
    assert levers.run_command(moved) == "python run.py run --scenario baseline --seed 5 --set cn.budget_usd_m=200"


# --- map ------------------------------------------------------------------------------------------------
def test_map_shows_every_deposit_and_updates_each_step(model):
    _box, rc = solara.render(Live(model), handle_error=False)
    view = view_of(rc, "map")
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
    view = view_of(rc, "map")
    assert view.label == model.quarter == q(3)
    assert view.data_json != before
    assert view.spec_json == json.dumps(spec, separators=(",", ":"))  # the spec is sent once per model


def test_every_stage_has_a_marker():
    assert set(Stage.labels()) <= set(STAGE_SHAPES) and len(set(STAGE_SHAPES.values())) == len(STAGE_SHAPES)


def test_holders_text(model):
    text = holders_text(model)
    held = model.deposit_holders().query("equity_share > 0")
    assert set(text) == set(held["deposit"])
    dep = held.groupby("deposit").size().idxmax()  # a deposit with several holders
    expected = ", ".join(
        f"{label(h)} {s:.0%}" for h, s in held.loc[held.deposit == dep, ["holder", "equity_share"]].values
    )
    assert text[dep] == expected


# --- charts ---------------------------------------------------------------------------------------------
def test_charts_have_five_panels_and_grow_each_step(model):
    _box, rc = solara.render(Live(model), handle_error=False)
    view = view_of(rc, "charts")
    spec = spec_of(view)
    assert [p["title"] for p in spec["concat"]] == [p[0] for p in PANELS]
    rows = data_of(view)["series"]
    by_panel = {i: {r["h"] for r in rows if r["p"] == i} for i in range(len(PANELS))}
    assert by_panel[0] == {"Kazakhstan", "EU", "China", "US", "Russia", "Japan/Korea", "Private"}
    assert by_panel[1] == set()  # supply security is a flow: null before the first quarter, so no point yet
    assert by_panel[2] == by_panel[3] == {"EU", "China", "US", "Russia", "Japan/Korea"}
    assert by_panel[4] == by_panel[0]
    n0 = len(rows)
    step(model, 4)
    view = view_of(rc, "charts")
    rows = data_of(view)["series"]
    end = f"{model.start_year + 1}-01-01"  # 4 quarters after 1 January of the start year
    assert len(rows) == 5 * n0 + 4 and view.label == q(4)  # + the EU's supply security in each of 4 quarters
    assert max(r["d"] for r in rows) == end
    shares = [r["v"] for r in rows if r["p"] == 0 and r["d"] == end]
    assert sum(shares) == pytest.approx(1.0, abs=1e-3)


def test_chart_colours_are_fixed_per_power():
    spec = charts_spec(("KZ", "EU", "CN", "US", "RU", "JK", "GULF", "PRIVATE"))
    scale = spec["concat"][0]["encoding"]["color"]["scale"]
    assert scale["domain"][:3] == ["Kazakhstan", "EU", "China"] and "GULF" in scale["domain"]
    assert len(set(scale["range"])) == len(scale["range"])


def test_a_declared_power_has_one_colour_on_map_charts_and_event_log(gulf):
    """A scenario's [powers.GULF] gets the first extra colour everywhere: map, charts and the event log."""
    model = sim.DashboardModel(scenario_name=gulf, rng=42)
    _box, rc = solara.render(Live(model), handle_error=False)
    step(model, 4)  # its first award (seed 42)
    gulf_colour, want = EXTRA_COLOURS[0], {"GULF": EXTRA_COLOURS[0], "China": COLOURS["CN"]}
    map_view, charts_view = view_of(rc, "map"), view_of(rc, "charts")
    for enc in (spec_of(map_view)["layer"][1]["encoding"], spec_of(charts_view)["concat"][0]["encoding"]):
        scale = dict(zip(enc["color"]["scale"]["domain"], enc["color"]["scale"]["range"]))
        assert {k: scale[k] for k in want} == want
    assert "GULF" in {r["controller"] for r in data_of(map_view)["deposits"]}  # it won deposits: drawn in its colour
    assert {r["p"] for r in data_of(charts_view)["series"] if r["h"] == "GULF"} == {0, 2, 3, 4}  # 1: the EU's only
    log = rc.find(solara.widgets.HTML).widget.unsafe_innerHTML
    assert f"border-left:4px solid {gulf_colour}" in log and "GULF wins" in log


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
    auction = {**solo, "power": "CN", "detail": "a private investor bidding alone [auction]", "amount_usd_m": 98.0}
    assert describe(auction) == (
        "2027Q3 A private investor from China, bidding alone, wins Upper Kairakty (tungsten) at auction; $98m committed"
    )
    direct = {**award, "detail": "[negotiation]"}
    assert describe(direct).startswith("2027Q3 China wins Upper Kairakty (tungsten) by direct negotiation over the EU")
    found = {**award, "kind": "discovery", "others": "", "detail": "its finder develops it"}
    assert describe(found) == "2027Q3 China finds Upper Kairakty (tungsten) and develops it"
    extended = {**award, "kind": "extension", "power": "RU", "detail": "contract extended; state stake 30% → 90%"}
    assert describe(extended) == "2027Q3 Kazakhstan extends Russia's contract for Upper Kairakty (tungsten): state stake 30% → 90%"  # fmt: skip
    nobody = {**revoked, "power": ""}
    assert describe(nobody).startswith("2027Q3 Kazakhstan revokes the licence for Upper Kairakty (tungsten)")
    divested = {**sanction, "detail": "divestment: RU the state buys first (priority right)", "others": "KZ"}
    assert describe(divested) == (
        "2027Q3 Divestment: Russia sells its stake of Upper Kairakty (tungsten) to Kazakhstan (the state's priority right)"
    )


def test_pre_emptions_in_words():
    """An early award pre-empts the rivals still in approval: the award says so, and the pre-emptions of one
    deposit in one quarter are one line that names the winner."""
    base = {"step": 2, "quarter": "2026Q2", "deposit": "Koktenkol", "commodity": "tungsten", "others": "",
            "amount_usd_m": 0.0, "detail": "a rival's offer was accepted before the close"}  # fmt: skip
    award = {**base, "kind": "award", "power": "CN", "others": "PRIVATE, US (pre-empted), EU (pre-empted)",
             "amount_usd_m": 172.7, "detail": ""}  # fmt: skip
    logged = [award, {**base, "kind": "pre-empted", "power": "EU"}, {**base, "kind": "pre-empted", "power": "US"}]
    lines = merge_pre_empted(logged)  # newest first, as model.events.latest gives them
    assert [e["kind"] for e in lines] == ["award", "pre-empted"] and lines[1]["powers"] == ["US", "EU"]
    assert describe(lines[0]) == (
        "2026Q2 China wins Koktenkol (tungsten) over private investors, before the tender closed, "
        "pre-empting the US and the EU; $173m committed"
    )
    assert describe(lines[1]) == (
        "2026Q2 The US and the EU are pre-empted on Koktenkol (tungsten): China's offer was accepted before the "
        "tender closed, while theirs were still in approval"
    )
    alone = merge_pre_empted([logged[1]])[0]  # its award not among the events read
    assert describe(alone) == (
        "2026Q2 The EU is pre-empted on Koktenkol (tungsten): a rival's offer was accepted before the tender "
        "closed, while its own was still in approval"
    )


def test_event_log_lists_latest_events_newest_first(model):
    _box, rc = solara.render(Live(model), handle_error=False)
    log = lambda: rc.find(solara.widgets.HTML).widget.unsafe_innerHTML  # noqa: E731
    assert "No events yet" in log()
    step(model, 40)
    lines = merge_pre_empted(model.events.latest(4 * 14))[:14]
    assert len(lines) == 14, "the baseline has fewer than 14 events in 40 quarters"
    text = log()
    assert text.count('class="gg-event"') == len(lines)
    positions = [text.index(html.escape(describe(e))) for e in lines]
    assert positions == sorted(positions)  # newest first, as latest() returns them
    assert lines[0]["step"] >= lines[-1]["step"]
    assert "{" not in text and "[auction]" not in text  # every event in words


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


def test_compare_aligns_runs_by_quarter():
    """Issue 11.18: start_2022 against baseline: each run at its own dates, B − A only where both run, and
    the 2050 row kept (the baseline reaches it, start_2022 does not)."""
    frame = compare.compare_frame("start_2022", "baseline", seed=3)
    base = run_model(scenarios.load("baseline"), 3, sim.RUN_QUARTERS).timeseries()
    at = frame.set_index("quarter")
    assert (
        at.loc["2030Q4", "eu_b"] == base.loc["2030Q4", "reserve_share_eu"]
        and at.loc["2050Q4", "eu_b"] == base.loc["2050Q4", "reserve_share_eu"]
    )
    assert frame["quarter"].iloc[0] == "2021Q4" and frame["quarter"].iloc[-1] == "2050Q4"
    assert frame["t"].is_monotonic_increasing and at.loc["2025Q4", "t"] == 2026.0
    both = frame["eu_a"].notna() & frame["eu_b"].notna()
    assert frame.loc[both, "quarter"].tolist()[0] == "2025Q4" and frame["diff"].notna().equals(both)
    rows = {r["year"]: r for r in compare.summary_rows(frame)}
    assert set(rows) == {2030, 2040, 2050} and rows[2050]["A"] == compare.MISSING != rows[2050]["B"]
    assert compare.span(frame, "eu_a") == "2022Q1–2046Q4" and compare.span(frame, "eu_b") == "2026Q1–2050Q4"


def seed_box(rc):
    return rc.find(v.TextField, label="Seed (both runs)").widget


def test_compare_bad_seed_gets_a_message_in_place():
    """Issue 11.15: a bad seed is marked on its box with a message; nothing runs and nothing raises."""
    _box, rc = solara.render(compare.Compare(default_seed=3), handle_error=False)
    for typed in ("-5", "abc", "", "1.5", str(2**63)):
        box = seed_box(rc)
        box.v_model = typed
        box.fire_event("focusout", None)
        box = seed_box(rc)
        assert box.error and "a seed is 0 to 2^63 − 1" in box.messages[0], typed
        assert box.messages[0].startswith(typed or "empty")
        assert rc.find(solara.widgets.VegaLite).widgets == [] and rc.find(v.Html, class_="gg-compare-note").widgets
    box.v_model = "7"
    box.fire_event("focusout", None)
    assert not seed_box(rc).error and "seed 7" in rc.find(solara.widgets.VegaLite).widget.spec["title"]["text"]


def broken_scenario(monkeypatch, name: str = "broken") -> None:
    """A scenario file in the list that does not load (as a bad file in scenarios/ would)."""
    names, load = scenarios.names, scenarios.load

    def failing_load(which, *args, **kwargs):
        if which == name:
            raise InputError(str(scenarios.SCENARIO_DIR / f"{name}.toml"), "params.eu.delay_mean_q", "allowed: 0 to 40")
        return load(which, *args, **kwargs)

    monkeypatch.setattr(scenarios, "names", lambda: [*names(), name])
    monkeypatch.setattr(scenarios, "load", failing_load)


def test_a_scenario_that_does_not_load_gets_its_message_in_place(monkeypatch):
    broken_scenario(monkeypatch)
    _box, rc = solara.render(compare.Compare(default_seed=3), handle_error=False)
    rc.find(v.Select, label="Scenario B").widget.v_model = "broken"
    message = rc.find(v.Alert, class_="gg-compare-error").widget.children[0]
    assert message.startswith("scenarios/broken.toml: params.eu.delay_mean_q") and str(scenarios.ROOT) not in message
    rc = page()
    rc.find(v.Select, label="Scenario").widget.v_model = "broken"
    assert "broken cannot be run: scenarios/broken.toml" in rc.find(v.Alert, class_="gg-input-error").widget.children[0]
    assert "baseline" in text_of(rc, "gg-run")  # the live run and its sliders stay as they were
    click(rc, "Step")
    assert text_of(rc, "gg-quarter") == q(1)


def test_page_step_and_reset_in_one_session():
    _box, rc = solara.render(solara.AppLayout(children=[Page()]), handle_error=False)
    labels = lambda: [w.label for w in views(rc)]  # noqa: E731
    assert labels() == [q(0), q(0)]
    rc.find(v.Btn, children=["Step"]).widget.click()
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert labels() == [q(2), q(2)]
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert labels() == [q(0), q(0)]


def test_compare_runs_only_once_its_tab_is_opened():
    rc = page()
    assert rc.find(solara.widgets.VegaLite).widgets == []  # nothing run at page load
    rc.find(v.Tabs).widget.v_model = 1
    assert rc.find(solara.widgets.VegaLite).widget.spec["vconcat"][0]["data"]["values"]


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

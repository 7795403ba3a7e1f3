"""The dashboard without a browser: its model, pacing, frames, views (solara.render) and helpers."""

from __future__ import annotations

import inspect
import io
import json
import os
import re
import threading
import time
import zipfile

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara
from mesa.visualization.solara_viz import _build_model_init_kwargs

os.environ.setdefault("REACTON_FAST", "1")  # as server.py and run.py dashboard render

from dashboard import assets, launch, levers, sim
from dashboard.app import Page
from dashboard.charts import PANELS, charts_spec, series_columns
from dashboard.eventlog import NO_FILTER, LineBook, events_csv, select
from dashboard.events import describe, group_quarters, merge_pre_empted
from dashboard.export import tables_zip
from dashboard.frames import TOLERANCE, LayerFeed
from dashboard.inspector import Inspector, changes, history
from dashboard.layers import DEPOSITS, LAYERS, PLANTS, Layer, holders_text
from dashboard.map import map_spec
from dashboard.monitors import capacity_monitors, licences_this_year
from dashboard.offtake import contract_rows
from dashboard.pacing import Pacer
from dashboard.session import CHARTS, MAP, Session
from dashboard.state import Choice
from dashboard.style import COLOURS, EXTRA_COLOURS, STAGE_SHAPES, label
from dashboard.urlstate import decode, encode
from dashboard.vega import VegaView
from experiments.cli.main import build_parser
from experiments.runner.single import run_model
from model import GreatGameModel, chain_tables
from model import contracts as C
from model import scenario as scenarios
from model.errors import InputError
from model.model import quarter_label
from model.params import PARAMS
from model.vocabulary import Stage


def q(steps: int) -> str:
    return quarter_label(PARAMS["run.start_year"].default, steps)


class Browser:
    """What a browser holds of a session's views, rebuilt from the frames the session sends."""

    def __init__(self, session: Session):
        self.frames: dict[str, list[dict]] = {MAP: [], CHARTS: []}
        for view in self.frames:
            session.attach(view, lambda text, view=view: self.frames[view].append(json.loads(text)))

    def last(self, view: str) -> dict:
        return self.frames[view][-1]


def map_state(frames: list[dict], layer: str = "deposits") -> dict:
    """Items by id after applying every frame (as vega_view.vue does), values extrapolated to the last step."""
    items: dict = {}
    for f in frames:
        rows = f["data"][layer]
        if not f["delta"]:
            items = {}
            rows = {"new": rows, "set": {}, "value": {}, "gone": []}
        for cols in (rows["new"], *rows["set"].values(), rows["value"]):
            for i, item in enumerate(cols.get("id", [])):
                items[item] = {**items.get(item, {}), **{k: c[i] for k, c in cols.items()}}
        for item in rows["gone"]:
            items.pop(item, None)
    step = frames[-1]["step"]
    return {k: {**r, "value": max(0.0, r["v0"] - r["r"] * (step - r["s0"]))} for k, r in items.items()}


@pytest.fixture
def session():
    return Session(sim.make_model("baseline", 7))


def page():
    return solara.render(Page(), handle_error=False)[1]


def button(rc, label: str):
    return next(w for w in rc.find(v.Btn).widgets if label in [c for c in w.children if isinstance(c, str)])


def html_of(rc, cls: str) -> str:
    """The inner HTML of the solara.HTML widget with class ``cls``."""
    return next(
        w for w in rc.find(solara.widgets.HTML).widgets if cls in w.attributes.get("class", "")
    ).unsafe_innerHTML


def header(rc) -> str:
    return html_of(rc, "gg-header")


# --- the model the dashboard builds ------------------------------------------------------------------
def test_model_keywords_are_the_registry_and_levers_are_among_them():
    """Levers are declared once: the model takes every registry parameter by its alias (what SolaraViz's
    Reset checks names against), and nothing else but the scenario and the seed."""
    signature = inspect.signature(sim.DashboardModel.__init__).parameters
    assert set(signature) - {"self"} == {"scenario_name", "rng"} | {p.alias for p in PARAMS.values()}
    assert {lever.kwarg for lever in levers.LEVERS} <= set(signature) and "scenario" not in signature
    assert all(p.kind is p.KEYWORD_ONLY for name, p in signature.items() if name != "self")
    with pytest.raises(InputError, match="did you mean eu_delay_mean_q"):
        sim.DashboardModel(eu_delay_mean=3)


def test_scenario_is_the_base_and_values_override():
    surge = scenarios.load("china_surge").params().values()
    moved = sim.DashboardModel(scenario_name="china_surge", cn_budget_usd_m=50.0, host_trust_drift=0.1, rng="3")
    values = moved.params.values()
    assert values["cn.budget_usd_m"] == 50 and values["host.trust_drift"] == 0.1 and moved.seed == 3
    assert values["cn.max_pursuits"] == surge["cn.max_pursuits"]  # the scenario's other values stay


def test_mesa_reset_rebuilds_the_same_run():
    """What SolaraViz's Reset does with this model: build kwargs from the signature, then type(model)(**kwargs)."""
    model = sim.make_model("baseline", 7)
    kwargs = _build_model_init_kwargs(
        model,
        {"scenario_name": "eu_fast_track", "rng": 7},
        add_scenario_when_empty=True,
        require_model_accepts_scenario=True,
    )
    rebuilt = type(model)(**kwargs)
    same = GreatGameModel(**scenarios.load("eu_fast_track").model_kwargs(rng=7))
    rebuilt.run_for(8)
    same.run_for(8)
    assert rebuilt.timeseries().equals(same.timeseries())


def test_run_length_is_the_command_lines():
    assert build_parser().parse_args(["run"]).steps == sim.RUN_QUARTERS
    assert sim.make_model("start_2022", 7).last_quarter == "2046Q4" and sim.make_model().last_quarter == "2050Q4"


def test_quarters_and_seeds_are_checked_where_typed():
    assert sim.parse_quarter("2040q4", 2026, 100) == 60 and sim.parse_quarter(" 2025Q4", 2026, 100) == 0
    for bad, message in (("2051Q1", "outside this run"), ("40Q4", "not a quarter"), ("", "empty")):
        with pytest.raises(ValueError, match=message):
            sim.parse_quarter(bad, 2026, 100)
    assert sim.parse_seed(" 7 ") == 7
    for bad in ("-5", "abc", "", "1.5", str(2**63)):
        with pytest.raises(ValueError, match="a seed is 0 to 2"):
            sim.parse_seed(bad)


# --- pacing and frames ------------------------------------------------------------------------------------
def test_pacer_waits_for_the_slowest_view_within_its_window():
    pacer = Pacer(sim.make_model(), window=2)
    assert pacer.wait_drawn(10, timeout=0.01)  # no view reports (no browser): nothing waits
    pacer.drawn("map", 3)
    pacer.drawn("charts", 5)
    assert pacer.wait_drawn(4, timeout=0.01) and not pacer.wait_drawn(5, timeout=0.05)  # map has drawn 3 < 4
    later = threading.Timer(0.05, pacer.drawn, ("map", 4))
    later.start()
    assert pacer.wait_drawn(5, timeout=2)
    pacer.drawn("map", None)  # a view that goes away paces nothing
    assert pacer.wait_drawn(6, timeout=0.01)


def test_frames_rebuild_the_views_exactly(session):
    """Snapshot, then deltas: the browser's map and charts equal a fresh snapshot at every step checked, the
    values (extrapolated in the browser) within what the map shows."""
    browser = Browser(session)
    for _ in range(40):
        session.advance()
    frames = browser.frames[MAP]
    assert [f["delta"] for f in frames] == [False] + [True] * 40 and frames[-1]["label"] == q(40)
    state = map_state(frames)
    fresh = LayerFeed(DEPOSITS, lambda s: DEPOSITS.rows(session.model, s)).snapshot(40)
    assert set(state) == set(fresh["id"])
    for i, item in enumerate(fresh["id"]):
        assert state[item]["stage"] == fresh["stage"][i] and state[item]["holders"] == fresh["holders"][i]
        assert abs(state[item]["value"] - fresh["v0"][i]) <= TOLERANCE
    rows = pd.concat(pd.DataFrame(f["data"]["series"]) for f in browser.frames[CHARTS])
    per_step = rows.groupby("s").size()
    assert per_step.loc[1:].nunique() == 1 and per_step[0] < per_step[1]  # every quarter; flows start at step 1
    frame = session.model.timeseries()
    assert rows[(rows.p == 0) & (rows.h == "EU")]["v"].tolist() == [round(x, 4) for x in frame["reserve_share_eu"]]


def test_frame_payload_stays_flat_as_deposits_grow(session):
    browser = Browser(session)
    for _ in range(100):
        session.advance()
    size = {s: sum(len(json.dumps(browser.frames[v][s])) for v in (MAP, CHARTS)) for s in range(1, 101)}
    early, late = np.mean([size[s] for s in range(6, 16)]), np.mean([size[s] for s in range(91, 101)])
    assert len(session.model.deposits) > 4 * len(session.model.deposit_frame(0))
    assert late < 1.5 * early, (early, late)  # the map sends changes, the charts one quarter


def test_show_jumps_with_a_snapshot_and_runs_the_model_only_forward(session):
    browser = Browser(session)
    session.show(12)
    assert session.model.steps == 12 and session.cursor == 12 and not browser.last(MAP)["delta"]
    session.show(4)  # a past quarter: from what was recorded
    assert session.model.steps == 12 and browser.last(MAP)["label"] == q(4) and not browser.last(MAP)["delta"]
    assert browser.last(CHARTS)["data"]["series"]["s"][-1] == 4
    session.advance()  # on from the past quarter: a delta, the model does not move
    assert session.cursor == 5 and session.model.steps == 12 and browser.last(MAP)["delta"]
    session.show(10_000)
    assert session.cursor == session.model.end_step and not session.advance()


def test_a_declared_layer_reaches_the_frames_and_the_inspector(monkeypatch, session):
    """A pipelines (ports ...) layer is one declaration: its rows at a step, or None while the model has none."""

    def pipelines(model, step):
        n = 2 + step // 10
        return {
            "id": np.array([f"r{i}" for i in range(n)], dtype=object),
            "name": np.array([f"Pipeline {i}" for i in range(n)], dtype=object),
            "lon": np.full(n, 70.0),
            "lat": np.full(n, 48.0),
            "state": np.array(["running"] * n, dtype=object),
            "value": np.full(n, 10.0),
        }

    layer = Layer("pipelines", "Pipeline", pipelines, ("name", "lon", "lat"), ("state",), "value", lambda h, m: {"mark": "point"},
                  lambda events, item: events.iloc[0:0], lambda rows: np.zeros(len(rows["id"]), dtype=bool))  # fmt: skip
    absent = Layer("ports", "Port", lambda m, s: None, (), (), "value", None, None, None)
    monkeypatch.setattr("dashboard.session.LAYERS", (*LAYERS, layer, absent))
    monkeypatch.setattr("dashboard.layers.LAYERS", (*LAYERS, layer, absent))
    with_pipelines = Session(session.model)
    browser = Browser(with_pipelines)
    for _ in range(12):
        with_pipelines.advance()
    assert [lay.name for lay in with_pipelines.layers] == ["deposits", "plants", "routes", "pipelines"]
    assert set(map_state(browser.frames[MAP], "pipelines")) == {"r0", "r1", "r2"}
    drawn = {mark["data"]["name"] for group in map_spec(session.model)["layer"] for mark in group.get("layer", [])}
    assert drawn == {"deposits", "plants", "routes", "pipelines"}
    assert [r["step"] for r in history(with_pipelines, layer, "r2", 12)] == [10, 11, 12]


def test_inspector_history_shows_each_change(session):
    session.show(40)
    frame = session.model.deposit_frame(40)
    item = frame.loc[frame["award_step"].notna(), "id"].iloc[0]
    rows = history(session, DEPOSITS, item, 40)
    assert len(rows) == 41 and rows[-1]["id"] == item
    steps = [r["step"] for r in changes(rows, DEPOSITS.dynamic)]
    assert steps[0] == 0 and len(steps) >= 2  # it was awarded: its stage or holders changed


# --- plants and contracts ------------------------------------------------------------------------------------
BUILT = 13  # baseline seed 1: China's package for Shevchenko (nickel) brings its plant online in 2029Q1


def inspected(session, step: int, pinned: tuple[str, str]) -> str:
    return html_of(
        solara.render(Inspector(session, step, pinned, lambda: None), handle_error=False)[1], "gg-item-history"
    )


def table_rows(text: str, cls: str) -> list[list[str]]:
    """The cells of each body row of the HTML table of class ``cls``."""
    body = re.search(rf'<table class="{cls}">.*?<tbody>(.*?)</tbody>', text).group(1)
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_plants_are_on_the_map_from_the_start_and_built_ones_when_online():
    """The table's plants at step 0 (those planned under construction); a plant built for a package's processing
    commitment appears in the frame of the quarter it goes online, a status that changed sends that column only."""
    session = Session(sim.make_model("baseline", 1))
    browser = Browser(session)
    table = chain_tables.plants(session.model)
    start = PLANTS.rows(session.model, 0)
    assert start["id"].tolist() == table["plant"].tolist()
    assert [s == "online" for s in start["status"]] == (table["online_step"] == 0).tolist()
    for _ in range(BUILT):
        session.advance()
    table = chain_tables.plants(session.model).set_index("plant")
    built = table.index[table["origin"] == "processing commitment"].tolist()
    assert built == ["plant_shevchenko"] and table.loc[built[0], "online_step"] == BUILT
    assert "plant_shevchenko" not in session.rows(PLANTS, BUILT - 1)["id"]
    frames = [f["data"]["plants"] for f in browser.frames[MAP]]
    assert frames[BUILT]["new"]["id"] == ["plant_shevchenko"] and frames[BUILT]["new"]["built_for"] == [
        "Shevchenko's package"
    ]
    assert frames[BUILT]["set"]["status"] == {"id": ["katpar_apt_plant"], "status": ["online"]}  # planned, now online
    assert frames[BUILT - 1] == {"new": {}, "set": {}, "value": {}, "gone": []}  # a quarter with no change
    assert set(map_state(browser.frames[MAP], "plants")) == set(table.index)


def test_a_plants_tooltip_reads_its_holders_intake_and_origin():
    model = sim.make_model("baseline", 1)
    model.run_for(BUILT)
    rows = PLANTS.rows(model, BUILT)
    item = {k: col[rows["id"].tolist().index("ulba_fa")] for k, col in rows.items()}
    held = chain_tables.plant_holders(model).query("plant == 'ulba_fa'")
    assert item["holders"] == ", ".join(f"{label(h)} {s:.0%}" for h, s in held[["holder", "equity_share"]].values)
    assert (
        item["holders"] == "Kazakhstan 51%, China 49%" and item["led"] == "China" and item["controller"] == "Kazakhstan"
    )
    assert (item["tonnes"], item["online"], item["built_for"]) == (380.0, "at the start", "in the data")
    built = {k: col[-1] for k, col in rows.items()}
    assert (built["name"], built["holders"], built["online"]) == ("Shevchenko refinery", "China 100%", q(BUILT))
    assert built["built_for"] == "Shevchenko's package" and built["intake"] > 0
    tooltip = [t["field"] for t in PLANTS.mark(model.holders, 1.0)["encoding"]["tooltip"]]
    assert tooltip == ["name", "commodity", "holders", "led", "tonnes", "intake", "online", "status", "built_for"]
    assert set(tooltip) <= set(PLANTS.static) | set(PLANTS.dynamic) | {PLANTS.value}  # each one is sent
    spec = map_spec(model)
    assert {"name": "show_plants", "value": True, "bind": {"input": "checkbox", "name": "Plants "}} in spec["params"]
    plants = next(group for group in spec["layer"] if group.get("layer", [{}])[0].get("data") == {"name": "plants"})
    assert all(mark["transform"][0] == {"filter": "show_plants"} for mark in plants["layer"])


FIELDS = ("contract", "buyer", "share", "start", "end", "status", "renewals")


def test_the_inspector_shows_contracts_as_the_run_recorded_them():
    """Each contract on a deposit or a plant, at every quarter, as ``chain_tables.contracts`` wrote it then:
    renewed (the baseline), broken (Russia's, by sanctions in 2028) or ended (each quarter without lock-in)."""
    for model in (sim.make_model("sanctions_shock", 1), sim.DashboardModel(rng=1, mechanisms_lock_in=0)):
        recorded = {}
        for step in range(14):
            recorded[step] = chain_tables.contracts(model)
            model.step()
        rows_of = {"deposit": (C.DEPOSIT, model.deposits.table.ids), "plant": (C.PLANT, model.chains.plants.ids)}
        for step, table in recorded.items():
            table = table[table["start_quarter"] <= pd.Period(q(step), "Q")]
            for (kind, source), rows in table.groupby(["source_kind", "source"]):
                code, ids = rows_of[kind]
                got = [[g[k] for k in FIELDS] for g in contract_rows(model, code, ids.index(source), step)]
                want = [
                    [
                        r.contract,
                        label(r.buyer),
                        r.share,
                        str(r.start_quarter),
                        str(r.end_quarter),
                        r.status,
                        r.renewals,
                    ]
                    for r in rows.itertuples()
                ]
                assert got == want, (step, source)
        statuses = set(chain_tables.contracts(model)["status"])
        assert statuses >= ({"broken"} if model.params.mechanisms.lock_in else {"ended"})


def test_a_pinned_deposit_and_plant_show_their_contracts_and_the_plant_its_events():
    session = Session(sim.make_model("baseline", 1))
    session.show(BUILT)
    table = chain_tables.contracts(session.model)
    for source in ("aktogay", "ulba_fa"):
        layer = "deposits" if source == "aktogay" else "plants"
        text = inspected(session, BUILT, (layer, source))
        want = table[table["source"] == source]
        assert len(want) == 1
        r = next(want.itertuples())
        term = f"{r.start_quarter}–{r.end_quarter}"
        want = [
            label(r.buyer),
            f"{r.share:.0%}",
            term,
            r.price_basis,
            r.status,
            str(r.renewals),
            "yes" if r.led else "no",
        ]
        assert table_rows(text, "gg-item-contracts") == [want]
    assert "Its ore goes first to Balkhash copper smelter" in inspected(session, BUILT, ("deposits", "aktogay"))
    text = inspected(session, BUILT, ("plants", "plant_shevchenko"))
    assert "China brings a processing plant online for Shevchenko (nickel)" in text and "holders: China 100%" in text
    assert "Ore first from the mines its holders control (Shevchenko)" in text


def test_without_plants_no_plant_is_built_or_shown():
    session = Session(sim.DashboardModel(rng=1, mechanisms_plants=0))
    browser = Browser(session)
    for _ in range(BUILT):
        session.advance()
    assert [layer.name for layer in session.layers] == ["deposits", "routes"] and len(session.model.chains.plants) == 0
    assert "plants" not in browser.last(MAP)["data"] and "show_plants" not in json.dumps(map_spec(session.model))
    assert any(e.kind == "package_delivered" and e.deposit == "Shevchenko" for e in session.model.events)  # it was


# --- levers ---------------------------------------------------------------------------------------------------
def test_snap_is_vuetifys():
    assert levers.snap(111.0, 0.0, 1000.0, 5.0) == 110.0 and levers.snap(100, 1, 500, 10) == 101
    assert levers.snap(0.37, 0.0, 1.0, 0.05) == 0.35 and levers.slider_step(111.0, 0.0, 1000.0, 5.0) == 1.0


def test_every_slider_starts_on_its_grid():
    """The browser snaps a slider to min + k·step as it draws it: every lever of every scenario starts on it."""
    for name in scenarios.names():
        values = scenarios.load(name).params().values()
        for lever in levers.LEVERS:
            s = lever.slider(values[lever.key])
            assert levers.snap(s["value"], s["min"], s["max"], s["step"]) == s["value"] == values[lever.key]


def test_any_parameter_is_a_lever_with_the_registrys_help():
    keys = levers.searchable()
    assert "host.trust_drift" in keys and not any(k.startswith("run.") for k in keys)
    assert len(keys) > 200
    lever = levers.lever_for("host.trust_drift")
    p = PARAMS["host.trust_drift"]
    assert lever.slider(0.02)["max"] == p.bounds[1] and lever.slider(0.02)["step"] <= 0.01
    text = lever.help()
    assert p.doc in text and p.unit in text and p.source in text and "Range 0 to 1" in text
    assert levers.lever_for("cn.max_pursuits").slider(3)["step"] == 1


def test_run_command_builds_the_same_run():
    model = sim.make_model("baseline", 5, cn_budget_usd_m=200.0, host_trust_drift=0.05)
    assert levers.run_command(model) == (
        "python run.py run --scenario baseline --seed 5 --set cn.budget_usd_m=200 --set host.trust_drift=0.05"
    )
    same = run_model(scenarios.load("start_2022"), 42, 20).timeseries()
    model = sim.make_model("start_2022", 42)
    model.run_for(20)
    assert levers.run_command(model) == "python run.py run --scenario start_2022 --seed 42"
    assert model.timeseries().equals(same)


# --- events ---------------------------------------------------------------------------------------------------
def test_events_in_words_read_right():
    """No 'private investors's', no 'Kazakhstan revokes Kazakhstan's', no snake_case, slipped quarters explained."""
    model = sim.make_model("baseline", 42)
    model.run_for(100)
    told = [describe(e) for e in group_quarters(merge_pre_empted([e._asdict() for e in reversed(model.events.rows)]))]
    text = "\n".join(told)
    assert "s's" not in text and "revokes Kazakhstan" not in text and "_" not in text and "(1 slipped)" not in text
    assert "a Kazakh firm's licence" in text and "behind plan (slipped)" in text
    # a state's package, its offtake contracts and its plants read as sentences, not as event kinds
    assert (
        "offers a package for" in text
        and "Kazakhstan accepts China's package for" in text
        and "brings a processing plant online" in text
    )
    assert "offtake contract" in text and "package_" not in text and not re.search(r"\b1 quarters", text)
    assert len(told) < 0.5 * len(model.events)  # lone private bids grouped per quarter
    base = {"step": 3, "quarter": "2026Q3", "kind": "award", "power": "KZ", "others": "", "amount_usd_m": 50.0,
            "detail": "a private investor bidding alone [auction]", "deposit": "lithium_plot", "commodity": "rare_earths"}  # fmt: skip
    grouped = group_quarters([base, {**base, "deposit": "B"}, {**base, "kind": "revocation", "detail": ""}])
    assert describe(grouped[0]) == (
        "2026Q3 Private investors bidding alone win 2 licences: lithium plot (rare earths) and B (rare earths); "
        "$100m committed"
    )
    revoked = {**base, "kind": "revocation", "power": "PRIVATE", "detail": "undeveloped after 6 quarters (2 slipped)"}
    assert describe(revoked) == (
        "2026Q3 Kazakhstan revokes a private investor's licence for lithium plot (rare earths): still not producing "
        "after 6 quarters of development, 2 of them behind plan (slipped)"
    )


def test_event_log_filters_count_and_csv(session):
    session.show(40)
    book = LineBook(session, NO_FILTER)
    n_events, n_lines, newest = book.upto(40, 10)
    assert n_events == sum(1 for e in session.model.events if e.step <= 40) and n_lines < n_events and len(newest) == 10
    china = LineBook(session, {**NO_FILTER, "powers": ("CN",), "kinds": ("award",)})
    assert all(e["power"] == "CN" and e["kind"] == "award" for e in china.events(40))
    found = LineBook(session, {**NO_FILTER, "search": "revokes"})
    assert found.upto(40, 50)[1] == sum(1 for e in session.model.events if e.step <= 40 and e.kind == "revocation")
    csv = pd.read_csv(io.BytesIO(events_csv(china.events(40))))
    assert set(csv["power"]) == {"CN"} and csv["sentence"].str.startswith(tuple(csv["quarter"])).all()
    assert select([{"power": "EU", "kind": "award", "commodity": "copper"}], kinds=("shock",)) == []


# --- monitors, export, address --------------------------------------------------------------------------------
def test_capacity_monitor_shows_led_and_flagged_only_when_the_model_has_them():
    assert [t for t, _, _ in capacity_monitors({"capacity_share_eu": 0.1})] == ["EU capacity share (total)"]
    both = capacity_monitors(
        {"capacity_share_eu": 0.1, "capacity_share_led_eu": 0.05, "capacity_share_flagged_eu": 0.2}
    )
    assert [(t, v) for t, v, _ in both] == [("EU-led capacity", "5.0%"), ("EU-flagged capacity", "20.0%")]


def test_licences_this_year_count_the_calendar_year(session):
    session.show(6)  # 2026Q1-2027Q2
    total, by = licences_this_year(session.measures, 6, 2026, session.model.holders)
    frame = session.model.timeseries()
    assert total == int(
        frame.loc[frame["step"].isin([5, 6]), [f"new_awards_{h.lower()}" for h in session.model.holders]].sum().sum()
    )
    assert by["EU"] == int(frame.loc[frame["step"].isin([5, 6]), "new_awards_eu"].sum())


def test_tables_download_reads_back(session):
    session.show(8)
    for fmt, read in (("Parquet", pd.read_parquet), ("CSV", pd.read_csv)):
        with zipfile.ZipFile(io.BytesIO(tables_zip(session, fmt))) as z:
            names = z.namelist()
            events = read(io.BytesIO(z.read(next(n for n in names if n.startswith("events.")))))
        assert {n.split(".")[0] for n in names} >= {"series", "timeseries", "events", "deposits", "deposit_holders"}
        assert len(events) == len(session.model.events) and set(events["scenario"]) == {"baseline"}


def test_address_round_trip_and_bad_values_are_named():
    choice = Choice("china_surge", {"eu.delay_mean_q": 6.0, "cn.max_pursuits": 3}, 9)
    back, step, notes = decode(encode(choice, "2030Q4"))
    assert (back.scenario, back.seed, step, notes) == ("china_surge", 9, 20, [])
    assert back.values == {"eu.delay_mean_q": 6.0, "cn.max_pursuits": 3}
    back, step, notes = decode("scenario=nope&seed=-1&quarter=2099Q1&eu.delay_mean_q=99&run.deposits=x")
    assert back == Choice() and step == 0 and len(notes) == 5


# --- specs and colours ----------------------------------------------------------------------------------------
def test_chart_spec_reads_on_a_fixed_calendar_with_quarters_and_percentages():
    spec = charts_spec(("KZ", "EU", "CN", "US", "RU", "JK", "GULF", "PRIVATE"), 2026, 100)
    panels = spec["concat"]
    assert [p["title"] for p in panels] == [p[0] for p in PANELS]
    assert panels[0]["encoding"]["x"]["scale"]["domain"][1] == {"year": 2051, "month": 1, "date": 1, "utc": True}
    assert panels[3]["encoding"]["y"]["axis"]["tickMinStep"] == 1  # missed windows: whole numbers only
    tips = {p["title"]: {t["title"]: t.get("format") for t in p["encoding"]["tooltip"]} for p in panels}
    assert (
        tips["Share of licensed reserve value"]["Quarter"] is None
        and tips["Share of licensed reserve value"]["share"] == ".1%"
    )
    assert {
        "calculate": "floor((2026 * 4 + datum.s - 1) / 4) + 'Q' + ((2026 * 4 + datum.s - 1) % 4 + 1)",
        "as": "q",
    } in spec["transform"]
    scale = panels[0]["encoding"]["color"]["scale"]
    assert scale["domain"][:3] == ["Kazakhstan", "EU", "China"] and len(set(scale["range"])) == len(scale["range"])


def test_series_rows_from_a_frame_or_one_observation(session):
    session.show(2)
    frame = session.model.timeseries()
    one = series_columns({k: [v] for k, v in session.model.measures.items()}, session.model.holders)
    assert one == series_columns(frame[frame["step"] == 2], session.model.holders)


def test_every_stage_has_a_marker_and_holders_are_in_words(session):
    assert set(Stage.labels()) <= set(STAGE_SHAPES) and len(set(STAGE_SHAPES.values())) == len(STAGE_SHAPES)
    text = holders_text(session.model)
    held = session.model.deposit_holders().query("equity_share > 0")
    dep = held.groupby("deposit").size().idxmax()  # a deposit with several holders
    rows = held.loc[held.deposit == dep, ["holder", "equity_share"]].values
    assert text[dep] == ", ".join(f"{label(h)} {s:.0%}" for h, s in rows)


def test_a_declared_power_has_one_colour(tmp_path):
    path = tmp_path / "gulf.toml"
    path.write_text('description = "A Gulf fund"\nextends = "baseline"\n[powers.GULF]\nbudget_usd_m = 2000\n')
    session = Session(sim.DashboardModel(scenario_name=str(path), rng=42))
    spec = map_spec(session.model)
    deposits = next(g for g in spec["layer"] if g.get("layer", [{}])[0].get("data") == {"name": "deposits"})
    scale = deposits["layer"][0]["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"]))["GULF"] == EXTRA_COLOURS[0]
    assert dict(zip(scale["domain"], scale["range"]))["China"] == COLOURS["CN"]


# --- the page -------------------------------------------------------------------------------------------------
def test_page_steps_plays_pauses_and_resets():
    rc = page()
    assert q(0) in header(rc) and "initial state" in header(rc)
    button(rc, "Step").click()
    button(rc, "Step").click()
    assert q(2) in header(rc) and "step 2 of 100" in header(rc)
    button(rc, "Play").click()
    deadline = time.monotonic() + 20
    while q(4) not in header(rc) and time.monotonic() < deadline:
        time.sleep(0.05)
    button(rc, "Pause").click()
    time.sleep(0.3)
    paused = header(rc)
    time.sleep(0.5)
    assert header(rc) == paused and q(2) not in paused
    button(rc, "Reset").click()
    assert q(0) in header(rc)


def test_each_page_builds_its_own_model():
    a, b = page(), page()
    button(a, "Step").click()
    assert q(1) in header(a) and q(0) in header(b)


def test_levers_and_scenario_apply_on_reset():
    rc = page()
    rc.find(v.Select, label="Scenario").widget.v_model = "china_surge"
    assert "Press Reset" in "".join(str(w.children) for w in rc.find(v.Alert).widgets)
    box = next(w for w in rc.find(v.TextField).widgets if (w.attributes or {}).get("aria-label") == "China's budget")
    box.v_model = "250"
    box.fire_event("blur", None)
    button(rc, "Reset").click()
    assert "scenario china_surge" in header(rc)
    command = rc.find(v.Html, class_="gg-command").widget.children[0]
    assert "--set cn.budget_usd_m=250" in command


def test_views_get_their_frames_on_the_page():
    rc = page()
    for widget in rc.find(VegaView).widgets:
        widget.ready = 1  # what the browser says once it embedded the view
    sent = []
    for widget in rc.find(VegaView).widgets:
        widget.send = lambda content, sent=sent: sent.append(json.loads(content["args"][0]))
    button(rc, "Step").click()
    assert {f["label"] for f in sent} == {q(1)} and all(f["delta"] for f in sent)


# --- launching ------------------------------------------------------------------------------------------------
def test_one_command_serves_offline_on_this_machine():
    command = launch.command(8765)
    assert command[1:4] == ["-m", "solara", "run"] and command[command.index("--host") + 1] == "127.0.0.1"
    assert {"--production", "--no-check-version", "--no-open"} <= set(command)
    assert launch.environment()["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert build_parser().parse_args(["dashboard", "--port", "9000"]).port == 9000


def test_assets_are_read_from_solaras_source_and_missing_npm_is_one_line(monkeypatch, tmp_path):
    wanted, _ = assets.plan()
    assert {"vega@5", "vega-lite@5", "vega-embed@6", "requirejs@2.3.6"} <= set(wanted)
    monkeypatch.setattr(assets.shutil, "which", lambda _name: None)
    with pytest.raises(assets.AssetsError, match="npm is not found") as err:
        assets.fetch("vega@5", tmp_path)
    assert "\n" not in str(err.value)


def test_a_busy_port_is_one_line(capsys, monkeypatch):
    monkeypatch.setattr(launch, "ensure", lambda say: None)
    monkeypatch.setattr(launch, "port_free", lambda port: False)
    assert launch.main(8765) == 2
    assert capsys.readouterr().err.count("\n") == 1


# --- compare, experiments, info -------------------------------------------------------------------------------
def test_bands_are_paired_and_on_one_calendar():
    from dashboard.bands import Arm, RunStore, bands, replicate_seeds, summary_rows

    store, seeds = RunStore(), replicate_seeds(3, 3)
    assert len(set(seeds)) == 3 and replicate_seeds(3, 1) == [3]
    arms = [Arm("baseline", "baseline"), Arm("again", "baseline"), Arm("2022", "start_2022")]
    frame = bands(store, arms, seeds, 12)
    eu = frame[frame["measure"] == "capacity_share_eu"].pivot_table(index="t", columns="scenario", values="median")
    assert eu["baseline"].dropna().equals(eu["again"].dropna())  # same scenario, same seeds: the same band
    assert eu["2022"].first_valid_index() == 2022.0 and eu["baseline"].first_valid_index() == 2026.0
    known = frame.dropna(subset=["median"])  # flows are null at step 0
    assert (known["low"] <= known["median"]).all() and (known["median"] <= known["high"]).all()
    levers_arm = Arm("current levers", "baseline", (("eu.delay_mean_q", 0.0),))
    assert store.missing([levers_arm, arms[0]], seeds, 12) == [(levers_arm, s) for s in seeds]  # only the new
    assert summary_rows(bands(store, [arms[0]], seeds[:1], 16)) == []  # 2030Q4 is not reached in 16 quarters


def test_compare_tab_runs_in_the_background_and_marks_bad_input():
    from dashboard.compare import Compare

    _box, rc = solara.render(Compare(seed=3), handle_error=False)
    deadline = time.monotonic() + 60
    while not rc.find(VegaView).widgets and time.monotonic() < deadline:
        time.sleep(0.2)
    spec = json.loads(rc.find(VegaView).widget.spec_json)
    assert "90% band over 3 seeds" in spec["title"]["text"] and spec["resolve"]["scale"]["x"] == "shared"
    seed_box = rc.find(v.TextField, label="First seed").widget
    seed_box.v_model = "-5"
    seed_box.fire_event("focusout", None)
    assert "out of range" in rc.find(v.TextField, label="First seed").widget.messages[0]
    assert rc.find(v.Html, class_="gg-compare-note").widgets


def test_a_small_experiment_from_the_form_runs_as_the_command(tmp_path):
    from dashboard import experiments_data as xd

    text = xd.design_toml("tiny", "baseline", "eu.delay_mean_q", [0.0, 4.0], 2, 4, seed=1)
    path = xd.write_design(tmp_path, "tiny", text)
    with pytest.raises(InputError, match="at most 60"):
        xd.write_design(tmp_path, "big", xd.design_toml("big", "baseline", "eu.delay_mean_q", list(range(7)), 10, 4, 1))
    proc = xd.launch(path, tmp_path / "tiny")
    assert proc.wait(120) == 0, proc.stdout.read()
    assert xd.folders(tmp_path) == [tmp_path / "tiny"] and xd.progress(tmp_path / "tiny") == xd.Progress(4, 0, 4)
    effects = xd.effects(tmp_path / "tiny")
    assert set(effects["level"]) == {0.0, 4.0} and set(effects["measure"]) == set(xd.MEASURES)
    assert xd.effects_spec(effects)["facet"]["column"]["field"] == "factor"


def test_info_quotes_the_odd_and_the_findings():
    from dashboard.info import info_markdown, read, verdicts

    text = info_markdown()
    assert "## What the model is" in text and "not found" not in text
    found = verdicts(read("findings.md"))
    assert found and {v for _, _, v, _ in found} <= {"supported", "conditional", "not supported"}
    assert "data/deposits.csv" in text

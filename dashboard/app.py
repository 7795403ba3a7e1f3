"""The dashboard page: Mesa's SolaraViz controls in the sidebar, the live view and the compare page.

Every browser session renders its own ``Page`` and so builds its own model (``use_memo``); nothing
model-related lives at module level.
"""

from __future__ import annotations

import html

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from dashboard.charts import Charts
from dashboard.compare import Compare
from dashboard.events import EventLog
from dashboard.map import DepositMap
from dashboard.sim import DEFAULT_SCENARIO, DEFAULT_SEED, LEVERS, make_model, model_params, reading
from model import scenario as scenarios

TITLE = "The Great Game: Kazakhstan's critical minerals"
PLAY_INTERVAL_MS = 100


@solara.component
def QuarterHeader(model):
    update_counter.get()
    with reading(model):
        quarter, steps = model.quarter, model.steps
    with solara.Row(style={"align-items": "baseline", "gap": "12px"}) as main:
        solara.Text(quarter, classes=["gg-quarter"], style={"font-size": "22px", "font-weight": "bold"})
        solara.Text(
            f"scenario {model.scenario_name} · seed {model.seed} · "
            + (f"step {steps}" if steps else "initial state, before the first quarter"),
            classes=["gg-run"],
            style={"color": "#555"},
        )
    return main


@solara.component
def RenderTracker(model):
    """Tells the model which update the page has rendered (it paces Mesa's play loop; see sim.py)."""
    counter = update_counter.get()

    def report():
        if hasattr(model, "shown"):
            model.shown(counter)

    def attach():
        return lambda: model.shown(None) if hasattr(model, "shown") else None

    solara.use_effect(report, [counter, model])
    solara.use_effect(attach, [model])


@solara.component
def Live(model):
    with solara.Column(classes=["gg-live"], gap="8px") as main:
        RenderTracker(model)
        QuarterHeader(model)
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start", "gap": "16px"}):
            DepositMap(model)
            with solara.Column(style={"flex": "1 1 340px", "min-width": "320px", "max-width": "560px"}):
                EventLog(model)
        Charts(model)
    return main


@solara.component
def ScenarioPicker(scenario: str, on_scenario, model):
    names = scenarios.names()
    with solara.Card("Scenario", classes=["gg-scenario"]):
        solara.Select("Scenario", values=names, value=scenario, on_value=on_scenario)
        solara.Text(scenarios.load(scenario).description, style={"font-size": "12px", "color": "#555"})
        if scenario != model.scenario_name:
            solara.Warning(f"Press Reset to run {scenario} (now showing {model.scenario_name}).", dense=True)


@solara.component
def ThisRun(model):
    """The values the running model was built with (Mesa's sliders show no numbers)."""
    with solara.Card("This run", classes=["gg-this-run"]):
        values = model.params.values()
        rows = [(lever.label, values[lever.key], lever.param.unit) for lever in LEVERS]
        text = "".join(
            f"<tr><td style='padding-right:8px'>{html.escape(name)}</td>"
            f"<td style='text-align:right'>{value:g}</td><td style='padding-left:4px;color:#777'>"
            f"{html.escape(unit)}</td></tr>"
            for name, value, unit in rows
        )
        text += f"<tr><td>Seed</td><td style='text-align:right'>{model.seed}</td><td></td></tr>"
        solara.HTML(tag="table", unsafe_innerHTML=text, style="font-size: 12px")


@solara.component
def Page():
    scenario, set_scenario = solara.use_state(DEFAULT_SCENARIO)
    # False for one render after a scenario change: see `choose` below.
    viz_mounted, set_viz_mounted = solara.use_state(True)
    initial = solara.use_memo(lambda: make_model(DEFAULT_SCENARIO, DEFAULT_SEED), [])
    model = solara.use_reactive(initial)
    current = model.value
    # The sliders start at the chosen scenario's values (the seed carries over).
    params = solara.use_memo(lambda: model_params(scenario, current.seed), [scenario])

    def choose(name: str) -> None:
        # Mesa's ModelCreator reads the slider values into its parameters once, when it mounts, and the
        # AppLayout sidebar (a portal) reuses the mounted controls when SolaraViz re-renders, even with a
        # new key. So SolaraViz is left out of one render, which unmounts its controls, and put back.
        # Mesa's play loop would outlive its controls (it only checks their state), so it is stopped first.
        if name != scenario:
            if hasattr(current, "stop_playing"):
                current.stop_playing()
            set_scenario(name)
            set_viz_mounted(False)

    solara.use_effect(lambda: None if viz_mounted else set_viz_mounted(True), [viz_mounted])

    with solara.Sidebar():
        ScenarioPicker(scenario, choose, current)
        ThisRun(current)
    if viz_mounted:
        SolaraViz(model, components=[], model_params=params, name=TITLE, play_interval=PLAY_INTERVAL_MS)
    with solara.lab.Tabs():
        with solara.lab.Tab("Live"):
            Live(current)
        with solara.lab.Tab("Compare"):
            Compare(default_seed=current.seed)

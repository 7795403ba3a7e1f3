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
from dashboard.levers import LEVERS, model_params, run_command
from dashboard.map import DepositMap
from dashboard.sim import DEFAULT_SCENARIO, DEFAULT_SEED, input_message, make_model, reading
from model import scenario as scenarios
from model.errors import InputError

TITLE = "The Great Game: Kazakhstan's critical minerals"
# On the grid of Mesa's Play Interval slider (1 to 500 by 10): Vuetify snaps any other start value.
PLAY_INTERVAL_MS = 101


@solara.component
def QuarterHeader(model, frame: int):
    with reading(model):
        quarter, steps, over = model.quarter, model.steps, model.over
    with solara.Column(gap="0px") as main:
        with solara.Row(style={"align-items": "baseline", "gap": "12px"}):
            solara.Text(quarter, classes=["gg-quarter"], style={"font-size": "22px", "font-weight": "bold"})
            solara.Text(
                f"scenario {model.scenario_name} · seed {model.seed} · "
                + (f"step {steps} of {model.end_step}" if steps else "initial state, before the first quarter"),
                classes=["gg-run"],
                style={"color": "#555"},
            )
        if over:
            solara.Text(
                f"The run is over: it ends at {model.last_quarter}, {model.end_step} quarters from its start, "
                "as python run.py run runs it. Press Reset to run it again.",
                classes=["gg-over"],
                style={"color": "#8a4b00"},
            )
    return main


@solara.component
def Live(model):
    """The live tab. Only it reads Mesa's update counter and hands it down as ``frame``: every reader of the
    counter re-renders the whole page on each step on its own (Mesa's step counter is the one other)."""
    frame = update_counter.get()
    with solara.Column(classes=["gg-live"], gap="8px") as main:
        QuarterHeader(model, frame)
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start", "gap": "16px"}):
            DepositMap(model, frame)
            with solara.Column(style={"flex": "1 1 340px", "min-width": "320px", "max-width": "560px"}):
                EventLog(model, frame)
        Charts(model, frame)
    return main


@solara.component
def ScenarioPicker(scenario: str, on_scenario, model, error: str | None = None):
    names = scenarios.names()
    with solara.Card("Scenario", classes=["gg-scenario"]):
        solara.Select("Scenario", values=names, value=scenario, on_value=on_scenario)
        if error:
            solara.Error(error, dense=True, classes=["gg-input-error"])
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
        solara.Text("The same run from the command line:", style={"font-size": "12px", "color": "#555"})
        solara.Text(run_command(model), classes=["gg-command"], style={"font-size": "11px", "font-family": "monospace"})


@solara.component
def Page():
    scenario, set_scenario = solara.use_state(DEFAULT_SCENARIO)
    picker_error, set_picker_error = solara.use_state(None)
    tab, set_tab = solara.use_state(0)  # 0 Live, 1 Compare
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
        if name == scenario:
            return
        try:
            model_params(name)  # a scenario file that does not load stays unchosen, with its message
        except InputError as exc:
            set_picker_error(f"{name} cannot be run: {input_message(exc)}")
            return
        set_picker_error(None)
        if hasattr(current, "stop_playing"):
            current.stop_playing()
        set_scenario(name)
        set_viz_mounted(False)

    solara.use_effect(lambda: None if viz_mounted else set_viz_mounted(True), [viz_mounted])

    with solara.Sidebar():
        ScenarioPicker(scenario, choose, current, picker_error)
        ThisRun(current)
    if viz_mounted:
        SolaraViz(model, components=[], model_params=params, name=TITLE, play_interval=PLAY_INTERVAL_MS)
    with solara.lab.Tabs(value=tab, on_value=set_tab).key("tabs"):  # keyed: stays mounted when SolaraViz is
        with solara.lab.Tab("Live"):
            Live(current)
        with solara.lab.Tab("Compare"):
            Compare(default_seed=current.seed, shown=tab == 1)

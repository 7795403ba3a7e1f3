"""The sidebar's choices: the scenario, the levers (slider, number box, the registry's help), a search that
adds any parameter as a lever, the seed, and what the running model was built with.

Everything chosen here applies on Reset (as in Mesa's SolaraViz); a note says when the sidebar and the
running model differ.
"""

from __future__ import annotations

import contextlib
import html

import reacton.ipyvuetify as v
import solara

from dashboard.levers import Lever, lever_for, run_command, searchable
from dashboard.sim import input_message, parse_seed
from dashboard.state import State
from model import scenario as scenarios
from model.errors import InputError
from model.params import PARAMS


def help_icon(lever: Lever):
    """An (i) button whose tooltip is the registry's doc, unit, range and source."""
    activator = v.Btn(
        icon=True,
        x_small=True,
        v_on="tt.on",
        children=[v.Icon(small=True, children=["mdi-information-outline"])],
        attributes={"aria-label": f"About {lever.label}"},
        class_="gg-help",
    )
    return v.Tooltip(
        bottom=True,
        max_width=380,
        v_slots=[{"name": "activator", "variable": "tt", "children": activator}],
        children=[lever.help()],
    )


@solara.component
def NumberBox(name: str, text: str, on_text, error: str | None = None):
    """A number box named for screen readers (its visible name is the row's), taken on Enter or on leaving it."""
    typed, set_typed = solara.use_state(text)
    solara.use_effect(lambda: set_typed(text), [text])
    box = v.TextField(
        v_model=typed,
        on_v_model=set_typed,
        dense=True,
        hide_details="auto",
        error_messages=[error] if error else [],
        attributes={"aria-label": name},
        class_="gg-number",
        style_="max-width: 110px",
    )
    v.use_event(box, "keyup.enter", lambda *_: on_text(typed))
    v.use_event(box, "blur", lambda *_: on_text(typed))
    return box


@solara.component
def LeverRow(lever: Lever, value: float, on_value):
    """A lever: its label and help, a slider and a number box that move together."""
    is_int = lever.param.kind is int
    slider = lever.slider(value)
    lo, hi = lever.param.bounds
    error, set_error = solara.use_state(None)

    def typed(text: str) -> None:
        try:
            number = float(text)
            if not lo <= number <= hi or (is_int and number != int(number)):
                raise ValueError
        except ValueError:
            set_error(f"{text}: allowed {'whole numbers ' if is_int else ''}{lo:g} to {hi:g} ({lever.param.unit})")
            return
        set_error(None)
        on_value(int(number) if is_int else number)

    with solara.Column(gap="0px", classes=["gg-lever"], style={"margin-bottom": "4px"}):
        with solara.Row(gap="2px", style={"align-items": "center"}):
            solara.Text(f"{lever.label} ({lever.param.unit})", style={"font-size": "13px"})
            help_icon(lever)
        with solara.Row(gap="8px", style={"align-items": "center"}):
            v.Slider(
                v_model=value,
                on_v_model=lambda x: on_value(int(x) if is_int else float(x)),
                min=slider["min"],
                max=slider["max"],
                step=slider["step"],
                hide_details=True,
                thumb_label=True,
                attributes={"aria-label": lever.label},  # the thumb's accessible name (Vuetify passes it on)
                class_="gg-slider",
                style_="flex: 1 1 auto; min-width: 120px",
            )
            NumberBox(lever.label, f"{value:g}", typed, error)


@solara.component
def ParameterSearch(state: State):
    """Find any parameter of the registry (by key or words of its doc) and add it as a lever."""
    items = solara.use_memo(lambda: [{"text": f"{k} — {PARAMS[k].doc}", "value": k} for k in searchable()], [])
    v.Autocomplete(
        label="Find a parameter",
        items=items,
        v_model=None,
        on_v_model=lambda key: key and state.add_lever(key),
        clearable=True,
        dense=True,
        hide_details=True,
        class_="gg-search",
        prepend_inner_icon="mdi-magnify",
    )


@solara.component
def Levers(state: State):
    values = state.values.value
    seed_text, set_seed_text = solara.use_state(str(state.seed.value))
    try:
        parse_seed(seed_text)
        seed_error = None
    except ValueError as exc:
        seed_error = str(exc)

    def typed_seed(text: str) -> None:
        set_seed_text(text)
        with contextlib.suppress(ValueError):  # a bad seed is marked on the box and not used
            state.seed.value = parse_seed(text)

    with solara.Card("Levers", classes=["gg-levers"], margin=0):
        for key in state.keys.value:
            LeverRow(lever_for(key), values[key], lambda x, key=key: state.set_value(key, x)).key(key)
        ParameterSearch(state)
        solara.InputText(
            "Seed", value=seed_text, on_value=typed_seed, error=seed_error or False, classes=["gg-seed"],
            continuous_update=False,
        )  # fmt: skip
        if state.pending:
            solara.Info("Press Reset to run with these choices.", dense=True, classes=["gg-pending"])


@solara.component
def ScenarioPicker(state: State):
    error, set_error = solara.use_state(None)
    names = scenarios.names()

    def choose(name: str) -> None:
        try:
            scenarios.load(name).params()
        except InputError as exc:
            set_error(f"{name} cannot be run: {input_message(exc)}")
            return
        set_error(None)
        state.choose(name)

    chosen = state.scenario.value
    with solara.Card("Scenario", classes=["gg-scenario"], margin=0):
        solara.Select("Scenario", values=names, value=chosen, on_value=choose)
        if error:
            solara.Error(error, dense=True, classes=["gg-input-error"])
        solara.Text(scenarios.load(chosen).description, style={"font-size": "12px"}, classes=["text--secondary"])


@solara.component
def ThisRun(state: State):
    """The values the running model was built with, and the command line of the same run."""
    model = state.session.value.model
    values = model.params.values()
    rows = [(lever_for(k).label, values[k], PARAMS[k].unit) for k in state.keys.value]
    text = "".join(
        f"<tr><td style='padding-right:8px'>{html.escape(name)}</td><td style='text-align:right'>{value:g}</td>"
        f"<td style='padding-left:4px;opacity:.7'>{html.escape(unit)}</td></tr>"
        for name, value, unit in rows
    )
    text += f"<tr><td>Seed</td><td style='text-align:right'>{model.seed}</td><td></td></tr>"
    with solara.Card("This run", classes=["gg-this-run"], margin=0):
        solara.Text(f"scenario {model.scenario_name}", style={"font-size": "12px"})
        solara.HTML(tag="table", unsafe_innerHTML=text, style="font-size: 12px")
        solara.Text("The same run from the command line:", style={"font-size": "12px"}, classes=["text--secondary"])
        solara.Text(
            run_command(model, state.keys.value),
            classes=["gg-command"],
            style={"font-size": "11px", "font-family": "monospace", "word-break": "break-all"},
        )

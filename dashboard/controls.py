"""Run control: Reset, Play/Pause, Step, the speed, run to a quarter, and the time scrubber.

Play is a loop in a thread of its own (``solara.lab.use_task``, as Mesa's SolaraViz plays): it moves the
page's cursor on by one quarter (running the model when the cursor is at its end), lets the browser draw
(``Session.wait_drawn``), and sleeps to keep the chosen speed. The scrubber shows any quarter run so far;
"Run to" runs the model to a quarter at once and shows it.
"""

from __future__ import annotations

import time

import reacton.ipyvuetify as v
import solara

from dashboard.sim import parse_quarter
from dashboard.state import SPEEDS, State
from dashboard.urlstate import AddressBar
from model.model import quarter_label


def play(state: State, session) -> None:
    """The play loop: runs while ``state.playing`` is on and the page shows ``session``."""

    def go() -> bool:
        return state.playing.value and state.session.value is session

    while go():
        started = time.monotonic()
        if not session.advance(go):
            break
        session.wait_drawn()
        rate = SPEEDS[state.speed.value]
        while rate and state.playing.value and time.monotonic() - started < 1.0 / rate:
            time.sleep(min(0.02, 1.0 / rate))
    if state.session.value is session:
        state.playing.value = False


@solara.component
def PlayLoop(state: State):
    playing, session = state.playing.value, state.session.value
    solara.lab.use_task(
        lambda: play(state, session) if playing else None, dependencies=[playing, session], prefer_threaded=True
    )


@solara.component
def RunTo(state: State, session, playing: bool):
    """Run the model to a quarter typed in (or to the run's end) and show it."""
    model = session.model
    target, set_target = solara.use_state("2040Q4")
    error, set_error = solara.use_state(None)

    def run_to(text: str) -> None:
        try:
            where = parse_quarter(text, model.start_year, model.end_step)
        except ValueError as exc:
            set_error(str(exc))
            return
        set_error(None)
        state.show(where)

    with solara.Row(gap="6px", style={"align-items": "baseline"}):
        solara.InputText(
            "Run to quarter", value=target, on_value=set_target, error=error or False, classes=["gg-run-to"],
            continuous_update=True,
        )  # fmt: skip
        solara.Button("Run to", on_click=lambda: run_to(target), disabled=playing)
    solara.Button(
        f"Run to the end ({model.last_quarter})", on_click=lambda: state.show(model.end_step), text=True,
        disabled=playing, classes=["gg-run-end"],
    )  # fmt: skip


@solara.component
def RunControls(state: State):
    """Reset, Play/Pause, Step, speed, run to, the scrubber and the address; re-rendered every quarter, so the
    parts that do not change with it are components of their own, which then keep still."""
    session, step, playing = state.session.value, state.cursor.value, state.playing.value
    model = session.model
    over = step >= model.end_step
    with solara.Card("Run", classes=["gg-run-controls"], margin=0) as main:
        PlayLoop(state)
        AddressBar(state, session, step, playing)
        with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
            solara.Button("Reset", on_click=state.reset, color="primary", icon_name="mdi-restart")
            if playing:
                solara.Button("Pause", on_click=state.pause, color="primary", icon_name="mdi-pause")
            else:
                solara.Button("Play", on_click=state.play, color="primary", icon_name="mdi-play", disabled=over)
            solara.Button("Step", on_click=session.advance, disabled=playing or over, icon_name="mdi-skip-next")
        solara.Select("Speed (quarters per second)", values=list(SPEEDS), value=state.speed, classes=["gg-speed"])
        RunTo(state, session, playing)
        v.Slider(  # one widget, its text below it: one message a quarter
            label="Quarter",
            v_model=step,
            on_v_model=lambda s: state.show(int(s)),
            min=0,
            max=max(model.steps, 1),
            step=1,
            disabled=model.steps == 0,
            messages=[
                f"{quarter_label(model.start_year, step)} shown; run so far: to {quarter_label(model.start_year, model.steps)}"
            ],
            attributes={"aria-label": "Quarter shown"},
            class_="gg-scrubber",
        )
    return main

"""The page's address holds the run: ``?scenario=baseline&seed=42&quarter=2030Q4&eu.delay_mean_q=6&...``.

A reload (or a shared link) builds the same model, runs it to the quarter and shows it. The address is
written by the browser (``url_sync.vue``: ``history.replaceState``, no new history entry per quarter) and
is only updated while play is paused. A value that does not fit is left out with a note, never guessed.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qsl, urlencode

import ipyvuetify as v
import solara
import traitlets

from dashboard.levers import lever_for, searchable
from dashboard.sim import RUN_QUARTERS, parse_quarter, parse_seed
from dashboard.state import Choice, State
from model import scenario as scenarios
from model.errors import InputError
from model.params import PARAMS

FIXED = ("scenario", "seed", "quarter")


def encode(choice: Choice, quarter: str) -> str:
    return urlencode(
        {
            "scenario": choice.scenario,
            "seed": choice.seed,
            "quarter": quarter,
            **{key: f"{value:.12g}" for key, value in choice.values.items()},
        }
    )


def decode(search: str | None) -> tuple[Choice, int, list[str]]:
    """The run an address describes: its choice, the step to show, and a note per value left out."""
    query = dict(parse_qsl(search or ""))
    choice, notes = Choice(), []
    if "scenario" in query:
        try:
            scenarios.load(query["scenario"]).params()
            choice.scenario = query["scenario"]
        except InputError:
            notes.append(f"scenario={query['scenario']}: not a scenario that loads")
    if "seed" in query:
        try:
            choice.seed = parse_seed(query["seed"])
        except ValueError as exc:
            notes.append(f"seed: {exc}")
    allowed = set(searchable())
    for key, text in query.items():
        if key in FIXED:
            continue
        try:
            number = float(text)
            if key not in allowed or not PARAMS[key].bounds[0] <= number <= PARAMS[key].bounds[1]:
                raise ValueError
        except ValueError:
            notes.append(f"{key}={text}: not a lever value")
            continue
        choice.values[key] = int(number) if lever_for(key).param.kind is int else number
    step = 0
    if "quarter" in query:
        start = scenarios.load(choice.scenario).params().values()["run.start_year"]
        try:
            step = parse_quarter(query["quarter"], start, RUN_QUARTERS)
        except ValueError as exc:
            notes.append(f"quarter: {exc}")
    return choice, step, notes


class UrlSync(v.VuetifyTemplate):
    template_file = os.path.realpath(os.path.join(os.path.dirname(__file__), "url_sync.vue"))
    query = traitlets.Unicode(None, allow_none=True).tag(sync=True)


@solara.component
def AddressBar(state: State, session, step: int, playing: bool):
    """Writes the run into the address while paused (each write is a message: none while playing)."""
    choice = state.applied.value
    query = solara.use_ref(None)
    if not playing:
        query.current = encode(choice, session.quarter(step))
    UrlSync.element(query=query.current)

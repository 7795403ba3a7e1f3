"""The page's state, one per browser session: the run (``Session``), what the sidebar has chosen, and play.

Every reactive value is made per session (``use_state``), never at module level: two tabs are two runs.
The components read what they show from here and call its methods; only ``reset`` builds a model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import solara

from dashboard.levers import LEVERS, lever_for, scenario_values
from dashboard.session import Session
from dashboard.sim import DEFAULT_SCENARIO, DEFAULT_SEED, make_model

SPEEDS = {"1": 1.0, "2": 2.0, "5": 5.0, "10": 10.0, "as fast as drawn": 0.0}  # quarters per second (0: no pause)
DEFAULT_SPEED = "5"


@dataclass
class Choice:
    """What builds a run: the scenario, the levers' values (dotted keys) and the seed."""

    scenario: str = DEFAULT_SCENARIO
    values: dict = field(default_factory=dict)
    seed: int = DEFAULT_SEED

    def build(self) -> Session:
        kwargs = {lever_for(k).kwarg: v for k, v in self.values.items()}
        return Session(make_model(self.scenario, self.seed, **kwargs))


def lever_values(scenario: str, keys) -> dict:
    """The scenario's values of the levers ``keys``."""
    values = scenario_values(scenario)
    return {k: values[k] for k in keys}


class State:
    """Reactive values of one page, and what the controls do to them."""

    def __init__(self, choice: Choice | None = None, quarter: int = 0):
        choice = choice or Choice()
        keys = tuple(dict.fromkeys([*(lever.key for lever in LEVERS), *choice.values]))
        choice.values = {**lever_values(choice.scenario, keys), **choice.values}
        self.scenario = solara.reactive(choice.scenario)  # chosen in the picker (runs on Reset)
        self.keys = solara.reactive(keys)  # the levers on screen
        self.values = solara.reactive(dict(choice.values))
        self.seed = solara.reactive(choice.seed)
        self.playing = solara.reactive(False)
        self.speed = solara.reactive(DEFAULT_SPEED)
        self.cursor = solara.reactive(0)
        self.pinned = solara.reactive(None)  # (layer name, item id) in the inspector
        self.applied = solara.reactive(choice)  # what the running model was built from
        self.session = solara.reactive(self._start(choice))
        if quarter:
            self.session.value.show(quarter)

    def _start(self, choice: Choice) -> Session:
        session = choice.build()
        session.listeners.append(self._moved)
        return session

    def _moved(self, step: int) -> None:
        self.cursor.value = step

    def reset(self) -> None:
        """Build the run the sidebar describes (stopping play first)."""
        self.playing.value = False
        choice = Choice(self.scenario.value, dict(self.values.value), int(self.seed.value))
        self.applied.value = choice
        self.cursor.value = 0
        self.session.value = self._start(choice)

    def choose(self, scenario: str) -> None:
        """A scenario in the picker: the levers move to its values; it runs on Reset."""
        self.playing.value = False
        self.scenario.value = scenario
        self.values.value = lever_values(scenario, self.keys.value)

    def add_lever(self, key: str) -> None:
        if key not in self.keys.value:
            self.keys.value = (*self.keys.value, key)
            self.values.value = {**self.values.value, **lever_values(self.scenario.value, [key])}

    def set_value(self, key: str, value: float) -> None:
        self.values.value = {**self.values.value, key: value}

    @property
    def pending(self) -> bool:
        """The sidebar differs from the running model (Reset applies it)."""
        a = self.applied.value
        return (a.scenario, a.values, a.seed) != (self.scenario.value, self.values.value, int(self.seed.value))

    def play(self) -> None:
        self.playing.value = True

    def pause(self) -> None:
        self.playing.value = False

    def pin(self, layer: str, item) -> None:
        self.pinned.value = (layer, item)

    def unpin(self) -> None:
        self.pinned.value = None

    def show(self, step: int) -> None:
        self.playing.value = False
        self.session.value.show(step)

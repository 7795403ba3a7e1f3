"""The model as the dashboard builds it: a scenario as the base, registry parameters on top.

``DashboardModel`` has one job: scenario name, seed and parameter values → the model's keywords. Its keywords
are generated from the parameter registry (every parameter by its Mesa alias, ``None`` = the scenario's
value), so a lever is declared once (``dashboard/levers.py``) and the search box can reach any parameter.
The signature is explicit (``__signature__``): Mesa's SolaraViz Reset checks names against it, and injects a
Mesa ``Scenario`` into a model that takes ``scenario`` or ``**kwargs``. Stepping, locks and pacing live in
``dashboard/pacing.py``; the model never sees a thread.
"""

from __future__ import annotations

import inspect
import re

from model import GreatGameModel
from model import scenario as scenarios
from model.errors import InputError
from model.model import quarter_label
from model.params import PARAMS, closest

DEFAULT_SCENARIO = "baseline"
DEFAULT_SEED = 42
# A run is as long as `python run.py run` makes it (--steps 100): 25 years from the scenario's own start,
# so the dashboard shows the run that the command line writes (2026Q1-2050Q4 for the baseline).
RUN_QUARTERS = 100
BY_ALIAS = {p.alias: key for key, p in PARAMS.items()}
QUARTER = re.compile(r"\s*(\d{4})\s*Q\s*([1-4])\s*", re.IGNORECASE)


class DashboardModel(GreatGameModel):
    """GreatGameModel built from a scenario file, with registry parameters (by Mesa alias) on top."""

    def __init__(self, *, scenario_name: str = DEFAULT_SCENARIO, rng: int | str | None = DEFAULT_SEED, **values):
        unknown = sorted(set(values) - set(BY_ALIAS))
        if unknown:
            raise InputError(
                "DashboardModel", unknown[0], f"not a parameter; did you mean {closest(unknown[0], BY_ALIAS)}?"
            )
        settings = {BY_ALIAS[alias]: v for alias, v in values.items() if v is not None}
        super().__init__(**scenarios.load(scenario_name).model_kwargs(rng=rng, **settings))
        self.scenario_name = scenario_name
        self.seed = int(rng) if isinstance(rng, str) else rng
        self.end_step = RUN_QUARTERS

    @property
    def over(self) -> bool:
        """The run has reached its last quarter (the dashboard steps no further)."""
        return self.steps >= self.end_step

    @property
    def last_quarter(self) -> str:
        return quarter_label(self.start_year, self.end_step)


DashboardModel.__init__.__signature__ = inspect.Signature(
    [
        inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("scenario_name", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_SCENARIO),
        inspect.Parameter("rng", inspect.Parameter.KEYWORD_ONLY, default=DEFAULT_SEED),
        *(inspect.Parameter(alias, inspect.Parameter.KEYWORD_ONLY, default=None) for alias in BY_ALIAS),
    ]
)


def input_message(exc: InputError) -> str:
    """A bad input's message for the page: paths relative to the repository, never the server's own."""
    return str(exc).replace(f"{scenarios.ROOT}/", "")


def make_model(scenario_name: str = DEFAULT_SCENARIO, seed: int = DEFAULT_SEED, **values) -> DashboardModel:
    return DashboardModel(scenario_name=scenario_name, rng=seed, **values)


def parse_quarter(text: str, start_year: int, end_step: int) -> int:
    """The step that ends quarter ``text`` ('2040Q4'); ValueError with the message to show."""
    m = QUARTER.fullmatch(text or "")
    if not m:
        raise ValueError(f"{text or 'empty'}: not a quarter such as 2040Q4")
    step = (int(m.group(1)) - start_year) * 4 + int(m.group(2))
    first, last = quarter_label(start_year, 0), quarter_label(start_year, end_step)
    if not 0 <= step <= end_step:
        raise ValueError(f"{text.strip()}: outside this run ({first} to {last})")
    return step


SEED_LIMIT = 2**63 - 1  # as `run.py run --seed`


def parse_seed(text: str | None) -> int:
    """The seed typed in a box; ValueError with the message to show beside it."""
    text = (text or "").strip()
    try:
        seed = int(text)
    except ValueError:
        raise ValueError(f"{text or 'empty'}: not a whole number (a seed is 0 to 2^63 − 1)") from None
    if not 0 <= seed <= SEED_LIMIT:
        raise ValueError(f"{seed}: out of range (a seed is 0 to 2^63 − 1)")
    return seed

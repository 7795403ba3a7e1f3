"""The levers: the parameters the sidebar shows as a slider and a number box, declared once.

``LEVERS`` are the six shown to start with (a short label, the slider's reach and step); any other
numeric parameter of the registry can be added from the search box (``lever_for``). Range, unit, doc
and source always come from the registry (``model/params``), and the model takes every parameter by its
alias (``dashboard/sim.py``), so nothing here is listed twice.

A slider must start exactly on the scenario's value: Vuetify snaps a slider's value to its grid
(``min + k·step``, rounded to the step's decimals) as soon as it is drawn and sends the snapped value
back, so an off-grid value (China's budget 111 with a step of 5) would change the model that Reset
builds before anyone touched a lever.
"""

from __future__ import annotations

import math
import shlex
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from model import scenario as scenarios
from model.params import PARAMS

NOT_LEVERS = ("run.",)  # run settings (files, start year, observation): not parameters of the competition


@dataclass(frozen=True)
class Lever:
    key: str  # dotted parameter key
    label: str
    slider_max: float  # the slider's range is [lo, min(hi, slider_max)], widened to hold the value
    step: float  # the usual step; a finer one where the value needs it (see `slider_step`)

    @property
    def param(self):
        return PARAMS[self.key]

    @property
    def kwarg(self) -> str:
        """The model's keyword spelling of the lever (Mesa's alias)."""
        return self.param.alias

    def slider(self, value: float) -> dict:
        """The slider's min, max and step for ``value``, and the value itself."""
        lo, hi = (float(b) for b in self.param.bounds)
        top = float(max(min(hi, self.slider_max), value))
        step = slider_step(value, lo, top, self.step) if self.param.kind is float else 1
        return {"min": lo, "max": top, "step": step, "value": value}

    def help(self) -> str:
        """The registry's doc, unit, range, default and source, for the tooltip."""
        p = self.param
        lo, hi = p.bounds
        return (
            f"{p.doc} Unit: {p.unit}. Range {lo:g} to {hi:g}; default {p.default:g}. Source: {p.source}. Key: {p.key}."
        )


LEVERS: tuple[Lever, ...] = (
    Lever("eu.delay_mean_q", "EU approval delay", 20.0, 0.5),
    Lever("eu.budget_usd_m", "EU finance", 500.0, 1.0),
    Lever("eu.trust_build_rate", "EU trust-building", 5.0, 0.1),
    Lever("cn.budget_usd_m", "China's budget", 1000.0, 5.0),
    Lever("us.engagement", "US engagement", 1.0, 0.05),
    Lever("host.w_diversification", "Host's weight on diversification", 1.0, 0.05),
)
BY_KEY = {lever.key: lever for lever in LEVERS}


def searchable() -> list[str]:
    """Every registry key that can be a lever: numeric, and not a run setting."""
    return [k for k, p in PARAMS.items() if p.kind is not str and not k.startswith(NOT_LEVERS)]


def lever_for(key: str) -> Lever:
    """The declared lever, or one for any numeric registry parameter (its key as label, its whole range,
    a step of about a hundredth of it)."""
    if key in BY_KEY:
        return BY_KEY[key]
    p = PARAMS[key]
    lo, hi = (float(b) for b in p.bounds)
    step = 1.0 if p.kind is int else 10.0 ** math.floor(math.log10(max(hi - lo, 1e-9) / 100))
    return Lever(key, key, hi, step)


def js_number(x: float) -> str:
    """``x.toString()`` in JavaScript for the steps used here (1.0 -> '1', 0.05 -> '0.05')."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def snap(value: float, lo: float, hi: float, step: float) -> float:
    """Where Vuetify 2's slider puts ``value`` (VSlider ``roundValue``, after clamping to [lo, hi])."""
    decimals = len(js_number(step).partition(".")[2])
    value = min(max(value, lo), hi)
    offset = math.fmod(lo, step)
    grid = math.floor((value - offset) / step + 0.5) * step + offset  # JS Math.round rounds halves up
    exact = Decimal(min(grid, hi)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)  # toFixed
    return float(exact)


def slider_step(value: float, lo: float, hi: float, step: float) -> float:
    """``step`` if ``value`` lies on its grid, else the coarsest of 1, 0.1, ... 1e-6 that holds it."""
    for s in (step, *(10.0**-k for k in range(7))):
        if snap(value, lo, hi, s) == value:
            return s
    return 10.0**-6


def scenario_values(name: str) -> dict:
    """The scenario's resolved parameters (dotted keys)."""
    return scenarios.load(name).params().values()


def run_command(model, keys=()) -> str:
    """The ``run.py`` command that builds the same model (every parameter off the scenario's as ``--set``)."""
    base, now = scenario_values(model.scenario_name), model.params.values()
    words = ["python", "run.py", "run", "--scenario", model.scenario_name, "--seed", str(model.seed)]
    for key in dict.fromkeys([*(lever.key for lever in LEVERS), *keys, *now]):
        if key in base and now[key] != base[key]:
            words += ["--set", f"{key}={now[key]:.12g}"]
    return shlex.join(words)

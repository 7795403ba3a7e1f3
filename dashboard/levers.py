"""The lever sliders: SolaraViz's ``model_params`` built from the parameter registry and a scenario.

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

from dashboard.sim import DEFAULT_SEED
from model import scenario as scenarios
from model.params import PARAMS

SEED_MAX = 999


@dataclass(frozen=True)
class Lever:
    key: str  # dotted parameter key
    label: str
    slider_max: float  # the slider's range is [lo, min(hi, slider_max)], widened to hold the scenario's value
    step: float  # the usual step; a finer one where the scenario's value needs it (see `slider_step`)

    @property
    def param(self):
        return PARAMS[self.key]

    @property
    def kwarg(self) -> str:
        """Mesa's keyword spelling of the lever (the slider's name)."""
        return self.param.alias


LEVERS: tuple[Lever, ...] = (
    Lever("eu.delay_mean_q", "EU approval delay", 20.0, 0.5),
    Lever("eu.budget_usd_m", "EU finance", 500.0, 1.0),
    Lever("eu.trust_build_rate", "EU trust-building", 5.0, 0.1),
    Lever("cn.budget_usd_m", "China's budget", 1000.0, 5.0),
    Lever("us.engagement", "US engagement", 1.0, 0.05),
    Lever("host.w_diversification", "Host's weight on diversification", 1.0, 0.05),
)


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
    """``step`` if ``value`` lies on its grid, else the coarsest of 1, 0.1, ... 0.0001 that holds it."""
    for s in (step, *(10.0**-k for k in range(5))):
        if snap(value, lo, hi, s) == value:
            return s
    raise ValueError(f"no slider step from {step} to 0.0001 holds {value}")


def scenario_values(name: str) -> dict:
    """The scenario's resolved parameters (dotted keys)."""
    return scenarios.load(name).params().values()


def model_params(scenario_name: str, seed: int = DEFAULT_SEED) -> dict:
    """SolaraViz ``model_params``: the scenario (fixed), one slider per lever starting at the scenario's
    value, and an integer seed slider (Mesa's own seed box would hand the model a string)."""
    values = scenario_values(scenario_name)
    out: dict = {"scenario_name": scenario_name}
    for lever in LEVERS:
        p = lever.param
        lo, hi = float(p.bounds[0]), float(p.bounds[1])
        value = float(values[lever.key])
        top = float(max(min(hi, lever.slider_max), value))
        out[lever.kwarg] = {
            "type": "SliderFloat",
            "label": f"{lever.label} ({p.unit})",
            "value": value,
            "min": lo,
            "max": top,
            "step": slider_step(value, lo, top, lever.step),
        }
    out["rng"] = {"type": "SliderInt", "label": "Seed", "value": int(seed), "min": 0, "max": SEED_MAX, "step": 1}
    return out


def run_command(model) -> str:
    """The ``run.py`` command that builds the same model as the dashboard's (its levers as ``--set``)."""
    base, now = scenario_values(model.scenario_name), model.params.values()
    words = ["python", "run.py", "run", "--scenario", model.scenario_name, "--seed", str(model.seed)]
    for lever in LEVERS:
        if now[lever.key] != base[lever.key]:
            words += ["--set", f"{lever.key}={now[lever.key]:.12g}"]
    return shlex.join(words)

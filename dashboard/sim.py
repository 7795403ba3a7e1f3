"""The model as the dashboard builds it: a scenario as the base, the lever sliders on top.

Mesa's SolaraViz rebuilds the model on Reset as ``type(model)(**model_parameters)`` and checks every
parameter name against the signature of ``type(model).__init__``. It also injects a Mesa ``Scenario``
into a model whose ``__init__`` takes ``scenario`` or ``**kwargs``. ``DashboardModel`` therefore takes
explicit keywords only: the scenario's name, the levers (``None`` = the scenario's value) and ``rng``.
"""

from __future__ import annotations

import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass

from mesa.visualization.utils import update_counter

from model import GreatGameModel
from model import scenario as scenarios
from model.params import PARAMS

DEFAULT_SCENARIO = "baseline"
DEFAULT_SEED = 42
SEED_MAX = 999


@dataclass(frozen=True)
class Lever:
    key: str  # dotted parameter key
    label: str
    slider_max: float  # the slider's range is [lo, min(hi, slider_max)], widened to hold the scenario's value
    step: float

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


class DashboardModel(GreatGameModel):
    """GreatGameModel built from a scenario file, with the dashboard's levers applied on top."""

    def __init__(
        self,
        *,
        scenario_name: str = DEFAULT_SCENARIO,
        eu_delay_mean_q: float | None = None,
        eu_budget_usd_m: float | None = None,
        eu_trust_build_rate: float | None = None,
        cn_budget_usd_m: float | None = None,
        us_engagement: float | None = None,
        host_w_diversification: float | None = None,
        rng: int | None = DEFAULT_SEED,
    ):
        levers = {
            "eu.delay_mean_q": eu_delay_mean_q,
            "eu.budget_usd_m": eu_budget_usd_m,
            "eu.trust_build_rate": eu_trust_build_rate,
            "cn.budget_usd_m": cn_budget_usd_m,
            "us.engagement": us_engagement,
            "host.w_diversification": host_w_diversification,
        }
        scn = scenarios.load(scenario_name)
        super().__init__(**scn.model_kwargs(rng=rng, **{k: v for k, v in levers.items() if v is not None}))
        self.scenario_name = scenario_name
        self.seed = int(rng) if isinstance(rng, str) else rng
        # SolaraViz steps the model in a worker thread while a render may read it from another thread;
        # Mesa's step wrapper counts the step before the model's own step runs, so the lock goes around it.
        self.lock = threading.RLock()
        self._mesa_step = self.step
        self.step = self._locked_step
        # Pacing (see `_locked_step`): the update counter value the page last finished rendering.
        self._shown = threading.Condition()
        self._shown_counter: int | None = None  # None: no page shows this model
        # Stopping a play loop whose controls are gone (see `stop_playing`).
        self._last_step_at, self._last_step_thread = float("-inf"), None
        self._stop_requested = threading.Event()
        self._stopped = threading.Event()
        self._stopped_thread: threading.Thread | None = None

    def _locked_step(self) -> None:
        me = threading.current_thread()
        if (self._stop_requested.is_set() and me is self._last_step_thread) or me is self._stopped_thread:
            # the loop to stop: Mesa sets its `running` from `model.running` after this call and exits
            self._stop_requested.clear()
            self._stopped_thread = me
            self.running = False
            self._stopped.set()
            return
        if self._stopped_thread is not None:  # anyone else steps on: the model runs again
            self._stopped_thread = None
            self.running = True
        self._wait_until_shown()
        with self.lock:
            self._mesa_step()
        self._last_step_at, self._last_step_thread = time.monotonic(), me

    def stop_playing(self, recent: float = 2.0, timeout: float = 2.5) -> bool:
        """Stop Mesa's play loop if one is stepping this model; True if one was stopped.

        The loop runs in a thread of its ModelController and checks only that controller's state, so it
        outlives the controls when they unmount (the dashboard re-mounts them on a scenario change). A
        loop is taken to be playing if another thread stepped the model in the last ``recent`` seconds;
        its next step is refused with ``model.running`` False, which ends it.
        """
        thread = self._last_step_thread
        if thread is None or thread is threading.current_thread() or not thread.is_alive():
            return False
        if time.monotonic() - self._last_step_at > recent:
            return False
        self._stopped.clear()
        self._stop_requested.set()
        stopped = self._stopped.wait(timeout)
        self._stop_requested.clear()
        return stopped

    def _wait_until_shown(self, timeout: float = 1.0) -> None:
        """Do not step ahead of an update the page has not rendered yet.

        Mesa's play loop steps, bumps the update counter and steps again after the play interval (1 ms
        at the smallest). While another thread renders (a click, a slider), the loop's own render is
        skipped, so it steps hundreds of times into that render, which re-renders on every pass and
        fails with "Too many renders triggered". Waiting for the last bump to be rendered paces the
        loop by the render instead. Steps with no bump in between (Mesa's render interval) never wait.
        """
        if self._shown_counter is None:
            return
        deadline = time.monotonic() + timeout
        while True:
            # Read the counter outside the condition's lock: a render thread may hold Solara's locks
            # while it reports through `shown`, which takes the condition's lock.
            target = update_counter.value
            with self._shown:
                left = deadline - time.monotonic()
                if self._shown_counter is None or self._shown_counter >= target or left <= 0:
                    return
                self._shown.wait(min(left, 0.05))

    def shown(self, counter: int | None) -> None:
        """Called by the page after it rendered update ``counter`` (None: the page no longer shows it)."""
        with self._shown:
            self._shown_counter = counter
            self._shown.notify_all()


def reading(model):
    """Hold the model still while a view reads it (a no-op for a plain GreatGameModel)."""
    lock = getattr(model, "lock", None)
    return lock if lock is not None else nullcontext()


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
        lo, hi = p.bounds
        value = values[lever.key]
        out[lever.kwarg] = {
            "type": "SliderFloat",
            "label": f"{lever.label} ({p.unit})",
            "value": float(value),
            "min": float(lo),
            "max": float(max(min(hi, lever.slider_max), value)),
            "step": lever.step,
        }
    out["rng"] = {"type": "SliderInt", "label": "Seed", "value": int(seed), "min": 0, "max": SEED_MAX, "step": 1}
    return out


def make_model(scenario_name: str = DEFAULT_SCENARIO, seed: int = DEFAULT_SEED, **levers) -> DashboardModel:
    return DashboardModel(scenario_name=scenario_name, rng=seed, **levers)

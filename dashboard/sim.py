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

from mesa.visualization.utils import update_counter

from model import GreatGameModel
from model import scenario as scenarios
from model.errors import InputError
from model.model import quarter_label

DEFAULT_SCENARIO = "baseline"
DEFAULT_SEED = 42
# A run is as long as `python run.py run` makes it (--steps 100): 25 years from the scenario's own start,
# so the dashboard shows the run that the command line writes (2026Q1-2050Q4 for the baseline).
RUN_QUARTERS = 100


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
        self.end_step = RUN_QUARTERS
        # SolaraViz steps the model in a worker thread while a render may read it from another thread;
        # Mesa's step wrapper counts the step before the model's own step runs, so the lock goes around it.
        self.lock = threading.RLock()
        self._mesa_step = self.step
        self.step = self._locked_step
        # Pacing (see `_wait_until_drawn`): per view, the update counter of the last frame the browser drew.
        self._drawn_cond = threading.Condition()
        self._drawn: dict[str, int] = {}
        self._ack_thread: threading.Thread | None = None  # the thread that brings the browser's reports
        # Stopping a play loop whose controls are gone (see `stop_playing`).
        self._last_step_at, self._last_step_thread = float("-inf"), None
        self._stop_requested = threading.Event()
        self._stopped = threading.Event()
        self._stopped_thread: threading.Thread | None = None

    @property
    def over(self) -> bool:
        """The run has reached its last quarter: further steps are refused."""
        return self.steps >= self.end_step

    @property
    def last_quarter(self) -> str:
        return quarter_label(self.start_year, self.end_step)

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
        if not self.over:
            self._wait_until_drawn()
            with self.lock:
                self._mesa_step()
            self._last_step_at, self._last_step_thread = time.monotonic(), me
        if self.over:  # Mesa disables Play and Step and ends its play loop when `running` is False
            self.running = False

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

    def _wait_until_drawn(self, timeout: float = 1.0) -> None:
        """Do not step ahead of a frame the browser has not drawn yet.

        Mesa's play loop steps, bumps the update counter and steps again after the play interval (1 ms at
        the smallest). Paced by the server's render alone, the frames queue up on the way to a browser that
        draws more slowly: the page then shows quarters seconds old, and a click on Pause, taken at once by
        the server, shows only after the queue has drained (a second click plays again). Waiting until every
        view that reports its frames (see `drawn`) has drawn the last bump keeps one frame in flight.
        Steps with no bump in between (Mesa's render interval) never wait; with no view reporting (no
        browser, e.g. in tests) nothing waits; a view that stops reporting costs at most ``timeout``. A step
        in the thread that handles the page's messages (a click on Step) never waits: the report it would
        wait for is queued behind it.
        """
        if threading.current_thread() is self._ack_thread:
            return
        deadline = time.monotonic() + timeout
        while True:
            # Read the counter outside the condition's lock: a render thread may hold Solara's locks
            # while it reports through `drawn`, which takes the condition's lock.
            target = update_counter.value
            with self._drawn_cond:
                left = deadline - time.monotonic()
                if not self._drawn or min(self._drawn.values()) >= target or left <= 0:
                    return
                self._drawn_cond.wait(min(left, 0.05))

    def drawn(self, view: str, counter: int | None) -> None:
        """Called when the browser drew update ``counter`` in ``view`` (None: the view is gone)."""
        with self._drawn_cond:
            if counter is None:
                self._drawn.pop(view, None)
            else:
                self._drawn[view] = counter
                self._ack_thread = threading.current_thread()
            self._drawn_cond.notify_all()


def input_message(exc: InputError) -> str:
    """A bad input's message for the page: paths relative to the repository, never the server's own."""
    return str(exc).replace(f"{scenarios.ROOT}/", "")


def reading(model):
    """Hold the model still while a view reads it (a no-op for a plain GreatGameModel)."""
    lock = getattr(model, "lock", None)
    return lock if lock is not None else nullcontext()


def make_model(scenario_name: str = DEFAULT_SCENARIO, seed: int = DEFAULT_SEED, **levers) -> DashboardModel:
    return DashboardModel(scenario_name=scenario_name, rng=seed, **levers)

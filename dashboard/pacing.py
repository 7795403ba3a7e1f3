"""Pacing: the dashboard steps the model from outside, and play never runs far ahead of the browser.

Mesa's SolaraViz runs its play loop in a thread and tells a render thread "stepped, draw now"; the model
never sees a thread. Here the same split: a ``Pacer`` holds the lock that the play loop takes around each
step and that every view takes while it reads the model, and it keeps the views' reports of the last
frame the browser drew. Play waits until the browser has drawn all but ``window - 1`` of the frames sent:
frames then cannot queue up on the way to a browser that draws more slowly (the page would show quarters
seconds old, and a click on Pause would show only after the queue drained), while the next quarter is
computed as the browser draws this one (so server and browser work at the same time).
"""

from __future__ import annotations

import threading
import time


class Pacer:
    """The lock around one model, and the frames the browser has drawn, per view."""

    def __init__(self, model, window: int = 2):
        self.model = model
        self.window = window
        self.lock = threading.RLock()
        self._cond = threading.Condition()
        self._drawn: dict[str, int] = {}

    def reading(self):
        """Hold the model still while a view reads it (``with pacer.reading(): ...``)."""
        return self.lock

    def step_to(self, step: int) -> None:
        """Step the model until it has run ``step`` quarters (or its run is over)."""
        with self.lock:
            while self.model.steps < step and not self.model.over:
                self.model.step()

    def drawn(self, view: str, frame: int | None) -> None:
        """The browser drew frame number ``frame`` in ``view`` (None: the view is gone and paces nothing).
        Frames are numbered in the order they are sent (``Session``), whatever quarter they show."""
        with self._cond:
            if frame is None:
                self._drawn.pop(view, None)
            else:
                self._drawn[view] = max(frame, self._drawn.get(view, frame))
            self._cond.notify_all()

    def wait_drawn(self, sent: int, timeout: float = 1.0) -> bool:
        """Wait until every reporting view has drawn frame ``sent - window + 1`` or later (True), or ``timeout``
        seconds passed (False: a tab in the background draws nothing). With no view reporting (no browser,
        as in tests) nothing waits."""
        need = sent - self.window + 1
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._drawn and min(self._drawn.values()) < need:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
        return True

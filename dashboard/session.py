"""One browser session's run: its model, the quarter the page shows, and the views fed with frames.

The page shows a *cursor*: any quarter the model has run so far (the time scrubber moves it back, Play and
Step move it on, running the model when the cursor reaches its end). The map and the two charts are fed frames
(``dashboard/frames.py``) through their widgets' messages: a delta when the cursor moves on by one quarter,
a snapshot after any other move or when a view (re)appears. Frames are numbered; the browser reports each
one it drew, which paces play (``dashboard/pacing.py``).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable

from dashboard.frames import LayerFeed, SeriesFeed
from dashboard.layers import LAYERS, Layer, Rows
from dashboard.market_charts import MarketFeed
from dashboard.pacing import Pacer
from model.model import quarter_label

MAP, CHARTS, MARKETS = "map", "charts", "markets"


def to_json(value) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


class Session:
    """The model of one browser session and what its page shows."""

    def __init__(self, model, window: int = 2):
        self.model = model
        self.pacer = Pacer(model, window)
        self.cursor = 0
        self.frame_no = 0
        self._views: dict[str, Callable[[str], None]] = {}
        self._series = SeriesFeed(model.holders)
        self._markets = MarketFeed(self._series.frame)
        self._rows: dict[tuple[str, int], Rows] = {}
        self._measures: dict[int, dict] = {}
        self._events: dict[int, list[dict]] = {}  # by step, each event once as a dict
        self._events_read = 0
        self._layers = [
            LayerFeed(layer, lambda step, layer=layer: self.rows(layer, step))
            for layer in LAYERS
            if layer.rows(model, 0) is not None
        ]
        self._send = threading.RLock()
        self.listeners: list[Callable[[int], None]] = []

    # --- what the page shows ----------------------------------------------------------------------------
    def quarter(self, step: int | None = None) -> str:
        return quarter_label(self.model.start_year, self.cursor if step is None else step)

    @property
    def at_end(self) -> bool:
        """The cursor is on the run's last quarter."""
        return self.cursor >= self.model.end_step

    def reading(self):
        return self.pacer.reading()

    @property
    def layers(self) -> list[Layer]:
        """The map's layers this model has."""
        return [feed.layer for feed in self._layers]

    def measures(self, step: int | None = None) -> dict:
        """Every result at ``step`` (default: the cursor), by name."""
        step = self.cursor if step is None else step
        if step not in self._measures:
            with self.reading():
                if step == self.model.steps:  # the quarter just run: no need to build the whole table
                    self._measures[step] = dict(self.model.measures)
                else:
                    frame = self._series.frame(self.model)
                    self._measures[step] = frame[frame["step"] == step].iloc[0].to_dict()
        return self._measures[step]

    def events(self, step: int) -> list[dict]:
        """The events of quarter ``step``, oldest first (each model event read once: the log only grows)."""
        with self.reading():
            new = self.model.events.rows[self._events_read :]
            self._events_read += len(new)
        for e in new:
            self._events.setdefault(e.step, []).append(e._asdict())
        return self._events.get(step, [])

    def rows(self, layer: Layer, step: int) -> Rows:
        """A layer's rows at ``step`` (kept: the past does not change, and the inspector reads every step)."""
        key = (layer.name, step)
        if key not in self._rows:
            with self.reading():
                self._rows[key] = layer.rows(self.model, step)
        return self._rows[key]

    # --- views ------------------------------------------------------------------------------------------
    def attach(self, view: str, send: Callable[[str], None]) -> None:
        """A view is ready in the browser: it gets a snapshot of the cursor's quarter, then deltas."""
        with self._send:
            self._views[view] = send
            self._emit(self.cursor, {view}, delta=False)

    def detach(self, view: str, send: Callable[[str], None] | None = None) -> None:
        with self._send:
            if send is None or self._views.get(view) is send:
                self._views.pop(view, None)
                self.pacer.drawn(view, None)

    def drawn(self, view: str, frame: int) -> None:
        self.pacer.drawn(view, frame)

    def payload(self, view: str, step: int, delta: bool) -> dict:
        """What ``view`` needs to show ``step``: the charts' rows, the markets' rows, or each map layer's rows."""
        if view == CHARTS:
            feed = self._series.delta if delta else self._series.snapshot
            return {"series": feed(self.model, step)}
        if view == MARKETS:
            return (self._markets.delta if delta else self._markets.snapshot)(self.model, step)
        return {f.layer.name: (f.delta if delta else f.snapshot)(step) for f in self._layers}

    def _emit(self, step: int, views, delta: bool) -> None:
        self.frame_no += 1
        with self.reading():
            messages = {
                view: to_json(
                    {
                        "n": self.frame_no,
                        "step": step,
                        "label": self.quarter(step),
                        "delta": delta,
                        "data": self.payload(view, step, delta),
                    }
                )
                for view in views
                if view in self._views
            }
        for view, text in messages.items():
            self._views[view](text)

    # --- moving the cursor ------------------------------------------------------------------------------
    def advance(self, go: Callable[[], bool] = lambda: True) -> bool:
        """The next quarter (running the model if the cursor is at its end); False at the run's end, or if
        ``go()`` turned False meanwhile (a Pause during the step: nothing more is sent). The header and the
        monitors go out before the map's and the charts' frames, so the page never shows a quarter in them
        that its header does not show yet."""
        if self.at_end:
            return False
        with self._send:
            step = self.cursor + 1
            self.pacer.step_to(step)
            if not go():
                return False
            self.cursor = step
        self._notify()
        with self._send:
            self._emit(step, list(self._views), delta=True)
        return True

    def show(self, step: int) -> None:
        """Jump to ``step`` (a past quarter, or one the model runs to now): every view gets a snapshot."""
        step = max(0, min(int(step), self.model.end_step))
        with self._send:
            self.pacer.step_to(step)
            self.cursor = min(step, self.model.steps)
            self._emit(self.cursor, list(self._views), delta=False)
        self._notify()

    def wait_drawn(self, timeout: float = 1.0) -> bool:
        return self.pacer.wait_drawn(self.frame_no, timeout)

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener(self.cursor)

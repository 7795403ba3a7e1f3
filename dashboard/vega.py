"""A Vega-Lite widget fed frame by frame (see vega_view.vue and dashboard/session.py).

``spec`` is the chart without its data; its layers read named data sources (``{"data": {"name": ...}}``)
whose rows come in frames, sent as messages rather than as widget state: a message is delivered once and
in order, where two quick changes of one trait reach the browser as one (a frame would be lost).

The widget reports back through its state, ``ready`` (a counter: embedded, send a snapshot) and ``picked``
(an item clicked on the map), and through an event, ``frame_drawn`` (the number of each frame on screen,
which paces play; as state, each report would come back as an echo).
"""

from __future__ import annotations

import json
import os

import ipyvuetify as v
import solara
import traitlets


class VegaView(v.VuetifyTemplate):
    template_file = os.path.realpath(os.path.join(os.path.dirname(__file__), "vega_view.vue"))
    spec_json = traitlets.Unicode("{}").tag(sync=True)
    dark = traitlets.Bool(False).tag(sync=True)
    renderer = traitlets.Unicode("canvas").tag(sync=True)
    filename = traitlets.Unicode("chart").tag(sync=True)  # downloads: <filename>-<quarter>.png
    exportable = traitlets.Bool(True).tag(sync=True)
    fed = traitlets.Bool(True).tag(sync=True)  # False: the spec holds its rows, no frames come
    group = traitlets.Unicode("").tag(sync=True)  # the views of one run: one of them reports for all
    paced = traitlets.Bool(False).tag(sync=True)  # this view reports the frames the whole group drew
    ready = traitlets.Int(0).tag(sync=True)  # browser -> Python: embedded (again); send a snapshot
    picked = traitlets.Unicode("").tag(sync=True)  # browser -> Python: {"layer", "id"} of a clicked item
    on_frame_drawn = None  # set by FedVegaView: called with each frame number the browser drew

    def vue_frame_drawn(self, frame: int) -> None:
        """The browser drew frame ``frame`` (an event, not state: no echo of it comes back)."""
        if self.on_frame_drawn is not None:
            self.on_frame_drawn(frame)


@solara.component
def StaticVegaView(spec: dict, filename: str, dark: bool = False):
    """A chart whose rows are in its spec (the Compare tab), with the same PNG/SVG buttons and dark theme."""
    return VegaView.element(spec_json=json.dumps(spec, separators=(",", ":")), fed=False, filename=filename, dark=dark)


@solara.component
def FedVegaView(session, view: str, spec: str, filename: str, on_pick=None, dark: bool = False, paced: bool = False):
    """The widget as view ``view`` of ``session``: attached (a snapshot, then deltas) once the browser has
    embedded it, detached when it unmounts or shows another session (a Reset)."""
    sender = solara.use_ref(None)  # set once the widget exists (the effect below)

    def attach_if_ready(count: int):
        if sender.current is not None and count > 0:
            session.attach(view, sender.current)

    def picked(text: str):
        if on_pick and text:
            found = json.loads(text)
            on_pick(found["layer"], found["id"])

    element = VegaView.element(
        spec_json=spec,
        dark=dark,
        filename=filename,
        group=f"run-{id(session)}",
        paced=paced,
        on_ready=attach_if_ready,
        on_picked=picked,
    )

    def attach():
        widget = solara.get_widget(element)

        def send(text: str) -> None:
            widget.send({"method": "frame", "args": [text]})

        sender.current = send
        widget.on_frame_drawn = lambda n: session.drawn(view, n) if paced else None
        attach_if_ready(widget.ready)
        return lambda: session.detach(view, send)

    solara.use_effect(attach, [session])
    return element

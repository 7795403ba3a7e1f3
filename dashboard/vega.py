"""A Vega-Lite widget for views that change every quarter: embedded once, then fed new data only.

``spec`` is the chart without its data; its layers read named data sources (``{"data": {"name": ...}}``)
whose rows come in ``datasets``. A render that changes only the rows sends just the rows, and the
browser updates the live view instead of compiling and embedding the spec again (see vega_view.vue).

Both travel as JSON text: a string is one value to reacton and ipywidgets, where a dict of thousands of
rows is walked value by value on every render (that walk cost ~70 ms a step at 100 quarters).

Each render also carries a ``frame`` number (Mesa's update counter); once the browser has drawn it, it
comes back as ``drawn``, which paces the model's play loop (``PacedVegaView``, ``DashboardModel.drawn``).
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
    data_json = traitlets.Unicode("{}").tag(sync=True)
    label = traitlets.Unicode("").tag(sync=True)
    frame = traitlets.Int(0).tag(sync=True)  # Python -> browser: the update this render shows
    drawn = traitlets.Int(-1).tag(sync=True)  # browser -> Python: the last frame on screen (-1: none yet)


def to_json(value) -> str:
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


@solara.component
def PacedVegaView(model, view: str, spec: str, datasets: str, label: str, frame: int):
    """The widget (``spec`` and ``datasets`` as JSON text, see ``to_json``) as view ``view`` of ``model``:
    each frame the browser draws is reported to ``model.drawn`` (which paces its play loop), and the view
    leaves the pacing when it unmounts or shows another model. A widget that a browser already draws joins
    a new model (after Reset) at once."""
    report = getattr(model, "drawn", None)
    events = {"on_drawn": lambda counter: report(view, counter)} if report else {}
    element = VegaView.element(spec_json=spec, data_json=datasets, label=label, frame=frame, **events)

    def attach():
        if report is None:
            return None
        drawn = solara.get_widget(element).drawn
        if drawn >= 0:
            report(view, drawn)
        return lambda: report(view, None)

    solara.use_effect(attach, [model])
    return element

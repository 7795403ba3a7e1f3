"""Inspection: pin one item of a map layer (a deposit, a plant or a route) and read its history: what changed and
when (stage, controller, holders; a plant's status), its value, its events (awards with the offers that lost,
missed windows, revocations, packages, contracts ...), and what its layer adds (``Layer.detail``: who takes
its output under contract, and where its ore goes). A sortable table of every item at the quarter shown pins
one with a click.
"""

from __future__ import annotations

import html

import numpy as np
import reacton.ipyvuetify as v
import solara

from dashboard.events import describe
from dashboard.layers import Layer


def history(session, layer: Layer, item, upto: int) -> list[dict]:
    """The item's row at each step up to ``upto`` where it existed (step added as ``step``)."""
    out = []
    for step in range(upto + 1):
        rows = session.rows(layer, step)
        found = np.flatnonzero(rows["id"] == item)
        if found.size:
            out.append({"step": step, **{k: col[found[0]] for k, col in rows.items()}})
    return out


def changes(rows: list[dict], fields: tuple[str, ...]) -> list[dict]:
    """The rows where any of ``fields`` differs from the row before (the first one always)."""
    out, before = [], None
    for row in rows:
        now = tuple(row[f] for f in fields)
        if now != before:
            out.append(row)
        before = now
    return out


def history_html(session, layer: Layer, rows: list[dict], events: list[dict], detail: str = "") -> str:
    last, first = rows[-1], rows[0]
    head = "".join(f"<th>{html.escape(f)}</th>" for f in ("quarter", *map(layer.title_of, layer.dynamic)))
    body = "".join(
        "<tr>"
        f"<td>{session.quarter(r['step'])}</td>"
        + "".join(f"<td>{html.escape(str(r[f]))}</td>" for f in layer.dynamic)
        + "</tr>"
        for r in changes(rows, layer.dynamic)
    )
    told = "".join(f'<li class="gg-item-event">{html.escape(describe(e))}</li>' for e in events) or "<li>none yet</li>"
    facts = ", ".join(f"{layer.title_of(f)}: {html.escape(_text(last[f]))}" for f in layer.facts())
    value = f"{layer.title_of(layer.value)} {last[layer.value]:,.0f}"
    if round(first[layer.value]) != round(last[layer.value]):
        value += f" now (at its first quarter here {first[layer.value]:,.0f})"
    return (
        f'<div class="gg-item-facts">{facts}; {value}</div>'
        f'<table class="gg-item-changes"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        f"{detail}"
        f'<div class="gg-item-subtitle">Events</div><ul class="gg-item-events">{told}</ul>'
    )


def _text(value) -> str:
    return f"{value:,.0f}" if isinstance(value, float | np.floating) else str(value)


@solara.component
def Inspector(session, step: int, pinned, on_unpin):
    """The pinned item's history up to ``step`` (``pinned``: (layer name, id) or None)."""
    layers = {layer.name: layer for layer in session.layers}
    with solara.Card(classes=["gg-inspector"], margin=0, style={"min-width": "300px", "flex": "1 1 320px"}) as main:
        if pinned is None or pinned[0] not in layers:
            solara.Text(
                "Click a deposit, a plant or a route on the map, or a row of the Deposits tab, to pin its history here."
            )
            return main
        layer = layers[pinned[0]]
        rows = history(session, layer, pinned[1], step)
        with solara.Row(style={"align-items": "center"}):
            title = f"{layer.title}: {rows[-1]['name']}" if rows else f"{layer.title} {pinned[1]}"
            solara.Text(title, style={"font-weight": "bold"}, classes=["gg-item-title"])
            solara.Button("Unpin", on_click=on_unpin, text=True, small=True)
        if not rows:
            solara.Text(f"Not in the run yet at {session.quarter(step)}.")
            return main
        with session.reading():
            every, frame = list(session.model.events), session.model.events.frame()
            detail = layer.detail(session, rows[-1], step) if layer.detail else ""
        mine = layer.events(frame[frame["step"] <= step], rows[-1])
        events = [every[i]._asdict() for i in mine["event"].tolist()][::-1]  # newest first
        text = history_html(session, layer, rows, events, detail)
        solara.HTML(tag="div", unsafe_innerHTML=text, classes=["gg-item-history"])
    return main


@solara.component
def ItemTable(session, step: int, layer: Layer, on_pin):
    """Every item of ``layer`` at ``step``, sortable by any column; a click on a row pins it."""
    rows = session.rows(layer, step)
    fields = ["name", *layer.facts(), *layer.dynamic, layer.value]
    cells = {
        f: np.round(rows[f], 1).tolist() if rows[f].dtype.kind in "fi" else rows[f].astype(str).tolist() for f in fields
    }
    items = [{"id": item, **{f: cells[f][i] for f in fields}} for i, item in enumerate(rows["id"].tolist())]
    table = v.DataTable(
        headers=[{"text": layer.title_of(f), "value": f} for f in fields],
        items=items,
        item_key="id",
        dense=True,
        items_per_page=15,
        sort_by=[layer.value],
        sort_desc=[True],
        class_=f"gg-table gg-table-{layer.name}",
    )
    v.use_event(table, "click:row", lambda _w, _e, row: on_pin(layer.name, row["id"]))
    return table

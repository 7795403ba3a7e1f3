"""The event log up to the quarter shown, newest first: filters by power, kind and commodity, a text search,
the lone private bids of a quarter grouped in one line, a CSV of what the filters select, and the terms.
"""

from __future__ import annotations

import html

import pandas as pd
import solara

from dashboard.events import GLOSSARY, describe, group_solo, merge_pre_empted
from dashboard.style import label, palette
from model.commodities import NAMES as COMMODITIES
from model.events import KINDS

SHOWN = 50  # lines on the page (the CSV has every one)
KIND_COLOURS = {
    "award": "#2e7d32",
    "solo_awards": "#689f38",
    "missed_window": "#c62828",
    "pre-empted": "#8e24aa",
    "revocation": "#6d4c41",
    "withdrawal": "#ef6c00",
    "discovery": "#00897b",
    "extension": "#5c6bc0",
    "shock": "#37474f",
}


def kind_label(kind: str) -> str:
    return {"solo_awards": "lone bids", "missed_window": "missed window"}.get(kind, kind)


def select(events: list[dict], powers=(), kinds=(), commodities=()) -> list[dict]:
    """The events (newest first) whose power, kind and commodity are among those chosen (none chosen: all)."""
    return [
        e
        for e in events
        if (not powers or e["power"] in powers)
        and (not kinds or e["kind"] in kinds)
        and (not commodities or e["commodity"] in commodities)
    ]


def lines(events: list[dict], grouped: bool, search: str = "") -> list[tuple[dict, str]]:
    """(event, sentence) per line: pre-emptions of one award merged, lone bids grouped if ``grouped``, and
    only lines whose sentence holds ``search`` (any case)."""
    merged = merge_pre_empted(events)
    told = [(e, describe(e)) for e in (group_solo(merged) if grouped else merged)]
    needle = search.strip().lower()
    return [(e, t) for e, t in told if needle in t.lower()] if needle else told


def events_csv(events: list[dict], search: str = "") -> bytes:
    """The chosen events, one row each (oldest first), with the sentence that tells it."""
    rows = [{**e, "sentence": t} for e, t in lines(events, grouped=False, search=search)]
    frame = pd.DataFrame(rows[::-1], columns=[*(events[0] if events else {}), "sentence"])
    return frame.drop(columns=["powers", "award"], errors="ignore").to_csv(index=False).encode()


def lines_html(told: list[tuple[dict, str]], colours: dict[str, str]) -> str:
    if not told:
        return '<div class="gg-event gg-empty">No events to show: press Step or Play, or widen the filters.</div>'
    items = []
    for e, text in told:
        kind = e.get("kind", "")
        chip = (
            f'<span class="gg-chip" style="background:{KIND_COLOURS.get(kind, "#555")}">'
            f"{html.escape(kind_label(kind))}</span>"
        )
        items.append(
            f'<div class="gg-event" data-kind="{html.escape(kind)}" style="border-left:4px solid '
            f'{colours.get(e.get("power", ""), "#999")}">{chip}{html.escape(text)}</div>'
        )
    return "".join(items)


NO_FILTER = {"powers": (), "kinds": (), "commodities": (), "search": "", "grouped": True}


def chosen(session, step: int, f: dict) -> list[dict]:
    """The events up to ``step``, newest first, that the filters ``f`` choose."""
    with session.reading():
        every = [e._asdict() for e in session.model.events]
    return select([e for e in reversed(every) if e["step"] <= step], f["powers"], f["kinds"], f["commodities"])


@solara.component
def EventFilters(filters, holders: tuple[str, ...], csv, filename: str):
    """The filters (a reactive dict, see NO_FILTER), the search box and the CSV download; re-rendered only
    when a filter changes, not every quarter."""
    f = filters.value
    names = {label(c): c for c in holders}

    def put(**changes) -> None:
        filters.value = {**filters.value, **changes}

    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        solara.SelectMultiple(
            "Power", values=[label(c) for c in f["powers"]], all_values=list(names),
            on_value=lambda xs: put(powers=tuple(names[x] for x in xs)), dense=True, classes=["gg-f-power"],
        )  # fmt: skip
        solara.SelectMultiple(
            "Kind", values=list(f["kinds"]), all_values=list(KINDS), on_value=lambda xs: put(kinds=tuple(xs)),
            dense=True, classes=["gg-f-kind"],
        )  # fmt: skip
        solara.SelectMultiple(
            "Commodity", values=list(f["commodities"]), all_values=list(COMMODITIES),
            on_value=lambda xs: put(commodities=tuple(xs)), dense=True, classes=["gg-f-commodity"],
        )  # fmt: skip
    with solara.Row(gap="6px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.InputText(
            "Search the events", value=f["search"], on_value=lambda x: put(search=x), classes=["gg-f-search"]
        )
        solara.Checkbox(label="Group lone private bids", value=f["grouped"], on_value=lambda x: put(grouped=x))
        solara.FileDownload(csv, filename=filename, label="Events as CSV", icon_name="mdi-download")


@solara.component
def EventLog(session, step: int):
    filters = solara.use_reactive(NO_FILTER)
    f = filters.value
    now = solara.use_ref((session, step, f))
    now.current = (session, step, f)
    # one callable for the page's life: the download reads the filters and the quarter when it is clicked
    csv = solara.use_memo(lambda: lambda: events_csv(chosen(*now.current), now.current[2]["search"]), [])
    events = chosen(session, step, f)
    told = lines(events, f["grouped"], f["search"])
    model = session.model
    with solara.Column(classes=["gg-events"], gap="4px") as main:
        solara.Text("Events", style={"font-weight": "bold"})
        EventFilters(filters, model.holders, csv, f"events-{model.scenario_name}-seed{model.seed}.csv")
        solara.Text(
            f"{min(len(told), SHOWN)} of {len(told)} lines ({len(events)} events) to {session.quarter(step)}",
            style={"font-size": "12px"},
            classes=["text--secondary", "gg-event-count"],
        )
        solara.HTML(
            tag="div",
            unsafe_innerHTML=lines_html(told[:SHOWN], palette(model.holders)),
            style="font-size: 13px; max-height: 360px; overflow-y: auto",
            classes=["gg-event-lines"],
        )
        Terms()
    return main


@solara.component
def Terms():
    with solara.Details("Terms") as main:
        solara.Markdown("\n".join(f"* **{term}**: {text}" for term, text in GLOSSARY.items()))
    return main

"""The event log up to the quarter shown, newest first: filters by power, kind and commodity, a text search,
the lone private bids of a quarter grouped in one line, a CSV of what the filters select, and the terms.
"""

from __future__ import annotations

import json
import os

import ipyvuetify as v
import pandas as pd
import solara
import traitlets

from dashboard.events import GLOSSARY, describe, group_quarters, merge_pre_empted
from dashboard.style import label, palette
from model.commodities import NAMES as COMMODITIES
from model.events import KINDS

SHOWN = 50  # lines on the page (the CSV has every one)
KIND_COLOURS = {
    "award": "#2e7d32",
    "solo_awards": "#689f38",
    "licences_filed": "#9e9d24",
    "exploration_licences": "#9e9d24",
    "missed_window": "#c62828",
    "pre-empted": "#8e24aa",
    "revocation": "#6d4c41",
    "withdrawal": "#ef6c00",
    "discovery": "#00897b",
    "extension": "#5c6bc0",
    "shock": "#37474f",
    "package_proposed": "#0277bd",
    "package_binding": "#01579b",
    "package_accepted": "#2e7d32",
    "package_declined": "#b71c1c",
    "package_slipped": "#f9a825",
    "package_delivered": "#1b5e20",
    "contract": "#4e342e",
    "plant": "#283593",
}


def kind_label(kind: str) -> str:
    return {
        "solo_awards": "lone bids",
        "missed_window": "missed window",
        "licences_filed": "exploration",
        "exploration_licences": "exploration",
    }.get(kind, kind.replace("_", " "))  # 'package proposed'


def codes(others: str) -> list[str]:
    """The holder codes in an event's ``others`` ('US (in approval), KZ' -> ['US', 'KZ'])."""
    return [part.strip().split(" ")[0] for part in others.split(",") if part.strip()]


def select(events: list[dict], powers=(), kinds=(), commodities=()) -> list[dict]:
    """The events (newest first) whose power, kind and commodity are among those chosen (none chosen: all)."""
    return [
        e
        for e in events
        if (not powers or e["power"] in powers or any(c in powers for c in codes(e.get("others") or "")))
        and (not kinds or e["kind"] in kinds)
        and (not commodities or e["commodity"] in commodities)
    ]


def lines(events: list[dict], grouped: bool, search: str = "") -> list[dict]:
    """One event per line: pre-emptions of one award merged, lone bids grouped if ``grouped``, and only
    lines whose sentence holds ``search`` (any case)."""
    merged = merge_pre_empted(events)
    merged = group_quarters(merged) if grouped else merged
    needle = search.strip().lower()
    return [e for e in merged if needle in describe(e).lower()] if needle else merged


def events_csv(events: list[dict], search: str = "") -> bytes:
    """The chosen events, one row each (oldest first), with the sentence that tells it."""
    rows = [{**e, "sentence": describe(e)} for e in lines(events, grouped=False, search=search)]
    frame = pd.DataFrame(rows[::-1], columns=[*(events[0] if events else {}), "sentence"])
    return frame.drop(columns=["powers", "award"], errors="ignore").to_csv(index=False).encode()


def line_items(told: list[dict], colours: dict[str, str], step: int) -> list[dict]:
    """The lines as the browser draws them: kind, chip label and colour, the power's colour, the text."""
    return [
        {
            "k": f"{step}-{i}",
            "kind": e.get("kind", ""),
            "l": kind_label(e.get("kind", "")),
            "b": KIND_COLOURS.get(e.get("kind", ""), "#555"),
            "c": colours.get(e.get("power", ""), "#999"),
            "t": describe(e),
        }
        for i, e in enumerate(told)
    ]


class EventLines(v.VuetifyTemplate):
    template_file = os.path.realpath(os.path.join(os.path.dirname(__file__), "event_lines.vue"))
    ready = traitlets.Int(0).tag(sync=True)  # browser -> Python: mounted; send a snapshot


NO_FILTER = {"powers": (), "kinds": (), "commodities": (), "search": "", "grouped": True}


class LineBook:
    """The log's events and lines quarter by quarter, for one run and one choice of filters. A quarter's lines
    depend on its own events only (merges and groups never cross quarters), so each is made once."""

    def __init__(self, session, f: dict):
        self.session, self.f = session, f
        self._at: dict[int, tuple[list[dict], list[dict]]] = {}

    def at(self, step: int) -> tuple[list[dict], list[dict]]:
        """The chosen events and the lines of quarter ``step``, newest first."""
        if step not in self._at:
            f = self.f
            events = select(self.session.events(step)[::-1], f["powers"], f["kinds"], f["commodities"])
            self._at[step] = (events, lines(events, f["grouped"], f["search"]))
        return self._at[step]

    def upto(self, step: int, limit: int) -> tuple[int, int, list[dict]]:
        """Events and lines up to ``step``, and the newest ``limit`` lines."""
        n_events = n_lines = 0
        newest: list[dict] = []
        for s in range(step, -1, -1):
            events, told = self.at(s)
            n_events, n_lines = n_events + len(events), n_lines + len(told)
            newest += told[: max(limit - len(newest), 0)]
        return n_events, n_lines, newest

    def events(self, step: int) -> list[dict]:
        """Every chosen event up to ``step``, newest first."""
        return [e for s in range(step, -1, -1) for e in self.at(s)[0]]


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
        solara.Checkbox(
            label="One line a quarter for lone bids and exploration licences",
            value=f["grouped"],
            on_value=lambda x: put(grouped=x),
        )
        solara.FileDownload(csv, filename=filename, label="Events as CSV", icon_name="mdi-download")


@solara.component
def EventLog(session, step: int):
    """The log at ``step``. Its lines go to the browser like the charts: the newest quarter's lines only
    (a delta) when the page moves on by one quarter with the same filters, else the latest ``SHOWN``."""
    filters = solara.use_reactive(NO_FILTER)
    f = filters.value
    book = solara.use_memo(lambda: LineBook(session, f), [session, f])
    now = solara.use_ref((book, step))
    now.current = (book, step)
    sent = solara.use_ref(None)  # (book, step) of the lines the browser holds
    widget = solara.use_ref(None)
    # one callable for the page's life: the download reads the filters and the quarter when it is clicked
    csv = solara.use_memo(
        lambda: lambda: events_csv(now.current[0].events(now.current[1]), now.current[0].f["search"]), []
    )
    model = session.model
    colours = palette(model.holders)

    def send(snapshot: bool) -> None:
        at_book, at = now.current
        shown = at_book.upto(at, SHOWN)[2] if snapshot else at_book.at(at)[1]
        n_events, n_lines, _ = at_book.upto(at, 0)
        count = f"{min(n_lines, SHOWN)} of {n_lines} lines ({n_events} events) to {session.quarter(at)}"
        message = {
            "delta": not snapshot,
            "step": at,
            "keep": SHOWN,
            "count": count,
            "lines": line_items(shown, colours, at),
        }
        widget.current.send({"method": "lines", "args": [json.dumps(message)]})
        sent.current = (at_book, at)

    def push():
        before = sent.current
        send(snapshot=not (before is not None and before[0] is book and before[1] == step - 1))

    with solara.Column(classes=["gg-events"], gap="4px") as main:
        solara.Text("Events", style={"font-weight": "bold"})
        EventFilters(filters, model.holders, csv, f"events-{model.scenario_name}-seed{model.seed}.csv")
        element = EventLines.element(on_ready=lambda _n: send(True) if widget.current else None)
        Terms()

    def mount():
        widget.current = solara.get_widget(element)  # the same widget for the component's life

    solara.use_effect(mount, [])
    solara.use_effect(push, [book, step])
    return main


@solara.component
def Terms():
    with solara.Details("Terms") as main:
        solara.Markdown("\n".join(f"* **{term}**: {text}" for term, text in GLOSSARY.items()))
    return main

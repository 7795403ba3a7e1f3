"""Monitors: the numbers a modeller watches, at the quarter shown (NetLogo's monitors).

The quarter (large, with the run's scenario, seed and step); the EU's share of the production capacity, as EU-led and EU-flagged where the model's results
have those measures (``capacity_share_led_eu``, ``capacity_share_flagged_eu``), else the total share,
labelled as such; EU supply security; the reserve value the EU lost to missed windows; the licences
awarded this calendar year; and the host's trust in each power.
"""

from __future__ import annotations

import html

import solara

from dashboard.events import money
from dashboard.style import label, palette
from model.model import quarter_label

LED, FLAGGED, TOTAL = "capacity_share_led_eu", "capacity_share_flagged_eu", "capacity_share_eu"
NOT_YET = "—"  # a flow before the first quarter has passed (null in the results)


def share(value: float) -> str:
    return NOT_YET if value != value else f"{value:.1%}"


def capacity_monitors(row: dict) -> list[tuple[str, str, str]]:
    """(title, value, explanation) for the EU's capacity share, from the measures the model has."""
    if LED in row and FLAGGED in row:
        return [
            (
                "EU-led capacity",
                share(row[LED]),
                (
                    "the EU's share of capacity in operation through holdings it won or bought as a state "
                    "(capacity_share_led_eu)"
                ),
            ),
            (
                "EU-flagged capacity",
                share(row[FLAGGED]),
                (
                    "the EU's share of capacity in operation through holdings its private firms won alone "
                    "(capacity_share_flagged_eu)"
                ),
            ),
        ]
    return [
        (
            "EU capacity share (total)",
            share(row[TOTAL]),
            "the EU's equity share of all production capacity; this model's results have no led/flagged split",
        )
    ]


def licences_this_year(measures, step: int, start_year: int, holders) -> tuple[int, dict[str, int]]:
    """Licences awarded in the calendar year of ``step``, up to it: in all, and by holder (``measures(s)``
    gives the results at step s)."""
    year = quarter_label(start_year, step)[:4]
    rows = [measures(s) for s in range(max(1, step - 3), step + 1) if quarter_label(start_year, s)[:4] == year]
    by = {h: int(sum(r.get(f"new_awards_{h.lower()}", 0) for r in rows)) for h in holders}
    return sum(by.values()), by


def card(title: str, value: str, note: str, cls: str) -> str:
    return (
        f'<div class="gg-monitor {cls}" title="{html.escape(note)}" role="group" aria-label="{html.escape(title)}">'
        f'<div class="gg-monitor-title">{html.escape(title)}</div>'
        f'<div class="gg-monitor-value">{html.escape(value)}</div></div>'
    )


def monitors_html(session, step: int) -> str:
    model = session.model
    row = session.measures(step)
    total, by = licences_this_year(session.measures, step, model.start_year, model.holders)
    year = quarter_label(model.start_year, step)[:4]
    cards = [card(t, v, n, "gg-m-capacity") for t, v, n in capacity_monitors(row)]
    cards.append(
        card(
            "EU supply security",
            share(row["eu_supply_security"]),
            "EU offtake / EU demand, capped at 1",
            "gg-m-security",
        )
    )
    cards.append(
        card(
            "EU value lost",
            NOT_YET if row["missed_value_eu"] != row["missed_value_eu"] else money(row["missed_value_eu"]),
            "reserve value of the EU's missed windows, cumulative",
            "gg-m-lost",
        )
    )
    cards.append(
        card(
            f"Licences in {year}",
            f"{total} (EU {by.get('EU', 0)})",
            "licences awarded this calendar year so far",
            "gg-m-licences",
        )
    )
    colours = palette(model.holders)
    trust = "".join(
        f'<span class="gg-trust" style="border-left:4px solid {colours.get(code, "#999")};padding:0 6px;margin-right:4px">'
        f"{html.escape(label(code))} {row[f'trust_{code.lower()}']:.2f}</span>"
        for code in model.holders
        if f"trust_{code.lower()}" in row
    )
    cards.append(
        f'<div class="gg-monitor gg-m-trust" role="group" aria-label="Host\'s trust">'
        f'<div class="gg-monitor-title">Host\'s trust (0–1)</div><div>{trust}</div></div>'
    )
    return "".join(cards)


def header_html(session, step: int) -> str:
    """The quarter shown (large), the run's scenario, seed and step, and a note at the run's end."""
    model = session.model
    run = f"scenario {model.scenario_name} · seed {model.seed} · " + (
        f"step {step} of {model.end_step}" if step else "initial state, before the first quarter"
    )
    over = (
        f'<div class="gg-over">The run is over: it ends at {model.last_quarter}, {model.end_step} quarters from '
        "its start, as python run.py run runs it. Press Reset to run it again.</div>"
        if step >= model.end_step
        else ""
    )
    return (
        f'<div class="gg-head" role="group" aria-label="Quarter"><span class="gg-quarter">'
        f'{quarter_label(model.start_year, step)}</span><span class="gg-run">{html.escape(run)}</span></div>{over}'
    )


@solara.component
def Monitors(session, step: int, with_cards: bool = True):
    """The header and (``with_cards``) the monitors at ``step``: one widget, so one message a quarter."""
    cards = f'<div class="gg-monitors">{monitors_html(session, step)}</div>' if with_cards else ""
    return solara.HTML(tag="div", unsafe_innerHTML=header_html(session, step) + cards, classes=["gg-header"])

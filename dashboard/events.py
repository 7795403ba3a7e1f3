"""The event log in words: awards, missed windows, revocations, withdrawals and shocks, newest first."""

from __future__ import annotations

import html

import solara
from mesa.visualization.utils import update_counter

from dashboard.sim import reading
from dashboard.style import COLOURS, name

KIND_LABELS = {
    "award": "award",
    "missed_window": "missed window",
    "pre-empted": "pre-empted",
    "revocation": "revocation",
    "withdrawal": "withdrawal",
    "shock": "shock",
}
KIND_COLOURS = {
    "award": "#2e7d32",
    "missed_window": "#c62828",
    "pre-empted": "#8e24aa",
    "revocation": "#6d4c41",
    "withdrawal": "#ef6c00",
    "shock": "#37474f",
}
IN_APPROVAL = (" (in approval)", " (pre-empted)")  # rivals whose pursuit was still in approval
SOLO = "a private investor bidding alone"  # an award's detail when an investor won without a power


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _money(usd_m: float) -> str:
    return f"${usd_m / 1000:,.1f}bn" if usd_m >= 1000 else f"${usd_m:,.0f}m"


def _rivals(others: str) -> str:
    """'PRIVATE, US (in approval), EU (in approval)' -> ' over private investors, and over the US and the EU,
    whose offers were still in approval'."""
    codes = [o.strip() for o in (others or "").split(",") if o.strip()]
    lost = [name(c) for c in codes if not c.endswith(IN_APPROVAL)]
    pending = [name(c.rsplit(" (", 1)[0]) for c in codes if c.endswith(IN_APPROVAL)]
    parts = []
    if lost:
        parts.append("over " + _join(lost))
    if pending:
        whose = "whose offer was" if len(pending) == 1 else "whose offers were"
        parts.append(("and " if lost else "") + f"over {_join(pending)}, {whose} still in approval")
    return (" " + ", ".join(parts)) if parts else ""


def describe(event: dict) -> str:
    """One event in words, e.g. '2027Q3 China wins Upper Kairakty (tungsten) over the EU, whose offer was
    still in approval'."""
    kind, q = event.get("kind", ""), event.get("quarter", "")
    power, deposit = event.get("power", ""), event.get("deposit", "")
    commodity = (event.get("commodity") or "").replace("_", " ")
    where = f"{deposit} ({commodity})" if commodity else deposit
    amount, detail = float(event.get("amount_usd_m") or 0.0), event.get("detail") or ""
    if kind == "award":
        if detail == SOLO:
            who = "A private investor" + ("" if power in ("", "PRIVATE") else f" from {name(power)}")
            text = f"{who}, bidding alone, wins {where}{_rivals(event.get('others', ''))}"
        else:
            text = f"{name(power, start=True)} wins {where}{_rivals(event.get('others', ''))}"
            if detail:
                text += f" ({detail})"
        if amount > 0:
            text += f"; {_money(amount)} committed"
    elif kind == "missed_window":
        text = f"{name(power, start=True)} misses the window for {where}: still in approval when the tender closed"
        if amount > 0:
            text += f" ({_money(amount)} of reserves lost)"
    elif kind == "pre-empted":
        text = (
            f"{name(power, start=True)} is pre-empted on {where}: a rival's offer was accepted while it was in approval"
        )
    elif kind == "revocation":
        text = f"Kazakhstan revokes {name(power)}'s licence for {where}"
        if detail:
            text += f": {detail}"
    elif kind == "withdrawal":
        text = f"{name(power, start=True)} withdraws its bid for {where}"
        if detail:
            text += f": {detail}"
    elif kind == "shock" and deposit:
        buyer = (event.get("others") or "").strip()
        share = detail.rsplit(" sells ", 1)[-1].split(" ", 1)[0] if " sells " in detail else "its stake"
        text = f"Sanctions: {name(power)} sells {share} of {where} to {name(buyer) if buyer else 'other powers'}"
    elif kind == "shock":
        text = f"Shock: {detail}" if detail else "Shock"
    else:
        text = " ".join(str(x) for x in (kind, power, where, detail) if x)
    return f"{q} {text}" if q else text


def events_html(events: list[dict]) -> str:
    if not events:
        return '<div class="gg-event gg-empty" style="color:#777">No events yet: press Step or ▶.</div>'
    items = []
    for e in events:
        kind = e.get("kind", "")
        chip = (
            f'<span style="display:inline-block;min-width:7.5em;font-size:11px;color:#fff;border-radius:3px;'
            f'padding:0 4px;margin-right:6px;background:{KIND_COLOURS.get(kind, "#555")}">'
            f"{html.escape(KIND_LABELS.get(kind, kind))}</span>"
        )
        dot = COLOURS.get(e.get("power", ""), "#999")
        items.append(
            f'<div class="gg-event" data-kind="{html.escape(kind)}" style="padding:2px 0;'
            f'border-left:4px solid {dot};padding-left:6px;margin-bottom:3px">'
            f"{chip}{html.escape(describe(e))}</div>"
        )
    return "".join(items)


@solara.component
def EventLog(model, n: int = 14):
    """The latest ``n`` events, newest first; re-drawn on every step."""
    update_counter.get()
    with reading(model):
        events = model.events.latest(n)
    with solara.Column(
        classes=["gg-events"], style={"font-size": "13px", "max-height": "420px", "overflow-y": "auto"}
    ) as main:
        solara.Text("Latest events", style={"font-weight": "bold"})
        solara.HTML(tag="div", unsafe_innerHTML=events_html(events))
    return main

"""The event log in words, newest first: awards, missed windows, pre-emptions, revocations, withdrawals,
discoveries, contract extensions and shocks.

The pursuits of one deposit pre-empted by one award (still in approval when a rival was accepted before
the tender closed) are told in one line that names the winner, next to the award that pre-empted them.
"""

from __future__ import annotations

import html

import solara

from dashboard.sim import reading
from dashboard.style import name, palette

KIND_LABELS = {
    "award": "award",
    "missed_window": "missed window",
    "pre-empted": "pre-empted",
    "revocation": "revocation",
    "withdrawal": "withdrawal",
    "discovery": "discovery",
    "extension": "extension",
    "shock": "shock",
}
KIND_COLOURS = {
    "award": "#2e7d32",
    "missed_window": "#c62828",
    "pre-empted": "#8e24aa",
    "revocation": "#6d4c41",
    "withdrawal": "#ef6c00",
    "discovery": "#00897b",
    "extension": "#5c6bc0",
    "shock": "#37474f",
}
IN_APPROVAL, PRE_EMPTED = " (in approval)", " (pre-empted)"  # an award's rivals still in approval
SOLO = "a private investor bidding alone"  # an award's detail when an investor won without a power
CHANNELS = {"auction": " at auction", "negotiation": " by direct negotiation"}  # an award's "[channel]"
FOUND = {  # what becomes of a discovery
    "its finder develops it": " and develops it",
    "returned to the state": " and returns it to the state",
    "sold: the plot goes to auction": " and sells it: the plot goes to auction",
}
LOOK_BACK = 4  # events read per line shown (pre-emptions of one award become one line)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _money(usd_m: float) -> str:
    return f"${usd_m / 1000:,.1f}bn" if usd_m >= 1000 else f"${usd_m:,.0f}m"


def _rivals(others: str) -> str:
    """'PRIVATE, US (in approval), EU (pre-empted)' -> ' over private investors, and over the US, whose offer
    was still in approval, before the tender closed, pre-empting the EU'."""
    codes = [o.strip() for o in (others or "").split(",") if o.strip()]
    lost = [name(c) for c in codes if not c.endswith((IN_APPROVAL, PRE_EMPTED))]
    pending = [name(c.removesuffix(IN_APPROVAL)) for c in codes if c.endswith(IN_APPROVAL)]
    pre_empted = [name(c.removesuffix(PRE_EMPTED)) for c in codes if c.endswith(PRE_EMPTED)]
    parts = []
    if lost:
        parts.append("over " + _join(lost))
    if pending:
        whose = "whose offer was" if len(pending) == 1 else "whose offers were"
        parts.append(("and " if lost else "") + f"over {_join(pending)}, {whose} still in approval")
    if pre_empted:
        parts.append("before the tender closed, pre-empting " + _join(pre_empted))
    return (" " + ", ".join(parts)) if parts else ""


def _winner(award: dict | None) -> str:
    """Whose offer was accepted, as the subject of 'offer was accepted'."""
    if not award:
        return "a rival's offer"
    if _channel(award.get("detail") or "")[0] == SOLO or award.get("power") == "PRIVATE":
        return "a private investor's offer"
    return f"{name(award['power'])}'s offer"


def merge_pre_empted(events: list[dict]) -> list[dict]:
    """The pre-emptions of one deposit in one quarter as one event (``powers``, in the award's order), with
    that quarter's award (``award``) when it is among ``events`` (newest first, as ``latest`` gives them)."""
    awards = {(e.get("step"), e.get("deposit")): e for e in events if e.get("kind") == "award"}
    out: list[dict] = []
    merged: dict[tuple, dict] = {}
    for e in events:
        key = (e.get("step"), e.get("deposit"))
        if e.get("kind") != "pre-empted":
            out.append(e)
        elif key in merged:
            merged[key]["powers"].insert(0, e.get("power", ""))  # newest first: the award lists them in order
        else:
            merged[key] = {**e, "powers": [e.get("power", "")], "award": awards.get(key)}
            out.append(merged[key])
    return out


def _channel(detail: str) -> tuple[str, str]:
    """'a private investor bidding alone [auction]' -> ('a private investor bidding alone', ' at auction')."""
    text, bracket, tail = detail.rpartition("[")
    if not bracket or not tail.endswith("]"):
        return detail.strip(), ""
    return text.strip(), CHANNELS.get(tail[:-1], f" ({tail[:-1]})")


def _award(event: dict, where: str) -> str:
    power, amount = event.get("power", ""), float(event.get("amount_usd_m") or 0.0)
    detail, channel = _channel(event.get("detail") or "")
    rivals = _rivals(event.get("others", ""))
    if detail == SOLO:
        who = "A private investor" + ("" if power in ("", "PRIVATE") else f" from {name(power)}")
        text = f"{who}, bidding alone, wins {where}{channel}{rivals}"
    else:
        text = f"{name(power, start=True)} wins {where}{channel}{rivals}" + (f" ({detail})" if detail else "")
    return text + (f"; {_money(amount)} committed" if amount > 0 else "")


def _stake_sale(event: dict, where: str) -> str:
    """A forced sale (sanctions, divestment): 'sanctions: RU sells 49% to CN', or the state's priority right."""
    power, buyer, detail = event.get("power", ""), (event.get("others") or "").strip(), event.get("detail") or ""
    why = detail.split(":", 1)[0].strip().capitalize() if ":" in detail else "Sanctions"
    share = detail.rsplit(" sells ", 1)[-1].split(" ", 1)[0] if " sells " in detail else "its stake"
    text = f"{why}: {name(power)} sells {share} of {where} to {name(buyer) if buyer else 'other powers'}"
    return text + (" (the state's priority right)" if "priority right" in detail else "")


def describe(event: dict) -> str:
    """One event in words, e.g. '2027Q3 China wins Upper Kairakty (tungsten) at auction over the EU, whose
    offer was still in approval'."""
    kind, q = event.get("kind", ""), event.get("quarter", "")
    power, deposit = event.get("power", ""), event.get("deposit", "")
    commodity = (event.get("commodity") or "").replace("_", " ")
    where = f"{deposit} ({commodity})" if commodity else deposit
    amount, detail = float(event.get("amount_usd_m") or 0.0), event.get("detail") or ""
    holder = name(power, start=True) if power else "A holder"
    if kind == "award":
        text = _award(event, where)
    elif kind == "missed_window":
        text = f"{holder} misses the window for {where}: still in approval when the tender closed"
        if amount > 0:
            text += f" ({_money(amount)} of reserves lost)"
    elif kind == "pre-empted":
        powers = event.get("powers") or [power]
        who = _join([name(p) for p in powers])
        are, theirs = ("is", "its own was") if len(powers) == 1 else ("are", "theirs were")
        text = (
            f"{who[0].upper()}{who[1:]} {are} pre-empted on {where}: {_winner(event.get('award'))} was accepted "
            f"before the tender closed, while {theirs} still in approval"
        )
    elif kind == "revocation":
        whose = f"{name(power)}'s" if power else "the"
        text = f"Kazakhstan revokes {whose} licence for {where}" + (f": {detail}" if detail else "")
    elif kind == "withdrawal":
        text = f"{holder} withdraws its bid for {where}" + (f": {detail}" if detail else "")
    elif kind == "discovery":
        text = f"{holder} finds {where}" + (FOUND.get(detail, f": {detail}") if detail else "")
    elif kind == "extension":
        stake = detail.removeprefix("contract extended; ")
        whose = f"{name(power)}'s" if power else "the"
        text = f"Kazakhstan extends {whose} contract for {where}" + (f": {stake}" if stake else "")
    elif kind == "shock" and deposit:
        text = _stake_sale(event, where)
    elif kind == "shock":
        text = f"Shock: {detail}" if detail else "Shock"
    else:
        text = " ".join(str(x) for x in (kind, power, where, detail) if x)
    return f"{q} {text}" if q else text


def events_html(events: list[dict], colours: dict[str, str]) -> str:
    """The log's HTML; the bar beside each event has the colour of its power (``palette``)."""
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
        dot = colours.get(e.get("power", ""), "#999")
        items.append(
            f'<div class="gg-event" data-kind="{html.escape(kind)}" style="padding:2px 0;'
            f'border-left:4px solid {dot};padding-left:6px;margin-bottom:3px">'
            f"{chip}{html.escape(describe(e))}</div>"
        )
    return "".join(items)


@solara.component
def EventLog(model, frame: int, n: int = 14):
    """The latest ``n`` lines of events, newest first, at update ``frame``; re-drawn on every step."""
    with reading(model):
        events = merge_pre_empted(model.events.latest(LOOK_BACK * n))[:n]
    with solara.Column(
        classes=["gg-events"], style={"font-size": "13px", "max-height": "420px", "overflow-y": "auto"}
    ) as main:
        solara.Text("Latest events", style={"font-weight": "bold"})
        solara.HTML(tag="div", unsafe_innerHTML=events_html(events, palette(model.holders)))
    return main

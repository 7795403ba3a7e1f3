"""Events in words: awards, missed windows, pre-emptions, revocations, withdrawals, discoveries, contract
extensions and shocks.

The pursuits of one deposit pre-empted by one award (still in approval when a rival was accepted before
the tender closed) are told in one line that names the winner, next to the award that pre-empted them;
the licences that private investors won bidding alone in one quarter are one line, and so are the
exploration licences of a quarter (``group_quarters``): together they are most events and would drown the rest.
"""

from __future__ import annotations

import re

from dashboard.style import name

IN_APPROVAL, PRE_EMPTED = " (in approval)", " (pre-empted)"  # an award's rivals still in approval
SOLO = "a private investor bidding alone"  # an award's detail when an investor won without a power
CHANNELS = {"auction": " at auction", "negotiation": " by direct negotiation"}  # an award's "[channel]"
FOUND = {  # what becomes of a discovery
    "its finder develops it": " and develops it",
    "returned to the state": " and returns it to the state",
    "sold: the plot goes to auction": " and sells it: the plot goes to auction",
}
FILED = re.compile(r"(\d+) licences? in (.+?): (.*)")  # an exploration_licences event's detail
FIRMS = {"KZ": "Kazakh firms", "PRIVATE": "private investors"}  # licensees, by code (powers by name)
SLIPPED = re.compile(r"undeveloped after (\d+) quarters \((\d+) slipped\)")
GLOSSARY = {
    "slipped": "a quarter of development in which the project fell behind its plan; a holder that overruns its "
    "plan, or keeps slipping, loses the licence (host.revocation_overrun, host.revocation_hazard)",
    "missed window": "a power's offer was still in approval when the tender closed, so it could not bid",
    "pre-empted": "a rival's offer was accepted before the tender closed, while this power's was still in approval",
    "bidding alone": "a private investor that bid without a power's backing (it still counts for the power whose "
    "code it carries, e.g. a private investor from China)",
    "package": "a state's offer for a deposit: public finance at its discount rate, an offtake share for a term, "
    "a share processed in Kazakhstan, under a framework agreement if one covers the commodity (docs/ODD.md §7.16)",
    "offtake contract": "who buys a deposit's or a plant's output, for a term; renewed if the host trusts the buyer "
    "(host.renewal_trust) and the ore is locked into its plants, else ended",
    "plant": "a refinery or smelter; a power that delivers a package with processing builds one, and ore from its "
    "deposits goes to its plants",
    "extension": "a contract renewed at the end of its term; for uranium the state's stake rises",
    "exploration licences": "first-come licences to explore a block of ground (Subsoil Code); a licensee that "
    "finds a deposit develops it, returns it or sells it",
}


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def whose(code: str) -> str:
    """The holder as a possessive: "China's", "a private investor's", "a Kazakh firm's" (the host's own)."""
    if code == "PRIVATE":
        return "a private investor's"
    if code == "KZ":
        return "a Kazakh firm's"
    return f"{name(code)}'s" if code else "the"


def place(event: dict) -> str:
    """'Upper Kairakty (tungsten)': the deposit and its commodity, in words."""
    deposit = (event.get("deposit") or "").replace("_", " ")
    commodity = (event.get("commodity") or "").replace("_", " ")
    return f"{deposit} ({commodity})" if commodity else deposit


def money(usd_m: float) -> str:
    """'$311m', '$1.8bn'."""
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
    return text + (f"; {money(amount)} committed" if amount > 0 else "")


def _stake_sale(event: dict, where: str) -> str:
    """A forced sale (sanctions, divestment): 'sanctions: RU sells 49% to CN', or the state's priority right."""
    power, buyer, detail = event.get("power", ""), (event.get("others") or "").strip(), event.get("detail") or ""
    why = detail.split(":", 1)[0].strip().capitalize() if ":" in detail else "Sanctions"
    share = detail.rsplit(" sells ", 1)[-1].split(" ", 1)[0] if " sells " in detail else "its stake"
    text = f"{why}: {name(power)} sells {share} of {where} to {name(buyer) if buyer else 'other powers'}"
    return text + (" (the state's priority right)" if "priority right" in detail else "")


def _reason(detail: str) -> str:
    """'undeveloped after 6 quarters (1 slipped)' in words (see GLOSSARY['slipped'])."""
    m = SLIPPED.fullmatch(detail)
    if not m:
        return detail
    quarters, slipped = int(m.group(1)), int(m.group(2))
    behind = f", {slipped} of them behind plan (slipped)" if slipped else ""
    return f"still not producing after {quarters} quarters of development{behind}"


def is_solo(event: dict) -> bool:
    """An award to a private investor bidding alone."""
    return event.get("kind") == "award" and _channel(event.get("detail") or "")[0] == SOLO


def is_filing(event: dict) -> bool:
    """First-come exploration licences of one quarter in one region."""
    return event.get("kind") == "exploration_licences"


GROUPS = {"solo_awards": is_solo, "licences_filed": is_filing}  # kinds of event told once per quarter


def group_quarters(events: list[dict]) -> list[dict]:
    """The lone private bids, and the exploration licences, of each quarter as one event each (kind
    "solo_awards" or "licences_filed", ``members`` in order) where the quarter's first one stood; every other
    event as it is."""
    out: list[dict] = []
    groups: dict[tuple, dict] = {}
    for e in events:
        kind = next((k for k, test in GROUPS.items() if test(e)), None)
        if kind is None:
            out.append(e)
        elif (e.get("step"), kind) in groups:
            groups[(e.get("step"), kind)]["members"].append(e)
        else:
            groups[(e.get("step"), kind)] = {**e, "kind": kind, "members": [e]}
            out.append(groups[(e.get("step"), kind)])
    return out


def _solo_awards(event: dict) -> str:
    awards = event["members"]
    if len(awards) == 1:
        return _award(awards[0], place(awards[0]))
    places = [place(a) for a in awards]
    shown = _join(places) if len(places) <= 3 else ", ".join(places[:3]) + f" and {len(places) - 3} more"
    committed = sum(float(a.get("amount_usd_m") or 0.0) for a in awards)
    return f"Private investors bidding alone win {len(awards)} licences: {shown}" + (
        f"; {money(committed)} committed" if committed > 0 else ""
    )


def _filings(events: list[dict]) -> str:
    """'45 exploration licences filed in 12 regions: Kazakh firms 40, private investors 3 and Russia 2'."""
    regions, counts = set(), {}
    for e in events:
        m = FILED.fullmatch(e.get("detail") or "")
        if not m:
            continue
        regions.add(m.group(2))
        for part in m.group(3).split(","):
            code, _, n = part.strip().rpartition(" ")
            counts[code] = counts.get(code, 0) + int(n)
    total = sum(counts.values())
    where = next(iter(regions)) if len(regions) == 1 else f"{len(regions)} regions"
    who = _join([f"{FIRMS.get(code, name(code))} {n}" for code, n in sorted(counts.items(), key=lambda kv: -kv[1])])
    return f"{total} exploration licence{'s' * (total != 1)} filed in {where}: {who}"


def _chain(kind: str, power: str, where: str, detail: str, amount: float) -> str:
    """A state's package (offer, binding, declined, slipped, delivered), an offtake contract or a plant in words."""
    holder = name(power, start=True) if power else "A holder"
    if kind == "package_proposed":
        return f"{holder} offers a package for {where}: {detail}"
    if kind == "package_binding":
        return f"{holder}'s package for {where} is approved and binds"
    if kind == "package_accepted":
        return f"Kazakhstan accepts {whose(power)} package for {where}" + CHANNELS.get(detail, "")
    if kind == "package_declined":
        return f"Kazakhstan declines {whose(power)} package for {where}" + (f": {detail}" if detail else "")
    if kind == "package_slipped":
        return f"{holder}'s package for {where} slips" + (f": {detail}" if detail else "")
    if kind == "package_delivered":
        return f"{holder} delivers its package for {where}" + (f": {detail}" if detail else "")
    if kind == "contract":
        return f"{whose(power)[0].upper()}{whose(power)[1:]} {detail}" + (f" for {where}" if where else "")
    return f"{holder} brings a processing plant online for {where}"


def describe(event: dict) -> str:
    """One event in words, e.g. '2027Q3 China wins Upper Kairakty (tungsten) at auction over the EU, whose
    offer was still in approval'."""
    kind, q = event.get("kind", ""), event.get("quarter", "")
    power, where = event.get("power", ""), place(event)
    amount, detail = float(event.get("amount_usd_m") or 0.0), event.get("detail") or ""
    holder = name(power, start=True) if power else "A holder"
    if kind == "award":
        text = _award(event, where)
    elif kind == "solo_awards":
        text = _solo_awards(event)
    elif kind in ("licences_filed", "exploration_licences"):
        text = _filings(event.get("members") or [event])
    elif kind == "missed_window":
        text = f"{holder} misses the window for {where}: still in approval when the tender closed"
        if amount > 0:
            text += f" ({money(amount)} of reserves lost)"
    elif kind == "pre-empted":
        powers = event.get("powers") or [power]
        who = _join([name(p) for p in powers])
        are, theirs = ("is", "its own was") if len(powers) == 1 else ("are", "theirs were")
        text = (
            f"{who[0].upper()}{who[1:]} {are} pre-empted on {where}: {_winner(event.get('award'))} was accepted "
            f"before the tender closed, while {theirs} still in approval"
        )
    elif kind == "revocation":
        text = f"Kazakhstan revokes {whose(power)} licence for {where}" + (f": {_reason(detail)}" if detail else "")
    elif kind == "withdrawal":
        text = f"{holder} withdraws its bid for {where}" + (f": {detail}" if detail else "")
    elif kind == "discovery":
        text = f"{holder} finds {where}" + (FOUND.get(detail, f": {detail}") if detail else "")
    elif kind == "extension":
        stake = detail.removeprefix("contract extended; ")
        text = f"Kazakhstan extends {whose(power)} contract for {where}" + (f": {stake}" if stake else "")
    elif kind.startswith("package_") or kind in ("contract", "plant"):
        text = _chain(kind, power, where, detail, amount)
    elif kind == "shock" and event.get("deposit"):
        text = _stake_sale(event, where)
    elif kind == "shock":
        text = f"Shock: {detail}" if detail else "Shock"
    else:
        text = " ".join(str(x) for x in (kind, power, where, detail) if x)
    return f"{q} {text}" if q else text

"""Who takes a pinned deposit's or plant's output: its offtake contracts at the quarter shown, and where its ore
goes (``model/flows.py``).

The contract store (``model.chains.contracts``, as ``model/chain_tables.py`` writes it) holds each contract's
latest state, so its state at an earlier quarter is worked back: a renewal comes at each end of term
(``host.offtake_term_q`` quarters apart), an ended contract ended at the end of its term, a broken one at its
event. A contract shows from its start quarter.
"""

from __future__ import annotations

import html

import numpy as np

from dashboard.style import label
from model import contracts as C
from model.model import quarter_label
from model.vocabulary import Stage

STATUSES = ("active", "ended", "broken")  # model.contracts' ACTIVE, ENDED, BROKEN
COLUMNS = ("buyer", "share", "term", "basis", "status", "renewed", "led")  # the inspector's table
LISTED = 5  # names listed before "and N more"


def contract_rows(model, kind: int, source: int, step: int) -> list[dict]:
    """The contracts on one deposit or plant (``kind``: ``C.DEPOSIT`` or ``C.PLANT``) as they stood at ``step``."""
    k, term = model.chains.contracts, model.params.host.offtake_term_q
    n = k.n
    ids = np.flatnonzero((k.kind[:n] == kind) & (k.source[:n] == source) & (k.start[:n] <= step))
    out = []
    for i in ids.tolist():
        first_end = int(k.end[i] - k.renewals[i] * term)
        renewals = int(np.clip((step - first_end) // term + 1, 0, k.renewals[i])) if k.renewals[i] else 0
        status = int(k.status[i])
        if (status == C.ENDED and k.end[i] > step) or (status == C.BROKEN and _broken_at(model, i) > step):
            status = C.ACTIVE
        out.append(
            {
                "contract": i,
                "buyer": label(model.holders[k.buyer[i]]),
                "share": float(k.share[i]),
                "start": quarter_label(model.start_year, int(k.start[i])),
                "end": quarter_label(model.start_year, first_end + renewals * term),
                "basis": C.BASES[k.basis[i]].replace("_", " "),
                "status": STATUSES[status],
                "renewals": renewals,
                "led": "yes" if k.led[i] else "no",
            }
        )
    return out


def _broken_at(model, i: int) -> int:
    """The step contract ``i`` was broken (its 'contract' event: same buyer, source and share)."""
    k = model.chains.contracts
    buyer, told = model.holders[k.buyer[i]], f"broken ({k.share[i]:.0%})"
    if k.kind[i] == C.DEPOSIT:
        name = model.deposits.table.names[k.source[i]]
        mine = lambda e: e.deposit == name  # noqa: E731
    else:
        where = f" of {model.chains.plants.names[k.source[i]]} "
        mine = lambda e: where in e.detail  # noqa: E731
    steps = [
        e.step
        for e in model.events.rows
        if e.kind == "contract" and e.power == buyer and e.detail.endswith(told) and mine(e) and e.step >= k.start[i]
    ]
    return min(steps, default=model.steps)


def contracts_html(title: str, rows: list[dict]) -> str:
    head = "".join(f"<th>{c}</th>" for c in COLUMNS)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(r, c))}</td>" for c in COLUMNS) + "</tr>" for r in rows)
    table = (  # scrolls sideways in a narrow inspector
        f'<div class="gg-item-scroll"><table class="gg-item-contracts"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
        if rows
        else '<div class="gg-item-contracts">none</div>'
    )
    return f'<div class="gg-item-subtitle">{html.escape(title)}</div>{table}'


def _cell(row: dict, column: str) -> str:
    if column == "term":
        return f"{row['start']}–{row['end']}"
    return f"{row['share']:.0%}" if column == "share" else str(row["renewals" if column == "renewed" else column])


def _names(names: list[str]) -> str:
    more = f" and {len(names) - LISTED} more" if len(names) > LISTED else ""
    return ", ".join(names[:LISTED]) + more


def deposit_detail(model, item: dict, step: int) -> str:
    """Where a producing deposit's ore goes, and its contracts."""
    row = int(item["row"])
    rows = contract_rows(model, C.DEPOSIT, row, step)
    table = contracts_html("Offtake contracts", rows)
    if item["stage"] != Stage.PRODUCING.label:
        return table
    pl, codes = model.chains.plants, {label(h): i for i, h in enumerate(model.holders)}
    leader = codes.get(item["controller"], -1)
    mine = (pl.commodity == model.deposits.table.commodity[row]) & (pl.online <= step)
    mine &= (pl.equity[:, leader] > 0) if leader >= 0 else False
    rest = "the rest, refined at a toll where plants have room or exported, goes to its holders and the contracts below"
    if model.params.mechanisms.lock_in and mine.any():
        plants = _names([pl.names[p] for p in np.flatnonzero(mine)])
        note = (
            f"Its ore goes first to {plants} (its controller's plants), as far as they have room, for those plants' "
            f"offtakers; {rest}."
        )
    else:
        note = f"Its ore: {rest}."
    return f'<div class="gg-item-ore">{html.escape(note)}</div>{table}'


def plant_detail(model, item: dict, step: int, deposits: dict) -> str:
    """Which mines feed an online plant first (``deposits``: the deposits layer's rows at ``step``), and the
    contracts on its output."""
    p = int(item["row"])
    table = contracts_html("Contracts on its output", contract_rows(model, C.PLANT, p, step))
    if item["status"] != "online":
        return table
    holders = [label(h) for h, share in zip(model.holders, model.chains.plants.equity[p]) if share > 0]
    feeding = (deposits["stage"] == Stage.PRODUCING.label) & (deposits["commodity"] == item["commodity"])
    mines = deposits["name"][feeding & np.isin(deposits["controller"], holders)].tolist()
    if not model.params.mechanisms.lock_in:
        note = f"Open to every mine (no lock-in): it refines {item['commodity']} ore at a toll, pro rata."
    elif mines:
        note = f"Ore first from the mines its holders control ({_names(mines)}); then other mines' at a toll."
    else:
        note = f"No mine of its holders produces {item['commodity']}: it refines other mines' ore at a toll."
    return (
        f'<div class="gg-item-ore">{html.escape(note)} Its output goes to the contracts below, the rest to its '
        f"holders by equity.</div>{table}"
    )

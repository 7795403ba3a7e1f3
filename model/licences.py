"""The one writer of a deposit's licence: its stage, holders (equity and offtake), leader and tender.

Every change of stage or holdings goes through one method here, which takes a decided record, checks each row
against the transition table (the stages allowed before the operation) and logs its event. No draws are made
here (records arrive decided), and the side effects on trust, budgets and counts stay with whoever decided: the
host, supervision, exploration, a shock. As python-statemachine declares its transitions once and ASSUME's units
operator applies the market's typed result, so no agent writes a deposit's stage (tests/test_licences.py walks
the code to hold this). The award's writes and the transition check run compiled (``_award``, ``_all_allowed``),
kept here beside the methods that call them so that the one writer stays one module, a little over 300 lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from model.exact import maximum
from model.vocabulary import Channel, Stage

_ANY_HELD = (Stage.AWARDED, Stage.DEVELOPING, Stage.PRODUCING, Stage.DEPLETED, Stage.PROSPECT)
# operation -> stages a row may be in before it
BEFORE: dict[str, tuple[Stage, ...]] = {
    "offer": (Stage.UNLICENSED,),
    "keep_open": (Stage.TENDERED,),
    "decline": (Stage.TENDERED,),
    "award": (Stage.TENDERED,),
    "award_find": (Stage.UNLICENSED, Stage.PROSPECT),  # a finder converts its exploration licence
    "explore": (Stage.UNLICENSED,),  # an exploration licence on a known prospect
    "drop_prospect": (Stage.PROSPECT,),
    "return_find": (Stage.UNLICENSED, Stage.PROSPECT),
    "start_development": (Stage.AWARDED,),
    "start_production": (Stage.DEVELOPING,),
    "deplete": (Stage.PRODUCING,),
    "revoke": (Stage.AWARDED, Stage.DEVELOPING),
    "extend": (Stage.AWARDED, Stage.DEVELOPING, Stage.PRODUCING),
    "transfer": _ANY_HELD,
    "release_offtake": (Stage.AWARDED, Stage.DEVELOPING, Stage.PRODUCING, Stage.DEPLETED),
}
_ALLOWED = {op: np.isin(np.arange(len(Stage)), stages) for op, stages in BEFORE.items()}


@njit(cache=True)
def _award(rows, winner, equity, offtake, lead_q, finance, processing, public_lead, step, d_equity, d_offtake, d_led,
           stage, leader, award_step, dev_planned, dev_left, dev_elapsed, slips, d_finance, d_processing,
           d_public_lead):  # fmt: skip
    """``Licences.award``'s writes, in one pass, as numpy's whole-array assignments make them (rows in order, the
    last of a repeated row kept): the holdings (``led`` cleared, then the winner's set where a power's own pursuit
    or the state's firm leads), the stage, leader and award step, the development clock (``max(1, rint(lead_q))``
    quarters), and the leader's finance, processing and public lead.
    """
    for j in range(rows.size):
        r = rows[j]
        d_equity[r] = equity[j]
        d_offtake[r] = offtake[j]
        d_led[r] = False
    for j in range(rows.size):
        r = rows[j]
        d_led[r, winner[j]] = public_lead[j]
        stage[r], leader[r], award_step[r] = Stage.AWARDED, winner[j], step
        dev_planned[r] = dev_left[r] = np.int64(maximum(1.0, np.rint(lead_q[j])))
        dev_elapsed[r], slips[r] = 0, 0
        d_finance[r], d_processing[r], d_public_lead[r] = finance[j], processing[j], public_lead[j]


@njit(cache=True)
def _all_allowed(allowed, stage, rows):
    """Whether the stage of every one of ``rows`` allows the transition (``allowed``: by stage)."""
    for r in rows:  # noqa: SIM110 (numba compiles no generator expression)
        if not allowed[stage[r]]:
            return False
    return True


class TransitionError(RuntimeError):
    """A licence operation on a deposit in a stage that does not allow it: a bug in whoever decided."""


@dataclass(frozen=True)
class Award:
    """A decided award (arrays, one entry per row): the winner (holder index), its equity and offtake rows (holders), the planned
    development time, the leader's finance share and processing commitment, whether a power's own pursuit (or
    the state's firm) leads, and the event's amount (USD m), others and detail.
    """

    rows: np.ndarray
    winner: np.ndarray
    equity: np.ndarray
    offtake: np.ndarray
    lead_q: np.ndarray
    finance: np.ndarray
    processing: np.ndarray
    public_lead: np.ndarray
    amount: np.ndarray
    others: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transfer:
    """A forced sale: ``seller``'s stake in ``row`` goes to ``buyer``; ``text`` tells it in the event log."""

    row: int
    seller: int
    buyer: int
    value_usd_m: float
    text: str


@dataclass(frozen=True)
class Extension:
    """A contract extended until ``until``, with the holdings the extension leaves (``detail``: logged if given)."""

    row: int
    until: int
    equity: np.ndarray
    offtake: np.ndarray
    detail: str = ""


class Licences:
    """Writes ``deposits``' licence state and logs to ``events``; ``holders`` are the run's codes, ``host`` the
    host's index; ``clock()`` gives the current step. Export controls in force (commodity, holder) are kept here:
    a banned destination's offtake returns to the host in every holding written.
    """

    def __init__(self, deposits, events, holders: tuple[str, ...], host: int, clock) -> None:
        self.d, self.events, self.holders, self.host, self.clock = deposits, events, holders, host, clock
        self.bans: set[tuple[int, int]] = set()

    def _check(self, op: str, rows) -> None:
        allowed, stage = _ALLOWED[op], self.d.stage
        if isinstance(rows, np.ndarray) and rows.dtype == np.int64:  # most writes: one compiled pass
            if _all_allowed(allowed, stage, rows):
                return
        elif allowed[stage[rows]].all():
            return
        bad = np.atleast_1d(rows)[~allowed[np.atleast_1d(stage[rows])]]
        names = [self.d.table.ids[int(r)] for r in bad[:3]]
        got = sorted({Stage(int(s)).label for s in np.atleast_1d(stage[bad])})
        raise TransitionError(
            f"{op} on {', '.join(names)} in stage {', '.join(got)}; allowed before {op}: "
            + ", ".join(s.label for s in BEFORE[op])
        )

    def _name(self, holder: int) -> str:
        return self.holders[holder] if holder >= 0 else ""

    # --- at the start ------------------------------------------------------------------------------
    def initial(self, table, index: dict[str, int], public_codes: tuple[str, ...]) -> None:
        """The table's holders: equity, offtake and the leader (the largest foreign holder, else the host); a
        power's holding, or the state's firm in a strategic deposit, is a public lead.
        """
        d = self.d
        for row, (holders, offtake) in enumerate(zip(table.holders, table.offtake)):
            for code, share in holders.items():
                d.equity[row, index[code]] = share
                d.led[row, index[code]] = code in public_codes  # a power's holding of 2026 is its state's
            for code, share in offtake.items():
                d.offtake[row, index[code]] = share
            if holders:
                foreign = {c: s for c, s in holders.items() if c != self.holders[self.host]}
                d.leader[row] = index[max(foreign, key=foreign.get) if foreign else self.holders[self.host]]
                lead = self.holders[d.leader[row]]
                d.public_lead[row] = lead in public_codes or (
                    lead == self.holders[self.host] and bool(table.strategic[row])
                )

    # --- tenders -----------------------------------------------------------------------------------
    def offer(self, rows: np.ndarray, close: np.ndarray) -> None:
        """Offer free plots (an auction or a negotiation) until ``close``."""
        self._check("offer", rows)
        d, step = self.d, self.clock()
        d.stage[rows] = Stage.TENDERED
        d.tender_open[rows], d.tender_close[rows] = step, close
        d.tender_extended[rows] = False

    def keep_open(self, row: int, until: int) -> None:
        """Keep a closing negotiation open once, for a preferred partner."""
        self._check("keep_open", row)
        self.d.tender_close[row], self.d.tender_extended[row] = until, True

    def decline(self, rows: np.ndarray, free_from: int) -> None:
        """No acceptable offer: the plot returns to the state, to be offered again from ``free_from``."""
        self._check("decline", rows)
        self.d.stage[rows] = Stage.UNLICENSED
        self.d.free_from[rows] = free_from

    # --- awards ------------------------------------------------------------------------------------
    def award(self, a: Award, find: bool = False) -> None:
        """Award the rows (or, with ``find``, let their finder develop them): holdings, leader, development clock."""
        self._check("award_find" if find else "award", a.rows)
        d, rows = self.d, a.rows
        _award(rows, a.winner, a.equity, a.offtake, a.lead_q, a.finance, a.processing, a.public_lead, self.clock(),
               d.equity, d.offtake, d.led, d.stage, d.leader, d.award_step, d.dev_planned, d.dev_left, d.dev_elapsed,
               d.slips, d.finance, d.processing, d.public_lead)  # fmt: skip
        self._apply_bans(rows)
        for row, winner, others, amount, detail in zip(
            rows.tolist(), a.winner.tolist(), a.others, a.amount.tolist(), a.detail
        ):
            self.events.add("award", row, self._name(winner), others, amount, detail)

    # --- exploration -------------------------------------------------------------------------------
    def explore(self, row: int, holder: int) -> None:
        """An exploration licence on a known prospect: the licensee holds it while defining it."""
        self._check("explore", row)
        d = self.d
        d.stage[row], d.leader[row] = Stage.PROSPECT, holder
        d.equity[row], d.led[row] = 0.0, False
        d.equity[row, holder] = 1.0

    def drop_prospect(self, rows: np.ndarray) -> None:
        """The exploration licence on a prospect ended unworked: the prospect is free again."""
        self._check("drop_prospect", rows)
        d = self.d
        d.stage[rows], d.leader[rows], d.equity[rows], d.led[rows] = Stage.UNLICENSED, -1, 0.0, False

    def return_find(self, row: int, channel: Channel, free_from: int) -> None:
        """A find its finder does not develop goes to the state, to be offered by ``channel`` from ``free_from``."""
        self._check("return_find", row)
        d = self.d
        d.stage[row], d.leader[row], d.equity[row], d.offtake[row] = Stage.UNLICENSED, -1, 0.0, 0.0
        d.led[row] = False
        d.set_channel(row, channel)
        d.free_from[row] = free_from

    # --- development and production -----------------------------------------------------------------
    def start_development(self, rows: np.ndarray) -> None:
        """Awarded licences start developing."""
        self._check("start_development", rows)
        self.d.stage[rows] = Stage.DEVELOPING

    def start_production(self, rows: np.ndarray, contract_end: int) -> None:
        """Developed deposits start producing; their mining contract runs until ``contract_end``."""
        self._check("start_production", rows)
        d = self.d
        d.stage[rows] = Stage.PRODUCING
        d.first_output[rows] = self.clock()
        d.contract_end[rows] = contract_end

    def deplete(self, rows: np.ndarray) -> None:
        """Deposits with nothing left to produce."""
        self._check("deplete", rows)
        self.d.stage[rows] = Stage.DEPLETED

    def extend(self, e: Extension) -> None:
        """A contract extended at the end of its term (the state may take a larger stake)."""
        self._check("extend", e.row)
        d = self.d
        d.contract_end[e.row] = e.until
        d.equity[e.row], d.offtake[e.row] = e.equity, e.offtake
        if e.detail:
            self.events.add("extension", e.row, self._name(int(d.leader[e.row])), detail=e.detail)

    def revoke(self, rows, why) -> None:
        """Take licences back (``why``: a reason per row, or one for all): the plots return to the state and are
        offered again by auction. Rows at once, their events in row order.
        """
        rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
        self._check("revoke", rows)
        d = self.d
        whys = [why] * rows.size if isinstance(why, str) else why
        for row, lead, text in zip(rows.tolist(), d.leader[rows].tolist(), whys, strict=True):
            self.events.add("revocation", row, self._name(lead), detail=text)
        d.equity[rows] = d.offtake[rows] = 0.0
        d.led[rows] = False
        d.stage[rows], d.leader[rows], d.contract_end[rows], d.public_lead[rows] = Stage.UNLICENSED, -1, -1, False
        explored = rows[d.table.channel[rows] == Channel.EXPLORATION]
        if explored.size:
            d.set_channel(explored, Channel.AUCTION)

    # --- shocks ------------------------------------------------------------------------------------
    def transfer(self, t: Transfer) -> None:
        """A forced sale of one holder's stake to another (sanctions, divestments)."""
        self._check("transfer", t.row)
        d = self.d
        d.equity[t.row, t.buyer] += d.equity[t.row, t.seller]
        d.offtake[t.row, t.buyer] += d.offtake[t.row, t.seller]
        d.equity[t.row, t.seller] = d.offtake[t.row, t.seller] = 0.0
        d.led[t.row, t.seller] = False
        d.led[t.row, t.buyer] = t.buyer != self.host  # a power buys as a state; the host's purchase is its own
        if d.leader[t.row] == t.seller:
            d.leader[t.row] = t.buyer
            d.public_lead[t.row] = t.buyer != self.host
        self._apply_bans(np.array([t.row]))  # an export control in force holds for the new holder too
        seller = self.holders[t.seller]
        self.events.add("shock", t.row, seller, self.holders[t.buyer], t.value_usd_m, t.text)

    def release_offtake(self, row: int, buyer: int, extra: float, routing: np.ndarray) -> None:
        """An offtake contract ended: the ``extra`` share it gave the buyer beyond its equity returns to the host,
        which exports it as the commodity's routing says (``routing``: share of the host's part to each holder).
        """
        self._check("release_offtake", row)
        d = self.d
        extra = min(extra, d.offtake[row, buyer])
        if extra <= 0:
            return
        d.offtake[row, buyer] -= extra
        d.offtake[row] += extra * routing
        d.offtake[row, self.host] += extra * (1.0 - routing.sum())
        self._apply_bans(np.array([row]))

    def ban_exports(self, commodity: int, holder: int, text: str) -> None:
        """From now on the host ships none of ``commodity`` to ``holder``: its offtake returns to the host."""
        self.bans.add((commodity, holder))
        d = self.d
        rows = (d.table.commodity == commodity).nonzero()[0]
        d.offtake[rows, self.host] += d.offtake[rows, holder]
        d.offtake[rows, holder] = 0.0
        self.events.add("shock", -1, self.holders[holder], detail=text)

    # --- reading holdings ------------------------------------------------------------------------------
    def _apply_bans(self, rows: np.ndarray) -> None:
        d = self.d
        for c, banned in self.bans:
            hit = rows[d.table.commodity[rows] == c]
            d.offtake[hit, self.host] += d.offtake[hit, banned]
            d.offtake[hit, banned] = 0.0

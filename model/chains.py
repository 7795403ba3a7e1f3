"""What a power holds beyond its licences: plants, offtake contracts and framework agreements, and the quarter's
flow of ore through them (the third design's lock-in).

Built from the data known by the run's start: the plants of ``data/plants.csv``, the contracts of
``data/contracts.csv`` and the framework agreements of ``data/deals.csv`` (a deal dated after the start is an
observation, never an input). During the run an award's offtake beyond the winner's equity becomes a contract
(``host.offtake_term_q``), and a processing commitment becomes a plant when the deposit starts producing. Each
quarter contracts at the end of their term are renewed or end (``model/contracts.py``), ore flows
(``model/flows.py``), and the holdings of plants and contracts give each holder its incumbency in a commodity.
``mechanisms.plants``, ``mechanisms.lock_in`` and ``mechanisms.packages`` switch each part off.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from model import chain_kernels as K
from model import contracts as C
from model import plants as PL
from model.commodities import INDEX as COMMODITY_INDEX
from model.commodities import NAMES as COMMODITIES
from model.deposit_table import table_path
from model.file_cache import by_file
from model.inputs import read_csv
from model.vocabulary import Stage


class Chains:
    """Plants, contracts and frameworks of one run; ``m`` is the model (its deposits, holders, licences, trust)."""

    def __init__(self, m) -> None:
        p, self.m = m.params, m
        self.on = p.mechanisms
        h = len(m.holders)
        self.plants = PL.empty(h)
        self.contracts = C.Contracts()
        self.frameworks = np.zeros((len(COMMODITIES), h), dtype=bool)  # commodity × holder: an agreement in force
        self.delivered = np.zeros((3, len(COMMODITIES), h))  # tonnes taken: all, through led, through flagged
        self.value_added_usd_m = 0.0
        self.refined = np.zeros(len(COMMODITIES))  # tonnes refined in Kazakhstan this quarter
        self.building = bool(self.on.plants) and not p.run.synthetic_deposits  # commitments build plants
        if p.run.synthetic_deposits:  # a synthetic world has no plants, contracts or deals
            return
        known = _deals(table_path(p.run.deals), m.start_year)
        if self.on.packages:
            self._frameworks(known)
        if self.on.plants:
            led = {(r.plant_id, r.holder) for r in known if r.plant_id and r.led == "true"}
            self.plants = PL.load(p.run.plants, p.run.products, m.holders, m.start_year, led)
        self.value_added = PL.value_added(table_path(p.run.products))
        self._initial_contracts(known)

    # --- the start ---------------------------------------------------------------------------------
    def _frameworks(self, deals: tuple) -> None:
        """Framework agreements signed by the start (MoUs, roadmaps, dialogues), by commodity ("multi": all)."""
        m = self.m
        for r in deals:
            if r.instrument != "framework" or r.status not in ("signed", "completed") or r.holder not in m.index:
                continue
            for name in str(r.commodity).split(";"):
                rows = list(range(len(COMMODITIES))) if name == "multi" else [COMMODITY_INDEX.get(name)]
                for c in filter(lambda x: x is not None, rows):
                    self.frameworks[c, m.index[r.holder]] = True

    def _initial_contracts(self, deals: tuple) -> None:
        """The table's contracts known by the start and still running, on the run's deposits and plants."""
        m = self.m
        known = _contracts(table_path(m.params.run.contracts), m.start_year)
        ids, plants = m.deposits.table.ids, self.plants.ids
        led_buyers = {(r.deposit_id or r.plant_id, r.holder) for r in deals if r.led == "true"}
        rows = []  # added at once: one growth of the columns, not one call per contract
        for r in known:
            end = int(r.end_year)
            if end < m.start_year or r.buyer not in m.index:
                continue
            if r.deposit_id and r.deposit_id in ids:
                kind, source = C.DEPOSIT, ids.index(r.deposit_id)
            elif r.plant_id and r.plant_id in plants:
                kind, source = C.PLANT, plants.index(r.plant_id)
            else:
                continue  # national sales (in data/commodity_rules.csv's routing) and sources outside the run
            rows.append(
                {
                    "kind": kind,
                    "source": source,
                    "buyer": m.index[r.buyer],
                    "share": float(r.share),
                    "start": (int(r.start_year) - m.start_year) * 4 + 1,
                    "end": self._end((end - m.start_year + 1) * 4),
                    "basis": C.BASES.index(r.price_basis) if r.price_basis in C.BASES else 0,
                    "led": (r.deposit_id or r.plant_id, r.buyer) in led_buyers or r.buyer in m.params.powers,
                }
            )
        if rows:
            self.contracts.add(**{name: [row[name] for row in rows] for name in rows[0]})

    def _end(self, end: int) -> int:
        """A contract's last step: its term, or the next quarter without lock-in (contracts last one quarter)."""
        return end if self.on.lock_in else min(end, self.m.steps + 1)

    # --- awards and production -----------------------------------------------------------------------
    def contract_award(self, rows: np.ndarray, winner: np.ndarray, offtake_share: np.ndarray, led: np.ndarray) -> None:
        """Each award's contracted offtake beyond the winner's equity (``offtake_share``, as far as the host's part
        goes: ``award_rules.offtake_split``) is a contract for ``host.offtake_term_q``.
        """
        m, d = self.m, self.m.deposits
        equity = d.equity[rows, winner]
        share = np.minimum(np.maximum(offtake_share, equity), equity + d.equity[rows, m.host_index])
        keep = share > equity + 1e-12
        if keep.any():
            self.contracts.add(
                kind=C.DEPOSIT,
                source=rows[keep],
                buyer=winner[keep],
                share=share[keep],
                start=m.steps,
                end=self._end(m.steps + m.params.host.offtake_term_q),
                basis=C.BASES.index("market"),
                led=led[keep],
            )

    def build_plants(self, rows: np.ndarray) -> None:
        """Deposits that start producing with a processing commitment get their plant: that share of their
        capacity refined in Kazakhstan, owned as the deposit is, online now.
        """
        m, d = self.m, self.m.deposits
        if not (rows.size and self.building):
            return
        rows = rows[d.processing[rows] > 0]
        rows = rows[(rows[:, None] != self.plants.source).all(axis=1)]  # no plant yet (np.isin costs 20 µs)
        if rows.size == 0:
            return
        t = d.table
        self.plants.append(
            ids=[f"plant_{t.ids[r]}" for r in rows],
            names=[f"{t.names[r]} refinery" for r in rows],
            commodity=t.commodity[rows],
            intake_q=d.processing[rows] * t.capacity[rows],
            value_added=self.value_added[t.commodity[rows]],
            online=np.full(rows.size, m.steps),
            equity=d.equity[rows].copy(),
            led=d.led[rows].copy(),
            lon=t.lon[rows],
            lat=t.lat[rows],
            origin=np.ones(rows.size, dtype=np.int64),
            source=rows,
        )
        for r in rows:
            m.events.add("plant", int(r), m.holders[d.leader[r]] if d.leader[r] >= 0 else "", detail="plant online")

    # --- the quarter -----------------------------------------------------------------------------------
    def quarter(self) -> None:
        """Contracts at the end of their term, then this quarter's flow of ore."""
        self._contracts_due()
        m, d, pl, k = self.m, self.m.deposits, self.plants, self.contracts
        on = k.active(C.PLANT, m.steps)
        self.refined, self.value_added_usd_m, mined = K.flow(
            self.delivered, m.output_t, d.table.commodity, d.leader, d.offtake, d.equity, d.led, pl.commodity,
            pl.intake_q, pl.online, pl.equity, pl.led, pl.value_added, m.steps, bool(self.on.lock_in), len(COMMODITIES),
            k.source[on], k.share[on], k.buyer[on], m.host_index, m.host.export_routing, m.base_price,
        )  # fmt: skip
        m.routes.quarter(self.delivered[0], m.prices.price)  # exports take routes; a full or closed one strands
        m.markets.supplied(mined - m.routes.stranded.sum(axis=1))

    def _contracts_due(self) -> None:
        m, k = self.m, self.contracts
        on_deposits = k.active(C.DEPOSIT)
        for i in on_deposits[m.deposits.stage[k.source[on_deposits]] == Stage.DEPLETED].tolist():
            self.end(i, C.ENDED)  # the deposit is exhausted: nothing left to take
        due = k.due(m.steps)
        if due.size == 0:
            return
        renew = C.renews(m.trust, k.buyer[due], m.sanctioned, m.params.host.renewal_trust, bool(self.on.lock_in))
        for i, again in zip(due.tolist(), renew.tolist()):
            if again and self._source_alive(i):
                k.end[i] += m.params.host.offtake_term_q
                k.renewals[i] += 1
                self._log(i, "renewed")
            else:
                self.end(i, C.ENDED)

    def _source_alive(self, i: int) -> bool:
        k, d = self.contracts, self.m.deposits
        return k.kind[i] == C.PLANT or bool(d.licensed()[k.source[i]])

    def end(self, i: int, status: int) -> None:
        """A contract ends (or is broken): a deposit's offtake beyond the buyer's equity returns to the host's
        routing.
        """
        m, k = self.m, self.contracts
        k.set_status(i, status)
        if k.kind[i] == C.DEPOSIT and m.deposits.licensed()[k.source[i]]:
            row, buyer = int(k.source[i]), int(k.buyer[i])
            extra = k.share[i] - m.deposits.equity[row, buyer]
            m.licences.release_offtake(row, buyer, extra, m.host.routing(np.array([row]))[0])
        self._log(i, "broken" if status == C.BROKEN else "ended")

    def break_for(self, holder: int, commodity: int | None = None) -> None:
        """Break the contracts of ``holder`` (of one commodity): sanctions, export controls."""
        k, d = self.contracts, self.m.deposits
        for i in k.active():
            c = (d.table.commodity if k.kind[i] == C.DEPOSIT else self.plants.commodity)[k.source[i]]
            if k.buyer[i] == holder and (commodity is None or c == commodity):
                self.end(i, C.BROKEN)

    def _log(self, i: int, what: str) -> None:
        m, k = self.m, self.contracts
        dep = int(k.source[i]) if k.kind[i] == C.DEPOSIT else -1
        where = "" if dep >= 0 else f" of {self.plants.names[k.source[i]]}"
        m.events.add(
            "contract", dep, m.holders[k.buyer[i]], detail=f"offtake contract{where} {what} ({k.share[i]:.0%})"
        )


@by_file
def _deals(full, start_year: int) -> tuple:
    """The deals known by 1 January of ``start_year``, as rows of text (read once per file and start)."""
    cols = ("id", "known_by", "holder", "instrument", "commodity", "status", "led", "plant_id", "deposit_id")
    return _known(read_csv(full, "a CSV of deals (data/states_sources.md)", "run.deals", cols, text=True), start_year)


@by_file
def _contracts(full, start_year: int) -> tuple:
    """The offtake contracts known by 1 January of ``start_year``, as rows of text (read once per file and start)."""
    cols = ("id", "deposit_id", "plant_id", "buyer", "share", "start_year", "end_year", "price_basis", "known_by")
    what = "a CSV of offtake contracts (data/states_sources.md)"
    return _known(read_csv(full, what, "run.contracts", cols, text=True), start_year)


def _known(table: pd.DataFrame, start_year: int) -> tuple:
    """The rows known by the start, as namedtuples: immutable, so every run can share them."""
    return tuple(table[pd.to_datetime(table["known_by"]) <= pd.Timestamp(date(start_year, 1, 1))].itertuples())

"""Offtake contracts: a share of a deposit's or a plant's output locked to a buyer for a term.

A contract has a source (a deposit or a plant), a buyer (a holder code), the share of the source's output it takes,
the step it started and the step it ends, its price basis, and whether the buyer holds it as a state (``led``).
The table's contracts in force at the start come from ``data/contracts.csv`` (known by the start); an award makes
one for the winner's offtake beyond its equity (``host.offtake_term_q``). At the end of its term, a contract whose
buyer the host still trusts (``host.renewal_trust``) is renewed for another term: this is lock-in, the incumbent
keeping the flow. With ``mechanisms.lock_in`` off, contracts last one quarter and are not renewed. Sanctions and
export controls break the contracts of the power they hit.

Deposit contracts are written into the deposits' offtake by ``model/licences.py``; a plant's offtake is its
owners' equity with its contracts taken out first (:func:`plant_offtake`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from model.exact import row_sums, total

DEPOSIT, PLANT = 0, 1
ACTIVE, ENDED, BROKEN = 0, 1, 2
BASES = ("unknown", "market", "fixed", "cost_plus")


class Contracts:
    """Every contract of a run, as growable column arrays."""

    COLUMNS = {
        "kind": np.int64,  # DEPOSIT or PLANT
        "source": np.int64,  # the deposit or plant row
        "buyer": np.int64,  # holder index
        "share": float,  # share of the source's output
        "start": np.int64,  # step it started (negative: before the run)
        "end": np.int64,  # step its term ends (it is renewed or ended then)
        "basis": np.int64,  # index into BASES
        "led": bool,  # the buyer holds it as a state
        "status": np.int64,
        "renewals": np.int64,
    }

    def __init__(self) -> None:
        self.n = 0
        self._active: dict = {}  # kind -> (ids in force, their latest start), until one is added or ended
        for name, dtype in self.COLUMNS.items():
            setattr(self, name, np.zeros(16, dtype=dtype))

    def add(self, **columns) -> np.ndarray:
        """New contracts (status ``ACTIVE``), one per entry of ``source``; returns their ids."""
        k = np.size(columns["source"])
        while self.n + k > self.kind.size:
            for name in self.COLUMNS:
                old = getattr(self, name)
                setattr(self, name, np.concatenate([old, np.zeros_like(old)]))
        ids = np.arange(self.n, self.n + k)
        for name, value in columns.items():
            getattr(self, name)[ids] = value
        self.status[ids], self.renewals[ids] = ACTIVE, 0
        self.n += k
        self._active.clear()
        return ids

    def set_status(self, i: int, status: int) -> None:
        """Contract ``i`` ends (``ENDED``) or is broken (``BROKEN``)."""
        self.status[i] = status
        self._active.clear()

    def active(self, kind: int | None = None, step: int | None = None) -> np.ndarray:
        """Ids of the contracts in force (of one kind of source; with ``step``, only those started by then: a
        contract signed before the run may start later). Read-only: kept until a contract is added or ended.
        """
        kept = self._active.get(kind)
        if kept is None:
            mask = self.status[: self.n] == ACTIVE
            if kind is not None:
                mask &= self.kind[: self.n] == kind
            ids = mask.nonzero()[0]
            ids.flags.writeable = False
            kept = self._active[kind] = (ids, self.start[ids].max(initial=-(2**62)))
        ids, latest = kept
        if step is None or latest <= step:  # every one has started (most quarters)
            return ids
        ids = ids[self.start[ids] <= step]
        ids.flags.writeable = False
        return ids

    def due(self, step: int) -> np.ndarray:
        """Contracts in force whose term ends at ``step``."""
        ids = self.active()
        return ids[self.end[ids] <= step]

    def on(self, kind: int, source: int) -> np.ndarray:
        """Contracts in force on one deposit or plant."""
        ids = self.active(kind)
        return ids[self.source[ids] == source]


def renews(trust: np.ndarray, buyer: np.ndarray, sanctioned: np.ndarray, bar: float, lock_in: bool) -> np.ndarray:
    """Which contracts at the end of their term are renewed: with lock-in, those whose buyer the host trusts at
    least ``bar`` and is not sanctioned; without it, none.
    """
    if not lock_in:
        return np.zeros(buyer.size, dtype=bool)
    return (trust[buyer] >= bar) & ~sanctioned[buyer]


@njit(cache=True)
def plant_offtake(equity, source, share, buyer, host, routing):
    """Plants × holders: who takes each plant's output. Its contracts in force (their plant ``source``, ``share``
    and ``buyer``, in order) take their shares first (the owners' shares scaled down); its owners take the rest by
    ``equity``, the host's part exported as its routing says (``routing``: plants × holders, the share of the host's
    part sold to each holder), as it exports its part of a mine's ore. numpy's operations one element at a time
    (``exact`` for its sums), so the same numbers bit for bit.
    """
    out = equity.copy()
    for i in range(source.size):
        p = source[i]
        taken = total(out[p])
        if taken <= 0:
            continue
        took = taken if taken < share[i] else share[i]  # Python's min(share, taken)
        scale = (taken - took) / taken
        for h in range(out.shape[1]):
            out[p, h] *= scale
        out[p, buyer[i]] += took
    sold = row_sums(routing)
    for p in range(out.shape[0]):
        kept = out[p, host]
        for h in range(out.shape[1]):
            out[p, h] += kept * routing[p, h]
        out[p, host] -= kept * sold[p]
    return out

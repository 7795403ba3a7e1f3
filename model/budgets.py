"""Public finance tied up by each holder: in open pursuits, then in the projects they won, until production."""

from __future__ import annotations

import numpy as np


class Budgets:
    """Per holder, USD million per quarter committed; the tranche a developing project carries is on the deposit."""

    def __init__(self, n_holders: int) -> None:
        self.committed = np.zeros(n_holders)
        self.bound = np.zeros(n_holders)  # quarters in which the budget stopped a wanted pursuit
        self.active = np.zeros(n_holders)  # quarters in which the power looked for pursuits

    def free(self, holder: int, budget: float) -> float:
        """What the holder can still commit per quarter out of ``budget``."""
        return max(0.0, budget - self.committed[holder])

    def release(self, holders: np.ndarray, amounts: np.ndarray) -> None:
        """Return earmarked amounts (pursuits that did not win)."""
        self.committed -= np.bincount(holders, amounts, minlength=len(self.committed))
        np.maximum(self.committed, 0.0, out=self.committed)

    def carry(self, deposits, deps, holders, tranches) -> None:
        """Won pursuits' earmarks stay committed while their projects develop."""
        deposits.tranche[deps], deposits.tranche_holder[deps] = tranches, holders

    def finish(self, deposits, rows: np.ndarray) -> None:
        """Projects that started production free their tranche (a revoked licence frees its own row by row:
        ``agents.supervision._free_tranches``).
        """
        rows = np.asarray(rows, dtype=np.int64)
        live = rows[deposits.tranche_holder[rows] >= 0]
        self.release(deposits.tranche_holder[live], deposits.tranche[live])
        deposits.tranche[rows], deposits.tranche_holder[rows] = 0.0, -1

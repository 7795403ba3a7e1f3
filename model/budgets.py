"""Public finance tied up by each holder: in open pursuits, then in the projects they won, until production."""

from __future__ import annotations

import numpy as np


class Budgets:
    """Per holder, USD million per quarter committed; per deposit, the tranche its leader still carries."""

    def __init__(self, n_holders: int, n_deposits: int) -> None:
        self.committed = np.zeros(n_holders)
        self.tranche = np.zeros(n_deposits)
        self.holder = np.full(n_deposits, -1, dtype=np.int64)

    def free(self, holder: int, budget: float) -> float:
        """What the holder can still commit per quarter out of ``budget``."""
        return max(0.0, budget - self.committed[holder])

    def commit(self, holder: int, amount: float) -> None:
        """Earmark ``amount`` per quarter (a new pursuit)."""
        self.committed[holder] += amount

    def release(self, holders: np.ndarray, amounts: np.ndarray) -> None:
        """Return earmarked amounts (pursuits that did not win)."""
        self.committed -= np.bincount(holders, amounts, minlength=len(self.committed))
        np.maximum(self.committed, 0.0, out=self.committed)

    def carry(self, dep: int, holder: int, tranche: float) -> None:
        """A won pursuit's earmark stays committed while its project develops."""
        self.tranche[dep], self.holder[dep] = tranche, holder

    def finish(self, deposits: np.ndarray) -> None:
        """Projects that started production or lost their licence free their tranche."""
        deposits = np.asarray(deposits, dtype=np.int64)
        live = deposits[self.holder[deposits] >= 0]
        self.release(self.holder[live], self.tranche[live])
        self.tranche[deposits], self.holder[deposits] = 0.0, -1

    def grow(self, n_deposits: int) -> None:
        """Room for deposits added during the run (discoveries)."""
        extra = n_deposits - len(self.tranche)
        if extra > 0:
            self.tranche = np.r_[self.tranche, np.zeros(extra)]
            self.holder = np.r_[self.holder, np.full(extra, -1, dtype=np.int64)]

"""A deposit agent: a named view over one row of the model's deposit arrays."""

from __future__ import annotations

import mesa

from model.commodities import NAMES
from model.vocabulary import Stage


class Deposit(mesa.Agent):
    """One deposit, so that Mesa's AgentSet tools (``get``, ``select``, ``groupby``) see the deposits."""

    def __init__(self, model: mesa.Model, row: int):
        super().__init__(model)
        self.row = row

    @property
    def name(self) -> str:
        """Display name."""
        return self.model.deposits.table.names[self.row]

    @property
    def commodity(self) -> str:
        """Main commodity."""
        return NAMES[self.model.deposits.table.commodity[self.row]]

    @property
    def stage(self) -> str:
        """Stage now (unlicensed … depleted)."""
        return Stage(self.model.deposits.stage[self.row]).label

    @property
    def remaining_t(self) -> float:
        """Remaining tonnes, in the commodity's unit."""
        return float(self.model.deposits.remaining[self.row])

    @property
    def holders(self) -> dict[str, float]:
        """Equity shares by holder code."""
        eq = self.model.deposits.equity[self.row]
        return {code: float(eq[i]) for i, code in enumerate(self.model.holders) if eq[i] > 0}

    @property
    def controller(self) -> str:
        """Code of the holder that controls the licence ('' if none)."""
        lead = self.model.deposits.leader[self.row]
        return self.model.holders[lead] if lead >= 0 else ""

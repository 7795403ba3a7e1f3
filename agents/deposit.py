"""A deposit agent: a named view over one row of the model's deposit arrays."""

from __future__ import annotations

import mesa

from model.commodities import NAMES
from model.deposit_table import STAGES


class Deposit(mesa.Agent):
    def __init__(self, model: mesa.Model, row: int):
        super().__init__(model)
        self.row = row

    @property
    def name(self) -> str:
        return self.model.deposits.table.names[self.row]

    @property
    def commodity(self) -> str:
        return NAMES[self.model.deposits.table.commodity[self.row]]

    @property
    def stage(self) -> str:
        return STAGES[self.model.deposits.stage[self.row]]

    @property
    def remaining_t(self) -> float:
        return float(self.model.deposits.remaining[self.row])

    @property
    def holders(self) -> dict[str, float]:
        eq = self.model.deposits.equity[self.row]
        return {code: float(eq[i]) for i, code in enumerate(self.model.holders) if eq[i] > 0}

    @property
    def controller(self) -> str:
        lead = self.model.deposits.leader[self.row]
        return self.model.holders[lead] if lead >= 0 else ""

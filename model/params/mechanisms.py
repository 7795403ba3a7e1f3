"""Switches for the model's mechanisms: each new rule can be turned off, for the ablations (docs/ODD.md §7.15)."""

from __future__ import annotations

from dataclasses import dataclass

from model.params.spec import declare


@dataclass(frozen=True)
class MechanismParams:
    """1 = the mechanism works, 0 = switched off (the rule it replaced, or none)."""

    odds: int = declare(
        1,
        "switch",
        (0, 1),
        "issue 19: a power weighs the chance its offer binds before the host decides; 0 = the foundation's filter "
        "(it pursues only plots whose offers it expects binding in time)",
        "Whether a power decides on a plot by expected value (1) or by the foundation's delay filter (0).",
    )

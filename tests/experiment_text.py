"""A small synthetic experiment file for batch and fault tests (fast runs on synthetic deposits)."""

from __future__ import annotations


def small_experiment(description: str, *, steps: int, replicates: int | str, seed: int, deposits: int,
                     years: str = "[2027]", flush_every: int = 4) -> str:  # fmt: skip
    """Six design points (EU delay × EU initial trust); ``replicates`` may be a ``{placeholder}``."""
    years_line = f"years = {years}\n" if years else ""
    return f"""
description = "{description}"
steps = {steps}
replicates = {replicates}
seed = {seed}
[params]
"run.synthetic_deposits" = {deposits}
"investors.count" = 50
[design]
method = "factorial"
[design.factors]
"eu.delay_mean_q" = [0, 8]
"eu.trust0" = [0.3, 0.5, 0.7]
[output]
measures = ["capacity_share_eu", "trust_eu", "missed_eu"]
{years_line}series = true
flush_every = {flush_every}
"""

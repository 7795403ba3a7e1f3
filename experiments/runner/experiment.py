"""An experiment, checked: what a batch runs (scenario, fixed parameters, design, replicates, seed) and keeps.

``experiments/runner/design.py`` reads it from a TOML file or a dict; this module holds the record and what is
derived from it alone: its swept keys and result columns, the scenarios its runs start from, the posterior draw a
replicate runs with, and the fingerprint that lets a renamed file resume its folder.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.runner.worker import column
from model import params as P
from model.scenario import Scenario


@dataclass
class Experiment:
    """A checked experiment file."""

    name: str
    description: str
    path: Path
    text: str
    scenario: Scenario
    steps: int
    replicates: int
    seed: int
    fixed: dict[str, Any]  # dotted key -> checked value, on top of the scenario
    method: str
    factors: dict[str, list] = field(default_factory=dict)  # factorial: key -> levels
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # other methods: key -> (lo, hi)
    samples: int = 0
    levels: int = 4
    second_order: bool = False
    design_seed: int = 0
    measures: list[str] = field(default_factory=list)
    final: bool = True
    years: list[int] = field(default_factory=list)
    series: bool = False
    flush_every: int = 500
    posterior: pd.DataFrame | None = None  # draws: replicate r runs with row r mod K (under params and the point)
    scenario_levels: dict[str, Scenario] = field(default_factory=dict)  # a "scenario" factor's scenarios

    @property
    def keys(self) -> list[str]:
        """The swept parameters, in file order (an LHS's ranges, then its contrasts' keys)."""
        return [*self.ranges, *self.factors]

    def base_scenario(self) -> Scenario:
        """The scenario every run starts from (design points add their own overrides)."""
        return self.scenario.with_overrides(self.fixed, str(self.path))

    def outcome_columns(self) -> list[str]:
        """Columns of the runs table that hold measures (``worker.column``): ``m`` (final value) and ``m_year``."""
        cols = [column(m) for m in self.measures] if self.final else []
        return cols + [column(m, y) for y in self.years for m in self.measures]

    def columns(self) -> dict[str, str]:
        """Each swept parameter's column in the results tables: its dotted key with ``_`` for ``.``."""
        reg = P.registry(self.scenario.powers)
        return {k: reg[k].alias if k in reg else k for k in self.keys}  # a "scenario" factor: its own column

    def level_scenarios(self) -> dict[str, Scenario]:
        """Each level of a ``scenario`` factor as the scenario its runs start from (fixed overrides on top)."""
        return {name: scn.with_overrides(self.fixed, str(self.path)) for name, scn in self.scenario_levels.items()}

    def spec(self) -> dict[str, Any]:
        """Everything that decides the runs and their results, as plain JSON data."""
        return {
            "name": self.name,
            "scenario": self.scenario.name,
            "steps": self.steps,
            "replicates": self.replicates,
            "seed": self.seed,
            "params": self.fixed,
            "posterior": None if self.posterior is None else self.posterior.to_dict("list"),
            "method": self.method,
            "factors": self.factors,
            "ranges": {k: list(v) for k, v in self.ranges.items()},
            "samples": self.samples,
            "levels": self.levels,
            "second_order": self.second_order,
            "design_seed": self.design_seed,
            "measures": self.measures,
            "final": self.final,
            "years": self.years,
            "series": self.series,
            "base_parameters": self.base_scenario().params().values(),
            "extra_powers": list(self.scenario.powers),
            "shocks": list(self.scenario.shocks),
        } | (  # only with a scenario factor, so that the fingerprints of other experiments stay as they were
            {"scenario_levels": {n: s.params().values() for n, s in self.level_scenarios().items()}}
            if self.scenario_levels
            else {}
        )

    def draw(self, replicate: int) -> dict[str, Any]:
        """The posterior draw replicate ``replicate`` runs with (empty without a posterior); the experiment's
        fixed parameters win over it, as the design point does."""
        if self.posterior is None:
            return {}
        row = self.posterior.iloc[replicate % len(self.posterior)]
        return {k: float(v) for k, v in row.items() if k not in self.fixed}

    def deposit_tables(self) -> list[str]:
        """Every deposit table a run of this experiment reads (none if every run uses synthetic deposits)."""
        runs = [s.params().run for s in (self.base_scenario(), *self.level_scenarios().values())]
        synthetic = self.factors.get("run.synthetic_deposits") or self.ranges.get("run.synthetic_deposits")
        if all(synthetic or [run.synthetic_deposits for run in runs]):
            return []
        return list(dict.fromkeys(self.factors.get("run.deposits", [run.deposits for run in runs])))

    def fingerprint(self) -> str:
        """Hash of what decides the results (the spec without its name, so a renamed file can resume)."""
        spec = {k: v for k, v in self.spec().items() if k != "name"}
        text = json.dumps(spec, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

"""Experiment files (TOML) and their designs: which runs a batch makes, and with which seeds.

An experiment names a base scenario, fixed overrides, a design over dotted parameters (``factorial``,
``lhs``, ``sobol`` or ``morris``), a number of replicates and a root seed, and the measures to keep. Every
problem with a file is one :class:`~model.errors.InputError` naming the file, the key and what is allowed,
raised before anything is written. See ``docs/experiments.md`` for the keys.

Runs are numbered replicate-major: run ``r * n_points + p`` is replicate ``r`` of point ``p``, so the first
``n_points`` runs cover the whole design once. Replicate ``r`` uses the same seed at every point (common
random numbers): seeds come from ``numpy.random.SeedSequence(seed).spawn(replicates)``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.runner import design_keys as key_checks
from experiments.runner.design_keys import SCENARIO, TOP_KEYS
from experiments.runner.points import Design, describe, expand, n_points, point_overrides, seeds
from experiments.runner.replicates import read_draws
from experiments.runner.single import DEFAULT_SEED, safe_name
from experiments.runner.worker import column
from model import params as P
from model import scenario as scenarios
from model.errors import InputError
from model.inputs import check_keys, check_table, escape, flatten, read_toml
from model.observe import CLOCK, result_names
from model.paths import ROOT
from model.powers import POWERS, holder_codes
from model.scenario import Scenario

__all__ = [  # the points of a design live in experiments/runner/points.py; callers use them from here too
    "Design",
    "Experiment",
    "describe",
    "expand",
    "find",
    "from_dict",
    "load",
    "n_points",
    "names",
    "point_overrides",
    "seeds",
]
EXPERIMENT_DIR = ROOT / "experiments" / "designs"
METHODS = ("factorial", "lhs", "sobol", "morris", "sample")
DESIGN_KEYS = {
    "factorial": ("method", "factors"),
    "lhs": ("method", "ranges", "samples", "seed", "contrasts"),
    "sobol": ("method", "ranges", "samples", "second_order", "seed"),
    "morris": ("method", "ranges", "samples", "levels", "seed"),
    "sample": ("method", "points"),
}
OUTPUT_KEYS = ("measures", "final", "years", "series", "flush_every")
DEFAULT_MEASURES = ("capacity_share_eu", "capacity_share_cn", "eu_supply_security", "trust_eu", "missed_eu")
MAX_STEPS, MAX_REPLICATES, MAX_RUNS = 1000, 100_000, 50_000_000
MAX_VALUES = 20_000_000  # points x swept parameters: the design table in memory (160 MB a copy)


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


# --- loading -----------------------------------------------------------------------------------------


def find(name_or_path: str | Path) -> Path:
    """An experiment by path, or by name in experiments/; InputError naming the shipped ones if missing."""
    text = str(name_or_path)
    for cand in (Path(text), EXPERIMENT_DIR / f"{text}.toml"):
        try:  # anything but a folder (a FIFO, a device) is found here and refused by the reader
            if cand.exists() and not cand.is_dir():
                return cand.resolve()
        except (OSError, ValueError) as exc:  # a name too long, a NUL byte
            raise InputError(text, "file", f"not usable ({getattr(exc, 'strerror', None) or exc})") from None
    raise InputError(text, "file", f"not found; allowed: a TOML path or one of {', '.join(names())}")


def names() -> list[str]:
    return sorted(p.stem for p in EXPERIMENT_DIR.glob("*.toml"))


def available_measures(scenario: Scenario) -> list[str]:
    """The measures a run of this scenario reports."""
    extras = tuple(scenario.powers)
    return [m for m in result_names(holder_codes(extras), POWERS + extras) if m not in CLOCK]


def load(name_or_path: str | Path) -> Experiment:
    """Read and check an experiment file; raises InputError (file, key, what is allowed) on any problem."""
    path = find(name_or_path)
    doc, text = read_toml(path, "an experiment TOML file (see docs/experiments.md)")
    return _build(doc, text, path, path.stem)


def from_dict(spec: dict, where: str = "<dict>") -> Experiment:
    """An experiment from a dict with the keys of an experiment file (tuples may stand for lists; the name
    defaults to ``experiment``, and a relative scenario path is relative to the working folder)."""
    if not isinstance(spec, dict):
        raise InputError(where, "experiment", f"got {P.show(spec)}; allowed: a dict with an experiment file's keys")
    doc = _plain(spec)
    return _build(doc, json.dumps(doc, indent=1), Path(where), "experiment")


def _plain(value: Any) -> Any:
    """A dict as a TOML file would give it: tuples as lists, numpy scalars as Python numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_plain(v) for v in value]
    return value.item() if isinstance(value, np.generic) else value


def _build(doc: dict, text: str, path: Path, default_name: str) -> Experiment:
    where = str(path)
    check_keys(doc, TOP_KEYS, where)
    for key in ("name", "description", "scenario"):
        if key in doc and not isinstance(doc[key], str):
            raise InputError(where, key, f"got {P.show(doc[key])}; allowed: a string")
    name = safe_name(doc.get("name", default_name), where, "name")
    try:
        scn = scenarios.load(doc.get("scenario", "baseline"), _relative_to=path.parent)
    except InputError as exc:
        if exc.key == "scenario" and exc.where == escape(str(doc.get("scenario", "baseline"))):
            raise InputError(
                where,
                "scenario",
                f"{P.show(doc.get('scenario'))} not found; allowed: a scenario name "
                f"({', '.join(scenarios.names())}) or a path relative to this file",
            ) from None
        raise
    steps = key_checks.int_key(doc, "steps", 100, 1, MAX_STEPS, where)
    replicates = key_checks.int_key(doc, "replicates", 10, 1, MAX_REPLICATES, where)
    seed = key_checks.int_key(doc, "seed", DEFAULT_SEED, 0, 2**63 - 1, where)

    own = flatten(check_table(doc, "params", where), where, spelled="params.")
    fixed = {
        key: key_checks.registry_param(key, where, f"params.{key}", scn.powers).check(value, where)
        for key, value in own.items()
    }

    design = check_table(doc, "design", where)
    method = design.get("method")
    if method not in METHODS:
        raise InputError(where, "design.method", f"got {P.show(method)}; allowed: one of {', '.join(METHODS)}")
    unknown = [k for k in design if k not in DESIGN_KEYS[method]]
    if unknown:
        raise InputError(
            where, f"design.{unknown[0]}", f"not a key of method {method!r}; valid: {', '.join(DESIGN_KEYS[method])}"
        )
    exp = Experiment(name, doc.get("description", ""), path, text, scn, steps, replicates, seed, fixed, method)
    if "posterior" in doc:
        if not isinstance(doc["posterior"], str) or not doc["posterior"].strip():
            raise InputError(where, "posterior", f"got {P.show(doc['posterior'])}; allowed: a CSV path")
        draws = (path.parent / doc["posterior"]).resolve()
        exp.posterior = read_draws(draws, where, "posterior", exp.base_scenario())
    if method in ("factorial", "sample"):
        exp.factors = key_checks.factors(design, where, scn.powers, "points" if method == "sample" else "factors")
        exp.scenario_levels = _levels(exp, method)
    else:
        exp.ranges = key_checks.ranges(design, where, scn.powers)
        limits = {"lhs": (1, 1_000_000), "sobol": (2, 1_048_576), "morris": (2, 100_000)}[method]
        exp.samples = key_checks.int_key(design, "samples", 0, *limits, where, "design.")
        if method == "sobol" and exp.samples & (exp.samples - 1):
            raise InputError(where, "design.samples", f"got {exp.samples}; allowed: a power of 2 (Sobol' sequence)")
        if method in ("sobol", "morris") and len(exp.ranges) < 2:
            raise InputError(
                where, "design.ranges", f"{len(exp.ranges)} parameter(s); allowed: at least 2 for {method}"
            )
        exp.second_order = key_checks.bool_key(design, "second_order", False, where, "design.")
        exp.levels = key_checks.int_key(design, "levels", 4, 2, 1000, where, "design.")
        if method == "morris" and exp.levels % 2:
            raise InputError(where, "design.levels", f"got {exp.levels}; allowed: an even number (Morris grid)")
        if method == "lhs" and "contrasts" in design:  # each sampled point crossed with each contrast row
            exp.factors = key_checks.factors(design, where, scn.powers, "contrasts")
            both = [k for k in exp.factors if k in exp.ranges or k == SCENARIO]
            if both:
                raise InputError(
                    where,
                    f"design.contrasts.{both[0]}",
                    "also sampled (or a scenario); allowed: parameters not in ranges",
                )
        default_seed = int(np.random.SeedSequence(seed).generate_state(1)[0])
        exp.design_seed = key_checks.int_key(design, "seed", default_seed, 0, 2**32 - 1, where, "design.")

    output = check_table(doc, "output", where, OUTPUT_KEYS)
    exp.measures = key_checks.measures(output.get("measures", list(DEFAULT_MEASURES)), available_measures(scn), where)
    exp.final = key_checks.bool_key(output, "final", True, where, "output.")
    exp.series = key_checks.bool_key(output, "series", False, where, "output.")
    exp.flush_every = key_checks.int_key(output, "flush_every", 500, 1, 1_000_000, where, "output.")
    exp.years = key_checks.years(output.get("years", []), exp, where)
    if not exp.final and not exp.years and not exp.series:
        raise InputError(where, "output", "keeps nothing; allowed: final = true, some years, or series = true")
    twice = [k for k in exp.keys if k in fixed]
    if twice:
        raise InputError(where, f"params.{twice[0]}", "also swept by the design; allowed: each key in one place")
    _check_size(exp, where)
    return exp


def _check_size(exp: Experiment, where: str) -> None:
    """Refuse a design too big to build, before building it (the sizes are exact integers)."""
    points = n_points(exp)
    if points * exp.replicates > MAX_RUNS:
        raise InputError(where, "design", f"{points * exp.replicates} runs; allowed: at most {MAX_RUNS}")
    if points * len(exp.keys) > MAX_VALUES:
        raise InputError(
            where,
            "design",
            f"{points} points x {len(exp.keys)} parameters; allowed: at most {MAX_VALUES} values in the design table",
        )


def _levels(exp: Experiment, method: str) -> dict[str, Scenario]:
    """The scenarios a ``scenario`` factor names (relative paths from the experiment file), each with the base
    scenario's powers, so that every run reports the same measures."""
    where, out = str(exp.path), {}
    for name in dict.fromkeys(exp.factors.get(SCENARIO, [])):
        full = f"design.{'points' if method == 'sample' else 'factors'}.{SCENARIO}"
        try:
            out[name] = scenarios.load(name, _relative_to=exp.path.parent)
        except InputError as exc:
            raise InputError(where, full, str(exc)) from None
        if out[name].powers != exp.scenario.powers:
            raise InputError(
                where,
                full,
                f"{name!r} declares powers {out[name].powers or 'none'}; allowed: scenarios declaring the same powers "
                f"as the base scenario ({exp.scenario.powers or 'none'})",
            )
    return out

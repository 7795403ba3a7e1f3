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

import json
from pathlib import Path
from typing import Any

import numpy as np

from experiments.runner import design_keys as key_checks
from experiments.runner.design_keys import SCENARIO, TOP_KEYS
from experiments.runner.experiment import Experiment
from experiments.runner.points import Design, describe, expand, n_points, point_overrides, seeds
from experiments.runner.replicates import read_draws
from experiments.runner.single import DEFAULT_SEED, safe_name
from model import params as P
from model import scenario as scenarios
from model.errors import InputError
from model.inputs import check_keys, check_table, escape, flatten, read_toml
from model.observe import CLOCK, result_names
from model.paths import ROOT
from model.powers import POWERS, holder_codes
from model.scenario import Scenario

__all__ = [  # the record is in experiments/runner/experiment.py, the points in points.py; callers use them from here
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
    scn = _scenario(doc, path)
    steps = key_checks.int_key(doc, "steps", 100, 1, MAX_STEPS, where)
    replicates = key_checks.int_key(doc, "replicates", 10, 1, MAX_REPLICATES, where)
    seed = key_checks.int_key(doc, "seed", DEFAULT_SEED, 0, 2**63 - 1, where)

    own = flatten(check_table(doc, "params", where), where, spelled="params.")
    fixed = {
        key: key_checks.registry_param(key, where, f"params.{key}", scn.powers).check(value, where)
        for key, value in own.items()
    }

    design = check_table(doc, "design", where)
    method = _method(design, where)
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
        _ranged(exp, design, where)
    _output(exp, check_table(doc, "output", where, OUTPUT_KEYS), where)
    twice = [k for k in exp.keys if k in fixed]
    if twice:
        raise InputError(where, f"params.{twice[0]}", "also swept by the design; allowed: each key in one place")
    _check_size(exp, where)
    return exp


def _scenario(doc: dict, path: Path) -> Scenario:
    """The base scenario the file names (by name, or a path relative to the file)."""
    try:
        return scenarios.load(doc.get("scenario", "baseline"), _relative_to=path.parent)
    except InputError as exc:
        if exc.key == "scenario" and exc.where == escape(str(doc.get("scenario", "baseline"))):
            raise InputError(
                str(path),
                "scenario",
                f"{P.show(doc.get('scenario'))} not found; allowed: a scenario name "
                f"({', '.join(scenarios.names())}) or a path relative to this file",
            ) from None
        raise


def _method(design: dict, where: str) -> str:
    """The design's method, once its table holds only that method's keys."""
    method = design.get("method")
    if method not in METHODS:
        raise InputError(where, "design.method", f"got {P.show(method)}; allowed: one of {', '.join(METHODS)}")
    unknown = [k for k in design if k not in DESIGN_KEYS[method]]
    if unknown:
        raise InputError(
            where, f"design.{unknown[0]}", f"not a key of method {method!r}; valid: {', '.join(DESIGN_KEYS[method])}"
        )
    return method


def _ranged(exp: Experiment, design: dict, where: str) -> None:
    """An LHS, Sobol' or Morris design's keys: ranges, samples, its method's options, contrasts, seed."""
    method = exp.method
    exp.ranges = key_checks.ranges(design, where, exp.scenario.powers)
    limits = {"lhs": (1, 1_000_000), "sobol": (2, 1_048_576), "morris": (2, 100_000)}[method]
    exp.samples = key_checks.int_key(design, "samples", 0, *limits, where, "design.")
    if method == "sobol" and exp.samples & (exp.samples - 1):
        raise InputError(where, "design.samples", f"got {exp.samples}; allowed: a power of 2 (Sobol' sequence)")
    if method in ("sobol", "morris") and len(exp.ranges) < 2:
        raise InputError(where, "design.ranges", f"{len(exp.ranges)} parameter(s); allowed: at least 2 for {method}")
    exp.second_order = key_checks.bool_key(design, "second_order", False, where, "design.")
    exp.levels = key_checks.int_key(design, "levels", 4, 2, 1000, where, "design.")
    if method == "morris" and exp.levels % 2:
        raise InputError(where, "design.levels", f"got {exp.levels}; allowed: an even number (Morris grid)")
    if method == "lhs" and "contrasts" in design:  # each sampled point crossed with each contrast row
        exp.factors = key_checks.factors(design, where, exp.scenario.powers, "contrasts")
        both = [k for k in exp.factors if k in exp.ranges or k == SCENARIO]
        if both:
            raise InputError(
                where,
                f"design.contrasts.{both[0]}",
                "also sampled (or a scenario); allowed: parameters not in ranges",
            )
    default_seed = int(np.random.SeedSequence(exp.seed).generate_state(1)[0])
    exp.design_seed = key_checks.int_key(design, "seed", default_seed, 0, 2**32 - 1, where, "design.")


def _output(exp: Experiment, output: dict, where: str) -> None:
    """What the runs keep: measures, final values, years, series, and how often rows are flushed."""
    exp.measures = key_checks.measures(
        output.get("measures", list(DEFAULT_MEASURES)), available_measures(exp.scenario), where
    )
    exp.final = key_checks.bool_key(output, "final", True, where, "output.")
    exp.series = key_checks.bool_key(output, "series", False, where, "output.")
    exp.flush_every = key_checks.int_key(output, "flush_every", 500, 1, 1_000_000, where, "output.")
    exp.years = key_checks.years(output.get("years", []), exp, where)
    if not exp.final and not exp.years and not exp.series:
        raise InputError(where, "output", "keeps nothing; allowed: final = true, some years, or series = true")


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

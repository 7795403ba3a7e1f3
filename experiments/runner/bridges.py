"""Bridges from the parameter registry to the ecosystem's tools, so that no wrapper redoes the bounds or the
step arithmetic: SALib's problem dict, EMA Workbench's parameters and a ``ReplicatorModel`` around the model,
one run's measures at a quarter, and the batch runner called with a dict design as well as a TOML file.

Parameters are chosen by dotted key, either as a list (each key's plausible range, ``model/params/ranges.py``) or
as a dict of key → ``(lo, hi)`` (a range of one's own, checked against the registry's bounds), a list of levels
(categorical) or ``None`` (the plausible range). The registry's bounds are what the model accepts, not what is
plausible: sampled, they put nearly every draw where no power has been. EMA Workbench is an optional extra (``pip install -e ".[ema]"``); it is imported only when used.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from experiments.runner import batch, design
from experiments.runner.single import RESULTS
from model import params as P
from model import scenario as scenarios
from model.errors import InputError
from model.params.ranges import sample_range


def _chosen(keys: Iterable[str] | Mapping[str, Any], scenario: str, what: str) -> list[tuple[P.Param, Any]]:
    """Each chosen parameter with its checked range (lo, hi) (the plausible one if none is given) or levels."""
    scn = scenarios.load(scenario)
    reg = P.registry(scn.powers)
    chosen = keys if isinstance(keys, Mapping) else dict.fromkeys(keys)
    if not chosen:
        raise InputError(what, "keys", "none given; allowed: dotted parameter keys (model.params.PARAMS)")
    out = []
    for key, given in chosen.items():
        if key not in reg:
            P.check_overrides({key: None}, what, scn.powers)  # unknown: the three closest keys
        param = reg[key]
        if param.kind is str and not isinstance(given, list):
            raise InputError(what, key, "a path parameter; allowed: its levels, as {key: [path, ...]}")
        out.append((param, _spec(param, given, what) if given is not None else _plausible(key, scn.powers, what)))
    return out


def _plausible(key: str, powers: tuple[str, ...], what: str) -> tuple[float, float]:
    try:
        return sample_range(key, powers)
    except InputError as exc:
        raise InputError(what, key, exc.allowed) from None


def _spec(param: P.Param, given: Any, what: str) -> Any:
    if isinstance(given, list):
        return [param.check(v, what) for v in given]
    lo, hi = (param.check(v, what) for v in given)
    if not lo < hi:
        raise InputError(what, param.key, f"empty range [{lo:g}, {hi:g}]; allowed: (lo, hi) with lo < hi")
    return lo, hi


def salib_problem(keys: Iterable[str] | Mapping[str, Any], scenario: str = "baseline") -> dict:
    """SALib's problem dict (``num_vars``, ``names`` as dotted keys, ``bounds``) over the plausible ranges, or the
    ``(lo, hi)`` given; run its sample with :func:`run_experiment` and a ``"sample"`` design (in parallel, with
    progress), or a row at a time with :func:`outcomes_at` (``dict(zip(names, row))``)."""
    chosen = _chosen(keys, scenario, "salib_problem")
    for param, spec in chosen:
        if isinstance(spec, list):
            raise InputError("salib_problem", param.key, "levels given; allowed: a range (lo, hi) or None")
    bounds = [list(spec) for _, spec in chosen]
    return {
        "num_vars": len(chosen),
        "names": [p.key for p, _ in chosen],
        "bounds": [[float(b) for b in x] for x in bounds],
    }


def ema_parameters(keys: Iterable[str] | Mapping[str, Any], scenario: str = "baseline") -> list:
    """EMA Workbench parameters named by their underscore alias (``eu_delay_mean_q``, an identifier as EMA
    requires): ``RealParameter`` or ``IntegerParameter`` over the plausible range (or the range given), and
    ``CategoricalParameter`` for a list of levels."""
    from ema_workbench import CategoricalParameter, IntegerParameter, RealParameter

    out = []
    for param, spec in _chosen(keys, scenario, "ema_parameters"):
        if isinstance(spec, list):
            out.append(CategoricalParameter(param.alias, spec))
        else:
            lo, hi = spec
            kind = IntegerParameter if param.kind is int else RealParameter
            out.append(kind(param.alias, param.kind(lo), param.kind(hi)))
    return out


def outcomes_at(
    overrides: Mapping[str, Any],
    *,
    seed: int,
    quarter: str,
    measures: Iterable[str] | None = None,
    scenario: str = "baseline",
) -> dict[str, float]:
    """One run of ``scenario`` with ``overrides`` (dotted keys or aliases; integer parameters rounded, as the
    designs do), to the end of ``quarter``: its measures there (all, or ``measures``, snake_case)."""
    scn = scenarios.load(scenario)
    reg = P.registry(scn.powers)
    by_name = {**{p.alias: p for p in reg.values()}, **reg}
    point = {}
    for name, value in overrides.items():
        param = by_name.get(name)
        integer = param is not None and param.kind is int and isinstance(value, float)
        point[param.key if param else name] = round(float(value)) if integer else value
    model = scn.with_overrides(point, "outcomes_at").build(rng=int(seed))
    model.run_until(quarter)
    at = model.at(quarter).drop("step")
    names = at.index if measures is None else [m.lower() for m in measures]
    return {m: float(at[m]) for m in names}


def _ema_run(*, seed: int, quarter: str, measures: tuple[str, ...], scenario: str, **overrides) -> dict:
    return outcomes_at(overrides, seed=seed, quarter=quarter, measures=measures, scenario=scenario)


def ema_model(
    name: str,
    keys: Iterable[str] | Mapping[str, Any],
    measures: Iterable[str],
    quarter: str,
    *,
    seeds: Iterable[int] = (1, 2, 3),
    scenario: str = "baseline",
):
    """An EMA Workbench ``ReplicatorModel``: ``keys`` as uncertainties (:func:`ema_parameters`), ``measures`` at
    the end of ``quarter`` as outcomes (one value per replication: an array of experiments x seeds), one
    replication per seed (the same seeds in every experiment: common random numbers)."""
    from ema_workbench import ArrayOutcome, ReplicatorModel

    measures = tuple(m.lower() for m in measures)
    run = functools.partial(_ema_run, quarter=quarter, measures=measures, scenario=scenario)
    model = ReplicatorModel(name, function=run)
    model.uncertainties = ema_parameters(keys, scenario)
    model.outcomes = [ArrayOutcome(m) for m in measures]
    model.replications = [{"seed": int(s)} for s in seeds]
    return model


def run_experiment(spec: Mapping[str, Any] | str | Path, out: str | Path | None = None, **options) -> batch.Summary:
    """Run an experiment given as a dict (the keys of an experiment file) or as a TOML file or shipped name, into
    ``out`` (default ``results/<name>``); ``options`` are :func:`experiments.runner.batch.run_experiment`'s (``workers``,
    ``dask``, ``limit``, ``progress``, ...). Read the results with ``batch.load_runs(summary.out)``."""
    exp = design.from_dict(dict(spec)) if isinstance(spec, Mapping) else design.load(spec)
    return batch.run_experiment(
        exp, design.expand(exp), Path(out) if out is not None else RESULTS / exp.name, **options
    )

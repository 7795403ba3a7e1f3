"""The checks of an experiment file's keys: integers, switches, dotted parameters, factor levels and sample
points, ranges, measures and years. Each returns the checked value or raises one
:class:`~model.errors.InputError` naming the file, the key and what is allowed (``design.py`` reads the file).
"""

from __future__ import annotations

import fnmatch
import math
from typing import TYPE_CHECKING, Any

from model import params as P
from model.errors import InputError
from model.inputs import check_int, flatten
from model.params.ranges import sample_range

if TYPE_CHECKING:
    from experiments.runner.experiment import Experiment

TOP_KEYS = ("name", "description", "scenario", "steps", "replicates", "seed", "posterior", "params", "design", "output")
SCENARIO = "scenario"  # a factor that is not a parameter: each level a scenario (name or path) the runs start from
PLAUSIBLE = "plausible"  # a range written so takes the parameter's plausible range (model/params/ranges.py)


def int_key(doc: dict, key: str, default: int, lo: int, hi: int, where: str, prefix: str = "") -> int:
    return check_int(doc.get(key, default), lo, hi, where, prefix + key)


def bool_key(doc: dict, key: str, default: bool, where: str, prefix: str = "") -> bool:
    value = doc.get(key, default)
    if not isinstance(value, bool):
        raise InputError(where, prefix + key, f"got {P.show(value)}; allowed: true or false")
    return value


def registry_param(key: str, where: str, full_key: str, powers: tuple[str, ...]) -> P.Param:
    param = P.registry(powers).get(key)
    if param is None and key in TOP_KEYS:
        raise InputError(where, full_key, f"'{key}' is a top-level key; allowed: move it above the first [table]")
    if param is None:
        P.check_overrides({key: None}, where, powers, prefix=full_key[: len(full_key) - len(key)])
    return param


def factors(design: dict, where: str, powers: tuple[str, ...], name: str = "factors") -> dict[str, list]:
    """``factors`` (levels crossed) or ``points`` (a sample given row by row: every column as long, integer
    parameters rounded as the other samplers round them)."""
    table = design.get(name)
    if not isinstance(table, dict) or not table:
        raise InputError(where, f"design.{name}", "missing or empty; allowed: a table of dotted parameter = [values]")
    out = {}
    for key, given in flatten(table, where, spelled=f"design.{name}.").items():
        full = f"design.{name}.{key}"
        if key == SCENARIO:
            if not isinstance(given, list) or not given or not all(isinstance(v, str) and v for v in given):
                raise InputError(where, full, f"got {P.show(given)}; allowed: a list of scenario names or paths")
            out[key] = list(given)
            continue
        param = registry_param(key, where, full, powers)
        if not isinstance(given, list) or not given:
            raise InputError(where, full, f"got {P.show(given)}; allowed: a non-empty list of {param.allowed()}")
        rounded = name in ("points", "contrasts") and param.kind is int
        levels = [round(v) if rounded and isinstance(v, float) and math.isfinite(v) else v for v in given]
        out[key] = [
            param.check(v, where) if not isinstance(v, list | dict) else bad(where, full, v, param) for v in levels
        ]
    sizes = {len(v) for v in out.values()}
    if name in ("points", "contrasts") and len(sizes) > 1:
        raise InputError(where, f"design.{name}", f"columns of {sorted(sizes)} values; allowed: columns of one length")
    return out


def bad(where: str, key: str, value: Any, param: P.Param):
    raise InputError(where, key, f"got {P.show(value)}; allowed: {param.allowed()}")


def ranges(design: dict, where: str, powers: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    table = design.get("ranges")
    if not isinstance(table, dict) or not table:
        raise InputError(where, "design.ranges", "missing or empty; allowed: a table of dotted parameter = [lo, hi]")
    out = {}
    for key, given in flatten(table, where, spelled="design.ranges.").items():
        full = f"design.ranges.{key}"
        param = registry_param(key, where, full, powers)
        if param.kind not in (int, float):
            raise InputError(
                where,
                full,
                f"{param.kind.__name__} parameter; allowed: numeric parameters "
                "(sweep others with method = 'factorial')",
            )
        try:
            bounds = list(sample_range(key, powers)) if given == PLAUSIBLE else given
        except InputError as exc:
            raise InputError(where, full, exc.allowed) from None
        if not (
            isinstance(bounds, list)
            and len(bounds) == 2
            and all(isinstance(b, int | float) and not isinstance(b, bool) for b in bounds)
        ):
            raise InputError(
                where,
                full,
                f"got {P.show(bounds)}; allowed: [lo, hi] with lo < hi, {param.allowed()}, or {PLAUSIBLE!r}",
            )
        lo, hi = (param.check(b, where) for b in bounds)
        if not lo < hi:
            raise InputError(where, full, f"empty range [{lo:g}, {hi:g}]; allowed: [lo, hi] with lo < hi")
        out[key] = (float(lo), float(hi))
    return out


def measures(value: Any, available: list[str], where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise InputError(
            where,
            "output.measures",
            f"got {P.show(value)}; allowed: a non-empty list of measure names or patterns such as 'capacity_share_*'",
        )
    out: list[str] = []
    for pattern in value:
        hits = fnmatch.filter(available, pattern.lower())  # names are snake_case: capacity_share_EU is _eu
        if not hits:
            raise InputError(
                where,
                "output.measures",
                f"unknown measure {P.show(pattern)}; did you mean {P.closest(pattern, available)}? "
                "(patterns such as 'capacity_share_*' work too)",
            )
        out += [h for h in hits if h not in out]
    return out


def years(value: Any, exp: Experiment, where: str) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(y, int) and not isinstance(y, bool) for y in value):
        raise InputError(where, "output.years", f"got {P.show(value)}; allowed: a list of calendar years")
    if "run.start_year" in exp.keys:  # the window moves with the design; years outside it are left empty
        return sorted({check_int(y, 1900, 2200, where, "output.years") for y in value})
    start = exp.base_scenario().params().run.start_year
    last = start + exp.steps // 4 - 1
    for y in value:
        if not start <= y <= last:
            allowed = f"{start} to {last}" if last >= start else f"none: {exp.steps} quarters end before {start}Q4"
            raise InputError(
                where,
                "output.years",
                f"got {P.show(y)}; allowed: years whose last quarter the run reaches, " + allowed,
            )
    return sorted(set(value))

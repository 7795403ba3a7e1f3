"""The checks of a scenario's ``[[shocks]]`` tables (``model/shocks.py``): each field against what its kind allows,
then each shock against the run it is in. Every problem is one :class:`~model.errors.InputError` naming the file,
the shock's key and what is allowed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any

from model.commodities import NAMES as COMMODITIES
from model.errors import InputError
from model.params.spec import closest, show
from model.shocks import KINDS, Divestment, RouteInvestment, RouteShock, Shock

_RANGES = {
    "year": (1990, 2100),
    "quarter": (1, 4),
    "factor": (0.05, 20.0),
    "share": (0.0, 1.0),
    "quarters": (1, 400),
    "build_quarters": (0, 400),
    "capacity_t_per_year": (0.0, 1e9),
}
_FLOATS = ("factor", "share", "capacity_t_per_year")


def _field(kind: type[Shock], name: str, value: Any, powers: tuple[str, ...], where: str, key: str):
    if name == "deposits":
        if isinstance(value, list | tuple) and value and all(isinstance(v, str) and v for v in value):
            return tuple(value)
        allowed = "a non-empty list of deposit ids"
    elif name == "power":
        if value in powers:
            return value
        allowed = f"one of {', '.join(powers)}"
    elif name == "commodity":
        if value in COMMODITIES:
            return value
        allowed = f"one of {', '.join(COMMODITIES)}"
    elif name == "route":
        if isinstance(value, str) and value:
            return value  # checked against the run's routes table (check_against_run)
        allowed = "a route id of run.routes"
    else:
        lo, hi = _RANGES[name]
        integer = name not in _FLOATS
        number = isinstance(value, int | float) and not isinstance(value, bool)
        # compare before converting: a 400-digit integer is simply out of range
        if number and lo <= value <= hi and math.isfinite(value) and (not integer or value == int(value)):
            return int(value) if integer else float(value)
        allowed = f"{'an integer' if integer else 'a number'} in [{lo:g}, {hi:g}]"
    raise InputError(where, key, f"got {show(value)}; allowed: {allowed}")


def check_shocks(
    items: Iterable, powers: tuple[str, ...], where: str, run: Mapping[str, Any] | None = None
) -> tuple[Shock, ...]:
    """Shocks from objects or TOML tables (``{"kind": "sanctions", "power": "RU", "year": 2028}``), checked; with
    the run's parameters (dotted keys), also against the run (:func:`check_against_run`).
    """
    out = []
    for i, item in enumerate(items):
        key = f"shocks[{i}]"
        table = (
            {"kind": item.kind, **{f.name: getattr(item, f.name) for f in fields(item)}}
            if isinstance(item, Shock)
            else item
        )
        if not isinstance(table, Mapping):
            raise InputError(where, key, f"got {show(table)}; allowed: a table with kind = {', '.join(KINDS)}")
        cls = KINDS.get(table.get("kind"))
        if cls is None:
            raise InputError(where, f"{key}.kind", f"got {show(table.get('kind'))}; allowed: one of {', '.join(KINDS)}")
        names = [f.name for f in fields(cls)]
        unknown = [k for k in table if k != "kind" and k not in names]
        if unknown:
            raise InputError(where, f"{key}.{unknown[0]}", f"unknown field; allowed: {', '.join(names)}")
        missing = [n for n in names if n not in table and n != "quarter"]
        if missing:
            raise InputError(where, f"{key}.{missing[0]}", f"missing; a {cls.kind} shock needs {', '.join(names)}")
        values = {n: _field(cls, n, table[n], powers, where, f"{key}.{n}") for n in names if n in table}
        out.append(cls(**values))
    if run is not None:
        check_against_run(out, run, where)
    return tuple(out)


def check_against_run(shocks: Iterable[Shock], run: Mapping[str, Any], where: str) -> None:
    """Each shock must be able to act in the run: dated at or after its first quarter (an earlier one would never
    fire), and a divestment must name deposits of its table (an unknown id would sell nothing).
    """
    from model.deposit_load import table_ids
    from model.route_table import route_ids

    start = int(run["run.start_year"])
    for i, shock in enumerate(shocks):
        if shock.step(start) < 1:
            raise InputError(
                where,
                f"shocks[{i}].year",
                f"{shock.year}Q{shock.quarter} is before the run starts ({start}Q1); allowed: {start}Q1 or later",
            )
        if isinstance(shock, RouteShock | RouteInvestment):
            ids = route_ids(run["run.routes"])
            if shock.route not in ids:
                raise InputError(
                    where, f"shocks[{i}].route", f"unknown route {shock.route!r}; allowed: {', '.join(ids)}"
                )
        if isinstance(shock, Divestment) and not run["run.synthetic_deposits"]:
            ids = table_ids(run["run.deposits"])
            unknown = [d for d in shock.deposits if d not in ids]
            if unknown:
                raise InputError(
                    where,
                    f"shocks[{i}].deposits",
                    f"unknown deposit {unknown[0]!r}; allowed: ids of {run['run.deposits']} "
                    f"(did you mean {closest(unknown[0], ids)}?)",
                )

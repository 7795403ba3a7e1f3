"""The registry of every parameter, and its resolution into one frozen, typed, nested ``Params``.

Overrides are checked once, here: unknown keys get the three closest valid ones, out-of-range values their
range, and a key given twice (dotted and in Mesa's underscore spelling) is refused.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any

from model.commodities import NAMES as COMMODITIES
from model.errors import InputError
from model.params.explore import ExploreParams
from model.params.groups import GROUPS, EconParams, InvestorParams, PriceParams, RunParams
from model.params.host import HostParams
from model.params.markets import MarketParams, RouteParams
from model.params.mechanisms import MechanismParams
from model.params.powers import DEFAULTS as POWER_DEFAULTS
from model.params.powers import TEMPLATE, PowerParams
from model.params.spec import FrozenMap, Param, Value, closest
from model.powers import HOST, POWERS, PRIVATE


def _entries(prefix: str, f, default, source: str) -> list[Param]:
    """The registry entries of one dataclass field (one per commodity for per-commodity fields)."""
    meta = f.metadata
    if not meta.get("per_commodity"):
        return [Param(f"{prefix}.{f.name}", default, meta["unit"], meta["bounds"], source, meta["doc"])]
    out = []
    for c in COMMODITIES:
        value, src = default[c] if isinstance(default, Mapping) else (0.0, source)
        out.append(Param(f"{prefix}.{f.name}.{c}", float(value), meta["unit"], meta["bounds"], src, meta["doc"]))
    return out


def _power_entries(code: str) -> list[Param]:
    template = code if code in POWERS else TEMPLATE
    out = []
    for f in fields(PowerParams)[1:]:
        default, source = POWER_DEFAULTS[f.name][template]
        if f.metadata["per_commodity"]:
            default = {c: (default.get(c, 0.0), source) for c in COMMODITIES}
        elif f.type == "int":
            default = int(default)
        if code != template:
            source = f"declared power: starts from {TEMPLATE}'s value ({source})"
        out += _entries(code.lower(), f, default, source)
    return out


def _group_entries(name: str, cls: type) -> list[Param]:
    out = []
    for f in fields(cls):
        meta = f.metadata
        if meta.get("per_commodity"):
            out += _entries(name, f, meta["per_commodity"], "")
        else:
            out += _entries(name, f, f.default, meta["source"])
    return out


@lru_cache(maxsize=64)
def registry(extra_powers: tuple[str, ...] = ()) -> dict[str, Param]:
    """Every parameter of a run with these declared powers, by dotted key, in a stable order."""
    out: list[Param] = []
    for code in (*POWERS, *extra_powers):
        out += _power_entries(code)
    for name, cls in GROUPS.items():
        out += _group_entries(name, cls)
    return {p.key: p for p in out}


PARAMS: dict[str, Param] = registry()
DEFAULTS: dict[str, Value] = {p.key: p.default for p in PARAMS.values()}


def check_power_codes(codes: Iterable[Any], where: str) -> tuple[str, ...]:
    """Declared power codes: new upper-case codes of 2–8 letters, each once."""
    taken = (*POWERS, HOST, PRIVATE)
    out: list[str] = []
    for code in codes:
        if not (isinstance(code, str) and code.isascii() and code.isalpha() and code.isupper() and 2 <= len(code) <= 8):
            raise InputError(where, f"powers.{code}", f"allowed: a new upper-case code of 2–8 letters, not {taken}")
        if code in taken or code in out:
            raise InputError(where, f"powers.{code}", f"already a holder code; allowed: a code other than {taken}")
        out.append(code)
    return tuple(out)


@dataclass(frozen=True)
class Params:
    """A run's parameters, read by attribute: ``p.host.tender_window_q``, ``p.powers["EU"].delay_mean_q``.

    ``shocks`` are the run's dated shocks (model/shocks.py); ``extra_powers`` the powers a scenario declared.
    """

    run: RunParams
    host: HostParams
    explore: ExploreParams
    econ: EconParams
    investors: InvestorParams
    price: PriceParams
    markets: MarketParams
    routes: RouteParams
    mechanisms: MechanismParams
    powers: Mapping[str, PowerParams]
    shocks: tuple = ()
    extra_powers: tuple[str, ...] = ()

    def values(self) -> dict[str, Value]:
        """Every parameter as ``{dotted key: value}`` (for manifests and ``parameters.json``)."""
        out: dict[str, Value] = {}
        groups = {**{c.lower(): p for c, p in self.powers.items()}, **{n: getattr(self, n) for n in GROUPS}}
        for prefix, group in groups.items():
            for f in fields(group):
                if f.name == "code":
                    continue
                value = getattr(group, f.name)
                if isinstance(value, Mapping):
                    out.update({f"{prefix}.{f.name}.{c}": v for c, v in value.items()})
                else:
                    out[f"{prefix}.{f.name}"] = value
        return out


def _build(cls: type, prefix: str, values: Mapping[str, Value], **extra: Any):
    kwargs = dict(extra)
    for f in fields(cls):
        if f.name in kwargs:
            continue
        if f.metadata.get("per_commodity"):
            kwargs[f.name] = FrozenMap({c: values[f"{prefix}.{f.name}.{c}"] for c in COMMODITIES})
        else:
            kwargs[f.name] = values[f"{prefix}.{f.name}"]
    return cls(**kwargs)


def check_overrides(
    overrides: Mapping[str, Any], where: str, extra_powers: tuple[str, ...] = (), prefix: str = ""
) -> dict[str, Value]:
    """Each dotted override checked against the registry; unknown keys get the three closest valid keys.

    ``prefix`` is how the key is spelled in its file (``params.``), for the message.
    """
    reg = registry(extra_powers)
    out: dict[str, Value] = {}
    for key, value in overrides.items():
        param = reg.get(key)
        if param is None:
            raise InputError(where, f"{prefix}{key}", f"unknown parameter; did you mean {closest(str(key), reg)}?")
        out[key] = param.check(value, where)
    return out


def resolve(
    overrides: Mapping[str, Any] | None = None,
    *,
    extra_powers: Iterable[str] = (),
    shocks: Iterable = (),
    where: str = "parameters",
) -> Params:
    """Defaults with dotted ``overrides`` applied and checked, as a frozen ``Params``."""
    from model.shock_checks import check_shocks

    codes = check_power_codes(extra_powers, where)
    reg = registry(codes)
    values = {k: p.default for k, p in reg.items()} | check_overrides(overrides or {}, where, codes)
    powers = FrozenMap({c: _build(PowerParams, c.lower(), values, code=c) for c in (*POWERS, *codes)})
    groups = {name: _build(cls, name, values) for name, cls in GROUPS.items()}
    return Params(
        **groups, powers=powers, shocks=check_shocks(shocks, (*POWERS, *codes), where, values), extra_powers=codes
    )


def from_model_kwargs(kwargs: Mapping[str, Any], where: str = "GreatGameModel") -> dict[str, Any]:
    """Dotted overrides from the model's keywords, which may be dotted or in Mesa's underscore spelling.

    The same parameter in both spellings is refused; so is a keyword that is neither.
    """
    by_alias = {p.alias: p.key for p in PARAMS.values()}
    out: dict[str, Any] = {}
    for name, value in kwargs.items():
        key = by_alias.get(name, name)
        if key in out:
            raise InputError(where, key, "given twice (dotted and underscore spelling); allowed: one of them")
        out[key] = value
    return out


def signature() -> inspect.Signature:
    """``GreatGameModel``'s keyword-only signature, built from the registry (Mesa's tools read it)."""
    params = [
        inspect.Parameter("rng", inspect.Parameter.KEYWORD_ONLY, default=None),
        inspect.Parameter("extra_powers", inspect.Parameter.KEYWORD_ONLY, default=(), annotation="tuple[str, ...]"),
        inspect.Parameter("shocks", inspect.Parameter.KEYWORD_ONLY, default=(), annotation="tuple[Shock, ...]"),
    ]
    params += [
        inspect.Parameter(p.alias, inspect.Parameter.KEYWORD_ONLY, default=p.default, annotation=p.kind.__name__)
        for p in PARAMS.values()
    ]
    return inspect.Signature([inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD), *params])


def keyword_doc() -> str:
    """One line per parameter (alias, dotted key, unit, default, meaning), for ``help(GreatGameModel)``."""
    lines = []
    for p in PARAMS.values():
        lines.append(f"    {p.alias} ({p.key}; {p.unit}; default {p.default!r}): {p.doc}")
    return "\n".join(lines)

"""Scenario files (TOML): a description, optional ``extends``, parameter overrides, declared powers, shocks.

```toml
description = "EU approval capped like the CRMA permit limits"
extends = "baseline"            # a scenario name in scenarios/ or a path relative to this file
deposits = "my_deposits.csv"    # optional: its own deposit table, relative to this file
[params]
"eu.approval_cap_q" = 9         # dotted keys ...
"run.commodity_rules" = "r.csv" # any other table, relative to this file too
[params.us]                     # ... or nested tables (the same key twice, in any spelling, is refused)
budget_usd_m = 150
[params.us.priorities]
tungsten = 1
[powers.GULF]                   # declares a power; unset fields take Japan/Korea's values; keys gulf.*
budget_usd_m = 50
[[shocks]]                      # dated shocks, any number (model/shocks.py)
kind = "sanctions"
power = "RU"
year = 2028
```
A scenario that ``extends`` another starts from its overrides, powers and shocks (its own shocks are added).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from model import params as P
from model.errors import InputError
from model.inputs import check_keys, check_table, escape, flatten, read_toml
from model.paths import ROOT
from model.powers import POWERS
from model.shock_checks import check_shocks

SCENARIO_DIR = ROOT / "scenarios"
TOP_KEYS = ("name", "description", "extends", "deposits", "params", "powers", "shocks")
WHAT = "a scenario TOML file (see docs/experiments.md)"


@dataclass(frozen=True)
class Scenario:
    """A checked scenario: dotted overrides, declared power codes and shocks (as TOML tables)."""

    name: str
    description: str = ""
    path: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    powers: tuple[str, ...] = ()
    shocks: tuple[dict, ...] = ()

    @property
    def where(self) -> str:
        """The file (or name) that messages blame."""
        return str(self.path or self.name)

    def params(self) -> P.Params:
        """The resolved parameters."""
        return P.resolve(self.overrides, extra_powers=self.powers, shocks=self.shocks, where=self.where)

    def with_overrides(self, more: dict[str, Any], where: str) -> Scenario:
        """This scenario with further dotted overrides (``--set``, a design point), checked against it."""
        checked = P.check_overrides(more, where, self.powers)
        return replace(self, overrides={**self.overrides, **checked})

    def model_kwargs(self, **more: Any) -> dict[str, Any]:
        """Keyword arguments for ``GreatGameModel`` (``more`` may hold ``rng`` and further dotted overrides)."""
        return {**self.overrides, "extra_powers": self.powers, "shocks": self.shocks, **more}

    def build(self, rng=None, **more: Any):
        """The model of this scenario."""
        from model.model import GreatGameModel

        return GreatGameModel(**self.model_kwargs(rng=rng, **more))


def _table(scenario: Path, value: str, where: str, key: str) -> str:
    """A table a scenario names, as an absolute path: relative paths are relative to the scenario's file."""
    table = (scenario.parent / value).resolve()
    if not table.is_file():
        raise InputError(where, key, f"file {value!r} not found; allowed: a CSV path relative to this file")
    return str(table)


def names() -> list[str]:
    """The shipped scenarios."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def find(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A scenario by name (in scenarios/) or by path; InputError naming the valid names if missing."""
    text = str(name_or_path)
    candidates = []
    if text.endswith(".toml") or "/" in text:
        candidates.append((relative_to / text) if relative_to and not Path(text).is_absolute() else Path(text))
    elif text in names():
        candidates.append(SCENARIO_DIR / f"{text}.toml")
    for c in candidates:
        try:
            if c.exists():
                return c.resolve()
        except OSError as exc:  # a name too long for the file system, say
            raise InputError(escape(text)[:80], "scenario", f"not a usable path ({exc.strerror})") from None
    raise InputError(escape(text), "scenario", f"not found; valid names: {', '.join(names())} (or a .toml path)")


def load(name_or_path: str | Path, _chain: tuple[Path, ...] = (), _relative_to: Path | None = None) -> Scenario:
    """Load a scenario, following ``extends``; every problem is one InputError naming the file and key."""
    path = find(name_or_path, _relative_to)
    where = str(path)
    if path in _chain:
        cycle = " -> ".join(p.stem for p in (*_chain, path))
        raise InputError(where, "extends", f"cycle ({cycle}); allowed: a chain that ends")
    doc, _ = read_toml(path, WHAT)
    check_keys(doc, TOP_KEYS, where)
    for key in ("name", "description", "extends", "deposits"):
        if key in doc and not isinstance(doc[key], str):
            raise InputError(where, key, f"got {type(doc[key]).__name__}; allowed: a string")
    if "shocks" in doc and not isinstance(doc["shocks"], list):
        raise InputError(where, "shocks", "allowed: an array of tables ([[shocks]])")
    parent = load(doc["extends"], (*_chain, path), path.parent) if "extends" in doc else Scenario(path.stem)

    powers = check_table(doc, "powers", where)
    codes = P.check_power_codes(powers, where)
    all_codes = (*parent.powers, *codes)
    own = flatten(check_table(doc, "params", where), where, spelled="params.")
    checked = P.check_overrides(own, where, all_codes, prefix="params.")
    reg = P.registry(all_codes)
    for key in [k for k in checked if reg[k].kind is str]:  # a table: relative to this file, as `deposits` is
        checked[key] = _table(path, checked[key], where, f"params.{key}")
    for code, fields in powers.items():
        if not isinstance(fields, dict):
            raise InputError(where, f"powers.{code}", "allowed: a table of power fields")
        for field_name, value in flatten(fields, where, spelled=f"powers.{code}.").items():
            key, spelled = f"{code.lower()}.{field_name}", escape(f"powers.{code}.{field_name}")
            if key not in reg:
                valid = [k.split(".", 1)[1] for k in reg if k.startswith(f"{code.lower()}.")]
                raise InputError(where, spelled, f"unknown power field; did you mean {P.closest(field_name, valid)}?")
            if key in checked:
                raise InputError(where, escape(key), "given twice ([params] and [powers]); allowed: each key once")
            try:
                checked[key] = reg[key].check(value, where)
            except InputError as exc:
                raise InputError(where, spelled, exc.allowed) from None
    if "deposits" in doc:
        if "run.deposits" in checked:
            raise InputError(where, "deposits", "given twice (deposits and run.deposits); allowed: one of them")
        checked["run.deposits"] = _table(path, doc["deposits"], where, "deposits")
    shocks = (*parent.shocks, *doc.get("shocks", []))
    check_shocks(shocks, (*POWERS, *all_codes), where, {**P.DEFAULTS, **parent.overrides, **checked})
    return Scenario(
        name=doc.get("name", path.stem),
        description=doc.get("description", ""),
        path=path,
        overrides={**parent.overrides, **checked},
        powers=all_codes,
        shocks=tuple(shocks),
    )

"""Scenario files (TOML): a name, a description, optional ``extends``, parameter overrides, extra powers.

```toml
description = "EU approval capped like the CRMA permit limits"
extends = "baseline"            # a scenario name in scenarios/ or a path relative to this file
deposits = "my_deposits.csv"    # optional: its own deposit table, relative to this file
[params]
"eu.approval_cap_q" = 9         # dotted keys ...
[params.us]                     # ... or nested tables
budget_usd_m = 150
[powers.GULF]                   # a further power; unset fields take Japan/Korea's values
budget_usd_m = 50
```
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model import params as P
from model.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"
TOP_KEYS = ("name", "description", "extends", "deposits", "params", "powers")


@dataclass
class Scenario:
    name: str
    description: str
    path: Path | None
    overrides: dict[str, Any] = field(default_factory=dict)  # dotted key -> value (checked)
    powers: dict[str, dict] = field(default_factory=dict)

    @property
    def values(self) -> dict[str, P.Value]:
        return P.resolve(self.overrides, str(self.path or self.name))

    def kwargs(self, **extra: Any) -> dict[str, Any]:
        """Keyword arguments for GreatGameModel (the resolved parameters plus extra powers)."""
        out = P.to_kwargs(self.values)
        if self.powers:
            out["extra_powers"] = json.dumps(self.powers, sort_keys=True)
        out.update(extra)
        return out


def _flatten(table: dict, prefix: str = "") -> dict[str, Any]:
    out = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, dotted + "."))
        else:
            out[dotted] = value
    return out


def find(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """A scenario by name (in scenarios/) or by path; InputError naming the valid names if missing."""
    text = str(name_or_path)
    candidates = []
    if text.endswith(".toml") or "/" in text:
        candidates.append((relative_to / text) if relative_to and not Path(text).is_absolute() else Path(text))
    candidates.append(SCENARIO_DIR / f"{text}.toml")
    for c in candidates:
        if c.is_file():
            return c.resolve()
    raise InputError(str(name_or_path), "scenario", f"not found; valid names: {', '.join(names())}")


def names() -> list[str]:
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def load(name_or_path: str | Path, _chain: tuple[Path, ...] = (), _relative_to: Path | None = None) -> Scenario:
    """Load a scenario, following ``extends``; every problem is one InputError naming the file and key."""
    path = find(name_or_path, _relative_to)
    where = str(path)
    if path in _chain:
        cycle = " -> ".join(p.stem for p in (*_chain, path))
        raise InputError(where, "extends", f"cycle ({cycle}); allowed: a chain that ends")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(where, "file", f"malformed TOML ({exc})") from None
    except UnicodeDecodeError:
        raise InputError(where, "file", "not UTF-8 text") from None
    unknown = sorted(set(doc) - set(TOP_KEYS))
    if unknown:
        raise InputError(where, unknown[0], f"unknown key; valid: {', '.join(TOP_KEYS)}")
    for key, kind in (
        ("name", str),
        ("description", str),
        ("extends", str),
        ("deposits", str),
        ("params", dict),
        ("powers", dict),
    ):
        if key in doc and not isinstance(doc[key], kind):
            raise InputError(
                where, key, f"got {type(doc[key]).__name__}; allowed: a {'table' if kind is dict else 'string'}"
            )
    if "extends" in doc:
        parent = load(doc["extends"], (*_chain, path), path.parent)
        overrides, powers = dict(parent.overrides), {k: dict(v) for k, v in parent.powers.items()}
    else:
        overrides, powers = {}, {}
    own = _flatten(doc.get("params", {}))
    for key, value in own.items():
        if key not in P.PARAMS:
            raise InputError(where, f"params.{key}", f"unknown parameter; valid: {', '.join(sorted(P.PARAMS))}")
        overrides[key] = P.PARAMS[key].check(value, where)
    if "deposits" in doc:
        table = (path.parent / doc["deposits"]).resolve()
        if not table.is_file():
            raise InputError(
                where, "deposits", f"file {doc['deposits']!r} not found; allowed: a CSV path relative to the scenario"
            )
        overrides["run.deposits"] = str(table)
    for code, fields in doc.get("powers", {}).items():
        if not isinstance(fields, dict):
            raise InputError(where, f"powers.{code}", f"allowed: a table of fields ({', '.join(P.POWER_FIELDS)})")
        powers[code] = {**powers.get(code, {}), **fields}
    P.resolve_extra_powers(json.dumps(powers), where)  # validate now, with this file's name
    return Scenario(doc.get("name", path.stem), doc.get("description", ""), path, overrides, powers)

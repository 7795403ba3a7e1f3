"""What one parameter is (key, default, unit, bounds, source, doc) and how a value is checked against it."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.errors import InputError

Value = int | float | str
ASSUMPTION = "assumption"


def show(value: Any, limit: int = 40) -> str:
    """A short one-line ``repr`` (huge integers and long texts are cut, newlines escaped)."""
    try:
        text = repr(value)
    except ValueError:  # an integer beyond Python's digit limit for str()
        text = f"<integer of more than {4300} digits>"
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def closest(word: str, choices: Iterable[str], n: int = 3) -> str:
    """'a, b or c': the ``n`` valid keys closest to ``word`` (for 'did you mean' messages)."""
    near = difflib.get_close_matches(word, list(choices), n=n, cutoff=0.0)
    return ", ".join(near[:-1]) + " or " + near[-1] if len(near) > 1 else "".join(near)


def declare(default: Value, unit: str, bounds, source: str, doc: str):
    """A dataclass field that is also a registry entry (its metadata carries unit, bounds, source, doc)."""
    return field(default=default, metadata={"unit": unit, "bounds": bounds, "source": source, "doc": doc})


def per_commodity(defaults: Mapping[str, tuple[float, str]], unit: str, bounds, doc: str):
    """A mapping field with one registry entry per commodity (``<group>.<field>.<commodity>``)."""
    return field(
        default_factory=lambda: FrozenMap({c: v for c, (v, _) in defaults.items()}),
        metadata={"unit": unit, "bounds": bounds, "doc": doc, "per_commodity": defaults},
    )


class FrozenMap(Mapping):
    """A read-only, picklable mapping (priorities, base prices)."""

    def __init__(self, data: Mapping) -> None:
        self._data = dict(data)

    def __getitem__(self, key):
        return self._data[key]

    def __iter__(self) -> Iterator:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Mapping) and dict(self) == dict(other)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._data.items())))


@dataclass(frozen=True)
class Param:
    """One registry entry: the key is dotted (``eu.delay_mean_q``); ``alias`` is Mesa's keyword spelling."""

    key: str
    default: Value
    unit: str
    bounds: tuple[float, float] | None
    source: str
    doc: str

    @property
    def alias(self) -> str:
        """The keyword-argument spelling (dots become underscores), for ``mesa.batch_run`` and SolaraViz."""
        return self.key.replace(".", "_")

    @property
    def kind(self) -> type:
        """``int``, ``float`` or ``str`` (a path)."""
        return type(self.default)

    def allowed(self) -> str:
        """What values are allowed, in words."""
        if self.kind is str:
            return "a non-empty path"
        lo, hi = self.bounds
        return f"{self.kind.__name__} in [{lo:g}, {hi:g}] ({self.unit})"

    def check(self, value: Any, where: str) -> Value:
        """The value coerced to the parameter's type, or a one-line InputError naming where, the key and the range."""
        if self.kind is str:
            if isinstance(value, str) and value.strip() and "\0" not in value:
                return value
        elif isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool | np.bool_):
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            if math.isfinite(number) and (self.kind is float or number == int(number)):
                lo, hi = self.bounds
                if lo <= number <= hi:
                    return self.kind(number) if self.kind is float else int(value)
        raise InputError(where, self.key, f"got {show(value)}; allowed: {self.allowed()}")

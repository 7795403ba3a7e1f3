"""Results that read what is already there: a model attribute (``Read``), entries of one of the quarter's shared
products (``Part``: the shares by holder and power, the route products, the single-number summaries, the totals) or a running count (``Count``, the tally).

Each is its result's computation (called on an :class:`~model.result_products.Observation`). ``Part`` and ``Count`` also
say where their numbers sit (``source``, ``positions``), so that after the first quarter the recorder fills every
entry of one shared array with one take (``measure_row.layout``) instead of a call per result.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial
from operator import attrgetter

import numpy as np

from model.observe_kernels import (
    CORRIDORS,
    HOLDER_PARTS,
    POWER_PARTS,
    ROUTE_PARTS,
    SUMMARY_PARTS,
    TALLY_PARTS,
    TOTAL_PARTS,
)
from model.tally import COUNTS

# the numbers of ``observe_kernels.routes_summary`` after its commodity-long parts, in order: tonnes over each
# corridor of ``CORRIDORS``, then the shares of what reached the EU that crossed Russia and China
ROUTE_NUMBERS = ("caspian_t", "russia_t", "china_t", "eu_via_russia", "eu_via_china")
assert len(ROUTE_NUMBERS) == len(CORRIDORS) + 2


@dataclass(frozen=True)
class Read:
    """A result read as it is from the model (``path``: dotted attributes, ``prices.price``), for the powers only
    if ``powers``.
    """

    path: str
    powers: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "_get", attrgetter(self.path))  # made once: the recorder reads it every quarter

    def __call__(self, o) -> np.ndarray | float:
        """The value at ``path``, for the powers only if asked."""
        value = self._get(o.model)
        return value[o.power_columns] if self.powers else value

    @property
    def source(self) -> str:
        """Where the value sits on an observation (the recorder takes it with the shared arrays)."""
        return f"model.{self.path}"

    def positions(self, model) -> np.ndarray:
        """The entries of the value this result reads (one for a number), in its columns' order."""
        return model.power_index if self.powers else np.arange(np.size(self._get(model)))


def holder_span(model, name: str) -> slice:
    """Where part ``name`` sits in ``observe_kernels.holder_shares``: by holder (``HOLDER_PARTS``) or by power."""
    h, k = len(model.holders), len(model.power_index)
    if name in HOLDER_PARTS:
        at = HOLDER_PARTS.index(name) * h
        return slice(at, at + h)
    at = len(HOLDER_PARTS) * h + POWER_PARTS.index(name) * k
    return slice(at, at + k)


def route_span(model, name: str) -> slice | int:
    """Where ``name`` sits in ``observe_kernels.routes_summary``: a commodity-long part (``ROUTE_PARTS``), or the
    index of one of ``ROUTE_NUMBERS``.
    """
    return _route_span(len(model.base_price), name)


@cache  # results read route parts several times a quarter
def _route_span(n: int, name: str) -> slice | int:
    if name in ROUTE_PARTS:
        at = ROUTE_PARTS.index(name) * n
        return slice(at, at + n)
    return len(ROUTE_PARTS) * n + ROUTE_NUMBERS.index(name)


def number_span(parts: tuple[str, ...], model, name: str) -> int:
    """Where ``name`` sits in a product of single numbers laid out as ``parts`` (``observe_kernels.summary``'s
    ``SUMMARY_PARTS``, the totals of ``observe_kernels.values``, ``TOTAL_PARTS``).
    """
    return parts.index(name)


def tally_span(model, name: str) -> slice | int:
    """Where ``name`` sits in ``observe_kernels.tallies`` (``TALLY_PARTS``: by holder, by power, one number)."""
    h, k = len(model.holders), len(model.power_index)
    return (slice(0, h), slice(h, h + k), h + k)[TALLY_PARTS.index(name)]


SPANS = {
    "holder_shares": holder_span,
    "routes": route_span,
    "summary": partial(number_span, SUMMARY_PARTS),
    "totals": partial(number_span, TOTAL_PARTS),
    "tallies": tally_span,
}


def _range(at: slice | int) -> np.ndarray:
    return np.array([at]) if isinstance(at, int) else np.arange(at.start, at.stop)


@dataclass(frozen=True)
class Part:
    """Part ``name`` of one of the observation's shared products ``source`` (``SPANS``)."""

    source: str
    name: str

    def __call__(self, o) -> np.ndarray | float:
        """The part, from the observation's ``source`` (one number as a float)."""
        at = SPANS[self.source](o.model, self.name)
        value = getattr(o, self.source)[at]
        return float(value) if isinstance(at, int) else value

    def positions(self, model) -> np.ndarray:
        """The entries of ``source`` this result reads, in its columns' order."""
        return _range(SPANS[self.source](model, self.name))


@dataclass(frozen=True)
class Count:
    """The tally's running count ``name`` (``model/tally.py``), for the powers only if ``powers``."""

    name: str
    powers: bool = False
    source = "counts"  # the observation's view of the tally's counts

    def __call__(self, o) -> np.ndarray:
        """The count by holder, or for the powers only."""
        value = o.counts[COUNTS.index(self.name)]
        return value[o.power_columns] if self.powers else value

    def positions(self, model) -> np.ndarray:
        """The entries of the counts (holders along each row) this result reads, in its columns' order."""
        h = len(model.holders)
        return COUNTS.index(self.name) * h + (model.power_index if self.powers else np.arange(h))

"""The model's closed vocabularies: a deposit's stage, the allocation channel, how a licence was won.

``IntEnum`` members with the integers the arrays, data tables and golden files use (arrays stay ``int64``:
``d.stage == Stage.PRODUCING`` compares element-wise; a plain ``Enum`` would compare all-False). Labels come from
``.label`` (``str()`` of an ``IntEnum`` is its number). Every parser refuses an unknown label with the closest
valid ones, as the parameter registry does.
"""

from __future__ import annotations

from enum import IntEnum

from model.errors import InputError


class _Labelled(IntEnum):
    """An IntEnum read and written by its lower-case label."""

    @property
    def label(self) -> str:
        """The label in data tables and results (``"producing"``)."""
        return self.name.lower()

    @classmethod
    def labels(cls) -> tuple[str, ...]:
        """Every label, in the order of the integers."""
        return tuple(m.label for m in cls)

    @classmethod
    def parse(cls, text: str, where: str = "", key: str = "") -> _Labelled:
        """The member with this label; an unknown label is a one-line error naming the closest valid ones."""
        for member in cls:
            if member.label == text:
                return member
        from model.params.spec import closest

        near = closest(str(text), cls.labels())
        raise InputError(where or cls.__name__, key or cls.__name__.lower(), f"got {text!r}; allowed: {near}")


class Stage(_Labelled):
    """A deposit's stage. ``PROSPECT`` (a known prospect under an exploration licence) comes after ``DEPLETED``:
    stages are not ordered, so compare with the named sets below, never with ``<``.
    """

    UNLICENSED = 0
    TENDERED = 1  # offered: an auction or a negotiation is open
    AWARDED = 2
    DEVELOPING = 3
    PRODUCING = 4
    DEPLETED = 5
    PROSPECT = 6


LICENSED = (Stage.AWARDED, Stage.DEVELOPING, Stage.PRODUCING)  # under a mining licence
TABLE_STAGES = (Stage.UNLICENSED, Stage.DEVELOPING, Stage.PRODUCING, Stage.DEPLETED)  # a deposit table may start in


class Channel(_Labelled):
    """How the state allocates a plot (Subsoil Code 2018): first-come exploration licences, auctions won by the
    highest signature bonus, or direct negotiation decided by the host's objective.
    """

    AUCTION = 0
    NEGOTIATION = 1
    EXPLORATION = 2


class Route(_Labelled):
    """How a licence was won, for the counts: at auction, in a negotiation, by the state's own firm (a negotiation
    the host keeps for it), or by the finder of a deposit who develops it (an exploration licence converted).
    """

    AUCTION = 0
    NEGOTIATION = 1
    STATE_FIRM = 2
    FINDER = 3

    @property
    def channel(self) -> Channel:
        """The allocation channel this route belongs to."""
        return {0: Channel.AUCTION, 1: Channel.NEGOTIATION, 2: Channel.NEGOTIATION, 3: Channel.EXPLORATION}[self]

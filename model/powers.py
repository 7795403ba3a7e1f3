"""Holder codes: who can own equity in, or take output from, a deposit."""

from __future__ import annotations

# Powers that bid through an approval pipeline (each has a ``<code>.*`` parameter block).
POWERS: tuple[str, ...] = ("EU", "CN", "US", "RU", "JK")
# Host state (Kazatomprom, Tau-Ken Samruk, Kazakh-controlled groups) and third-country private capital.
HOST = "KZ"
PRIVATE = "PRIVATE"
HOLDERS: tuple[str, ...] = (HOST, *POWERS, PRIVATE)


def holder_codes(extra_powers=()) -> tuple[str, ...]:
    """Every holder code of a run, in the model's column order: the host, the powers, declared ones, private."""
    return (HOST, *POWERS, *extra_powers, PRIVATE)


LABELS: dict[str, str] = {
    "KZ": "Kazakhstan",
    "EU": "EU",
    "CN": "China",
    "US": "US",
    "RU": "Russia",
    "JK": "Japan/Korea",
    "PRIVATE": "Private",
}

"""Holder codes: who can own equity in, or take output from, a deposit."""

from __future__ import annotations

# Powers that bid through an approval pipeline (each has a ``<code>.*`` parameter block).
POWERS: tuple[str, ...] = ("EU", "CN", "US", "RU", "JK")
# Host state (Kazatomprom, Tau-Ken Samruk, Kazakh-controlled groups) and third-country private capital.
HOST = "KZ"
PRIVATE = "PRIVATE"
HOLDERS: tuple[str, ...] = (HOST, *POWERS, PRIVATE)
LABELS: dict[str, str] = {
    "KZ": "Kazakhstan",
    "EU": "EU",
    "CN": "China",
    "US": "US",
    "RU": "Russia",
    "JK": "Japan/Korea",
    "PRIVATE": "Private",
}

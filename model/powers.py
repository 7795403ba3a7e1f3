"""Holder codes: who can own equity in, or take output from, a deposit. The powers come from their registry
(``model/power_entries.py``), in its order, which fixes the result columns and the holdings' columns.
"""

from __future__ import annotations

from model.power_entries import ENTRIES

# Powers that bid through an approval pipeline (each has a ``<code>.*`` parameter block).
POWERS: tuple[str, ...] = tuple(e.code for e in ENTRIES)
# Host state (Kazatomprom, Tau-Ken Samruk, Kazakh-controlled groups) and third-country private capital.
HOST = "KZ"
PRIVATE = "PRIVATE"
HOLDERS: tuple[str, ...] = (HOST, *POWERS, PRIVATE)


def holder_codes(extra_powers=()) -> tuple[str, ...]:
    """Every holder code of a run, in the model's column order: the host, the powers, declared ones, private."""
    return (HOST, *POWERS, *extra_powers, PRIVATE)


LABELS: dict[str, str] = {HOST: "Kazakhstan", **{e.code: e.label for e in ENTRIES}, PRIVATE: "Private"}
IN_SENTENCE: dict[str, str] = {e.code: e.in_sentence for e in ENTRIES}
COLOURS: dict[str, str] = {e.code: e.colour for e in ENTRIES}

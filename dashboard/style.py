"""Colours, names and marker shapes shared by the dashboard's views."""

from __future__ import annotations

from model.powers import COLOURS as POWER_COLOURS
from model.powers import HOST, IN_SENTENCE, LABELS, PRIVATE

COLOURS: dict[str, str] = {
    HOST: "#00a3c4",  # Kazakh flag sky blue
    **POWER_COLOURS,  # the registry of powers (model/power_entries.py)
    PRIVATE: "#7f7f7f",
}
EXTRA_COLOURS = ("#8c564b", "#bcbd22", "#17becf", "#2ca02c", "#9edae5", "#c49c94")
UNLICENSED = "none"
UNLICENSED_COLOUR = "#c8c8c8"

# In a sentence: "China wins ...", "the EU misses ..."
_NAMES = {**IN_SENTENCE, PRIVATE: "private investors"}

STAGE_SHAPES: dict[str, str] = {
    "unlicensed": "circle",
    "tendered": "diamond",
    "awarded": "triangle-down",
    "developing": "triangle-up",
    "producing": "square",
    "depleted": "cross",
    "prospect": "triangle-right",  # under an exploration licence
}

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"  # solara loads vega-lite@5


def label(code: str) -> str:
    """Display name of a holder code (a declared extra power shows its code)."""
    return LABELS.get(code, code) if code else UNLICENSED


def name(code: str, start: bool = False) -> str:
    """The holder as the subject or object of a sentence ('the EU', 'China')."""
    text = _NAMES.get(code, LABELS.get(code, code))
    return text[0].upper() + text[1:] if start else text


def palette(holders: tuple[str, ...]) -> dict[str, str]:
    """The colour of every holder of a run: the built-in ones fixed, declared powers (a scenario's
    ``[powers.GULF]``) from ``EXTRA_COLOURS`` in their order of declaration. The map, the charts and the
    event log all take their colours from here, so a power has one colour on the whole page."""
    extra = iter(EXTRA_COLOURS * (1 + len(holders) // len(EXTRA_COLOURS)))
    return {h: COLOURS.get(h) or next(extra) for h in holders}


def colour_scale(holders: tuple[str, ...], with_unlicensed: bool = False) -> dict:
    """A Vega-Lite colour scale with a fixed colour per holder, stable from step to step."""
    colours = palette(holders)
    domain = [label(h) for h in holders]
    scale_range = [colours[h] for h in holders]
    if with_unlicensed:
        domain.append(UNLICENSED)
        scale_range.append(UNLICENSED_COLOUR)
    return {"domain": domain, "range": scale_range}

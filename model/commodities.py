"""Commodities the model prices, with the unit each deposit's tonnage is given in.

Prices live in the parameter registry (``price.<commodity>``); this module only fixes the list,
the physical unit behind each price and the volatility class used by the price process.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Commodity:
    """A commodity the model prices, the unit its tonnes are counted in, and its volatility class."""

    name: str
    unit: str  # what one tonne in deposits.csv means
    volatility: str  # key of the price.vol_* parameter that drives it


COMMODITIES: tuple[Commodity, ...] = (
    Commodity("copper", "t Cu", "base"),
    Commodity("uranium", "t U", "high"),
    Commodity("chromium", "t chromite ore/concentrate", "base"),
    Commodity("tungsten", "t W", "high"),
    Commodity("rare_earths", "t REO", "speculative"),
    Commodity("nickel", "t Ni", "high"),
    Commodity("cobalt", "t Co", "high"),
    Commodity("lithium", "t LCE", "speculative"),
    Commodity("zinc", "t Zn", "base"),
    Commodity("lead", "t Pb", "base"),
    Commodity("manganese", "t Mn ore (44% Mn)", "base"),
    Commodity("vanadium", "t V2O5", "base"),
    Commodity("graphite", "t graphite", "base"),
    Commodity("titanium", "t TiO2", "base"),
    # Soviet-era classified deposits the government said it will open (data/state_pipeline.csv)
    Commodity("indium", "t In", "high"),
    Commodity("gallium", "t Ga", "speculative"),
    Commodity("scandium", "t Sc2O3", "speculative"),
    Commodity("thallium", "t Tl", "speculative"),
)
NAMES: tuple[str, ...] = tuple(c.name for c in COMMODITIES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(NAMES)}

"""The Great Game model: competition for Kazakhstan's critical-mineral deposits."""

from model.model import GreatGameModel

__all__ = ["GreatGameModel"]

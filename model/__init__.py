"""The Great Game model: competition for Kazakhstan's critical-mineral deposits.

``from model import GreatGameModel`` is the entry point; it is imported on first use so that the model's
building blocks (``model.params``, ``model.host_rules``, ...) import without the agents.
"""

__all__ = ["GreatGameModel"]


def __getattr__(name: str):
    if name == "GreatGameModel":
        from model.model import GreatGameModel

        return GreatGameModel
    raise AttributeError(f"module 'model' has no attribute {name!r}")

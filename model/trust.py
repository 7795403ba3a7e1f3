"""Asymmetric trust: built slowly by engagement and delivery, lost fast, drifting when idle."""

from __future__ import annotations

import numpy as np


def update_trust(
    trust: np.ndarray,
    gains: np.ndarray,
    losses: np.ndarray,
    build_rate: np.ndarray,
    drift: float,
    baseline: float,
) -> np.ndarray:
    """One quarter's trust: ``trust + build_rate·gains·(1 − trust) − losses``; idle holders drift to baseline.

    Gains shrink as trust nears 1 (it saturates); losses do not, so trust is lost faster than it is built.
    """
    idle = (gains == 0) & (losses == 0)
    moved = trust + build_rate * gains * (1.0 - trust) - losses
    drifted = trust + drift * (baseline - trust)
    return np.minimum(np.maximum(np.where(idle, drifted, moved), 0.0), 1.0)  # np.clip's numbers, without its wrappers

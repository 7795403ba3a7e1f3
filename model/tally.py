"""Running counts per holder that the measures report: awards, capital committed, windows missed, pre-emptions."""

from __future__ import annotations

import numpy as np


class Tally:
    """Cumulative outcomes by holder index (arrays the length of the holder codes)."""

    def __init__(self, n_holders: int) -> None:
        def zeros():
            return np.zeros(n_holders)

        self.awards, self.award_lag = zeros(), zeros()
        self.invested_public, self.invested_private = zeros(), zeros()
        self.missed, self.missed_value, self.preempted = zeros(), zeros(), zeros()
        self.private_walked = zeros()

    def award(self, holder: int, public: float, private: float, lag: int) -> None:
        """A licence won: ``public`` includes the signature bonus; ``lag`` is quarters from pursuit to award."""
        self.awards[holder] += 1
        self.award_lag[holder] += lag
        self.invested_public[holder] += public
        self.invested_private[holder] += private

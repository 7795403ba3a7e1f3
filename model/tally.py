"""Running counts per holder that the measures report: awards, capital committed, windows missed, pre-emptions."""

from __future__ import annotations

import numpy as np
from numba import njit

from model.vocabulary import Route

ROWS = (
    "invested_public",
    "invested_private",
    "private_walked",
    "awards",
    "discoveries",
    "licences_filed",
    "licences_revoked",
    "stakes_bought",
    "missed",
    "missed_value",
    "preempted",
)


class Tally:
    """Cumulative outcomes by holder index, one array per name of ``ROWS`` (the results read them by name)."""

    def __init__(self, n_holders: int) -> None:
        for name in ROWS:
            setattr(self, name, np.zeros(n_holders))
        self.award_lag = np.zeros(n_holders)  # quarters from pursuit to award, summed over awards
        self.new_awards = np.zeros(n_holders)  # awards this quarter (reset at the start of each quarter)
        self.by_channel = np.zeros((len(Route), n_holders))  # awards by route (model.vocabulary.Route) and holder

    def award(self, holder, public, private, lag, route) -> None:
        """Licences won (arrays, one entry per licence): ``public`` includes the signature bonus; ``lag`` is quarters
        from pursuit to award; ``route`` is how it was won (``model.vocabulary.Route``).
        """
        _award(
            holder,
            public.astype(float),
            private.astype(float),
            lag.astype(float),
            route.astype(np.int64),
            self.by_channel,
            self.awards,
            self.new_awards,
            self.award_lag,
            self.invested_public,
            self.invested_private,
        )


@njit(cache=True)
def _award(holder, public, private, lag, channel, by_channel, awards, new_awards, award_lag, inv_public, inv_private):
    for i in range(holder.size):
        by_channel[channel[i], holder[i]] += 1.0
    for i in range(holder.size):
        awards[holder[i]] += 1.0
    for i in range(holder.size):
        new_awards[holder[i]] += 1.0
    for i in range(holder.size):
        award_lag[holder[i]] += lag[i]
    for i in range(holder.size):
        inv_public[holder[i]] += public[i]
    for i in range(holder.size):
        inv_private[holder[i]] += private[i]

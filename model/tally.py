"""Running counts per holder that the measures report: awards, capital committed, windows missed, pre-emptions."""

from __future__ import annotations

import numpy as np
from numba import njit

from model.vocabulary import Route

COUNTS = (
    "invested_public",
    "invested_private",
    "private_walked",
    "awards",
    "awards_led",
    "awards_flagged",
    "discoveries",
    "licences_filed",
    "licences_revoked",
    "stakes_bought",
    "packages",
    "missed",
    "missed_value",
    "preempted",
    "new_awards",  # this quarter's awards (reset at the start of each quarter)
)


class Tally:
    """Outcomes by holder index: ``counts``, one row per name of ``COUNTS``, each row also an attribute of that name
    (a view: changed in place, never rebound, so that the results can take every count from ``counts`` at once).
    """

    def __init__(self, n_holders: int) -> None:
        self.counts = np.zeros((len(COUNTS), n_holders))
        for i, name in enumerate(COUNTS):
            setattr(self, name, self.counts[i])
        self.award_lag = np.zeros(n_holders)  # quarters from pursuit to award, summed over awards
        self.by_channel = np.zeros((len(Route), n_holders))  # awards by route (model.vocabulary.Route) and holder

    def award(self, holder, public, private, lag, route, led) -> None:
        """Licences won (arrays, one entry per licence): ``public`` includes the signature bonus; ``lag`` is quarters
        from pursuit to award; ``route`` is how it was won (``model.vocabulary.Route``); ``led``: won by the holder
        acting as a state (its pursuit, public finance or state firm), else by firms of its home alone (flagged).
        """
        _award(
            holder,
            led.astype(np.bool_),
            self.awards_led,
            self.awards_flagged,
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
def _award(holder, led, awards_led, awards_flagged, public, private, lag, channel, by_channel, awards, new_awards,
           award_lag, inv_public, inv_private):  # fmt: skip
    for i in range(holder.size):
        if led[i]:
            awards_led[holder[i]] += 1.0
        else:
            awards_flagged[holder[i]] += 1.0
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

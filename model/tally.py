"""Running counts per holder that the measures report: awards, capital committed, windows missed, pre-emptions."""

from __future__ import annotations

import numpy as np

CHANNELS = ("auction", "negotiation", "state_firm", "finder")  # how a licence was won (the Subsoil Code's routes)
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
        self.by_channel = np.zeros((len(CHANNELS), n_holders))  # awards by channel and holder

    def award(self, holder, public, private, lag, channel) -> None:
        """Licences won (arrays or scalars): ``public`` includes the signature bonus; ``lag`` is quarters from
        pursuit to award; ``channel`` indexes CHANNELS (array or scalar).
        """
        np.add.at(self.by_channel, (channel, holder), 1.0)
        for row, value in (
            (self.awards, 1.0),
            (self.new_awards, 1.0),
            (self.award_lag, lag),
            (self.invested_public, public),
            (self.invested_private, private),
        ):
            np.add.at(row, holder, value)

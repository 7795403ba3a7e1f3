"""The host's picture of the quarter in one compiled call (``model/host_picture.py``) is what its parts gave one by
one (``Host.survey`` at eaae036), bit for bit, on the states of real runs; the state's stakes follow the channels.
"""

import numpy as np
import pytest

from model import award_rules, scenario
from model import chain_kernels as K
from model import contracts as C
from model import host_rules as rules
from model.commodities import INDEX, NAMES
from model.host_picture import picture, stakes
from model.observe_kernels import held_shares
from model.powers import POWERS
from model.vocabulary import Stage

N = len(NAMES)


def one_by_one(m) -> tuple:
    """``Host.survey``'s parts as it computed them at eaae036."""
    d, t, pl, k, p = m.deposits, m.deposits.table, m.chains.plants, m.chains.contracts, m.params.host
    shares, foreign = held_shares(d.stage, d.remaining, t.commodity, m.prices.price, d.equity, N, m.host_index)
    incumbency = K.incumbency(m.steps, pl.commodity, pl.online, pl.intake_q, pl.equity, k.active(C.DEPOSIT, m.steps),
                              k.source, k.buyer, k.share, d.stage == Stage.PRODUCING, t.commodity, t.capacity, N)  # fmt: skip
    opened = ((d.stage == Stage.TENDERED) & (d.tender_close > m.steps)).nonzero()[0]
    leaders = d.leader[(d.stage == Stage.DEVELOPING) & d.public_lead]
    deps = (d.stage == Stage.TENDERED).nonzero()[0]
    stake = award_rules.state_stake(t.commodity == INDEX["uranium"], t.strategic, d.is_direct(), p.state_stake_uranium,
                              p.state_stake_strategic)[deps]  # fmt: skip
    fiscal = rules.fiscal_pv(deps, t.commodity, t.capacity, d.remaining, t.lead_time, m.prices.price, m.rules.met,
                             stake, m.params.econ.margin, p.discount_rate, len(d))  # fmt: skip
    return shares, foreign, incumbency, opened, leaders, fiscal


@pytest.mark.parametrize(("name", "seed"), [("baseline", 2), ("baseline", 9), ("sanctions_shock", 1)])
def test_the_picture_is_its_parts_one_by_one(name, seed):
    m = scenario.load(name).build(rng=seed)
    for _ in range(48):
        m.step()
        for got, want in zip(picture(m), one_by_one(m), strict=True):
            assert got.tobytes() == want.tobytes() and got.shape == want.shape
        m.host.survey()  # what the host keeps of it
        assert m.host.developing_leaders == set(one_by_one(m)[4].tolist())


def test_the_states_stakes_follow_channels_and_arrivals():
    m = scenario.load("baseline").build(rng=3)
    kept = stakes(m)
    assert stakes(m) is kept and not kept.flags.writeable  # kept while nothing changes
    for _ in range(30):
        m.step()
        d, p = m.deposits, m.params.host
        want = award_rules.state_stake(d.table.commodity == INDEX["uranium"], d.table.strategic, d.is_direct(),
                                 p.state_stake_uranium, p.state_stake_strategic)  # fmt: skip
        assert stakes(m).tobytes() == want.tobytes()
    assert len(stakes(m)) > len(kept)  # deposits arrived: the stakes were made again
    rows = np.arange(len(m.deposits))
    assert m.host.stake(rows).tobytes() == stakes(m).tobytes()


def test_the_hosts_routing_is_each_deposits_commodity_row_of_the_rules_and_a_copy():
    """``Host.routing``: the host's exports by holder for each deposit's commodity (``data/commodity_rules.csv``),
    kept by commodity since the build; what a caller does to one answer never reaches the next.
    """
    m = scenario.load("baseline").build(rng=1)
    m.run_for(8)
    deps = np.arange(len(m.deposits))
    got = m.host.routing(deps)
    want = np.zeros((deps.size, len(m.holders)))
    want[:, [m.index[c] for c in POWERS]] = m.rules.exports[m.deposits.table.commodity[deps]]
    assert np.array_equal(got, want) and got.shape == (deps.size, len(m.holders))
    got[:] = -1.0
    assert np.array_equal(m.host.routing(deps), want)

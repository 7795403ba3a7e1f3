"""The observation's compiled helpers give numpy's numbers bit for bit."""

import numpy as np
import pytest

from model.history import holding_cells
from model.observe_kernels import (
    CORRIDORS,
    HOLDER_PARTS,
    POWER_PARTS,
    ROUTE_PARTS,
    by_commodity,
    corridors,
    eu_supply,
    exports,
    held_shares,
    holder_shares,
    online_intake,
    routes_summary,
    shares,
    summary,
    taken_base,
    tallies,
    values,
)
from model.vocabulary import Channel, Stage
from tests.in_order import in_order


@pytest.mark.parametrize("routes", [1, 3, 6, 11])
def test_corridors_are_numpys_masked_sums(routes):
    rng = np.random.default_rng(routes)
    for _ in range(50):
        carried = rng.random((routes, 18, 7)) * rng.choice([0.0, 1e-3, 1.0, 1e6], (routes, 18, 7))
        russia, china = rng.random(routes) < 0.4, rng.random(routes) < 0.5
        want = [carried[(russia == r) & (china == c)].sum() for r, c in CORRIDORS]
        assert corridors(carried, russia, china).tolist() == want


@pytest.mark.parametrize("n", [0, 1, 5, 7, 9, 130])
def test_shares_are_numpys(n):
    rng = np.random.default_rng(n)
    for scale in (0.0, 1e-9, 1.0, 1e12):
        x = rng.random(n) * scale
        want = x / x.sum() if x.sum() > 0 else x * 0.0
        assert shares(x).tobytes() == want.tobytes()


def test_online_intake_is_numpys():
    rng = np.random.default_rng(2)
    online, intake, base = rng.integers(0, 9, 12), rng.random(12) * 1e4, rng.random(5) * 1e3
    commodity = rng.integers(0, 5, 12)
    want = np.where(online <= 4, intake * base[commodity], 0.0)
    assert online_intake(online, intake, base, commodity, 4).tobytes() == want.tobytes()


def test_tallies_lay_capital_award_lags_and_blocks_end_to_end():
    rng = np.random.default_rng(2)
    lag, awards, powers = rng.random(7) * 30, rng.integers(0, 3, 7).astype(float), np.array([1, 2, 4])
    lags = lag[powers] / np.where(awards[powers] > 0, awards[powers], np.nan)
    pursuit, stake, power = np.array([-1, 0, 2, 0, -1]), np.array([5.0, 1.5, 2.25, 4.0, 9.0]), np.array([3, 6, 1])
    capital = np.zeros(7)
    capital[3], capital[1] = 1.5 + 4.0, 2.25  # pursuit 0 is holder 3's, pursuit 2 holder 1's
    got = tallies(pursuit, stake, power, 7, lag, awards, powers, np.array([-1, 0, 3, -1, 6]))
    assert got.tobytes() == np.r_[capital, lags, 3.0].tobytes()
    assert tallies(pursuit, stake, power, 7, lag, awards, powers, np.empty(0, dtype=np.int64))[-1] == 0.0


@pytest.mark.parametrize("routes", [1, 6, 9, 40])
def test_eu_supply_is_numpys(routes):
    rng = np.random.default_rng(routes)
    for _ in range(50):
        carried = rng.random((routes, 18, 7)) * rng.choice([0.0, 1e-3, 1.0, 1e6], (routes, 18, 7))
        demand, base = rng.random(18) * rng.choice([0.0, 1.0, 1e7], 18), rng.random(18) * 1e4
        with np.errstate(divide="ignore", invalid="ignore"):
            want = np.minimum(4.0 * carried[:, :, 1].sum(axis=0) / demand, 1.0)
            weights = demand * base / (demand * base).sum()
        assert eu_supply(carried, 1, demand, base).tobytes() == np.array([want, weights]).tobytes()


def test_holdings_list_every_share_in_order():
    equity = np.array([[0.5, 0.0, 0.5], [0.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    offtake = np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    index, held = holding_cells(equity, offtake)
    assert index.tolist() == [[0, 0, 0, 2, 2], [0, 1, 2, 1, 2]]
    assert held.tolist() == [[0.5, 0.0, 0.5, 1.0, 0.0], [0.0, 1.0, 0.0, 0.0, 1.0]]


@pytest.mark.parametrize("shape", [(1, 18, 7), (6, 18, 7), (6, 18, 8), (9, 5, 16), (3, 18, 130)])
def test_exports_are_numpys_sums(shape):
    rng = np.random.default_rng(shape[0])
    for _ in range(50):
        carried = rng.random(shape) * rng.choice([0.0, 1e-3, 1.0, 1e6], shape)
        stranded = rng.random(shape[1:]) * 1e3
        got, _ = exports(carried, stranded, np.zeros(shape[0], bool), np.ones(shape[0], bool))
        assert got[0].tobytes() == carried.sum(axis=(0, 2)).tobytes()
        assert got[1].tobytes() == stranded.sum(axis=1).tobytes()


@pytest.mark.parametrize("holders", [3, 7, 8, 16])
def test_taken_base_is_einsums(holders):
    rng = np.random.default_rng(holders)
    for _ in range(100):
        delivered = rng.random((3, 18, holders)) * rng.choice([0.0, 1e-3, 1.0, 1e6], (3, 18, holders))
        base = rng.random(18) * rng.choice([1.0, 1e4], 18)
        want = np.einsum("kch,c->kh", delivered, base) / 1e6
        assert taken_base(delivered, base).tobytes() == want.tobytes()


@pytest.mark.parametrize("n", [0, 7, 60, 300])
def test_values_are_numpys_in_one_pass(n):
    rng = np.random.default_rng(n)
    stage, commodity = rng.choice([int(s) for s in Stage], n), rng.integers(0, 5, n)
    channel = rng.choice([int(c) for c in Channel], n)
    remaining, capacity, output = rng.random(n) * 1e6, rng.random(n) * 1e4, rng.random(n) * 1e3
    price, base, equity = rng.random(5) * 1e4, rng.random(5) * 1e4, rng.random((n, 7))
    delivered = rng.random((3, 5, 7)) * rng.choice([0.0, 1e-3, 1e6], (3, 5, 7))
    equity *= rng.choice([0.0, 1.0], (n, 7))
    led, powers = rng.random((n, 7)) < 0.5, np.array([1, 2, 3, 5])
    per, totals, mined, table = values(stage, channel, remaining, capacity, commodity, price, base, output, equity,
                                       led, powers, delivered, 5)  # fmt: skip
    licensed = (stage >= Stage.AWARDED) & (stage <= Stage.PRODUCING)
    value = np.where(licensed, remaining * price[commodity] / 1e6, 0.0)
    output_value = output * price[commodity] / 1e6
    capacity_base = np.where(stage == Stage.PRODUCING, capacity, 0.0) * base[commodity]
    assert per[:3].tobytes() == np.array([value, output_value, capacity_base]).tobytes()
    for got, want in ((per[3:7].T, led[:, powers]), (per[7:].T, ~led[:, powers])):
        want = equity[:, powers] * want  # numpy's product, laid out as numpy lays it out
        assert got.tobytes(order="A") == want.tobytes(order="A")
        assert got.strides == want.strides or n == 0  # numpy's empty product has strides of its own
    free = ((stage == Stage.UNLICENSED) & (channel != Channel.EXPLORATION)).sum()
    want = [value.sum(), output_value.sum(), free, value.sum() / 1e3, n]
    assert totals.tobytes() == np.array(want).tobytes()
    assert mined.tobytes() == np.bincount(commodity, output, minlength=5).tobytes()
    assert table[0].tobytes() == by_commodity(commodity, 5, value, equity).tobytes()
    assert table[1].tobytes() == by_commodity(commodity, 5, capacity_base, equity).tobytes()
    assert table[2].tobytes() == (delivered[0] * base[:, None]).tobytes()
    assert np.isnan(table[3]).all()


def row_shares(m: np.ndarray) -> np.ndarray:
    """Each row divided by its sum, rows summing to zero left zero: the numpy code the kernels replaced."""
    total = m.sum(axis=1)
    total[total == 0] = 1.0
    return m / total[:, None]


def test_held_shares_are_numpys_shares_of_the_licensed_value_summed_by_commodity():
    rng = np.random.default_rng(4)
    for n, holders in ((80, 7), (40, 8), (120, 9), (3, 12), (0, 7)):
        stage, commodity = rng.choice([int(s) for s in Stage], n), rng.integers(0, 5, n)
        remaining, price = rng.random(n) * 1e6, rng.random(5) * 1e4
        equity = rng.random((n, holders)) * (rng.random((n, holders)) < 0.5)  # a commodity nobody holds, at times
        licensed = (stage >= Stage.AWARDED) & (stage <= Stage.PRODUCING)
        held = by_commodity(commodity, 5, np.where(licensed, remaining * price[commodity] / 1e6, 0.0), equity)
        want = row_shares(held)
        held[:, 2] = 0.0
        shares, foreign = held_shares(stage, remaining, commodity, price, equity, 5, 2)
        assert shares.tobytes() == want.tobytes() and foreign.tobytes() == row_shares(held).tobytes()


@pytest.mark.parametrize("routes", [1, 3, 6, 11])
def test_routes_summary_lays_numpys_route_products_end_to_end(routes):
    rng = np.random.default_rng(routes)
    for _ in range(50):
        carried = rng.random((routes, 18, 7)) * rng.choice([0.0, 1e-3, 1.0, 1e6], (routes, 18, 7))
        stranded = rng.random((18, 7)) * 1e3
        russia, china = rng.random(routes) < 0.4, rng.random(routes) < 0.5
        demand, base = rng.random(18) * rng.choice([0.0, 1.0, 1e7], 18), rng.random(18) * 1e4
        eu_value = carried[:, :, 1] @ base * rng.choice([0.0, 1.0])  # nothing reached the EU, at times
        whole = eu_value.sum()
        via = [eu_value[m].sum() / whole if whole > 0 else 0.0 for m in (russia, china)]
        sums, over = exports(carried, stranded, russia, china)
        want = np.concatenate([eu_supply(carried, 1, demand, base).ravel(), sums.ravel(), over, via])
        got = routes_summary(carried, stranded, russia, china, 1, demand, base, eu_value)
        assert got.tobytes() == want.tobytes()
        assert len(ROUTE_PARTS) * 18 + len(CORRIDORS) + 2 == got.size


@pytest.mark.parametrize("holders", [3, 7, 8, 16])
def test_holder_shares_lay_the_results_shares_end_to_end(holders):
    rng = np.random.default_rng(holders)
    powers = np.sort(rng.choice(holders, 3, replace=False))
    for _ in range(50):
        zero = rng.choice([0.0, 1.0], 4)  # a whole of 0 at times: shares of 0
        capacity_held, held, processing = (rng.random(holders) * 1e9 * z for z in zero[:3])
        led, flagged = rng.random(3) * 1e8, rng.random(3) * 1e8
        delivered = rng.random((3, 18, holders)) * rng.choice([0.0, 1e-3, 1e6], (3, 18, holders)) * zero[3]
        base = rng.random(18) * 1e4
        taken = np.einsum("kch,c->kh", delivered, base) / 1e6
        capacity, output = float(capacity_held.sum()), float(taken[0].sum())

        def of(x, whole):
            return x / whole if whole > 0 else x * 0.0

        want = [of(capacity_held, capacity), of(taken[0], output), of(held, held.sum())]
        want += [of(processing, processing.sum()), of(led, capacity), of(flagged, capacity)]
        want += [of(taken[1, powers], output), of(taken[2, powers], output)]
        got = holder_shares(capacity_held, held, processing, led, flagged, delivered, base, powers)
        assert got.tobytes() == np.concatenate(want).tobytes()
        assert got.size == len(HOLDER_PARTS) * holders + len(POWER_PARTS) * 3


@pytest.mark.parametrize("n", [1, 5, 12, 40])
def test_summary_is_the_products_in_order_and_the_shares(n):
    # the formulas of model/results.py before the kernel (each ``@`` in order), on random vectors and with nothing
    # mined or exported
    rng = np.random.default_rng(n)
    for scale in (1.0, 1e-3, 1e6, 0.0):
        mined, refined, base = rng.random(n) * scale, rng.random(n) * scale, rng.random(n) * 1e4
        routes = np.concatenate([rng.random(2 * n), rng.random(2 * n) * scale, rng.random(3)])
        met, weights, carried, stranded = (routes[i * n : (i + 1) * n] for i in range(4))
        value = in_order(mined, base)
        refined_share = in_order(refined, base) / value if value > 0 else 0.0
        lost = in_order(stranded, base)
        whole = lost + in_order(carried, base)
        held, host = rng.random(7) * scale * 1e3, int(rng.integers(0, 7))
        foreign = held.sum() - held[host]
        diversification = 1.0 - ((in_order(held, held) - held[host] ** 2) / foreign**2 if foreign > 0 else 1.0)
        want = [refined_share, in_order(weights, met), lost / whole if whole > 0 else 0.0, diversification]
        assert summary(mined, refined, base, routes, held, host, 2.0).tolist() == want
    nothing = np.zeros(n, dtype=np.int64)  # np.bincount's refined tonnes with no plant
    assert summary(rng.random(n), nothing, rng.random(n), np.ones(4 * n + 3), np.ones(3), 0, 2.0)[0] == 0.0


def test_a_square_through_pow_is_numpys_scalar_square():
    # numpy's np.float64 ** 2 is the C library's pow, and a kernel keeps pow only for an exponent passed in: with
    # a literal 2 (x * x) the diversification differs in the last bit in about one case in a thousand here
    rng = np.random.default_rng(1)
    for _ in range(20000):
        held = rng.random(3) * 10.0 ** rng.integers(-5, 8, 3)
        foreign = held.sum() - held[0]
        want = 1.0 - ((in_order(held, held) - held[0] ** 2) / foreign**2)
        assert summary(np.zeros(1), np.zeros(1), np.ones(1), np.zeros(7), held, 0, 2.0)[3] == want

"""Markets and demand paths (model/demand.py, model/markets.py, model/prices.py), each formula on a hand-worked
case, and the mechanisms at work in a run: a supply shock moves the price through the market, not by decree."""

import numpy as np
import pytest

from model import scenario as sc
from model.commodities import INDEX
from model.demand import YearPath, demand
from model.markets import drift_spread, supply_with_stocks
from model.params import resolve
from model.prices import PriceProcess

U = INDEX["uranium"]


class Fixed:
    """A generator with no noise: normal draws are zeros, no jump is drawn."""

    def standard_normal(self, n):
        return np.zeros(n)

    def random(self, n):
        return np.ones(n)

    def uniform(self, lo, hi, n):
        return np.zeros(n)


def test_a_path_is_linear_between_its_years_and_flat_outside():
    path = YearPath(np.array([2024, 2030]), np.array([[10.0, 22.0], [5.0, 5.0]]))
    assert path.at(2027.0) == pytest.approx([16.0, 5.0])  # halfway
    assert path.at(2020.0) == pytest.approx([10.0, 5.0]) and path.at(2040.0) == pytest.approx([22.0, 5.0])


def test_the_data_paths_are_read_by_region_and_path():
    world_u = [demand("data/demand_paths.csv", "world", k).at(2040.0)[U] for k in (0, 1, 2)]
    assert world_u == pytest.approx([107_000, 150_000, 204_000])  # WNA Lower / Reference / Upper, 2040
    assert demand("data/demand_paths.csv", "EU", 1).at(2024.0)[U] == pytest.approx(12_500)  # = data/eu_demand.csv


def test_a_path_is_read_once_and_shared_read_only():
    """Runs share a parsed path (model/file_cache.py): none can change it for the next."""
    world = demand("data/demand_paths.csv", "world", 1)
    assert demand("data/demand_paths.csv", "world", 1) is world
    with pytest.raises(ValueError, match="read-only"):
        world.at(2030.0)[U] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        world.values[U] = 0.0


def test_stocks_cover_a_share_of_a_shortfall_by_their_fill_and_refill_from_a_surplus():
    # demand 110, supply 100, stocks half full, cover 0.5: they meet 0.5 x 0.5 x 10 = 2.5 a year
    seen, change = supply_with_stocks(np.array([110.0]), np.array([100.0]), np.array([50.0]), np.array([100.0]), 0.5)
    assert seen == pytest.approx([102.5]) and change == pytest.approx([-2.5 / 4])
    # a surplus of 20 refills half of what is missing (0.5 x 0.5 x 20 = 5 a year)
    seen, change = supply_with_stocks(np.array([100.0]), np.array([120.0]), np.array([50.0]), np.array([100.0]), 0.5)
    assert seen == pytest.approx([115.0]) and change == pytest.approx([5.0 / 4])
    # no target: no stocks
    seen, change = supply_with_stocks(np.array([110.0]), np.array([100.0]), np.array([0.0]), np.array([0.0]), 0.5)
    assert seen == pytest.approx([100.0]) and change == pytest.approx([0.0])


def test_the_price_closes_the_gap_over_the_adjustment_time_at_the_long_run_elasticities():
    # uranium: a 10% log gap, 4 quarters, 2.3 - (-0.03) = 2.33: 0.1 / (4 x 2.33) a quarter
    assert 0.1 / drift_spread(np.array([4.0]), np.array([2.3]), np.array([-0.03])) == pytest.approx([0.1 / 9.32])
    assert 0.1 / drift_spread(np.array([1.0]), np.array([0.0]), np.array([0.0])) == pytest.approx([2.0])


def test_with_markets_off_a_price_reverts_to_its_base_as_before():
    p = resolve().price
    base = np.array([100.0, 100.0])

    prices = PriceProcess(base, p, Fixed())
    prices.sigma = np.zeros(2)
    prices.shock(0, 2.0)
    prices.step(p.reversion * (np.log(base) - np.log(prices.spot)))
    assert prices.price[0] == pytest.approx(200.0 * np.exp(p.reversion * np.log(0.5)))  # 5% of the log gap back


def test_a_term_price_follows_the_spot_slowly_and_the_realised_price_mixes_them():
    p = resolve().price

    prices = PriceProcess(np.array([100.0]), p, Fixed(), term_share=np.array([0.8]), term_reset_q=4.0)
    prices.sigma = np.zeros(1)
    prices.step(np.array([np.log(2.0)]))  # the spot doubles
    term = 100.0 * 2.0 ** (1 / 4)  # the term price moves a quarter of the log gap
    assert prices.spot[0] == pytest.approx(200.0) and prices.term[0] == pytest.approx(term)
    assert prices.price[0] == pytest.approx(0.8 * term + 0.2 * 200.0)


def test_the_market_answers_the_gap_against_its_start_balance():
    m = sc.load("baseline").build(rng=1)
    m.run_for(2)
    mk = m.markets
    assert mk.offset is not None and mk.endogenous[U]
    price = m.prices.price
    demand_now = mk.world.at(mk.year(3))[U] * (price[U] / m.base_price[U]) ** mk.eps_d[U]
    stock_before = mk.stock.copy()
    supply = mk.rest_supply(3)[U] + mk.kz[U]
    seen, _ = supply_with_stocks(
        np.array([demand_now]), np.array([supply]), stock_before[[U]], mk.stock_target[[U]], mk.cover
    )
    want = (np.log(demand_now / seen) - mk.offset[U]) / drift_spread(mk.adjust[[U]], mk.eps_s[[U]], mk.eps_d[[U]])
    assert mk.drift(3, m.prices.spot, price)[U] == pytest.approx(want[0])


def test_demand_held_at_the_start_without_growth():
    m = sc.load("baseline").build(rng=1, **{"mechanisms.demand_growth": 0})
    assert m.markets.demand_eu(1) == pytest.approx(m.markets.demand_eu(100))
    grown = sc.load("baseline").build(rng=1)
    assert grown.markets.demand_eu(100)[U] > grown.markets.demand_eu(1)[U]


def test_less_kazakh_uranium_raises_the_uranium_price_through_the_market():
    """A supply shock acts through quantities: half of Kazakhstan's uranium withheld from the market (same seed,
    same price shocks) raises the uranium price; with the markets off it does not."""
    prices = {}
    for markets in (1, 0):
        for cut in (False, True):
            m = sc.load("baseline").build(rng=4, **{"mechanisms.markets": markets})
            for q in range(24):
                m.step()
                if cut and q >= 4:  # after the market has taken its start balance
                    m.markets.kz[U] *= 0.5
            prices[markets, cut] = m.prices.spot[U]
    assert prices[1, True] > 1.1 * prices[1, False]
    assert prices[0, True] == prices[0, False]


def odd(rng, n: int, scale: float) -> np.ndarray:
    """Random numbers with, now and then, a zero of either sign, an infinity or a NaN."""
    x = rng.normal(0.0, scale, n)
    x[rng.random(n) < 0.1] = rng.choice([0.0, -0.0, np.inf, -np.inf, np.nan])
    return x


def same(got, want) -> None:
    """The same numbers bit for bit, NaNs aside, which need only be NaN where numpy's are (the sign LLVM gives a
    NaN made from an infinity may differ; the model's numbers are finite).
    """
    got, want = np.asarray(got), np.asarray(want)
    nan = np.isnan(want)
    assert np.array_equal(np.isnan(got), nan) and got[~nan].tobytes() == want[~nan].tobytes()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the odd numbers make numpy warn
def test_the_compiled_market_and_price_passes_are_numpys_arithmetic():
    """``markets._seen``, ``markets._answer``, ``prices._change`` and ``prices._realised`` against the numpy code
    they replaced (``git show eaae036:model/markets.py``, ``...:model/prices.py``).
    """
    from model.markets import _answer, _seen
    from model.prices import _change, _realised

    rng = np.random.default_rng(8)
    for _ in range(300):
        n = int(rng.integers(1, 20))
        demand, rest, kz = np.abs(odd(rng, n, 1e5)), np.abs(odd(rng, n, 1e5)), np.abs(odd(rng, n, 1e4))
        stock, target, cover = np.abs(odd(rng, n, 1e5)), np.abs(rng.normal(0, 1e5, n)) * (rng.random(n) < 0.7), 0.3
        seen, change = supply_with_stocks(demand, rest + kz, stock, target, cover)
        ratio, got_change = _seen(demand, rest, kz, stock, target, cover)
        same(ratio, demand / np.maximum(seen, 1e-9))
        same(got_change, change)
        gap, offset, spread, endo = odd(rng, n, 1.0), odd(rng, n, 1.0), np.abs(odd(rng, n, 2.0)), rng.random(n) < 0.5
        log_target, log_spot, reversion = odd(rng, n, 3.0), odd(rng, n, 3.0), 0.05
        stocks, drift = _answer(stock, change, gap, offset, spread, endo, reversion, log_target, log_spot)
        same(stocks, stock + np.where(endo, change, 0.0))
        same(drift, np.where(endo, (gap - offset) / spread, reversion * (log_target - log_spot)))
        sigma, normal, uniform, jump = np.abs(odd(rng, n, 0.1)), odd(rng, n, 1.0), rng.random(n), odd(rng, n, 0.5)
        want = drift + sigma * normal
        want += (uniform < 0.2) * jump
        same(_change(drift, sigma, normal, uniform, 0.2, jump), want)
        term, spot, held, share = np.abs(odd(rng, n, 9.0)), np.abs(odd(rng, n, 9.0)), rng.random(n) < 0.5, rng.random(n)
        follow = (spot / term) ** (1.0 / 4.0)
        terms, price = _realised(term, follow, spot, held, share, 1.0 - share)
        same(terms, np.where(held, term * follow, spot))
        same(price, share * terms + (1.0 - share) * spot)


def test_a_paths_log_is_kept_read_only():
    path = YearPath(np.array([2020.0, 2030.0]), np.array([[1.0, 3.0], [2.0, 8.0]]))
    first = path.log_at(2025.5)
    same(first, np.log(path.at(2025.5)))
    assert path.log_at(2025.5) is first and not first.flags.writeable

"""Independent random streams (as Starsim's test_order): changing one power's parameters leaves every other
process's draws as they were, so paired comparisons between scenarios share their noise."""

import numpy as np
import pytest

from model import scenario as sc
from model.streams import Block, Streams, gumbel, normal
from model.vocabulary import Stage

UNTOUCHED = ("prices", "tenders", "power.CN", "power.US", "sanctions")


def state(m, name: str) -> dict:
    return m.streams[name].bit_generator.state["state"]


def lockstep(steps: int, base: dict | None = None, **change):
    """Two baseline runs on one seed (with ``base``), one with ``change``; yields both after each quarter."""
    a = sc.load("baseline").build(rng=7, **(base or {}))
    b = sc.load("baseline").build(rng=7, **change)
    for _ in range(steps):
        a.step()
        b.step()
        yield a, b


@pytest.mark.parametrize("change", [{"eu.delay_mean_q": 12.0}, {"eu.budget_usd_m": 1.0}])
def test_changing_the_eu_leaves_the_other_streams_unchanged(change):
    """The price shocks are drawn alike; prices that answer supply may then differ (issue 21), but the exogenous
    ones, and all of them with the markets off, stay equal."""
    diverged = False
    for a, b in lockstep(60, **change):
        for name in UNTOUCHED:
            assert state(a, name) == state(b, name), (name, a.steps)
        exogenous = ~a.markets.endogenous
        np.testing.assert_array_equal(a.prices.price[exogenous], b.prices.price[exogenous])
        diverged |= not np.array_equal(a.trust, b.trust)
    assert diverged  # the change did change the run: the equalities above are not trivial
    for a, b in lockstep(40, **{**change, "mechanisms.markets": 0}, base={"mechanisms.markets": 0}):
        np.testing.assert_array_equal(a.prices.price, b.prices.price)


def test_china_draws_the_same_numbers_for_the_same_pursuit():
    a_runs, b_runs = [], []
    *_, (a, b) = lockstep(40, **{"eu.delay_mean_q": 0.0})
    for m, out in ((a, a_runs), (b, b_runs)):
        pur = m.pursuits
        cn = np.flatnonzero((pur.power[: pur.n] == m.index["CN"]) & ~pur.solo[: pur.n])  # China's own pursuits
        out.extend(zip(pur.start[cn], pur.deposit[cn], pur.ready[cn] - pur.start[cn], pur.ok[cn]))
    common = {(s, d) for s, d, *_ in a_runs} & {(s, d) for s, d, *_ in b_runs}
    assert common
    draws_a = {(s, d): rest for s, d, *rest in a_runs if (s, d) in common}
    draws_b = {(s, d): rest for s, d, *rest in b_runs if (s, d) in common}
    assert draws_a == draws_b  # same approval time and outcome for the same deposit and quarter


def test_the_tender_sequence_is_the_same_until_the_free_set_differs():
    for a, b in lockstep(60, **{"eu.delay_mean_q": 12.0}):
        if not np.array_equal(a.deposits.free_from, b.deposits.free_from) or not np.array_equal(
            a.deposits.stage != Stage.UNLICENSED, b.deposits.stage != Stage.UNLICENSED
        ):
            break
        np.testing.assert_array_equal(a.deposits.tender_open, b.deposits.tender_open)


def test_a_declared_power_does_not_move_the_built_in_streams():
    a = sc.load("baseline").build(rng=3)
    b = sc.load("baseline").build(rng=3, extra_powers=("GULF",), **{"gulf.budget_usd_m": 0.0})
    a.run_for(8)
    b.run_for(8)
    for name in (*UNTOUCHED, "power.EU", "investors"):
        assert state(a, name) == state(b, name), name


def test_streams_are_named_not_numbered():
    root = np.random.SeedSequence(11)
    s1, s2 = Streams(root), Streams(root, ("GULF",))
    s2["power.GULF"].random(5)  # asking for another stream first changes nothing
    assert s1["prices"].random() == s2["prices"].random()
    assert Streams(np.random.SeedSequence(12))["prices"].random() != Streams(root)["prices"].random()


def test_transforms_give_the_right_distributions():
    u = np.random.default_rng(0).random((3, 200_000))
    z = normal(u[0], u[1])
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01
    g = gumbel(u[2])
    assert abs(g.mean() - 0.5772) < 0.01 and abs(g.std() - np.pi / np.sqrt(6)) < 0.01
    assert np.isfinite(normal(np.array([0.0]), np.array([0.5]))).all()


def test_an_unknown_stream_is_refused_with_the_closest_names():
    streams = Streams(np.random.SeedSequence(1), ("EU",))
    with pytest.raises(KeyError, match="did you mean tiebreak"):
        streams["tiebrake"]
    with pytest.raises(KeyError, match=r"power\.EU"):
        streams.power("EUR")
    assert streams.power("EU") is streams["power.EU"]


def test_two_names_with_one_key_are_refused(monkeypatch):
    import model.streams as S

    monkeypatch.setattr(S, "_key", lambda name: 7)
    with pytest.raises(ValueError, match="share a key"):
        S.Streams(np.random.SeedSequence(1))


@pytest.mark.parametrize("seed", range(12))
def test_a_block_gives_the_numbers_of_the_full_draw_and_ends_where_it_does(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.choice([1, 40, Block.WHOLE, Block.WHOLE + 1, 30_000]))
    full, lazy = (np.random.Generator(np.random.PCG64(seed)) for _ in range(2))
    want, block, at = full.random(size), Block(lazy, size), 0
    while at < size and rng.random() < 0.8:  # forward reads, sparse and dense, in any order within a read
        span = int(rng.integers(1, size - at + 1))
        cols = rng.choice(span, int(rng.integers(0, min(span, 40) + 1)), replace=False)
        assert block.take(at, cols).tobytes() == want[at + cols].tobytes()
        at += span
    block.close()
    assert lazy.random() == full.random()


def test_a_large_block_refuses_a_read_backwards_or_twice_at_one_place():
    block = Block(np.random.default_rng(1), 4 * Block.WHOLE)
    block.take(Block.WHOLE, np.array([5]))
    with pytest.raises(ValueError, match="reads go forward"):
        block.take(0, np.array([3]))
    with pytest.raises(ValueError, match="read twice"):  # a sparse read with a repeat
        block.take(2 * Block.WHOLE, np.array([100, 100, 4000]))

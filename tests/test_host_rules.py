"""Hand-worked books for each of the host's rules (model/host_rules.py)."""

import numpy as np
import pytest

from model import host_rules as rules
from model import negotiation

W = rules.Weights(revenue=0.3, processing=0.3, finance=0.2, diversification=0.2, incumbency=0.5)


def offers(**over) -> rules.Offers:
    n = len(next(iter(over.values())))
    base = {name: np.zeros(n) for name in rules.Offers.__dataclass_fields__}
    base["trust"] = np.ones(n)
    return rules.Offers(**{**base, **over})


def test_objective_by_hand():
    # Two negotiation offers for deposit 0: A brings revenue 110 (bonus 10 + fiscal 100), full finance, no
    # processing, from a partner already holding 40% of the foreign value (and 20% of all); B brings 101,
    # half the capex, full processing, a newcomer, from a more trusted partner.
    dep = np.array([0, 0])
    o = offers(
        revenue=np.array([110.0, 101.0]),
        processing=np.array([0.0, 1.0]),
        coverage=np.array([1.0, 0.5]),
        foreign_share=np.array([0.4, 0.0]),
        trust=np.array([0.5, 0.8]),
        incumbent_share=np.array([0.2, 0.0]),
    )
    s = rules.objective(dep, o, W)
    a = 0.5 * (0.3 * 1.0 + 0.3 * (0.0 + 0.5 * 0.2) + 0.2 * 1.0 + 0.2 * 0.6)  # incumbency credits its processing
    b = 0.8 * (0.3 * 101 / 110 + 0.3 * 1.0 + 0.2 * 0.5 + 0.2 * 1.0)
    assert s == pytest.approx([a, b])
    assert rules.pick_winners(dep, s, np.array([0.1, 0.2])).tolist() == [1]  # B: trust and processing


def test_revenue_is_relative_within_each_deposit():
    s = rules.objective(np.array([0, 1]), offers(revenue=np.array([10.0, 1000.0])), W)
    assert s[0] == pytest.approx(s[1])  # each is the best offer for its own deposit


def _numpy_objective(deposit, o, w):
    """The numpy code the kernel replaced (``git show c6f79ff:model/host_rules.py``), its ``unit`` included."""

    def unit(x):
        return np.minimum(np.maximum(x, 0.0), 1.0)

    best = np.zeros(int(deposit.max()) + 1 if deposit.size else 0)
    np.maximum.at(best, deposit, o.revenue)
    rel = np.divide(o.revenue, best[deposit], out=np.zeros(np.shape(o.revenue)), where=best[deposit] > 0)
    base = (
        w.revenue * unit(rel)
        + w.processing * unit(o.processing + w.incumbency * o.incumbent_share)
        + w.finance * unit(o.coverage)
        + w.diversification * unit(1.0 - o.foreign_share)
        + w.framework * o.framework
    )
    return o.trust * base


def test_the_objective_kernel_gives_the_numpy_codes_numbers_bit_for_bit():
    rng = np.random.default_rng(11)
    for case in range(400):
        n = int(rng.integers(0, 12))
        dep = rng.integers(0, 5, n)
        revenue = np.round(rng.random(n) * 200 - 20, 0 if case % 3 == 0 else 6)  # ties, zeros, losses
        if case % 40 == 0 and n:
            revenue[0] = np.nan
        o = offers(
            revenue=revenue,
            processing=rng.random(n) * 1.2,
            coverage=rng.random(n) * 1.5,
            foreign_share=rng.random(n),
            trust=rng.random(n),
            incumbent_share=rng.random(n),
            framework=(rng.random(n) < 0.3).astype(float) if case % 2 else 0.0,
        ) if n else offers(revenue=np.zeros(0))  # fmt: skip
        w = rules.Weights(*rng.random(5), framework=float(rng.random()))
        with np.errstate(invalid="ignore"):  # a NaN revenue
            got, want = rules.objective(dep, o, w), _numpy_objective(dep, o, w)
        assert np.array_equal(got.view(np.int64), want.view(np.int64)), case


def test_an_offers_features_by_hand():
    """Pursuit 1 (holder 2's offer on deposit 0, commodity 1): revenue = bonus 2 + fiscal take 98 = 100; coverage =
    (30 + 20) / 200 = 0.25; the partner's foreign share, trust and incumbency in the commodity; a framework.
    """
    foreign, incumbency, frameworks = np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((2, 3), dtype=bool)
    foreign[1, 2], incumbency[1, 2], frameworks[1, 2] = 0.4, 0.3, True
    o = rules.Offers(*rules.offer_features(
        np.array([1]), np.array([5, 0]), np.array([0, 2]), np.array([0.0, 2.0]), np.array([98.0]),
        np.array([0.0, 0.6]), np.array([0.0, 30.0]), np.array([0.0, 20.0]), np.array([200.0]), np.array([1]),
        foreign, np.array([0.0, 0.0, 0.7]), incumbency, frameworks,
    ))  # fmt: skip
    assert (o.revenue, o.processing, o.coverage) == ([100.0], [0.6], [0.25])
    assert (o.foreign_share, o.trust, o.incumbent_share, o.framework) == ([0.4], [0.7], [0.3], [1.0])


def test_fiscal_pv_by_hand():
    # one deposit of 8 quarters' output at 1,000 t a quarter, USD 2,000 a tonne, tax 10%, margin 30%, state stake
    # 50%, lead 4 quarters, host's rate 10% a year; the other deposit is not being decided (zero)
    v = 1.1**-0.25
    revenue = 1000 * 4 * 2000 / 1e6  # USD 8 m a year
    yearly = revenue * 0.1 + 0.5 * revenue * (0.3 - 0.1)  # tax, and the stake's part of the margin left
    want = yearly / 4 * v**4 * (1 - v**8) / (1 - v)
    got = rules.fiscal_pv(np.array([1]), np.array([0, 0]), np.array([500.0, 1000.0]), np.array([9.0, 8000.0]),
                          np.array([2, 4]), np.array([2000.0]), np.array([0.1]), np.array([0.5]), 0.3, 0.1, 2)  # fmt: skip
    assert got[0] == 0.0 and got[1] == pytest.approx(want, rel=1e-12)
    # a thin margin (below the tax) leaves the tax alone; a zero rate sums the quarters undiscounted
    thin = rules.fiscal_pv(np.array([0]), np.array([0]), np.array([1000.0]), np.array([8000.0]), np.array([0]),
                           np.array([2000.0]), np.array([0.1]), np.array([0.5]), 0.05, 0.0, 1)  # fmt: skip
    assert thin[0] == pytest.approx(revenue * 0.1 / 4 * 8, rel=1e-12)


def test_fiscal_pv_is_the_numpy_formula_to_the_last_bits():
    # the numpy code it replaced (agents/host.py before the kernel), on random deposits
    rng = np.random.default_rng(5)
    n, k = 40, 3
    commodity, capacity = rng.integers(0, k, n), rng.uniform(0.0, 5000.0, n)
    remaining, lead = rng.uniform(0.0, 1e6, n), rng.integers(0, 30, n)
    price, met, margin = rng.uniform(10.0, 1e4, k), rng.uniform(0.0, 0.4, k), 0.3
    deps = np.sort(rng.choice(n, 15, replace=False))
    stake = rng.uniform(0.0, 0.5, deps.size)
    for rate in (0.08, 0.0):
        v = (1.0 + rate) ** -0.25
        c = commodity[deps]
        revenue = capacity[deps] * 4.0 * price[c] / 1e6
        yearly = revenue * met[c] + stake * revenue * np.maximum(margin - met[c], 0.0)
        life = remaining[deps] / np.maximum(capacity[deps], 1e-12)
        lasts = (1.0 - v**life) / max(1.0 - v, 1e-12) if v < 1.0 else life
        want = np.zeros(n)
        want[deps] = yearly / 4.0 * v ** lead[deps] * lasts
        got = rules.fiscal_pv(deps, commodity, capacity, remaining, lead, price, met, stake, margin, rate, n)
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=0)


def test_auction_the_highest_qualified_bonus_wins():
    # deposit 0: bids of 5 (no processing: fails), 3 and 3 (tie, broken by the draws); deposit 1: 9 (too
    # little financed: fails) and 1; deposit 2: only failing bids, so no winner.
    dep = np.array([0, 0, 0, 1, 1, 2])
    bonus = np.array([5.0, 3.0, 3.0, 9.0, 1.0, 7.0])
    processing = np.array([0.0, 0.5, 0.4, 0.6, 0.3, 0.1])
    coverage = np.array([1.0, 0.6, 0.9, 0.2, 1.0, 1.0])
    ok = rules.qualifies(processing, coverage, min_processing=0.3, min_coverage=0.5)
    assert ok.tolist() == [False, True, True, False, True, False]
    draws = np.array([0.0, 0.2, 0.7, 0.0, 0.0, 0.0])
    assert sorted(rules.auction_winners(dep, bonus, ok, draws).tolist()) == [2, 4]
    assert sorted(rules.auction_winners(dep, bonus, ok, draws[[0, 2, 1, 3, 4, 5]]).tolist()) == [1, 4]


def test_negotiation_accepts_at_reservation_or_at_the_close():
    score = np.array([0.1, 0.5, 0.1])
    closing = np.array([False, False, True])
    assert [negotiation.accepted_now(s, c, 0.45) for s, c in zip(score, closing)] == [False, True, True]
    declined = [negotiation.accepted_now(s, c, 0.45, minimum=0.2) for s, c in zip(score, closing)]
    assert declined == [False, True, False]


def test_host_keeps_a_negotiation_open_for_a_preferred_partner():
    # closing at step 10 with a best offer of 0.30: a 0.40 partner due at step 11 is worth waiting for (2 q)
    assert negotiation.keep_open(0.30, 0.40, pending_ready=11, close=10, wait_q=2) == 11
    assert negotiation.keep_open(0.30, 0.40, pending_ready=13, close=10, wait_q=2) == 10  # too late
    assert negotiation.keep_open(0.30, 0.25, pending_ready=11, close=10, wait_q=2) == 10  # not better
    assert negotiation.keep_open(0.30, 0.40, pending_ready=9, close=10, wait_q=2) == 11  # due now: one more quarter


def test_priority_right_the_state_buys_unless_a_buyer_reaches_the_reservation():
    assert rules.priority_buyer(np.array([0.2, 0.35, 0.1]), 0.3) == 1
    assert rules.priority_buyer(np.array([0.2, 0.25]), 0.3) == -1
    assert rules.priority_buyer(np.array([]), 0.3) == -1


def test_one_winner_per_deposit_and_ties_by_draws():
    dep = np.array([2, 0, 2, 0, 1])
    score = np.array([0.1, 0.9, 0.5, 0.3, 0.4])
    assert sorted(rules.pick_winners(dep, score, np.zeros(5)).tolist()) == [1, 2, 4]
    assert rules.pick_winners(np.array([3, 3]), np.array([0.7, 0.7]), np.array([0.9, 0.1])).tolist() == [0]


def test_offers_open_the_free_plots_with_the_lowest_draws():
    draws = np.array([0.9, 0.1, 0.5, 0.3, 0.2])
    free = np.array([0, 2, 3])  # plots 1 and 4 are licensed: their low draws do not matter
    assert rules.tenders_to_open(free, draws, 0.5).tolist() == [3, 2]  # round(1.5) = 2
    assert rules.tenders_to_open(free, draws, 0.01).tolist() == [3]  # at least one
    assert rules.tenders_to_open(free, draws, 0.0).size == 0  # a host that offers nothing
    assert rules.tenders_to_open(np.array([], dtype=int), draws, 0.5).size == 0


def test_offers_match_a_full_stable_sort_ties_included():
    rng = np.random.default_rng(7)
    for trial in range(500):
        draws = rng.random(300)
        if trial % 2:
            draws = np.round(draws, 1)  # ties (and 1.0), where only the full sort decides
        free = np.sort(rng.choice(300, int(rng.integers(1, 300)), replace=False))
        rate = float(rng.choice([0.01, 0.25, 0.5, 1.0]))
        k = min(free.size, max(1, round(rate * free.size)))
        want = free[np.argsort(draws[free], kind="stable")[:k]]
        assert np.array_equal(rules.tenders_to_open(free, draws, rate), want)


def book(**over) -> negotiation.Book:
    """A negotiation book; the fields not given are empty."""
    empty = {name: np.zeros(0) for name in negotiation.Book.__dataclass_fields__}
    for name in ("deposit", "rows", "pending_deposit", "pending_ready"):
        empty[name] = np.zeros(0, dtype=np.int64)
    for name in ("closing", "strategic", "row_strategic", "row_extended"):
        empty[name] = np.zeros(0, dtype=bool)
    return negotiation.Book(**{**empty, **over})


BARS = negotiation.Bars(reservation=0.8, minimum=0.3, state_firm=0.0, wait_q=2, step=10)
V = negotiation.Verdict


def decided(d: negotiation.Decisions) -> list[tuple[int, str, int, int]]:
    return [(int(a), V(b).name, int(c), int(u)) for a, b, c, u in zip(d.deposit, d.verdict, d.offer, d.until)]


def test_negotiate_accepts_at_the_reservation_at_once_closing_or_not():
    # deposit 4 (not closing): offers 0.85 and 0.9: the 0.9 (offer 1) reaches the reservation 0.8: taken now.
    # deposit 7 (closing): its one offer 0.5 is below the reservation but above the minimum 0.3: at the close.
    b = book(
        deposit=np.array([4, 4, 7]),
        score=np.array([0.85, 0.9, 0.5]),
        tiebreak=np.zeros(3),
        closing=np.array([False, False, True]),
        strategic=np.zeros(3, dtype=bool),
        rows=np.array([7]),
        row_strategic=np.array([False]),
        row_extended=np.array([False]),
    )
    assert decided(negotiation.negotiate(b, BARS)) == [(4, "ACCEPT", 1, -1), (7, "ACCEPT_AT_CLOSE", 2, -1)]


def test_negotiate_waits_once_for_a_preferred_partner_in_approval():
    # deposit 7 closes at step 10 with a binding 0.5; an offer scoring 0.7 is due at step 11 (within the 2-quarter
    # wait): kept open until 11. Had it been kept open before (extended), the 0.5 is accepted at the close.
    common = {
        "deposit": np.array([7]),
        "score": np.array([0.5]),
        "tiebreak": np.zeros(1),
        "closing": np.array([True]),
        "strategic": np.array([False]),
        "rows": np.array([7]),
        "row_strategic": np.array([False]),
        "pending_deposit": np.array([7, 7]),
        "pending_score": np.array([0.7, 0.4]),
        "pending_ready": np.array([11, 10]),
    }
    first = negotiation.negotiate(book(row_extended=np.array([False]), **common), BARS)
    assert decided(first) == [(7, "KEEP_OPEN", -1, 11)]
    again = negotiation.negotiate(book(row_extended=np.array([True]), **common), BARS)
    assert decided(again) == [(7, "ACCEPT_AT_CLOSE", 0, -1)]
    # a partner due after the wait (step 13 > 10 + 2) is not waited for
    late = {**common, "pending_ready": np.array([13, 10])}
    assert decided(negotiation.negotiate(book(row_extended=np.array([False]), **late), BARS))[0][1] == "ACCEPT_AT_CLOSE"


def test_negotiate_gives_a_strategic_deposit_to_the_state_firm_or_declines():
    # The state's firm is worth 0.6. Strategic deposit 2's best offer 0.55 is below it: the firm takes it (its
    # bars are 0.6, so 0.55 is neither accepted now nor at the close). Deposit 3 (not strategic) has no offer:
    # declined. Deposit 5 (strategic) gets 0.7: above the firm's worth but below the reservation: at the close.
    b = book(
        deposit=np.array([2, 5]),
        score=np.array([0.55, 0.7]),
        tiebreak=np.zeros(2),
        closing=np.array([True, True]),
        strategic=np.array([True, True]),
        rows=np.array([2, 3, 5]),
        row_strategic=np.array([True, False, True]),
        row_extended=np.zeros(3, dtype=bool),
    )
    bars = negotiation.Bars(reservation=0.8, minimum=0.3, state_firm=0.6, wait_q=0, step=10)
    assert decided(negotiation.negotiate(b, bars)) == [
        (2, "STATE_FIRM", -1, -1),
        (3, "DECLINE", -1, -1),
        (5, "ACCEPT_AT_CLOSE", 1, -1),
    ]


def test_negotiate_an_accepted_deposit_may_also_be_kept_open():
    # accepted now at 0.9, and closing with a pending 0.95 due next quarter: both (the award stands)
    b = book(
        deposit=np.array([1]),
        score=np.array([0.9]),
        tiebreak=np.zeros(1),
        closing=np.array([True]),
        strategic=np.array([False]),
        rows=np.array([1]),
        row_strategic=np.array([False]),
        row_extended=np.array([False]),
        pending_deposit=np.array([1]),
        pending_score=np.array([0.95]),
        pending_ready=np.array([11]),
    )
    assert decided(negotiation.negotiate(b, BARS)) == [(1, "ACCEPT", 0, -1), (1, "KEEP_OPEN", -1, 11)]


def numpy_features(offers, deposit, power, bonus, fiscal, processing, public, private, capex, commodity, foreign,
                   trust, incumbency, frameworks):  # fmt: skip
    """``Host.features`` as numpy computed it before 2026-12-07: the reference."""
    dep, p = deposit[offers], power[offers]
    c = commodity[dep]
    return rules.Offers(
        revenue=bonus[offers] + fiscal[dep],
        processing=processing[offers],
        coverage=(public[offers] + private[offers]) / np.maximum(capex[dep], 1e-9),
        foreign_share=foreign[c, p],
        trust=trust[p],
        incumbent_share=incumbency[c, p],
        framework=frameworks[c, p].astype(float),
    )


@pytest.mark.parametrize("seed", range(20))
def test_offer_features_are_numpys(seed):
    """Offers on few deposits, repeated partners, capex of zero, offers of nothing, and no offer at all."""
    rng = np.random.default_rng(seed)
    n, pursuits, h, c = int(rng.integers(1, 30)), int(rng.integers(1, 50)), 7, 5
    deposit, power = rng.integers(0, n, pursuits), rng.integers(0, h, pursuits)
    bonus, processing = rng.random(pursuits) * rng.choice([0.0, 1.0, 1e3], pursuits), rng.random(pursuits)
    public, private = rng.random(pursuits) * 100, rng.random(pursuits) * rng.choice([0.0, 50.0], pursuits)
    fiscal, capex = rng.random(n) * 1e3, rng.choice([0.0, 1e-12, 10.0, 500.0], n) * rng.random(n)
    commodity, trust = rng.integers(0, c, n), rng.random(h)
    foreign, incumbency, frameworks = rng.random((c, h)), rng.random((c, h)), rng.random((c, h)) < 0.3
    offers = rng.permutation(pursuits)[: int(rng.integers(0, pursuits + 1))]
    args = (deposit, power, bonus, fiscal, processing, public, private, capex, commodity, foreign, trust, incumbency,
            frameworks)  # fmt: skip
    got, want = rules.Offers(*rules.offer_features(offers, *args)), numpy_features(offers, *args)
    for field in ("revenue", "processing", "coverage", "foreign_share", "trust", "incumbent_share", "framework"):
        assert getattr(got, field).tobytes() == getattr(want, field).tobytes(), field


def test_the_free_plots_and_the_decision_book_are_the_numpy_masks():
    """``free_plots`` (``Host.offer``) and ``decision_book`` (``Host.decide``) against the numpy masks they replaced
    (``git show eaae036:agents/host.py``), on random states with every stage, channel and status.
    """
    from model.pursuits import BINDING
    from model.vocabulary import Channel, Stage

    rng = np.random.default_rng(6)
    stages, channels = np.array(list(Stage)), np.array(list(Channel))
    for _ in range(300):
        n, k, step = int(rng.integers(0, 30)), int(rng.integers(0, 40)), int(rng.integers(0, 12))
        stage, channel = rng.choice(stages, n).astype(np.int64), rng.choice(channels, n).astype(np.int64)
        free_from, close = rng.integers(0, 12, n), rng.integers(0, 12, n)
        remaining, direct = rng.random(n) * (rng.random(n) < 0.8), rng.random(n) < 0.5
        want = (stage == Stage.UNLICENSED) & (free_from <= step) & (remaining > 0) & (channel != Channel.EXPLORATION)
        assert np.array_equal(rules.free_plots(stage, free_from, remaining, channel, step), want.nonzero()[0])
        status, deposit = rng.integers(0, 4, k), rng.integers(0, max(n, 1), k) if n else np.zeros(0, dtype=np.int64)
        active = np.sort(rng.choice(k, int(rng.integers(0, k + 1)), replace=False)) if k and n else deposit[:0]
        offers, negotiated, closing, work = rules.decision_book(active, status, deposit, BINDING, stage, close,
                                                                direct, step)  # fmt: skip
        binding = active[status[active] == BINDING]
        want_offers = binding[stage[deposit[binding]] == Stage.TENDERED]
        want_closing = (stage == Stage.TENDERED) & (close <= step)
        assert np.array_equal(offers, want_offers) and np.array_equal(closing, want_closing)
        assert np.array_equal(negotiated, direct[deposit[want_offers]])
        assert work == bool(want_offers.size or want_closing.any())

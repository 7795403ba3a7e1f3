"""Pure functions of the speed pass held to the code they replaced, on random inputs.

The speed pass (e12cb9a onwards) rewrote the host's ``negotiate`` (a per-deposit loop, vectorised in 271b3e5 and
5327626), its ``tenders_to_open`` (a full stable sort, now a sort of the few draws under a bar, b55fcea and
1d29c8e) and ``annuities`` (a scalar shortcut, 140ca32 and 38d6fad), each promising the same results. The old code
is copied below as reference functions, with the commit it comes from; the inputs are random (fixed seeds), built
as the model builds them (``agents/host.py``: ``_negotiations``, ``offer``), with values on a coarse grid for ties
and for scores exactly at a bar, sizes down to zero, and special values. A last test per function checks that the
random cases reach every branch, so that a generator gone narrow cannot pass quietly.
"""

import numpy as np
import pytest

from model import host_rules as rules
from model import libm, negotiation
from model.economics import annuities

SEEDS = range(250)
COARSE = pytest.mark.parametrize("coarse", [False, True], ids=["fine", "coarse"])
V = negotiation.Verdict


def assert_same(got, want, what: str) -> None:
    """``got`` is ``want`` bit for bit: dtype, shape and bytes."""
    got, want = np.asarray(got), np.asarray(want)
    assert (got.dtype, got.shape) == (want.dtype, want.shape), what
    assert got.tobytes() == want.tobytes(), f"{what}: {got!r} != {want!r}"


def grid(rng, size, coarse: bool, step: float = 0.05) -> np.ndarray:
    """Uniform in [0, 1), rounded to multiples of ``step`` when ``coarse`` (ties, values exactly at a bar)."""
    x = rng.random(size)
    return np.round(x / step) * step if coarse else x


# --- negotiate ----------------------------------------------------------------------------------------------
# The last loop version, at 67be93c (271b3e5 replaced it), with its helpers as they were there. It differs from the
# loop before the speed pass (18fa977) only in skipping ``_wait`` for rows with no offer in approval (a step).
# ``keep_open`` is the same there as now (hand-worked in tests/test_host_rules.py; compiled since the decision became
# one compiled pass, ``model/negotiation.py``), so the reference calls it; ``accepted_now`` (now one offer at a time)
# and ``_wait`` (now inside the compiled pass) are copied as they were there. What was rewritten is the loop and
# ``pick_winners``.
def old_pick_winners(deposit: np.ndarray, score: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Index of the best offer for each distinct deposit; equal scores are decided by ``tiebreak``."""
    if deposit.size == 0:
        return np.empty(0, dtype=np.int64)
    order = np.lexsort((tiebreak, score, deposit))
    last = np.r_[deposit[order][1:] != deposit[order][:-1], True]
    return order[last]


def old_accepted_now(score, closing, reservation, minimum=0.0):
    """Which best negotiation offers the host takes now (arrays, or per-offer bars)."""
    return (score >= reservation) | (closing & (score >= minimum))


def old_wait(book, bars, row: int, best_now: float, extended: bool) -> int:
    """Until when the host keeps ``row`` open for its preferred pending offer (the first best by pursuit order)."""
    if extended or bars.wait_q == 0:
        return bars.step
    on_row = book.pending_deposit == row
    if not on_row.any():
        return bars.step
    k = int(np.argmax(book.pending_score[on_row]))
    return negotiation.keep_open(
        best_now, float(book.pending_score[on_row][k]), int(book.pending_ready[on_row][k]), bars.step, bars.wait_q
    )


def old_negotiate(book: negotiation.Book, bars: negotiation.Bars) -> negotiation.Decisions:
    """``negotiate`` at 67be93c: one pass over the closing rows, the first verdict that holds."""
    best_score: dict[int, float] = {}
    out: list[tuple[int, int, int, int]] = []  # deposit, verdict, offer, until
    at_close: dict[int, int] = {}
    if book.deposit.size:
        best = old_pick_winners(book.deposit, book.score, book.tiebreak)
        dep, score = book.deposit[best], book.score[best]
        firm = np.where(book.strategic[best], bars.state_firm, 0.0)
        reservation, minimum = np.maximum(bars.reservation, firm), np.maximum(bars.minimum, firm)
        take = old_accepted_now(score, book.closing[best], reservation, minimum)
        now = take & (score >= reservation)
        out += [(int(d), V.ACCEPT, int(j), -1) for d, j in zip(dep[now], best[now])]
        at_close = {int(d): int(j) for d, j in zip(dep[take & ~now], best[take & ~now])}
        best_score = dict(zip(dep.tolist(), score.tolist()))
    accepted = {d for d, *_ in out}
    pending = set(book.pending_deposit.tolist())  # most closing rows have no offer in approval: no search
    rows = zip(book.rows.tolist(), book.row_extended.tolist(), book.row_strategic.tolist())
    for row, extended, strategic in rows:
        now_best = best_score.get(row, -np.inf)
        until = old_wait(book, bars, row, now_best, extended) if row in pending else bars.step
        if until != bars.step:
            out.append((row, V.KEEP_OPEN, -1, until))
        elif row in accepted:
            continue
        elif strategic and bars.state_firm > 0 and now_best < bars.state_firm:
            out.append((row, V.STATE_FIRM, -1, -1))
        elif row in at_close:
            out.append((row, V.ACCEPT_AT_CLOSE, at_close[row], -1))
        else:
            out.append((row, V.DECLINE, -1, -1))
    cols = np.array(out, dtype=np.int64).reshape(-1, 4).T
    return negotiation.Decisions(deposit=cols[0], verdict=cols[1], offer=cols[2], until=cols[3])


def negotiation_case(seed: int, coarse: bool) -> tuple[negotiation.Book, negotiation.Bars]:
    """A quarter's book as ``Host._negotiations`` gathers it: binding offers on tendered direct deposits in pursuit
    order (deposits interleaved, one offer per power and deposit, a power's tiebreak draw shared across deposits);
    ``rows`` the closing ones, ascending; offers still in approval on closing rows only, due after this step,
    within or after the wait. Some books have no offers, no closing row or neither.
    """
    rng = np.random.default_rng(seed)
    n_dep, n_pow, step = (int(v) for v in rng.integers([1, 1, 0], [16, 8, 40]))
    if rng.random() < 0.05:  # an empty book now and then
        n_dep = 0
    negotiated = rng.random(n_dep) < 0.8  # tendered, direct channel
    closing = negotiated & (rng.random(n_dep) < rng.choice([0.0, 0.5, 1.0]))
    strategic = rng.random(n_dep) < 0.4
    extended = closing & (rng.random(n_dep) < 0.3)
    tiebreak = rng.random(n_pow)
    bars = negotiation.Bars(
        reservation=float(grid(rng, None, coarse) * 0.5 + 0.5),
        minimum=float(grid(rng, None, coarse) * 0.5),
        state_firm=float(rng.choice([0.0, *grid(rng, 2, coarse)])),
        wait_q=int(rng.integers(0, 4)),
        step=step,
    )
    pairs = np.argwhere(negotiated[:, None] & (rng.random((n_dep, n_pow)) < rng.random()))
    offers = rng.permutation(pairs) if rng.random() > 0.1 else pairs[:0]  # now and then no offer at all
    dep, power = offers[:, 0].astype(np.int64), offers[:, 1].astype(np.int64)
    rows = np.flatnonzero(closing)
    wait = np.argwhere(closing[:, None] & (rng.random((n_dep, n_pow)) < 0.3))
    pending = rng.permutation(wait)[:, 0].astype(np.int64)
    return (
        negotiation.Book(
            deposit=dep,
            score=grid(rng, dep.size, coarse),
            tiebreak=tiebreak[power],
            closing=closing[dep],
            strategic=strategic[dep],
            rows=rows,
            row_strategic=strategic[rows],
            row_extended=extended[rows],
            pending_deposit=pending,
            pending_score=grid(rng, pending.size, coarse),
            pending_ready=step + rng.integers(1, bars.wait_q + 3, pending.size),
        ),
        bars,
    )


@COARSE
@pytest.mark.parametrize("seed", SEEDS)
def test_negotiate_is_the_loop_it_replaced(seed, coarse):
    """Deposit, verdict, offer and until of every decision, in order, as the per-row loop had them."""
    book, bars = negotiation_case(seed, coarse)
    got, want = negotiation.negotiate(book, bars), old_negotiate(book, bars)
    for field in ("deposit", "verdict", "offer", "until"):
        assert_same(getattr(got, field), getattr(want, field), f"{field} (seed {seed})")


def waits(book: negotiation.Book, bars: negotiation.Bars) -> dict[str, bool]:
    """Whether some closing row not yet extended has an offer in approval preferred to its best binding one and
    ready after the wait, or one not preferred (lower or equal).
    """
    out = {"a preferred offer in approval ready after the wait": False, "an offer in approval not preferred": False}
    for row in np.unique(book.pending_deposit[np.isin(book.pending_deposit, book.rows[~book.row_extended])]):
        on_row, bound = book.pending_deposit == row, book.score[book.deposit == row]
        k = int(np.argmax(book.pending_score[on_row]))
        better = book.pending_score[on_row][k] > (bound.max() if bound.size else -np.inf)
        late = book.pending_ready[on_row][k] > bars.step + bars.wait_q
        out["a preferred offer in approval ready after the wait"] |= bool(better and late)
        out["an offer in approval not preferred"] |= bool(not better)
    return out


def test_negotiation_cases_reach_every_branch():
    """The random books hold every verdict, an award kept open, score ties, scores at a bar, a wait of 0 and
    empty books.
    """
    seen = {}
    for coarse in (False, True):
        for seed in SEEDS:
            book, bars = negotiation_case(seed, coarse)
            d = old_negotiate(book, bars)
            now, kept = d.deposit[d.verdict == V.ACCEPT], d.deposit[d.verdict == V.KEEP_OPEN]
            best = old_pick_winners(book.deposit, book.score, book.tiebreak)
            tied = np.unique(np.c_[book.deposit, book.score], axis=0).shape[0] < book.deposit.size
            facts = {f"verdict {v.name}": v in d.verdict for v in V} | {
                "accepted now and kept open": np.isin(now, kept).any(),
                "a tie in score decided by the draw": tied,
                "a best offer exactly at the reservation": (book.score[best] == bars.reservation).any(),
                "state firm zero": bars.state_firm == 0,
                "wait_q 0 with offers in approval": bars.wait_q == 0 and book.pending_deposit.size > 0,
                "an extended row with an offer in approval": (
                    book.row_extended & np.isin(book.rows, book.pending_deposit)
                ).any(),
                **waits(book, bars),
                "no offer at all": book.deposit.size == 0,
                "an empty book": book.deposit.size == 0 and book.rows.size == 0,
            }
            for name, fact in facts.items():
                seen[name] = seen.get(name, 0) + bool(fact)
    assert all(seen.values()), seen


@pytest.mark.parametrize("seed", SEEDS)
def test_pick_winners_is_the_lexsort_it_replaced(seed):
    """The compiled pick (``host_rules.best_offers``, also the auctions') against ``np.lexsort`` at 67be93c, with
    ties in score and in draw, scores of -0.0 and 0.0, NaN scores and draws, and no offers at all.
    """
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 30))
    deposit = rng.integers(0, max(1, n // 3 + 1), n)
    score = rng.choice([0.0, -0.0, 0.25, 0.5, np.nan], n) if seed % 2 else rng.random(n)
    tiebreak = rng.choice([0.1, 0.2, np.nan], n) if seed % 3 == 0 else rng.random(n)
    assert_same(
        rules.pick_winners(deposit, score, tiebreak), old_pick_winners(deposit, score, tiebreak), f"seed {seed}"
    )


# --- tenders_to_open ----------------------------------------------------------------------------------------
def plain_tenders(free: np.ndarray, draws: np.ndarray, rate: float) -> np.ndarray:
    """The definition (``tenders_to_open`` before b55fcea): the ``k`` free plots with the lowest draws."""
    if free.size == 0 or rate <= 0:
        return free[:0]
    k = min(free.size, max(1, round(rate * free.size)))
    return free[np.argsort(draws[free], kind="stable")[:k]]


def tender_case(seed: int, coarse: bool) -> tuple[np.ndarray, np.ndarray, float]:
    """Free plots (ascending, as ``np.flatnonzero`` gives them) among up to 3,000 slots, one draw per slot
    (rounded to a tenth when ``coarse``: ties), at times skewed high so that few fall under the bar, and a rate
    of 0, tiny, between or 1.
    """
    rng = np.random.default_rng(seed)
    slots = int(rng.choice([0, 1, 2, 5, 40, 300, 3000]))
    free = np.flatnonzero(rng.random(slots) < rng.choice([0.0, 0.05, 0.5, 1.0], p=[0.1, 0.3, 0.3, 0.3]))
    draws = rng.random(slots) ** rng.choice([1.0, 1.0, 0.2, 0.05])  # 0.05: nearly all close to 1
    if coarse:
        draws = np.round(draws, 1)
    rate = float(rng.choice([0.0, 1e-3, 1.0, rng.random(), rng.random() * 0.1], p=[0.1, 0.15, 0.15, 0.3, 0.3]))
    return free, draws, rate


@COARSE
@pytest.mark.parametrize("seed", SEEDS)
def test_tenders_to_open_is_the_plain_sort(seed, coarse):
    """The same plots in the same order as the full stable sort of the free plots' draws."""
    free, draws, rate = tender_case(seed, coarse)
    assert_same(rules.tenders_to_open(free, draws, rate), plain_tenders(free, draws, rate), f"seed {seed}")


def test_tender_cases_take_both_paths():
    """Some cases have k draws under the bar (the short sort), others fewer (the full sort)."""
    paths = {"short sort": 0, "full sort": 0, "none offered": 0, "ties at the k-th draw": 0}
    for coarse in (False, True):
        for seed in SEEDS:
            free, draws, rate = tender_case(seed, coarse)
            if free.size == 0 or rate <= 0:
                paths["none offered"] += 1
                continue
            k = min(free.size, max(1, round(rate * free.size)))
            d = np.sort(draws[free])
            few = (d < min(1.0, 1.1 * k / free.size + 0.01)).sum()
            paths["short sort" if few >= k else "full sort"] += 1
            paths["ties at the k-th draw"] += bool(k < d.size and d[k - 1] == d[k])
    assert all(paths.values()), paths


# --- annuities ----------------------------------------------------------------------------------------------
def old_annuity(v, n):
    """``annuity`` at bd1995a: the general form for every ``v`` (its power the C library's since 2026-12-08)."""
    return np.where(v < 1.0, (1.0 - libm.power(v, n)) / np.maximum(1.0 - v, 1e-12), n)


RATES = [0.0, 0.5, 0.97, 0.9987, 1.0 - 1e-13, 1.0, 1.0 + 1e-13, 1.02, np.nan]  # v >= 1 or NaN: general path
COUNTS = [
    0,
    7,
    2.5,
    10**6,
    0.0,
    1e300,
    np.inf,
    np.array([0, 1, 3, 80, 4000]),
    np.array([0.0, 0.25, 1.5, 39.75, 1e5]),
    np.zeros((0,)),
    np.arange(12.0).reshape(3, 4) / 3,
    np.array(17.5),
]


def scalar(kind: str, v: float):
    """``v`` as the callers pass a single rate: a Python float, a numpy float or a 0-d array."""
    return {"float": float(v), "float64": np.float64(v), "0-d": np.asarray(v, dtype=float)}[kind]


def outcome(f, *args):
    """What ``f`` returns, or the type of the arithmetic error it raises (a Python float past its range)."""
    try:
        return f(*args)
    except ArithmeticError as e:
        return type(e)


def annuity_alone(v, n):
    """``annuities`` of one count."""
    return annuities(v, n)[0]


def assert_same_outcome(got, want, what: str) -> None:
    """Both raise the same error, or ``assert_same``."""
    if isinstance(got, type) or isinstance(want, type):
        assert got is want, what
    else:
        assert_same(got, want, what)


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
@pytest.mark.parametrize("kind", ["float", "float64", "0-d"])
@pytest.mark.parametrize("v", RATES)
def test_annuities_at_one_rate_are_the_general_form(v, kind):
    """One rate, each count alone and all at once: bit for bit the general form of bd1995a (a Python float rate
    above 1 overflows on a huge count in both).
    """
    v = scalar(kind, v)
    want = [outcome(old_annuity, v, n) for n in COUNTS]
    for n, w in zip(COUNTS, want):
        assert_same_outcome(outcome(annuity_alone, v, n), w, f"v={v!r}, n={n!r}")
    errors = [w for w in want if isinstance(w, type)]
    together = outcome(annuities, v, *COUNTS)
    if errors:
        assert together is errors[0], f"v={v!r}: all counts at once"
    else:
        for got, w in zip(together, want):
            assert_same(got, w, f"v={v!r}: all counts at once")


@pytest.mark.parametrize("seed", range(50))
def test_annuities_over_arrays_of_rates_are_the_general_form(seed):
    """Rates as arrays (a column of rates against deposits, as ``npv_usd_m`` has them), NaN and 1 included."""
    rng = np.random.default_rng(seed)
    v = rng.choice(np.array([*RATES, *rng.uniform(0.9, 1.0, 9)]), (int(rng.integers(0, 5)), 1))
    n = [np.round(rng.uniform(0, 200, 6), int(rng.integers(0, 3))), rng.integers(0, 400, (1, 6))]
    for got, want in zip(annuities(v, *n), [old_annuity(v, x) for x in n]):
        assert_same(got, want, f"seed {seed}")


def test_annuities_float32_counts_at_a_python_float_rate():
    """Counts in float32 at one Python-float rate below 1: float64, as the general form gave (the shortcut once
    divided by a Python float, a weak scalar under NumPy 2, and kept float32)."""
    n = np.array([0.0, 2.5, 40.0], dtype=np.float32)
    assert_same(annuities(0.98, n)[0], old_annuity(0.98, n), "float32 counts")

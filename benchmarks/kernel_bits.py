"""What moving the whole quarter into compiled code would keep and what it would change, on this machine.

    .venv/bin/python benchmarks/kernel_bits.py              # the primitives
    .venv/bin/python benchmarks/kernel_bits.py --runs 100   # and what last-bit changes do to 100 baseline runs

A compiled quarter (docs/performance.md, "Why 0.25x is not met") would draw its random numbers and take
its logarithms, exponentials and powers inside the kernel. This prints whether numba's ``Generator`` draws give
numpy's bits (the streams, and so common random numbers, would be kept) and in how many of a million values
numba's ``log``, ``exp`` and ``**`` differ from numpy's (numpy's loops are SIMD code of its own; numba calls the
C library's), which decides whether such a kernel can keep the golden bit for bit or must regenerate it under an
equivalence test; and whether numba's BLAS products and squares give numpy's bits, and what a returned array
costs. Figures depend on the CPU (numpy picks its loops by the instructions the CPU has).

``--runs N`` asks whether such an equivalence test could pass: it runs the baseline on N seeds as it is and with
one unit in the last place (ulp) added or taken off every price, investor value, power's discount factors (its
scores are computed in a kernel), fiscal value, host's objective and trust level, each time they are computed.
First "as a kernel would": the direction is a bit of the value itself, so equal values move alike and exact ties
stay ties; then at random, entry by entry, which also breaks exact ties (two offers of the same worth). It reports
how many seeds' headline measures (``tests/test_equivalence_slow.py``'s) moved and the spread of the paired
differences against the between-seed spread; the equivalence test's margin is 1% of the latter.
"""

from __future__ import annotations

import argparse
import inspect
import sys
import timeit
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from numba import njit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

STEPS = (40, 100)  # as tests/test_equivalence_slow.py reads them: 2035Q4 and 2050Q4
PREFIXES = ("capacity_share_", "output_share_", "awards_", "eu_supply_security")


@njit(cache=True)
def _draw(gen, n):
    return gen.random(n)


@njit(cache=True)
def _elementwise(x, which):
    out = np.empty_like(x)
    for i in range(x.size):
        if which == 0:
            out[i] = np.log(x[i])
        elif which == 1:
            out[i] = np.exp(x[i])
        else:
            out[i] = x[i] ** 1.7
    return out


@njit(cache=True)
def _dot(a, b):
    return np.dot(a, b)


@njit(cache=True)
def _squares(x, two):
    out = np.empty((2, x.size))
    for i in range(x.size):
        out[0, i], out[1, i] = x[i] ** 2, x[i] ** two  # a literal exponent, and one LLVM cannot see
    return out


@njit(cache=True)
def _number(a):
    return a[0]


@njit(cache=True)
def _array(a):
    return a


def products(trials: int = 20) -> None:
    """numba's BLAS products against numpy's ``@`` (vector · vector, vector · matrix), numpy's scalar ``x ** 2``
    against a kernel's, and what returning an array from a kernel costs against returning a number.
    """
    rng = np.random.default_rng(3)
    vv, vm, total = 0, {1: 0, 2: 0}, {1: 0, 2: 0}
    for n in (1, 2, 5, 12, 40, 100, 282, 600):
        for h in (1, 5, 7, 9):
            for _ in range(trials):
                x, m = rng.random(n) * 10.0 ** rng.integers(-3, 5, n), rng.random((n, h))
                y = m[:, 0].copy()  # contiguous, as the kernels' vectors are (numpy's @ of a strided one differs)
                vv += _dot(x, y) != x @ y
                vm[min(h, 2)] += not np.array_equal(_dot(x, m), x @ m)  # numpy's @ takes ddot for one column
                total[min(h, 2)] += 1
    print(
        f"np.dot of two vectors differs from numpy's @ in {vv} of {sum(total.values())} cases; of a vector and a "
        f"matrix of one column in {vm[1]} of {total[1]}, of two columns or more in {vm[2]} of {total[2]}"
    )
    x = rng.random(100_000) * 10.0 ** rng.integers(-5, 8, 100_000)
    numpy_squares = np.array([np.float64(v) ** 2 for v in x])
    literal, passed = _squares(x, 2.0)
    print(
        f"numpy's scalar x ** 2 against a kernel's: with a literal 2, {int((literal != numpy_squares).sum())} of"
        f" {x.size:,} differ; with the exponent passed in, {int((passed != numpy_squares).sum())}"
    )
    a = np.ones(5)
    _number(a), _array(a)
    cost = [min(timeit.repeat(lambda f=f: f(a), number=20_000, repeat=5)) / 20_000 for f in (_number, _array)]
    print(f"a kernel returning an array instead of a number: {(cost[1] - cost[0]) * 1e9:.0f} ns more a call")


def primitives(n: int = 1_000_000) -> None:
    a, b = np.random.default_rng(7), np.random.default_rng(7)
    same = _draw(a, n).tobytes() == b.random(n).tobytes() and a.random() == b.random()
    print(f"numba's Generator.random gives numpy's bits and leaves the stream where numpy does: {same}")
    x = np.random.default_rng(1).random(n) * 10.0
    y = np.random.default_rng(2).normal(0.0, 3.0, n)
    for name, args, ref in (("log", (x, 0), np.log(x)), ("exp", (y, 1), np.exp(y)), ("x ** 1.7", (x, 2), x**1.7)):
        differ = int((_elementwise(*args) != ref).sum())
        print(f"{name:>9}: differs from numpy's in {differ:,} of {n:,} values ({differ / n:.2%})")


def _ulp(x, at_random: np.random.Generator | None):
    """``x`` one ulp up or down (by bit 7 of each value, or at random); zeros and non-finite values stay."""
    x = np.asarray(x, dtype=float)
    up = at_random.random(x.shape) < 0.5 if at_random else ((x.view(np.int64) >> 7) & 1).astype(bool)
    return np.where((x != 0) & np.isfinite(x), np.where(up, np.nextafter(x, np.inf), np.nextafter(x, -np.inf)), x)


@contextmanager
def _last_bits(at_random: np.random.Generator | None):
    """The model with every decision's inputs one ulp off while inside (see the module's docstring)."""
    import agents.host as host
    import agents.investor as investor
    import agents.power as power
    import agents.power_kernels as power_kernels
    import model.host_rules as rules
    import model.model as model
    import model.prices as prices

    def after(f, fix):
        return lambda *a, **k: fix(f(*a, **k))

    def step(f):
        def moved(self, drift):
            f(self, drift)
            self.spot, self.price = _ulp(self.spot, at_random), _ulp(self.price, at_random)

        return moved

    # a power's score is computed inside its kernel: its discount factors and cost of money move instead
    names = list(inspect.signature(power_kernels.weigh.py_func).parameters)
    factors = [names.index(n) for n in ("v", "v_wait", "carry")]

    def inputs(f):
        def moved(*a):
            args = list(f(*a))
            for i in factors:
                args[i] = float(_ulp(args[i], at_random))
            return tuple(args)

        return moved

    def ulp(x):
        return _ulp(x, at_random)

    swaps = [
        (prices.PriceProcess, "step", step),
        (investor.InvestorPool, "values", lambda f: after(f, ulp)),
        (investor.InvestorPool, "npv", lambda f: after(f, ulp)),
        (host, "picture", lambda f: after(f, lambda seen: seen._replace(fiscal_pv=ulp(seen.fiscal_pv)))),
        (power.Power, "inputs", inputs),
        (rules, "objective", lambda f: after(f, ulp)),  # the host reads it as rules.objective
        (model, "update_trust", lambda f: after(f, ulp)),  # the model reads it from its own namespace
    ]
    kept = [(owner, name, getattr(owner, name)) for owner, name, _ in swaps]
    try:
        for owner, name, wrap in swaps:
            setattr(owner, name, wrap(getattr(owner, name)))
        yield
    finally:
        for owner, name, f in kept:
            setattr(owner, name, f)


def _headlines(seeds: int) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Seeds × headline measures at ``STEPS``, their names, and each seed's price series (to see the bits moved)."""
    from model import scenario

    rows, prices = [], []
    for seed in range(seeds):
        m = scenario.load("baseline").build(rng=seed)
        m.run_for(max(STEPS))
        frame = m.timeseries()
        cols = [c for c in frame.columns if c.startswith(PREFIXES)]
        rows.append([float(frame[c].iloc[s]) for s in STEPS for c in cols])
        prices.append(frame.filter(like="price").to_numpy())
    return np.array(rows), [f"{c}@{s}" for s in STEPS for c in cols], np.array(prices)


def runs(seeds: int) -> None:
    base, names, base_prices = _headlines(seeds)
    sd = base.std(axis=0, ddof=1)
    varies = sd > 0
    print(f"{seeds} baseline seeds, {varies.sum()} headline measures that vary between seeds")
    for label, at_random in (("as a kernel would (equal values alike)", None), ("at random", np.random.default_rng(1))):
        with _last_bits(at_random):
            moved, _, moved_prices = _headlines(seeds)
        bits = int((moved_prices != base_prices).any(axis=(1, 2)).sum())
        diff = moved[:, varies] - base[:, varies]
        changed = int((diff != 0).any(axis=1).sum())
        spread = diff.std(axis=0, ddof=1) / sd[varies]
        worst = names[int(np.flatnonzero(varies)[spread.argmax()])]
        print(
            f"one ulp {label}: prices moved in {bits}/{seeds} seeds; headline measures moved in {changed}/{seeds};"
            f" sd(paired difference) / sd(between seeds): median {np.median(spread):.3f}, largest {spread.max():.3f}"
            f" ({worst})"
        )


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=0, metavar="N", help="also run N baseline seeds with last bits moved")
    args = ap.parse_args()
    primitives()
    products()
    if args.runs:
        runs(args.runs)

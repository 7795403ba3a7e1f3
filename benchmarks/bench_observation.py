"""What the observation would save by moving its last bits, and what makes it slower in a running step: the figures
behind performance.md's tenth and eleventh parts.

    .venv/bin/python benchmarks/bench_observation.py            # ~1 min

The observation's share of a step is at its 10% bound, so the next cut elsewhere needs one here first. This
measures in a running step (nine baseline runs per side, wall time of ``_observe``, alternated over ``ROUNDS``
rounds) against the shipped observation:

- ``loops``: the ``@`` products with the holdings, the plants' intake and the routes' one as loops in a kernel
  (numba's ``np.dot`` of a vector and a matrix does not give numpy's bits either: ``kernel_bits.py``), and the last
  bits move.

(The tenth part's other variant, the four product kernels joined into one call, gained nothing measurable; it is
measured by this script as it stood at ``ed3c781``.) It also times the shipped observation alone, over and over on
one state, its data in cache (``alone``), and asks what makes it slower in a running step (``warmed``): the shipped
``_observe`` timed after its arrays were read, after its code ran on another model's state, and after it ran on
this very state. A variant swaps ``Observation``'s product methods in this process only; the model is not changed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from numba import njit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import market_tables, result_products  # noqa: E402
from model import scenario as sc  # noqa: E402
from model.measure_row import measures  # noqa: E402
from model.model import GreatGameModel  # noqa: E402
from model.observe import observation  # noqa: E402
from model.observe_kernels import online_intake  # noqa: E402

SEEDS, ROUNDS = range(1, 10), 3
OBSERVATION = result_products.Observation
SHIPPED = {name: OBSERVATION.__dict__[name] for name in ("_holdings", "_processing", "_eu_value")}


@njit(cache=False)
def holdings(per, equity, k):
    """``value @ equity``, ``capacity @ equity``, ``capacity @ led`` and ``capacity @ flagged`` as loops."""
    n, h = equity.shape
    held, cap, led, flagged = np.zeros(h), np.zeros(h), np.zeros(k), np.zeros(k)
    for r in range(n):
        v, c = per[0, r], per[2, r]
        for j in range(h):
            held[j] += v * equity[r, j]
            cap[j] += c * equity[r, j]
        for j in range(k):
            led[j] += c * per[3 + j, r]
            flagged[j] += c * per[3 + k + j, r]
    return held, cap, led, flagged


@njit(cache=False)
def vector_matrix(v, m):
    """``v @ m`` as a loop."""
    out = np.zeros(m.shape[1])
    for r in range(v.size):
        for j in range(m.shape[1]):
            out[j] += v[r] * m[r, j]
    return out


@njit(cache=False)
def eu_value(carried, eu, base):
    """``carried[:, :, eu] @ base`` as a loop."""
    out = np.zeros(carried.shape[0])
    for r in range(carried.shape[0]):
        for c in range(carried.shape[1]):
            out[r] += carried[r, c, eu] * base[c]
    return out


def _loop_processing(o) -> np.ndarray:
    m, pl = o.model, o.model.chains.plants
    return vector_matrix(online_intake(pl.online, pl.intake_q, m.base_price, pl.commodity, m.steps), pl.equity)


VARIANTS = {
    "shipped": {},
    "loops": {
        "_holdings": lambda o: holdings(o.per, o.model.deposits.equity, len(o.powers)),
        "_processing": _loop_processing,
        "_eu_value": lambda o, eu: eu_value(o.model.routes.carried, eu, o.model.base_price),
    },
}


def use(variant: str) -> None:
    """Swap ``Observation``'s product methods for ``variant``'s (``shipped`` puts the model's back)."""
    for name, method in {**SHIPPED, **VARIANTS[variant]}.items():
        setattr(OBSERVATION, name, method)


def measure(variant: str) -> tuple[float, float, list]:
    """Microseconds of observation a quarter, its share of the step, and each run's series."""
    use(variant)
    shipped_observe, spent, whole, series = GreatGameModel._observe, [0.0], 0.0, []

    def timed(self):
        t = time.perf_counter()
        shipped_observe(self)
        spent[0] += time.perf_counter() - t

    GreatGameModel._observe = timed
    try:
        for seed in SEEDS:
            model = sc.load("baseline").build(rng=seed)
            t = time.perf_counter()
            model.run_for(100)
            whole += time.perf_counter() - t
            series.append(model.timeseries())
    finally:
        GreatGameModel._observe = shipped_observe
        use("shipped")
    return spent[0] / (100 * len(SEEDS)) * 1e6, spent[0] / whole, series


def alone(repeat: int = 2000) -> float:
    """Microseconds of the shipped observation's products, row and markets' snapshot computed alone, over and
    over on one model's state (quarter 60), so that its data and code stay in cache: what a running step adds to
    it is the cost of coming to it cold.
    """
    model = sc.load("baseline").build(rng=1)
    model.run_for(60)
    rec = model.datacollector

    def once() -> None:
        o, _ = observation(model, rec._power_columns)
        measures(o, rec._layout)
        market_tables.snapshot(model, o.demand_eu)

    once()
    t = time.perf_counter()
    for _ in range(repeat):
        once()
    return (time.perf_counter() - t) / repeat * 1e6


def _arrays(model) -> list[np.ndarray]:
    """The arrays the observation reads."""
    d, pl, r, g = model.deposits, model.chains.plants, model.routes, model.ground
    return [d.stage, d.table.channel, d.remaining, d.table.capacity, d.table.commodity, d.equity, d.led, d.offtake,
            d.leader, d.award_step, d.first_output, model.prices.price, model.base_price, model.output_t,
            model.chains.delivered, pl.online, pl.intake_q, pl.equity, r.carried, r.stranded, model.tally.counts,
            model.investors.pursuit, model.investors.stake, model.pursuits.power, model.trust,
            *(() if g is None else (g.holder,))]  # fmt: skip


def _products(model) -> None:
    """The observation's products and row on ``model``'s state now, recorded nowhere."""
    rec = model.datacollector
    o, _ = observation(model, rec._power_columns)
    measures(o, rec._layout)


def warmed(runs: int = 3, rounds: int = ROUNDS) -> dict[str, float]:
    """Microseconds of the shipped ``_observe`` in a running step, with nothing run before it, or just before
    (untimed): every array it reads read through (``arrays``); its products and row computed on another model's
    state (``code``: its code and numba's dispatch warm, this model's objects not); its products and row computed
    on this state (``state``: all of it warm but the history's record and the snapshot). Each warm-up runs ``runs``
    baseline runs a round, the four alternated over ``rounds`` rounds; the median round of each.
    """
    other = sc.load("baseline").build(rng=99)
    other.run_for(60)
    before = {
        "none": lambda m: None,
        "arrays": lambda m: [a.view(np.uint8).sum() for a in _arrays(m) if a.size],
        "code": lambda m: _products(other),
        "state": _products,
    }
    shipped_observe, got = GreatGameModel._observe, {name: [] for name in before}
    try:
        for _ in range(rounds):
            for name, warm in before.items():
                spent = [0.0]

                def timed(self, warm=warm, spent=spent):
                    if self.steps:
                        warm(self)
                    t = time.perf_counter()
                    shipped_observe(self)
                    spent[0] += time.perf_counter() - t

                GreatGameModel._observe = timed
                for seed in range(runs):
                    sc.load("baseline").build(rng=seed).run_for(100)
                got[name].append(spent[0] / (runs * 101) * 1e6)
    finally:
        GreatGameModel._observe = shipped_observe
    return {name: float(np.median(spent)) for name, spent in got.items()}


def main() -> None:
    for variant in VARIANTS:  # compile and warm each
        use(variant)
        sc.load("baseline").build(rng=0).run_for(100)
    use("shipped")
    got: dict[str, list] = {v: [] for v in VARIANTS}
    for _ in range(ROUNDS):
        for variant in VARIANTS:
            got[variant].append(measure(variant))
    reference = got["shipped"][0][2]
    for variant, rounds in got.items():
        micro, share = np.median([r[0] for r in rounds]), np.median([r[1] for r in rounds])
        series = rounds[0][2]
        same = sum(a.equals(b) for a, b in zip(series, reference))
        worst = max(
            float(
                np.nanmax(np.abs(a.to_numpy(float) - b.to_numpy(float)) / np.maximum(np.abs(b.to_numpy(float)), 1e-300))
            )
            for a, b in zip(series, reference)
        )
        print(f"{variant:8s} observation {micro:6.1f} us a quarter ({share:.2%} of the step, median of {ROUNDS} rounds); "
              f"series the same bit for bit in {same} of {len(series)} runs; largest relative difference {worst:.1e}")  # fmt: skip

    print(f"the shipped observation alone, its data in cache (no history record): {alone():.1f} us")
    warmed(1, 1)  # each warm-up's code compiled and warm
    warm = warmed()
    told = {
        "none": "as shipped",
        "arrays": "its arrays read just before",
        "code": "its products computed on another model's state just before",
        "state": "its products computed on this state just before",
    }
    for name, micro in warm.items():
        print(f"in a running step, {told[name]}: {micro:.1f} us")


if __name__ == "__main__":
    main()

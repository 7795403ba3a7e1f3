"""What the observation's products cost made in one compiled call against one by one, and what makes the
observation slower in a running step: the figures behind performance-history.md's tenth to twelfth parts.

    .venv/bin/python benchmarks/bench_observation.py            # ~2 min

It measures in a running step (nine baseline runs per variant, wall time of ``_observe``, alternated over
``ROUNDS`` rounds):

- ``shipped``: the products in one call (``observe_pass.products``);
- ``calls``: the same products made one by one, as they were made before 2026-12-07 (``by_calls``: the pass over
  the deposits, numpy's ``@`` for each product with a matrix, then a kernel each for the shares, the routes, the
  summaries and the tallies). The two must give the same numbers bit for bit (``tests/test_observe_pass.py``).

(The tenth part's variants, the products as loops, which move the last bits, and the four product kernels joined
into one call, are measured by this script as it stood at ``eaae036`` and ``ed3c781``.) It also times the shipped
observation alone, over and over on one state, its data in cache (``alone``), and asks what makes it slower in a
running step (``warmed``): the shipped ``_observe`` timed after its arrays were read, after its code ran on another
model's state, and after it ran on this very state. A variant swaps the products' function in this process only;
the model is not changed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model import market_tables, result_products  # noqa: E402
from model import observe_kernels as K  # noqa: E402
from model import scenario as sc  # noqa: E402
from model.exact import times  # noqa: E402
from model.measure_row import measures  # noqa: E402
from model.model import GreatGameModel  # noqa: E402
from model.observe import observation  # noqa: E402

SEEDS, ROUNDS = range(1, 10), 3
SHIPPED = result_products.products


def by_calls(stage, channel, remaining, capacity, commodity, price, base, output_t, equity, led, powers, delivered,
             n_commodities, plant_online, plant_intake_q, plant_commodity, plant_equity, step, carried, stranded,
             via_russia, via_china, eu, demand_eu, refined, host, two, pursuit, stake, pursuit_power,
             award_lag, awards, ground_holder):  # fmt: skip
    """``observe_pass.products`` made one by one, as the observation made them before 2026-12-07 (each product with
    a matrix in ``times``'s fixed order since 2026-12-08, where it was numpy's ``@``)."""
    per, totals, mined, table = K.values(stage, channel, remaining, capacity, commodity, price, base, output_t, equity,
                                         led, powers, delivered, n_commodities)  # fmt: skip
    k, value = powers.size, per[2]
    held = times(per[0], equity)
    processing = times(K.online_intake(plant_online, plant_intake_q, base, plant_commodity, step), plant_equity)
    shares = K.holder_shares(times(value, equity), held, processing, times(value, per[3 : 3 + k].T),
                             times(value, per[3 + k :].T),
                             delivered, base, powers)  # fmt: skip
    routes = K.routes_summary(
        carried, stranded, via_russia, via_china, eu, demand_eu, base, times(base, carried[:, :, eu].T)
    )
    summary = K.summary(mined, refined, base, routes, held, host, two)
    tallies = K.tallies(pursuit, stake, pursuit_power, equity.shape[1], award_lag, awards, powers, ground_holder)
    return totals, table, held, shares, routes, summary, tallies


VARIANTS = {"shipped": SHIPPED, "calls": by_calls}


def use(variant: str) -> None:
    """Make the observation's products with ``variant``'s function (``shipped`` puts the model's back)."""
    result_products.products = VARIANTS[variant]


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

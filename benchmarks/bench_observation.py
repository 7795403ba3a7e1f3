"""What the observation would save, two ways: the figures behind performance.md's tenth part.

    .venv/bin/python benchmarks/bench_observation.py            # ~1 min

The observation's share of a step is at its 10% bound, so the next cut elsewhere needs one here first. This
measures the two candidates in a running step (nine baseline runs per side, wall time of ``_observe``, alternated
over ``ROUNDS`` rounds) against the shipped observation:

- ``joined``: the four product kernels (shares, routes, summaries, tallies) in one call, numpy's ``@`` products
  kept: every table the same bit for bit;
- ``loops``: the ``@`` products with the holdings and the routes' one as loops in a kernel (numba's ``np.dot`` of a
  vector and a matrix does not give numpy's bits either: ``kernel_bits.py``), and the last bits move.

It also times the shipped observation alone, over and over on one state, its data in cache (``alone``). Each variant swaps ``Observation``'s cached products in this process only; the model is not changed.
"""

from __future__ import annotations

import sys
import time
from functools import cached_property
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
from model.observe_kernels import (  # noqa: E402
    HOLDER_PARTS,
    POWER_PARTS,
    ROUTE_PARTS,
    SUMMARY_PARTS,
    holder_shares,
    online_intake,
    routes_summary,
    summary,
    tallies,
)
from model.result_reads import ROUTE_NUMBERS  # noqa: E402

SEEDS, ROUNDS = range(1, 10), 3
OBSERVATION = result_products.Observation
SHIPPED = {name: OBSERVATION.__dict__[name] for name in ("held", "holder_shares", "routes", "summary", "tallies")}


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


@njit(cache=False)
def joined(capacity_held, held, processing, capacity_led, capacity_flagged, delivered, base, powers, carried,
           stranded, via_russia, via_china, eu, demand, eu_value, mined, refined, host, two, pursuit, stake,
           pursuit_power, n_holders, award_lag, awards, ground_holder):  # fmt: skip
    """The four product kernels in one call, laid end to end."""
    parts = (
        holder_shares(capacity_held, held, processing, capacity_led, capacity_flagged, delivered, base, powers),
        routes_summary(carried, stranded, via_russia, via_china, eu, demand, base, eu_value),
    )
    parts = (*parts, summary(mined, refined, base, parts[1], held, host, two),
             tallies(pursuit, stake, pursuit_power, n_holders, award_lag, awards, powers, ground_holder))  # fmt: skip
    out, at = np.empty(sum([p.size for p in parts])), 0
    for p in parts:
        out[at : at + p.size] = p
        at += p.size
    return out


def _joined_products(o) -> tuple[np.ndarray, ...]:
    m, pl, r, t, g = o.model, o.model.chains.plants, o.model.routes, o.model.tally, o.model.ground
    led, flagged = o.power_holdings
    cap, eu = o.capacity_base, m.index["EU"]
    processing = online_intake(pl.online, pl.intake_q, m.base_price, pl.commodity, m.steps) @ pl.equity
    blocks = g.holder if g is not None else np.empty(0, dtype=np.int64)
    out = joined(cap @ m.deposits.equity, o.held, processing, cap @ led, cap @ flagged, m.chains.delivered,
                 m.base_price, o.powers, r.carried, r.stranded, r.table.via_russia, r.table.via_china, eu, o.demand_eu,
                 r.carried[:, :, eu] @ m.base_price, o.mined, m.chains.refined, m.host_index, 2.0,
                 m.investors.pursuit, m.investors.stake, m.pursuits.power, len(m.holders), t.award_lag, t.awards,
                 blocks)  # fmt: skip
    h, k, n = len(m.holders), len(o.powers), len(m.base_price)
    a = len(HOLDER_PARTS) * h + len(POWER_PARTS) * k
    b = a + len(ROUTE_PARTS) * n + len(ROUTE_NUMBERS)
    c = b + len(SUMMARY_PARTS)
    return out[:a], out[a:b], out[b:c], out[c:]


def _loop_shares(o) -> np.ndarray:
    m, pl = o.model, o.model.chains.plants
    held, cap, led, flagged = o._holdings
    processing = vector_matrix(online_intake(pl.online, pl.intake_q, m.base_price, pl.commodity, m.steps), pl.equity)
    return holder_shares(cap, held, processing, led, flagged, m.chains.delivered, m.base_price, o.powers)


def _loop_routes(o) -> np.ndarray:
    m, r = o.model, o.model.routes
    eu = m.index["EU"]
    return routes_summary(r.carried, r.stranded, r.table.via_russia, r.table.via_china, eu, o.demand_eu,
                          m.base_price, eu_value(r.carried, eu, m.base_price))  # fmt: skip


VARIANTS = {
    "shipped": {},
    "joined": {
        "_joined": _joined_products,
        "holder_shares": lambda o: o._joined[0],
        "routes": lambda o: o._joined[1],
        "summary": lambda o: o._joined[2],
        "tallies": lambda o: o._joined[3],
    },
    "loops": {
        "_holdings": lambda o: holdings(o.per, o.model.deposits.equity, len(o.powers)),
        "held": lambda o: o._holdings[0],
        "holder_shares": _loop_shares,
        "routes": _loop_routes,
    },
}


def use(variant: str) -> None:
    """Swap ``Observation``'s cached products for ``variant``'s (``shipped`` puts the model's back)."""
    for name, prop in SHIPPED.items():
        setattr(OBSERVATION, name, prop)
    for name, f in VARIANTS[variant].items():
        prop = cached_property(f)
        prop.__set_name__(OBSERVATION, name)
        setattr(OBSERVATION, name, prop)


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


if __name__ == "__main__":
    main()

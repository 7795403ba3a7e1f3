"""What a baseline quarter does that no small cut takes out: the figures of performance-history.md's ninth part.

    .venv/bin/python benchmarks/bench_floor.py            # ~20 s

- how busy the quarters are (five runs of 100 quarters): in how many of them tenders close at the host's decision,
  plots are declined (no acceptable offer), development ends somewhere and licences are revoked;
- what the quarters cost: all 100, and the late ones (71-100) alone;
- the arrays the compiled kernels return a quarter (each boxed by numba for Python) and what one costs;
- numba's scalar ``log`` against numpy's SIMD loop on 1,000 values;
- Mesa's own part of a step (an empty model's ``run_for``) and of a build (one agent's creation).
"""

from __future__ import annotations

import sys
import time
import timeit
from collections import Counter
from pathlib import Path

import mesa
import numpy as np
from numba import njit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_profile import kernel_clock, make_model  # noqa: E402

from agents.host import Host  # noqa: E402
from agents.investor import Investor  # noqa: E402
from model.licences import Licences  # noqa: E402
from model.vocabulary import Stage  # noqa: E402

RUNS, STEPS, LATE = 5, 100, 70


def busy_quarters() -> tuple[Counter, float, float]:
    """Quarters (of ``RUNS`` runs) with each kind of work, and the mean cost of a quarter, all and late ones."""
    marks: set[tuple[str, int, int]] = set()  # (work, run, step)
    run = 0
    decide = Host.decide

    def deciding(host):
        m, d = host.model, host.model.deposits
        if ((d.stage == Stage.TENDERED) & (d.tender_close <= m.steps)).any():  # what ``Host.decide`` calls closing
            marks.add(("tenders close at the decision", run, m.steps))
        return decide(host)

    def noting(name, fn):
        def call(self, rows, *args, **kwargs):
            if np.size(rows):
                marks.add((name, run, self.clock()))
            return fn(self, rows, *args, **kwargs)

        return call

    originals = {name: getattr(Licences, name) for name in ("decline", "start_production", "revoke")}
    make_model(0, None, 0, None).run_for(STEPS)  # kernels loaded
    Host.decide = deciding
    for name, fn in originals.items():
        setattr(Licences, name, noting(name, fn))
    early, late = [], []
    try:
        for run in range(RUNS):
            m = make_model(0, None, run + 1, None)
            for q in range(STEPS):
                t = time.perf_counter()
                m.step()
                (late if q >= LATE else early).append(time.perf_counter() - t)
    finally:
        Host.decide = decide
        for name, fn in originals.items():
            setattr(Licences, name, fn)
    seen = Counter(name for name, _, _ in marks)
    return seen, (sum(early) + sum(late)) / (len(early) + len(late)), sum(late) / len(late)


def returned_arrays() -> tuple[float, float]:
    """Arrays the kernels return a quarter in one baseline run, and the kernel calls a quarter."""
    m = make_model(0, None, 1, None)
    with kernel_clock() as spent:
        m.run_for(STEPS)
    return sum(a for _, _, a in spent.values()) / STEPS, sum(c for _, c, _ in spent.values()) / STEPS


@njit(cache=True)
def _echo(a):
    return a


@njit(cache=True)
def _nothing(a):
    return 0


@njit(cache=True)
def _log(a, out):
    for i in range(a.size):
        out[i] = np.log(a[i])


def micro(n: int = 100_000) -> dict[str, float]:
    """Microseconds of each small cost, timed alone (warm caches)."""
    a, out = np.random.default_rng(1).random(1000) + 0.1, np.empty(1000)
    _echo(a), _nothing(a), _log(a, out)

    class Empty(mesa.Model):
        def step(self) -> None:
            pass

    empty = Empty(rng=1)
    return {
        "returning one array (boxing)": (timeit.timeit(lambda: _echo(a), number=n) - timeit.timeit(lambda: _nothing(a), number=n))
        / n * 1e6,
        "numba log, 1,000 values": timeit.timeit(lambda: _log(a, out), number=n // 10) / (n // 10) * 1e6,
        "numpy log, 1,000 values": timeit.timeit(lambda: np.log(a, out=out), number=n // 10) / (n // 10) * 1e6,
        "Mesa's run_for, one step of an empty model": timeit.timeit(lambda: empty.run_for(1), number=n) / n * 1e6,
        "one Mesa agent created (Investor)": timeit.timeit(lambda: Investor(empty, 0), number=n // 10) / (n // 10) * 1e6,
    }  # fmt: skip


def main() -> None:
    seen, all_q, late_q = busy_quarters()
    quarters = RUNS * STEPS
    print(f"quarters with each kind of work, of {quarters} ({RUNS} baseline runs):")
    for name in ("tenders close at the decision", "decline", "start_production", "revoke"):
        print(f"  {name:<32}{seen[name]:>5}")
    print(f"a quarter: {all_q * 1e3:.2f} ms over all, {late_q * 1e3:.2f} ms over quarters {LATE + 1}-{STEPS}")
    arrays, calls = returned_arrays()
    print(f"kernels: {calls:.0f} calls and {arrays:.0f} returned arrays a quarter")
    for name, us in micro().items():
        print(f"  {name:<44}{us:>7.2f} us")


if __name__ == "__main__":
    main()

"""``Pursuits.add`` (one compiled call, ``_add``) against the numpy code it replaced (664ef1d), bit for bit: every
column, the running counts and the earmarked budgets, for arrays and scalars as the powers and the lone investors
pass them, over several adds that grow the columns.
"""

import inspect

import numpy as np

from model.budgets import Budgets
from model.pursuits import OPEN, Pursuits


def numpy_add(pur: Pursuits, **columns) -> np.ndarray:
    """``Pursuits.add`` at 664ef1d, with ``_open`` written out."""
    k = np.size(columns["deposit"])
    pur._grow(k)
    ids = np.arange(pur.n, pur.n + k)
    for name, value in columns.items():
        getattr(pur, name)[ids] = value
    pur.status[ids], pur.ended[ids] = OPEN, -1
    pur.n += k
    pur._active = None
    for i in ids:
        if not pur.solo[i]:
            pur.running[pur.power[i]] += 1
        if pur.tranche[i] > 0:
            pur.budgets.committed[pur.power[i]] += pur.tranche[i]
    return ids


def columns(rng, k: int, solo: bool) -> dict:
    """A power's package (a scalar power, arrays of terms) or lone investors' bids (arrays of homes, scalars)."""
    grid = np.round(rng.uniform(-1.0, 3.0, (6, k)) * 4) / 4  # ties, zeros, negative tranches
    deposit, start = rng.integers(0, 90, k), int(rng.integers(0, 40))
    if solo:
        power, ready, ok, terms = rng.integers(0, 5, k), int(rng.integers(0, 40)), True, (0.0, 0.0, grid[0], grid[1])
        return {"power": power, "deposit": deposit, "start": start, "ready": ready, "ok": ok, "public": terms[0],
                "tranche": terms[1], "bonus": terms[2], "private": terms[3], "offtake": 0.0, "processing": 0.25,
                "finance": 0.0, "solo": True}  # fmt: skip
    power, ready, ok = int(rng.integers(0, 5)), rng.integers(0, 50, k), rng.random(k) < 0.8
    return {"power": power, "deposit": deposit, "start": start, "ready": ready, "ok": ok, "public": grid[2],
            "tranche": grid[3], "bonus": grid[4], "private": 0.0, "offtake": 0.3,
            "processing": float(rng.choice([0.0, 0.25])), "finance": 0.5, "solo": False}  # fmt: skip


def test_add_is_the_numpy_code_it_replaced():
    for seed in range(60):
        rng = np.random.default_rng(seed)
        got, want = Pursuits(Budgets(5), None, 5), Pursuits(Budgets(5), None, 5)
        for _ in range(int(rng.integers(1, 12))):
            c = columns(rng, int(rng.integers(0, 40)), bool(rng.random() < 0.5))
            assert got.add(**c).tolist() == numpy_add(want, **c).tolist()
        assert got.n == want.n and got._cap == want._cap
        for name in (*Pursuits.COLUMNS, "running"):
            a, b = getattr(got, name), getattr(want, name)
            assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), f"seed {seed}: {name}"
        assert got.budgets.committed.tobytes() == want.budgets.committed.tobytes(), f"seed {seed}: committed"


def test_add_takes_every_column_but_those_it_sets():
    """A column added to ``Pursuits.COLUMNS`` must be passed to ``add`` (and so written by ``_add``), or stay
    one that ``add`` sets itself (status, ended)."""
    taken = [p for p in inspect.signature(Pursuits.add).parameters if p != "self"]
    assert taken == [c for c in Pursuits.COLUMNS if c not in ("status", "ended")]

"""A quarter of exploration licences (``model.ground._quarter``) held to its earlier form, bit for bit.

``reference`` is the kernel as it was at a964094 (one loop per rule: terms, keenness, payment, revocation, finds),
run here as plain Python; the kernel now pays, revokes and finds in one pass over the licences held. Inputs are
random (fixed seeds), with few investors holding many blocks (so that capital runs out part-way), known prospects,
terms ending now, and values on a grid when ``coarse`` (a chance exactly at the work's cost, draws exactly at the
rate). Every array the kernel writes is compared too.
"""

import numpy as np
import pytest

from model.ground import _quarter


def reference(step, u_revoke, u_find, extension_q, relinquish, work, revocation, scale, definition_q, worth, capital,
              revoked_by, holder, investor, expires, extended, ever_worked, worked_q, factor, deposit, rate_q,
              commodity):  # fmt: skip
    for b in range(holder.size):
        if holder[b] >= 0 and expires[b] <= step:
            if ever_worked[b] and not extended[b] and extension_q > 0:
                extended[b], expires[b] = True, step + extension_q
                factor[b] *= 1.0 - relinquish
            else:
                holder[b], investor[b] = -1, -1
                extended[b], ever_worked[b], worked_q[b] = False, False, 0
    held = np.flatnonzero(holder >= 0)
    keen = [rate_q[b] * factor[b] * scale * worth[commodity[b]] >= work or deposit[b] >= 0 for b in held]
    paid = [keen[k] and capital[investor[held[k]]] >= work for k in range(held.size)]
    for k in range(held.size):
        if paid[k]:
            capital[investor[held[k]]] -= work
            worked_q[held[k]] += 1
            ever_worked[held[k]] = True
    revoked = [b for k, b in enumerate(held) if not paid[k] and u_revoke[b] < revocation]
    for h in {int(holder[b]) for b in revoked}:
        revoked_by[h] += 1
    for b in revoked:
        holder[b], investor[b] = -1, -1
        extended[b], ever_worked[b], worked_q[b] = False, False, 0
    plain = [b for k, b in enumerate(held) if paid[k] and deposit[b] < 0 and u_find[b] < rate_q[b] * factor[b] * scale]
    known = [b for k, b in enumerate(held) if paid[k] and deposit[b] >= 0 and worked_q[b] >= definition_q]
    return held.size, np.array(revoked, dtype=np.int64), np.array(plain + known, dtype=np.int64)


def case(rng, coarse: bool) -> list:
    n, investors, holders, commodities = int(rng.integers(0, 60)), int(rng.integers(1, 8)), 5, 4
    grid = (lambda x: np.round(x * 4) / 4) if coarse else (lambda x: x)
    holder = np.where(rng.random(n) < 0.7, rng.integers(0, holders, n), -1)
    return [
        int(rng.integers(0, 6)),  # step
        grid(rng.random(n)),  # u_revoke
        grid(rng.random(n)),  # u_find
        int(rng.integers(0, 3)),  # extension_q
        0.25,  # relinquish
        1.0,  # work
        float(grid(rng.random())),  # revocation
        float(rng.choice([0.0, 1.0, 4.0])),  # scale
        int(rng.integers(1, 4)),  # definition_q
        grid(rng.uniform(0, 8, commodities)),  # worth
        grid(rng.uniform(0, 6, investors)),  # capital: a few quarters of work for several blocks
        np.zeros(holders, dtype=np.int64),  # revoked_by
        holder,
        np.where(holder >= 0, rng.integers(0, investors, n), -1),  # investor
        rng.integers(0, 8, n),  # expires
        rng.random(n) < 0.3,  # extended
        rng.random(n) < 0.5,  # ever_worked
        rng.integers(0, 4, n),  # worked_q
        grid(rng.uniform(0.25, 1, n)),  # factor
        np.where(rng.random(n) < 0.3, rng.integers(0, 50, n), -1),  # deposit (>= 0: a known prospect)
        grid(rng.uniform(0, 0.5, n)),  # rate_q
        rng.integers(0, commodities, n),  # commodity
    ]


@pytest.mark.parametrize("coarse", [False, True], ids=["fine", "coarse"])
def test_a_quarter_of_licences_is_its_earlier_form(coarse):
    for seed in range(300):
        args = case(np.random.default_rng(seed), coarse)
        want_args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
        got, want = _quarter(*args), reference(*want_args)
        assert got[0] == want[0], seed
        for g, w in zip((*got[1:], *args), (*want[1:], *want_args)):
            if isinstance(g, np.ndarray):
                assert g.dtype == w.dtype and g.tobytes() == w.tobytes(), seed

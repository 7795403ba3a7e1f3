"""``investor_kernels.leave_and_join`` against the code it replaced, bit for bit: ``InvestorPool._leave`` at
664ef1d (``leavers``, then ``np.subtract.at`` on the consortia's private capital, ``np.add.at`` on the capital
walked away by power, the leavers freed) followed by ``InvestorPool._join`` (``join``) on the same slice of the
values.
"""

import numpy as np
import pytest

from agents.investor_kernels import leave_and_join
from tests.test_kernel_references import assert_same, floats, join, leave_case, leavers


def numpy_leave_then_join(c: dict, walked: np.ndarray, value: np.ndarray) -> None:
    """``InvestorPool._leave`` and ``InvestorPool._join`` at 664ef1d, on the case's arrays."""
    act = c["act"]
    leave = leavers(c["pursuit"], c["status"], c["start"], c["patience"], c["rate_of"], act, value[:, : act.size],
                    c["steps"], c["speed_sensitivity"] > 0)  # fmt: skip
    if leave.size:
        np.subtract.at(c["private"], c["pursuit"][leave], c["stake"][leave])
        np.add.at(walked, c["power"][c["pursuit"][leave]], c["stake"][leave])
        c["pursuit"][leave], c["stake"][leave] = -1, 0.0
    join(value[:, : act.size], act, c["deposit"], c["public"], c["private"], c["solo"], c["power"], c["capex"],
         c["trust_of"], 0.5, 0.4, c["bonus"], c["rate_of"], c["affinity"], c["draw"], c["capital"], c["pursuit"],
         c["stake"])  # fmt: skip


def case(seed: int, coarse: bool) -> tuple[dict, np.ndarray]:
    """``leave_case``'s pursuits and members, with what joining reads; the values as ``InvestorPool.step`` has
    them (rate classes × the active pursuits, then two tenders' columns, Fortran order as ``_matrix`` returns it).
    """
    rng = np.random.default_rng(seed)
    c = leave_case(rng, coarse)
    n_pur, n_inv, n_rates = c["status"].size, c["pursuit"].size, int(c["rate_of"].max(initial=0)) + 1
    step = 0.25 if coarse else 0.0
    n_dep = int(rng.integers(1, 10))
    value = np.asfortranarray(floats(rng, (n_rates, c["act"].size + 2), -0.5, 1.5, step, (0.0, -0.0, np.nan)))
    c.update(
        deposit=rng.integers(0, n_dep, n_pur),
        public=floats(rng, n_pur, 0.0, 10.0, step),
        private=floats(rng, n_pur, 0.0, 10.0, step),
        solo=rng.random(n_pur) < 0.3,
        power=rng.integers(0, 4, n_pur),
        capex=floats(rng, n_dep, 0.0, 20.0, step, (0.0, 1e-9)),
        trust_of=floats(rng, 4, 0.0, 1.0, step),
        bonus=float(rng.choice([0.0, 0.25])),
        affinity=rng.integers(-1, 4, n_inv),
        draw=np.round(rng.random(n_inv) * 4) / 4 if coarse else rng.random(n_inv),
        capital=floats(rng, n_inv, 0.0, 8.0, step, (0.0, 1e-9)),
        stake=np.where(c["pursuit"] >= 0, floats(rng, n_inv, 0.0, 3.0, step), 0.0),
    )
    return c, value


@pytest.mark.parametrize("coarse", [False, True], ids=["fine", "coarse"])
def test_leave_and_join_is_the_code_it_replaced(coarse):
    left = 0
    for seed in range(300):
        c, value = case(seed, coarse)
        want = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in c.items()}
        got = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in c.items()}
        walked_want, walked_got = np.zeros(4), np.zeros(4)
        numpy_leave_then_join(want, walked_want, value)
        leave_and_join(value, got["act"], got["pursuit"], got["status"], got["start"], got["patience"],
                       got["rate_of"], got["steps"], got["speed_sensitivity"] > 0, got["deposit"], got["public"],
                       got["private"], got["solo"], got["power"], got["capex"], got["trust_of"], 0.5, 0.4,
                       got["bonus"], got["affinity"], got["draw"], got["capital"], got["stake"],
                       walked_got)  # fmt: skip
        for k in ("pursuit", "stake", "capital", "private"):
            assert_same(got[k], want[k], f"seed {seed}: {k}")
        assert_same(walked_got, walked_want, f"seed {seed}: walked")
        left += int((walked_want != 0).any())
    assert left > 30  # the cases do have leavers

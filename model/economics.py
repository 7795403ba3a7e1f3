"""A deposit's economics as pure functions: capex, cash flow after extraction tax, and net present value.

An investor's decision, the host's revenue and the speed of a partner all meet here: money later is worth less
at the investor's (or the state's) discount rate, so waiting for a partner's approval lowers what a project is
worth to whoever waits.
"""

from __future__ import annotations

import numpy as np

from model.libm import power


def capex_usd_m(
    sourced: np.ndarray, capacity: np.ndarray, base_price: np.ndarray, per_annual_revenue: float
) -> np.ndarray:
    """The table's sourced capex where it has one, else ``per_annual_revenue`` × annual revenue at capacity."""
    estimate = per_annual_revenue * capacity * 4.0 * base_price / 1e6
    return np.where(np.isfinite(sourced) & (sourced > 0), sourced, estimate)


def annual_cash_usd_m(capacity: np.ndarray, price: np.ndarray, margin: float, met: np.ndarray) -> np.ndarray:
    """Cash flow a year at capacity after the mineral extraction tax (may be negative for a thin margin)."""
    return capacity * 4.0 * price * (margin - met) / 1e6


def annuities(v: np.ndarray, *ns: np.ndarray) -> list[np.ndarray]:
    """Present value at the first payment of ``n`` equal quarterly payments of 1, discount factor ``v`` per quarter,
    for each ``n``, sharing the work on ``v``.

    One scalar rate below 1 skips the element-wise choice: the same arithmetic in fewer calls.
    """
    if np.ndim(v) == 0 and v < 1.0:
        den = np.float64(max(1.0 - v, 1e-12))  # a numpy float, as np.maximum gave: float32 counts give float64
        return [(1.0 - power(v, n)) / den for n in ns]
    below, den = v < 1.0, np.maximum(1.0 - v, 1e-12)
    return [np.where(below, (1.0 - power(v, n)) / den, n) for n in ns]


def npv_usd_m(
    rate: np.ndarray,
    capex: np.ndarray,
    cash_per_year: np.ndarray,
    lead_q: np.ndarray,
    life_q: np.ndarray,
    wait_q: np.ndarray,
) -> np.ndarray:
    """Net present value today of a project whose capex starts after ``wait_q`` quarters and is spent evenly over
    ``lead_q`` quarters, then produces ``cash_per_year`` for ``life_q`` quarters; ``rate`` is a yearly rate.
    """
    v = power(1.0 + np.asarray(rate, dtype=float), -0.25)
    lead = np.maximum(lead_q, 1)
    pays, lasts = annuities(v, lead, np.maximum(life_q, 0))
    cost = capex / lead * power(v, wait_q) * pays
    income = cash_per_year / 4.0 * power(v, wait_q + lead) * lasts
    return income - cost


def life_q(remaining: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Quarters of production left at capacity (the definition: the investors' and the powers' kernels replay it,
    and their tests hold them to it).
    """
    return remaining / np.maximum(capacity, 1e-12)

"""The compiled reductions equal numpy's, bit for bit, on arrays of every length that matters; the products add in a
fixed order."""

import numpy as np
import pytest

from model.exact import dot, maximum, minimum, row_sums, sorts_after, times, total
from tests.in_order import in_order


@pytest.mark.parametrize("n", [0, 1, 2, 7, 8, 9, 15, 16, 17, 63, 127, 128, 129, 255, 256, 300, 1000, 4099])
def test_total_is_numpys_sum(n):
    rng = np.random.default_rng(n)
    for _ in range(50):
        x = rng.random(n) * rng.choice([1e-6, 1.0, 1e9], n) * rng.choice([-1, 1], n)
        assert total(x) == x.sum()


@pytest.mark.parametrize("width", [1, 5, 7, 8, 9, 16, 23])
def test_row_sums_are_numpys(width):
    rng = np.random.default_rng(width)
    a = rng.random((500, width)) * rng.choice([1e-3, 1.0, 1e6], (500, width))
    assert (row_sums(a) == a.sum(axis=1)).all()


def test_maximum_and_minimum_of_two_floats_are_numpys():
    """Every pair of special and ordinary values, compared by their bits: a NaN wins, -0.0 and 0.0 as numpy has
    them (the second of two equal numbers).
    """
    values = np.array([np.nan, -np.inf, -1.5, -0.0, 0.0, 1e-300, 2.0, np.inf])
    for a in values:
        for b in values:
            for mine, numpys in ((maximum, np.maximum), (minimum, np.minimum)):
                got, want = np.float64(mine(a, b)), numpys(a, b)
                assert got.tobytes() == want.tobytes() or (np.isnan(got) and np.isnan(want)), (mine.__name__, a, b)


def test_sorts_after_is_numpys_sort_order():
    """For every pair of special and ordinary values, a stable argsort of ``[b, a]`` swaps them exactly when
    ``sorts_after(b, a)``: a NaN after every number, -0.0 and 0.0 kept in place.
    """
    values = np.array([np.nan, -np.inf, -1.5, -0.0, 0.0, 1e-300, 2.0, np.inf])
    for a in values:
        for b in values:
            swapped = np.argsort(np.array([b, a]), kind="stable").tolist() == [1, 0]
            assert sorts_after(b, a) == swapped, (a, b)


@pytest.mark.parametrize("columns", [1, 2, 3, 8, 9])
@pytest.mark.parametrize("order", ["C", "F"])
def test_products_add_in_order_whatever_the_layout_and_near_numpys(columns, order):
    """BLAS's order is its kernel's (the CPU's); these add from the first product on, on any machine."""
    rng = np.random.default_rng(columns)
    for n in (0, 1, 2, 7, 67, 282, 601):
        v = rng.random(n) * 10.0 ** rng.integers(-3, 5, n)
        m = np.asarray(rng.random((n, columns)), order=order)
        got = times(v, m)
        assert got.tolist() == [in_order(v, m[:, j]) for j in range(columns)]
        assert [dot(v, np.ascontiguousarray(m[:, j])) for j in range(columns)] == got.tolist()
        assert np.allclose(got, v @ m, rtol=1e-12, atol=0.0)
    assert dot(np.array([1, 2, 3]), np.array([0.5, 0.25, 2.0])) == 7.0  # an integer vector, as numpy's ``@`` casts

"""numpy's own reductions, for compiled kernels: the same additions in the same order, so that a kernel gives the
same numbers as the numpy code it replaces, bit for bit.

numpy sums a contiguous float64 run pairwise (``pairwise_sum`` in numpy/_core/src/umath/loops_utils.h.src):
fewer than 8 numbers one after another, up to 128 in eight interleaved partial sums, longer runs split in two.
No recursion: numba's cache cannot hold recursive functions (loading one crashes). ``maximum``, ``minimum`` and
``sorts_after`` are numpy's ``maximum``, ``minimum`` and sort order for two floats. ``dot`` and ``times`` are
products in a fixed order, for the one place where numpy would call BLAS, whose order is its kernel's and so the
CPU's. ``tests/test_exact.py`` holds these against numpy (and the products against a Python loop in order).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _block(a, lo, n):
    """Numpy's sum of a run of at most 128 numbers."""
    if n < 8:
        res = 0.0
        for i in range(n):
            res += a[lo + i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    while i < n - (n % 8):
        r0 += a[lo + i]
        r1 += a[lo + i + 1]
        r2 += a[lo + i + 2]
        r3 += a[lo + i + 3]
        r4 += a[lo + i + 4]
        r5 += a[lo + i + 5]
        r6 += a[lo + i + 6]
        r7 += a[lo + i + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@njit(cache=True)
def pairwise(a, lo, n):
    """Numpy's sum of ``a[lo:lo + n]`` (a 1-D float64 array): runs longer than 128 are split in two (the first
    part a multiple of 8 long) and the halves' sums added; written with a stack, as numba cannot cache recursion.
    """
    if n <= 128:
        return _block(a, lo, n)
    los, ns, states = np.empty(64, np.int64), np.empty(64, np.int64), np.empty(64, np.int64)
    values = np.empty(64)
    top, n_values = 0, 0
    los[0], ns[0], states[0] = lo, n, 0
    while top >= 0:
        lo_, n_ = los[top], ns[top]
        if n_ <= 128:
            values[n_values] = _block(a, lo_, n_)
            n_values += 1
            top -= 1
            continue
        half = n_ // 2
        half -= half % 8
        if states[top] == 0:
            states[top] = 1
            top += 1
            los[top], ns[top], states[top] = lo_, half, 0
        elif states[top] == 1:
            states[top] = 2
            top += 1
            los[top], ns[top], states[top] = lo_ + half, n_ - half, 0
        else:
            values[n_values - 2] = values[n_values - 2] + values[n_values - 1]
            n_values -= 1
            top -= 1
    return values[0]


@njit(cache=True)
def total(a):
    """``a.sum()`` of a 1-D float64 array."""
    return 0.0 + pairwise(a, 0, a.size)


@njit(cache=True)
def row_sums(a):
    """``a.sum(axis=1)`` of a C-contiguous 2-D float64 array."""
    out = np.empty(a.shape[0])
    for i in range(a.shape[0]):
        out[i] = total(a[i])
    return out


@njit(cache=True)
def maximum(a, b):
    """``np.maximum(a, b)`` of two floats: a NaN wins, and of two equal numbers the second is returned
    (``np.maximum(-0.0, 0.0)`` is ``0.0``).
    """
    return a if (a > b or a != a) else b


@njit(cache=True)
def minimum(a, b):
    """``np.minimum(a, b)`` of two floats (as ``maximum``)."""
    return a if (a < b or a != a) else b


@njit(cache=True)
def sorts_after(a, b):
    """Whether numpy's sort puts ``a`` after ``b`` (a NaN after every number; -0.0 and 0.0 are equal)."""
    return (a != a and b == b) or a > b


@njit(cache=True)
def dot(a, b):
    """``a @ b`` of two vectors, the products added from the first on (BLAS adds them in its kernel's order)."""
    s = 0.0
    for i in range(a.size):
        s += a[i] * b[i]
    return s


@njit(cache=True)
def times(v, m):
    """``v @ m`` (a vector times a matrix of any layout), each column as ``dot``."""
    out = np.empty(m.shape[1])
    for j in range(m.shape[1]):
        out[j] = dot(v, m[:, j])
    return out

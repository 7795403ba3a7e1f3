"""``exp``, ``log``, ``log1p``, ``cos`` and ``power`` as the C library computes them, element by element.

numpy picks a loop for these by the CPU: on a machine with AVX-512 its own SIMD loops, elsewhere the C library's
functions, and the two differ in the last bit of some results (on an AVX-512 machine about 1 log in 2,600 and 1 power in 17:
docs/performance-history.md, its eighteenth part). A run's
ties then part differently, so its tables were the machine's. These are numpy ufuncs (numba compiles their loops
once and caches them) that call the C library's function for every element on every machine, as the compiled
kernels' ``math.log`` and ``x ** y`` do, so a seed gives the same bits wherever the C library is the same (ODD
§4.10). They broadcast, cast and warn as numpy's do. ``tests/test_libm.py`` holds them to ``math``.
"""

from __future__ import annotations

import math

from numba import vectorize


def _ufunc(fn, signature: str):
    """``fn``'s compiled loop as a plain numpy ufunc (numba's wrapper adds a Python call and compiles on a miss)."""
    return vectorize([signature], cache=True)(fn).ufunc


def _exp(x):
    return math.exp(x)


def _log(x):
    return math.log(x)


def _log1p(x):
    return math.log1p(x)


def _cos(x):
    return math.cos(x)


def _power(x, y):
    return x**y


exp, log, log1p, cos = (_ufunc(f, "float64(float64)") for f in (_exp, _log, _log1p, _cos))
power = _ufunc(_power, "float64(float64, float64)")

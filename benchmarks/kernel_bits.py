"""What moving the whole quarter into compiled code would keep and what it would change, on this machine.

    .venv/bin/python benchmarks/kernel_bits.py

A compiled quarter (docs/performance.md, "What is left is call overhead") would draw its random numbers and take
its logarithms, exponentials and powers inside the kernel. This prints whether numba's ``Generator`` draws give
numpy's bits (the streams, and so common random numbers, would be kept) and in how many of a million values
numba's ``log``, ``exp`` and ``**`` differ from numpy's (numpy's loops are SIMD code of its own; numba calls the
C library's), which decides whether such a kernel can keep the golden bit for bit or must regenerate it under an
equivalence test. Figures depend on the CPU (numpy picks its loops by the instructions the CPU has).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _draw(gen, n):
    return gen.random(n)


@njit(cache=True)
def _elementwise(x, which):
    out = np.empty_like(x)
    for i in range(x.size):
        if which == 0:
            out[i] = np.log(x[i])
        elif which == 1:
            out[i] = np.exp(x[i])
        else:
            out[i] = x[i] ** 1.7
    return out


def main(n: int = 1_000_000) -> None:
    a, b = np.random.default_rng(7), np.random.default_rng(7)
    same = _draw(a, n).tobytes() == b.random(n).tobytes() and a.random() == b.random()
    print(f"numba's Generator.random gives numpy's bits and leaves the stream where numpy does: {same}")
    x = np.random.default_rng(1).random(n) * 10.0
    y = np.random.default_rng(2).normal(0.0, 3.0, n)
    for name, args, ref in (("log", (x, 0), np.log(x)), ("exp", (y, 1), np.exp(y)), ("x ** 1.7", (x, 2), x**1.7)):
        differ = int((_elementwise(*args) != ref).sum())
        print(f"{name:>9}: differs from numpy's in {differ:,} of {n:,} values ({differ / n:.2%})")


if __name__ == "__main__":
    main()

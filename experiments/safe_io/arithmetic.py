"""Which arithmetic a machine does: two machines give a seed the same bits only where it is the same.

A run's last bits depend on more than the code and the seed: on the C library's ``exp``, ``log``, ``log1p``,
``cos`` and ``pow``, which the model takes for every element (``model/libm.py``, and ``math`` in the compiled
kernels), and on numpy's summation. Since 2026-12-08 they are all it depends on: numpy's own SIMD loops for these
functions and BLAS's products, which the CPU picks, are no longer used (the same tables came out with AVX-512,
with AVX2 and with SSE only, and with three BLAS kernels: ODD §4.10). ``probe()`` computes each of these on fixed
numbers and hashes the results: two machines with the same probe compute a run alike, to the last bit (another C
library, as on macOS, Windows or musl, or another CPU architecture, gives another probe). ``describe()`` says in
words what decided it. A batch records the probe of each session and warns when a resume or a Dask worker
computes otherwise (``experiments/runner/batch.py``); the golden keeps its bit-for-bit hashes by probe
(``tests/golden/``).
"""

from __future__ import annotations

import functools
import hashlib
import math
import platform

import numpy as np
from numba import njit

from model import libm


@njit(cache=True)
def _compiled(x, y):
    """What the compiled kernels compute with the C library (``math``)."""
    out = np.empty(3 * x.size)
    for i in range(x.size):
        out[i] = math.log(x[i])
        out[x.size + i] = math.exp(-x[i])
        out[2 * x.size + i] = x[i] ** y[i]
    return out


@functools.cache
def probe() -> str:
    """A short hash of this machine's results for the operations whose last bits could vary between machines."""
    rng = np.random.default_rng(20261207)
    x = rng.uniform(1e-3, 40.0, 4096)
    y = rng.uniform(-3.0, 3.0, 4096)
    u = rng.uniform(0.0, 0.999, 4096)
    parts = (
        libm.log(x),
        libm.exp(-x / 4),
        libm.log1p(-u),
        libm.cos(x),
        libm.power(u + 0.5, y),
        np.sum(x),
        _compiled(x, y),
    )
    digest = hashlib.sha256(b"".join(np.ascontiguousarray(p).tobytes() for p in parts))
    return digest.hexdigest()[:16]


def describe() -> str:
    """The machine in words: its C library (whose functions the model takes), CPU, numpy, system."""
    libc = " ".join(platform.libc_ver()).strip() or "unknown C library"
    return f"{libc}; {_cpu()}; numpy {np.__version__}; {platform.system()} {platform.machine()}"


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"

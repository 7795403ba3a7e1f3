"""Which arithmetic a machine does: two machines give a seed the same bits only where it is the same.

A run's last bits depend on more than the code and the seed. numpy picks a loop for ``exp``, ``log``, ``log1p``,
``cos`` and ``power`` by the CPU (on a machine with AVX-512, its own X86_V4 loops; elsewhere the C library's
functions, which give other last bits), and BLAS picks a dot-product kernel by the CPU (numpy's ``@``, numba's
``np.dot`` in the observation's kernels). ``probe()`` computes each of these on fixed numbers and hashes the
results: two machines with the same probe compute a run alike, to the last bit. ``describe()`` says in words what
decided it. A batch records the probe of each session and warns when a resume or a Dask worker computes otherwise
(``experiments/runner/batch.py``); the golden keeps its bit-for-bit hashes by probe (``tests/golden/``).
"""

from __future__ import annotations

import functools
import hashlib
import math
import platform

import numpy as np
from numba import njit

TRANSCENDENTAL = ("exp", "log", "log1p", "cos", "power")


@njit(cache=True)
def _compiled(x, y):
    """What the compiled kernels compute with the C library (``math``) and BLAS (``np.dot``, on a short vector:
    BLAS would split a long one between threads, and the probe would then tell thread counts apart)."""
    out = np.empty(3 * x.size + 1)
    for i in range(x.size):
        out[i] = math.log(x[i])
        out[x.size + i] = math.exp(-x[i])
        out[2 * x.size + i] = x[i] ** y[i]
    out[-1] = np.dot(x[:256], y[:256])
    return out


@functools.cache
def probe() -> str:
    """A short hash of this machine's results for the operations whose last bits vary between machines."""
    rng = np.random.default_rng(20261207)
    x = rng.uniform(1e-3, 40.0, 4096)
    y = rng.uniform(-3.0, 3.0, 4096)
    u = rng.uniform(0.0, 0.999, 4096)
    parts = (
        np.log(x),
        np.exp(-x / 4),
        np.log1p(-u),
        np.cos(x),
        (u + 0.5) ** y,
        rng.uniform(0.0, 1.0, (16, 256)) @ x[:256],  # small, as the model's: BLAS keeps one thread
        np.sum(x),
        _compiled(x, y),
    )
    digest = hashlib.sha256(b"".join(np.ascontiguousarray(p).tobytes() for p in parts))
    return digest.hexdigest()[:16]


def describe() -> str:
    """The machine in words: CPU, numpy and its loops for the transcendental functions, BLAS's kernel."""
    from numpy.lib.introspect import opt_func_info

    info = opt_func_info(func_name=f"^({'|'.join(TRANSCENDENTAL)})$", signature="^d")
    loops = sorted({target["current"] for sigs in info.values() for target in sigs.values()})
    blas = "unknown"
    try:
        from threadpoolctl import threadpool_info

        blas = ", ".join(
            f"{i.get('internal_api')} {i.get('architecture')}" for i in threadpool_info() if i.get("user_api") == "blas"
        )
    except ImportError:
        pass
    return (
        f"{_cpu()}; numpy {np.__version__} (exp/log/power loops: {', '.join(loops)}); BLAS: {blas}; "
        f"{platform.system()} {platform.machine()}"
    )


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"

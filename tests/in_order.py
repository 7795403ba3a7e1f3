"""The reference for ``model.exact``'s products: ``a @ b`` with the products added from the first on, in Python."""

import numpy as np


def in_order(a, b) -> float:
    """``a @ b`` of two vectors (any dtype, any layout), added in order as ``model.exact.dot`` adds them."""
    s = 0.0
    for x, y in zip(np.asarray(a, dtype=float).tolist(), np.asarray(b, dtype=float).tolist(), strict=True):
        s += x * y
    return s

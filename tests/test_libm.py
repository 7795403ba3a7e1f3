"""``model.libm`` is the C library's ``exp``, ``log``, ``log1p``, ``cos`` and ``pow`` (``math``'s), element by element,
whatever the array's size or layout: numpy's own SIMD loops are not (ODD §4.10)."""

import ast
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import libm

ONE = {"exp": libm.exp, "log": libm.log, "log1p": libm.log1p, "cos": libm.cos}


@pytest.mark.parametrize("name", sorted(ONE))
@pytest.mark.parametrize("n", [1, 2, 7, 8, 9, 600, 4099])
def test_each_element_is_maths(name, n):
    x = np.random.default_rng(n).uniform(0.0, 40.0, n)
    assert ONE[name](x).tolist() == [getattr(math, name)(v) for v in x.tolist()]


@pytest.mark.parametrize("n", [1, 2, 9, 600])
def test_power_is_the_c_librarys_pow(n):
    rng = np.random.default_rng(n)
    x, y = rng.uniform(0.0, 3.0, (n, 1)), rng.uniform(-40.0, 40.0, 3)
    got = libm.power(x, y)  # broadcast: a column of bases against a row of exponents, as the discounting takes it
    assert got.shape == (n, 3)
    assert got.tolist() == [[math.pow(a, b) for b in y.tolist()] for a in x[:, 0].tolist()]
    assert libm.power(x, np.arange(3))[:, 2].tolist() == [math.pow(a, 2.0) for a in x[:, 0].tolist()]


@given(st.floats(1e-30, 1e30), st.floats(-5.0, 5.0))
def test_one_number_is_maths_in_any_layout(x, y):
    """A number's result does not depend on its neighbours (a SIMD loop's remainder can)."""
    row = np.full(19, x)
    assert libm.log(row).tolist() == [math.log(x)] * 19 == [libm.log(x)] * 19
    assert libm.power(row, y).tolist() == [math.pow(x, y)] * 19 == [libm.power(x, y)] * 19


def test_they_are_plain_numpy_ufuncs_that_warn_as_numpys():
    assert all(isinstance(f, np.ufunc) for f in (*ONE.values(), libm.power))
    with pytest.warns(RuntimeWarning):
        assert libm.log(np.array([0.0]))[0] == -np.inf
    assert libm.log(np.array([1, 4]))[1] == math.log(4)  # integers cast, as numpy's


def _compiled(fn: ast.AST) -> bool:
    return any("njit" in ast.unparse(d) or "vectorize" in ast.unparse(d) for d in getattr(fn, "decorator_list", ()))


def _uses_of_numpys_own(tree: ast.AST, path: Path) -> list[str]:
    """``np.exp(...)``-like calls and ``@`` outside compiled functions (inside them numba calls the C library)."""
    found, skip = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and _compiled(node):
            skip.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        numpys = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "np"
            and node.func.attr in CPU_CHOSEN
        )
        if numpys or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.MatMult)):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:60]}")
    return found


CPU_CHOSEN = {"exp", "log", "log1p", "expm1", "log2", "log10", "cos", "sin", "tan", "power", "float_power", "dot",
              "matmul", "inner", "einsum", "tensordot", "vdot"}  # fmt: skip
ROOT = Path(__file__).resolve().parent.parent


def test_the_model_takes_none_of_numpys_cpu_chosen_loops_outside_its_kernels():
    """numpy's ``exp``, ``log``, ... and BLAS's products give other last bits on other CPUs: the model takes
    ``model.libm`` and ``model.exact`` instead (a ``**`` on arrays is ``libm.power`` too, by review)."""
    found = []
    for path in sorted([*ROOT.glob("model/**/*.py"), *ROOT.glob("agents/*.py")]):
        found += _uses_of_numpys_own(ast.parse(path.read_text(encoding="utf-8")), path)
    assert not found, "\n".join(found)

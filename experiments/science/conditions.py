"""Conditions over a table's columns (``run.py discover --where``), read by an evaluator of their own.

A condition may hold column names, numbers (with a sign), comparisons (``<``, ``<=``, ``>``, ``>=``, ``==``,
``!=``, chained as in ``0.2 < x <= 0.4``), ``and``, ``or``, ``not`` (or ``&``, ``|``, ``~``) and parentheses;
nothing else. pandas' ``DataFrame.eval``, which this replaces, resolves ``@name`` to the caller's local variables
and reaches attributes, so a condition typed on the command line could read or run code. The whole tree is
checked before any of it is evaluated.
"""

from __future__ import annotations

import ast
import operator

import numpy as np
import pandas as pd

from model.errors import InputError
from model.params import closest

MAX_CHARS = 2000
COMPARE = {
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
}
ALLOWED = "column names, numbers, comparisons (< <= > >= == !=), and/or/not (& | ~) and parentheses"


def evaluate(text: str, frame: pd.DataFrame, where: str = "--where") -> np.ndarray:
    """Which rows of ``frame`` meet the condition ``text``, as booleans; a one-line InputError otherwise."""
    if not isinstance(text, str) or len(text) > MAX_CHARS:
        raise InputError(where, str(text)[:80], f"allowed: a condition of at most {MAX_CHARS} characters")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        reason = getattr(exc, "msg", None) or type(exc).__name__
        raise InputError(where, text, f"not a condition ({reason}); allowed: {ALLOWED}") from None
    for node in ast.walk(tree.body):
        _check(node, frame, where, text)
    try:
        return _truth(_eval(tree.body, frame))
    except RecursionError:
        raise InputError(where, text[:80], f"nested too deep; allowed: {ALLOWED}") from None
    except _NotTruthError:
        raise InputError(
            where, text, f"not a true/false condition (e.g. 'measure < value'); allowed: {ALLOWED}"
        ) from None


def _check(node: ast.AST, frame: pd.DataFrame, where: str, text: str) -> None:
    """Refuse any node outside the grammar, and names that are not columns."""
    if isinstance(node, ast.Name):
        if node.id not in frame.columns:
            raise InputError(
                where, text, f"unknown column {node.id!r}; did you mean {closest(node.id, map(str, frame.columns))}?"
            )
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise InputError(where, text, f"{node.value!r} is not a number; allowed: {ALLOWED}")
        return
    plain = (ast.Load, ast.And, ast.Or, ast.Not, ast.Invert, ast.USub, ast.UAdd, ast.BitAnd, ast.BitOr, ast.BoolOp)
    if isinstance(node, plain) or type(node) in COMPARE:
        return
    if isinstance(node, ast.Compare) or (isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr)):
        return
    if isinstance(node, ast.UnaryOp) and (
        isinstance(node.op, ast.Not | ast.Invert) or isinstance(node.operand, ast.Constant)
    ):
        return
    shown = ast.get_source_segment(text.strip(), node) or type(node).__name__
    raise InputError(where, text, f"{shown!r} is not allowed; allowed: {ALLOWED}")


def _eval(node: ast.AST, frame: pd.DataFrame):
    """The checked tree's value: a column as an array, a number, or an array of booleans."""
    if isinstance(node, ast.Name):
        return frame[node.id].to_numpy()
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, frame)
        if isinstance(node.op, ast.Not | ast.Invert):
            return ~_truth(value)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BoolOp | ast.BinOp):
        operands = node.values if isinstance(node, ast.BoolOp) else (node.left, node.right)
        values = [_truth(_eval(v, frame)) for v in operands]
        both = isinstance(node.op, ast.And | ast.BitAnd)
        return np.logical_and.reduce(values) if both else np.logical_or.reduce(values)
    left, out = _eval(node.left, frame), np.ones(len(frame), dtype=bool)
    for op, right_node in zip(node.ops, node.comparators):
        right = _eval(right_node, frame)
        with np.errstate(invalid="ignore"):
            out &= np.asarray(COMPARE[type(op)](left, right), dtype=bool)
        left = right
    return out


class _NotTruthError(TypeError):
    """A number or a column of numbers where a true/false value was needed."""


def _truth(value) -> np.ndarray:
    """A true/false value per row: a comparison's result or a column of booleans."""
    array = np.asarray(value)
    if array.dtype != bool or array.ndim != 1:
        raise _NotTruthError
    return array

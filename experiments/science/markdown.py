"""Markdown tables for the reports: pandas frames as pipe tables, floats to four significant digits."""

from __future__ import annotations

import numpy as np
import pandas as pd


def fmt(x) -> str:
    """A cell: a float to four significant digits (NaN empty), anything else as its text."""
    if isinstance(x, float | np.floating):
        return "" if np.isnan(x) else f"{x:.4g}"
    return str(x)


def table(frame: pd.DataFrame) -> str:
    """``frame`` as a Markdown pipe table, without its index."""
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join(lines)

"""Per-commodity rules from data: the mineral extraction tax and where the host's own output is exported.

``data/commodity_rules.csv`` (sources per row, ``data/pipeline_and_rules.md``): MET rates of Tax Code Art. 746,
and the destination shares of Kazakh exports by commodity: a ``share_<CODE>`` column for any power of the run
(a power without one takes none of the host's exports) and ``share_other`` (kept at home or sold elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from model.commodities import NAMES
from model.deposit_table import table_path
from model.errors import InputError
from model.file_cache import resolved
from model.inputs import read_csv


@dataclass(frozen=True)
class CommodityRules:
    """``met[c]``: tax as a share of revenue; ``exports[c, j]``: share of the host's output sold to the run's power
    ``j`` (in the order of the powers given to :func:`load_rules`).
    """

    met: np.ndarray
    exports: np.ndarray


def load_rules(path: str | Path, powers: tuple[str, ...]) -> CommodityRules:
    """Read and check the rules table for a run with these ``powers`` (every commodity once; shares in [0, 1]
    summing to 1 ± 0.001; a share column for a code that is not one of the powers is refused).
    """
    full = table_path(path)
    try:
        stat = full.stat()
        return _cached(resolved(full), stat.st_size, stat.st_mtime_ns, powers)
    except OSError:
        return _load(str(full), powers)


@lru_cache(maxsize=8)
def _cached(path: str, size: int, mtime: int, powers: tuple[str, ...]) -> CommodityRules:
    return _load(path, powers)


def _load(path: str, powers: tuple[str, ...]) -> CommodityRules:
    what = "a CSV of commodity rules (see data/pipeline_and_rules.md)"
    df = read_csv(Path(path), what, "run.commodity_rules", ("commodity", "met_rate", "share_other"), text=True)
    allowed = {f"share_{code}" for code in powers}
    stray = [c for c in df.columns if c.startswith("share_") and c != "share_other" and c not in allowed]
    if stray:
        raise InputError(path, f"column {stray[0]}", f"not a power of the run; allowed: {', '.join(sorted(allowed))}")
    shares = [f"share_{code}" for code in powers if f"share_{code}" in df.columns]
    cols = ("commodity", "met_rate", *shares, "share_other")
    rows = {}
    for i, r in df.iterrows():
        c = r["commodity"]
        if c not in NAMES or c in rows:
            raise InputError(
                path, f"row {i + 2} column commodity", f"got {c!r}; allowed: each of {', '.join(NAMES)} once"
            )
        try:
            values = np.array([float(r[k]) for k in cols[1:]])
        except ValueError:
            raise InputError(path, f"row {i + 2}", "allowed: numbers for the rate and the shares") from None
        if not (np.isfinite(values).all() and (values >= 0).all() and (values <= 1).all()):
            raise InputError(path, f"row {i + 2}", "allowed: rate and shares in [0, 1]")
        if abs(values[1:].sum() - 1) > 1e-3:
            raise InputError(path, f"row {i + 2}", f"shares sum to {values[1:].sum():.4g}; allowed: 1 ± 0.001")
        rows[c] = values
    absent = [c for c in NAMES if c not in rows]
    if absent:
        raise InputError(path, "commodity", f"{absent[0]} missing; allowed: one row per commodity")
    table = np.array([rows[c] for c in NAMES])
    exports = np.zeros((len(NAMES), len(powers)))
    for j, code in enumerate(powers):
        if f"share_{code}" in shares:
            exports[:, j] = table[:, 1 + shares.index(f"share_{code}")]
    return CommodityRules(met=table[:, 0], exports=exports)

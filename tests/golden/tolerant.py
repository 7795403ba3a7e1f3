"""The golden that holds on every machine: each table's discrete columns exactly, its numbers to 1e-9.

Where a machine computes ``exp``, ``log`` or a dot product with other last bits
(``experiments/safe_io/arithmetic.py``), a run's numbers differ in their last bits but its course does not: who
holds what, every stage, event and date is the same. So each table is kept as the SHA-256 of its columns that are
not floats (strings, integers, switches, quarters, written as CSV) and, per float column, its sum and the sum of its
absolute values; two runs agree when the hashes are equal and each sum is within ``RTOL`` of the golden's sum of
absolute values. ``series`` repeats ``timeseries``'s numbers in long form, so only its discrete columns are kept.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd

RTOL = 1e-9  # far above the ulps a machine's arithmetic moves, far below any change of behaviour
NUMBERS_FROM = {"series": "timeseries"}  # tables whose float columns repeat another table's


def shape(table: str, frame: pd.DataFrame) -> dict:
    """What the tolerant golden keeps of one table: its rows, a hash of its header, its discrete columns and where
    its floats are ``nan``, and (unless ``NUMBERS_FROM`` names it) each float column's two sums, in column order."""
    floats = [c for c in frame.columns if frame[c].dtype == np.float64]
    text = ",".join(frame.columns) + "\n" + frame.drop(columns=floats).to_csv(index=False, lineterminator="\n")
    text += frame[floats].isna().to_csv(index=False, header=False, lineterminator="\n")
    kept = {"rows": len(frame), "text": hashlib.sha256(text.encode()).hexdigest()}
    if table not in NUMBERS_FROM:
        kept["sums"] = [_sums(frame[c].to_numpy()) for c in floats]
    return kept


def _sums(x: np.ndarray) -> list[float]:
    """The sum and the sum of absolute values of the numbers that are not ``nan``, to 11 significant digits (the
    rounding, 5e-12 of the second, is far inside ``RTOL``)."""
    v = x[~np.isnan(x)]
    return [float(f"{v.sum():.11g}"), float(f"{np.abs(v).sum():.11g}")]


def differences(expected: dict, now: dict) -> list[str]:
    """Where the tables of ``now`` (run -> table -> ``shape``) part from ``expected``; empty when they agree."""
    out = [f"{run}: not in the golden" for run in now if run not in expected]
    out += [f"{run}: missing" for run in expected if run not in now]
    for run in (r for r in expected if r in now):
        for table, want in expected[run].items():
            got = now[run].get(table)
            if got is None:
                out.append(f"{run}: {table} missing")
                continue
            out += [f"{run}: {table} {key} differ" for key in ("rows", "text") if got[key] != want[key]]
            sums = want.get("sums", [])
            if len(got.get("sums", [])) != len(sums):
                out.append(f"{run}: {table} float columns differ")
                continue
            for k, ((total, size), (g_total, g_size)) in enumerate(zip(sums, got.get("sums", []), strict=True)):
                if abs(g_total - total) > RTOL * size or abs(g_size - size) > RTOL * size:
                    out.append(f"{run}: {table} float column {k}: sums {[g_total, g_size]} against {[total, size]}")
    return out


def dumps(shapes: dict) -> str:
    """``shapes.json``'s text: a line per run and table, so that a regeneration's diff says which moved."""
    lines = [
        f" {json.dumps(run)}: {{\n"
        + ",\n".join(f"  {json.dumps(t)}: {json.dumps(v)}" for t, v in sorted(tables.items()))
        for run, tables in sorted(shapes.items())
    ]
    return "{\n" + "\n },\n".join(lines) + "\n }\n}\n"

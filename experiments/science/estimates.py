"""Direct estimates from data, where data reach an assumption: the auction and negotiation windows from the dated
spans of ``data/round_calendar.csv``, and the private investors' home shares from ``data/licence_register.csv``.

Each estimate carries its derivation (the rows it used and the rule), so the doc can show it; the calibration holds
the windows at these estimates (``calibrate.FIXED``), and the home shares are the defaults already (model/power_entries.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from model.paths import ROOT

CALENDAR, REGISTER = ROOT / "data" / "round_calendar.csv", ROOT / "data" / "licence_register.csv"
LONGEST_WINDOW_Q = (
    8.0  # a span over two years is a sequence of deals (a lapsed framework, an amendment), not one window
)
ANNOUNCE_LEAD_Q = 2 / 3  # lots are announced about two months before the application deadline (Jun-2025 round row)


def _spans(prefixes: tuple[str, ...]) -> pd.DataFrame:
    frame = pd.read_csv(CALENDAR, dtype=str, keep_default_na=False)
    rows = frame[frame["item"].str.startswith(prefixes)].copy()
    rows["q"] = pd.to_numeric(rows["quarters"], errors="coerce")  # '>10', 'unknown' are not spans
    return rows[rows["q"].notna() & (rows["q"] <= LONGEST_WINDOW_Q)]


def windows() -> dict[str, dict]:
    """``host.auction_window_q`` and ``host.negotiation_window_q``: value (whole quarters, at least 1), the spans
    used and the rule."""
    auctions = _spans(("round: ",))
    auctions = auctions[auctions["item"].str.contains("deadline|results")]
    a = float(np.median(auctions["q"])) + ANNOUNCE_LEAD_Q
    talks = _spans(("direct: ", "lender: "))
    n = float(np.median(talks["q"]))
    return {
        "host.auction_window_q": {
            "value": max(1, round(a)),
            "raw": a,
            "rows": list(auctions["item"]),
            "spans": list(auctions["q"]),
            "rule": "median deadline → results span of the dated rounds + two months' announcement lead",
        },
        "host.negotiation_window_q": {
            "value": max(1, round(n)),
            "raw": n,
            "rows": list(talks["item"]),
            "spans": list(talks["q"]),
            "rule": f"median first talks → binding span of the direct deals and lenders' loans (spans ≤ {LONGEST_WINDOW_Q:g} q)",
        },
    }


def home_shares() -> dict[str, float]:
    """Foreign share of exploration firms by count (R125) split by the home of the named foreign private holders
    (2018–2025): the defaults' derivation, recomputed from the register."""
    reg = pd.read_csv(REGISTER, dtype=str, keep_default_na=False)
    firms = reg[reg["scope"].str.startswith("exploration companies")].iloc[0]
    foreign = 1 - float(firms["kz"]) / float(firms["total"])
    named = reg[reg["scope"].str.startswith("named foreign private firms")].iloc[0]
    total = float(named["total"])
    return {c: foreign * float(named[c] or 0) / total for c in ("eu", "cn", "us", "ru", "jk")} | {"kz": 1 - foreign}

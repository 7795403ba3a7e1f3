"""The powers' package pace and size: packages accepted and public finance per package in the model's first
eight years (``python run.py experiment package_pace``) against the deals each power made in the eight years
before the start (``data/deals.csv``, known by their dates). A check of the instruments' parameters, not a fit.
"""

from __future__ import annotations

import pandas as pd

from experiments.runner.worker import column
from experiments.science.paired import ci, level, md
from model.paths import ROOT
from model.powers import LABELS

YEARS = 8  # 2018-2025 in the data, 2026-2033 in the model
PACKAGE = ("equity", "processing", "public_finance", "offtake")  # a state's deal on an asset (not a framework)
BINDING = ("signed", "completed", "under_way")


def deals(path=ROOT / "data" / "deals.csv") -> pd.DataFrame:
    """Per power: its led, binding package deals of 2018-2025, how many a year, and their mean public finance."""
    d = pd.read_csv(path, dtype={"led": str})
    d = d[(d["led"].str.lower() == "true") & d["instrument"].isin(PACKAGE) & d["status"].isin(BINDING)]
    size = d["public_usd_m"].fillna(d["amount_usd_m"])
    return pd.DataFrame({"deals": d.groupby("holder").size(), "size": size.groupby(d["holder"]).mean()})


def block(runs: pd.DataFrame) -> str:
    """The generated block of docs/findings.md."""
    data, rows = deals(), []
    for code in ("EU", "CN", "US", "RU", "JK"):
        won = runs[column(f"awards_led_{code.lower()}", 2033)].to_numpy(dtype=float)
        public = runs[column(f"investment_{code.lower()}", 2033)].to_numpy(dtype=float)
        proposed = runs[column(f"packages_{code.lower()}", 2033)].to_numpy(dtype=float)
        per = public[won > 0] / won[won > 0]
        n = int(data["deals"].get(code, 0))
        size = data["size"].get(code, float("nan"))
        rows.append(
            {
                "power": LABELS[code],
                "deals 2018–2025 a year": f"{n / YEARS:.2f} ({n})",
                "model: packages accepted a year, 2026–2033": level(*[v / YEARS for v in ci(won)]),
                "model: packages proposed a year": level(*[v / YEARS for v in ci(proposed)]),
                "deals: public finance per deal (USD m)": "–" if pd.isna(size) else f"{size:,.0f}",
                "model: public finance per accepted package (USD m)": level(*ci(per)) if per.size > 1 else "–",
            }
        )
    head = (
        f"Packages against the deals of the eight years before the start ({runs.replicate.nunique()} replicates, "
        "mean [95% interval]; deals: led, binding equity, processing, public-finance and offtake deals of "
        "`data/deals.csv`; public finance per deal is the public lender's amount, else the deal's):"
    )
    return f"{head}\n\n{md(pd.DataFrame(rows))}"

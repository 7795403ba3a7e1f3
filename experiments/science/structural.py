"""Structural inputs from sources later than the start: which they are, and their effect on the hindcast.

``data/known_by_2022.csv`` marks capex values ``structural``; those whose first publication is ``unknown`` may come
from after 2022. The effect run blanks them (the model then estimates capex from capacity and price, as for any
row without a figure) and scores the hindcast on the same seeds. Base prices are 2024–25 levels and no price table
dated by 2022 is in the data, so their effect cannot be shown with values known by the start.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.safe_io.atomic import write_atomic
from experiments.science import hindcast as H
from model.deposit_table import table_path
from model.paths import ROOT

KNOWN = ROOT / "data" / "known_by_2022.csv"


def later_structural() -> list[str]:
    """Deposit ids whose structural capex has no first-publication date by the start (``known_by`` unknown)."""
    k = pd.read_csv(KNOWN, dtype=str, keep_default_na=False)
    rows = k[(k["kind"] == "structural") & (k["known_by"] == "unknown")]
    return sorted(rows["deposit_id"])


def blanked_table(out: Path) -> Path:
    """The known-by start table with the later structural capex blanked, written under ``out``."""
    frame = pd.read_csv(table_path(H.START), dtype=str, keep_default_na=False)
    frame.loc[frame["id"].isin(later_structural()), "capex_usd_m"] = ""
    path = out / "deposits_2022_known_capex_blanked.csv"
    write_atomic(path, lambda p: frame.to_csv(p, index=False))
    return path


def effect(model: pd.DataFrame, blanked: pd.DataFrame) -> str:
    """The contested controller Brier with and without the later structural values, as a sentence."""
    obs = H.observed()

    def brier(frame: pd.DataFrame) -> float:
        p = H.probabilities(list(frame["_controller"]), H.CLASSES)
        return H.scores(p, obs.controller, H.CLASSES, obs.contested)["brier"]

    a, b = brier(model), brier(blanked)
    same = all(np.array_equal(x, y) for x, y in zip(model["_controller"], blanked["_controller"]))
    return (
        f"Structural inputs with no publication date by the start: the capex of {', '.join(later_structural())} "
        f"(`data/known_by_2022.csv`). With them blanked (the model estimates capex), the contested controller Brier "
        f"is {b:.3f} against {a:.3f} ({'identical outcomes on every seed' if same else f'{b - a:+.3f}'}). Base "
        "prices are 2024–25 levels; no price table dated by 2022 is in the data, so their effect is not shown."
    )

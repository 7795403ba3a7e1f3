"""Out of sample within 2022 → 2025 (the 2018 window cannot be built: data/window_2018_missing.md): the deposits
split by region, fixed before scoring (docs/validation.md): calibrate on the east, score on the west.

The rejection ABC refits from the calibration's pool on disk (``results/calibration/pool.csv``) with the controller
mismatch counted on the calibration half only; the accepted draws' outcomes are then scored on the held-out half,
against all draws (the prior predictive) and the nulls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from experiments.science import calibrate as C
from experiments.science import hindcast as H

HOLDOUT_LON = 72.0  # deposits west of this longitude are held out (Aktobe, Kostanay, Kyzylorda, Turkistan, Ulytau, …)


def halves(obs: H.Observed) -> tuple[np.ndarray, np.ndarray]:
    """Masks of the calibration half (at or east of HOLDOUT_LON) and the held-out half (west of it)."""
    west = obs.lon < HOLDOUT_LON
    return ~west, west


def score(pool: pd.DataFrame, share: float = 0.02) -> tuple[pd.DataFrame, dict]:
    """Brier scores on the held-out half (all its deposits, and its contested ones) of the posterior refitted on the
    calibration half, the prior predictive and the nulls; and the counts of each half."""
    obs = H.observed()
    fit, held = halves(obs)
    posterior = C.accept(pool, fit & obs.contested, share)

    def predict(frame: pd.DataFrame) -> np.ndarray:
        return H.probabilities([c.split(";") for c in frame["_controller"]], H.CLASSES)

    preds = {
        "posterior fitted on the east half": predict(posterior),
        "prior predictive (all draws)": predict(pool),
        "null: nothing happens": H.nothing_happens(obs)[0],
        "null: base rates by commodity": H.base_rates(obs)[0],
        "null: schedule + legal rules": H.schedule_legal(obs),
    }
    rows = []
    for name, p in preds.items():
        row = {"predictor": name}
        for tag, mask in (("held_out_all", held), ("held_out_contested", held & obs.contested)):
            row[f"controller_brier_{tag}"] = H.scores(p, obs.controller, H.CLASSES, mask)["brier"]
        rows.append(row)
    counts = {
        "fit": int(fit.sum()),
        "fit_contested": int((fit & obs.contested).sum()),
        "held": int(held.sum()),
        "held_contested": int((held & obs.contested).sum()),
        "accepted": len(posterior),
    }
    return pd.DataFrame(rows), counts

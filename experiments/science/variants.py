"""Deliberately wrong variants of the model, each told apart (or not) by a paired comparison over seeds.

Per seed, a validation loss = the run's contested controller mismatch, as a Brier score (0 per deposit whose
holder matches, 2 if not; the mean over contested deposits), + the patterns' band distances (an undefined measure
counts one width). A variant's paired difference (variant − model, the same seed) gets a 95% t interval and a
one-sided paired t-test (the variant is worse); the p-values are Holm-corrected over the variants, and a variant is
told apart when its adjusted p is below ``ALPHA`` (docs/validation.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from experiments.science import hindcast as H
from experiments.science import patterns as PT
from experiments.science.calibrate import band_distance
from experiments.science.switches import OBJECTIVE_OFF, TRUST_RATES_OFF
from model.commodities import NAMES
from model.params import PARAMS
from model.powers import POWERS

ALPHA = 0.05


def _swap(a: str, b: str, fields: tuple[str, ...]) -> dict:
    out = {}
    for f in fields:
        out[f"{a}.{f}"], out[f"{b}.{f}"] = PARAMS[f"{b}.{f}"].default, PARAMS[f"{a}.{f}"].default
    return out


def _rotated_prices() -> dict:
    base = [PARAMS[f"price.base.{c}"].default for c in NAMES]
    return {f"price.base.{c}": base[(i + 1) % len(base)] for i, c in enumerate(NAMES)}


def _home_swapped() -> dict:
    """Kazakh and neutral foreign investors' shares exchanged (the powers' home shares are equal, 0.004 each)."""
    homes = sum(PARAMS[f"{p.lower()}.home_share"].default for p in POWERS)
    return {"investors.share_kz": 1.0 - PARAMS["investors.share_kz"].default - homes}


VARIANTS: dict[str, dict] = {
    "inputs alone (every behaviour off)": PT.BEHAVIOUR_OFF,
    "speeds of the EU and China exchanged": _swap("eu", "cn", ("delay_mean_q", "delay_sd_q", "approval_cap_q")),
    "China inert as a power": {"cn.budget_usd_m": 0.0, "cn.engagement": 0.0},
    "base prices rotated across commodities": _rotated_prices(),
    "trust ignored": {**{f"{p.lower()}.trust0": 0.5 for p in POWERS}, **TRUST_RATES_OFF},
    "lock-in off": {"mechanisms.lock_in": 0},
    "routes unconstrained": {"mechanisms.routes": 0},
    "home shares swapped (Kazakh ↔ neutral foreign)": _home_swapped(),
    "markets exogenous": {"mechanisms.markets": 0},
    "odds off": {"mechanisms.odds": 0},
    "plants off": {"mechanisms.plants": 0},
    "no state firm (Kazatomprom bids nothing)": {"host.state_firm_objective": 0.0},
    "indifferent host (no objective, no conditions)": OBJECTIVE_OFF,
    "host ignores diversification": {"host.w_diversification": 0.0},
    "investors switched off": {"investors.count": 0},
    "no resource base (no exploration, no state releases)": {
        "explore.filings_per_q": 0.0,
        "explore.discovery_scale": 0.0,
        "explore.state_release_scale": 0.0,
    },
}

# Variants the validation tells apart at the defaults (docs/validation.md; tests/test_validation_slow.py holds it).
# The four others, and why: base prices rotated scores *better* (it awards fewer plots, and the model's main error
# from the known-by start is awarding too many); routes unconstrained, plants off and markets exogenous change
# where output goes and what it is worth, which the 2022–2025 allocations and patterns barely see.
NOT_TOLD_APART = (
    "base prices rotated across commodities",
    "routes unconstrained",
    "markets exogenous",
    "plants off",
)
TOLD_APART = tuple(name for name in VARIANTS if name not in NOT_TOLD_APART)


def loss(frame: pd.DataFrame) -> np.ndarray:
    """Per seed: contested controller Brier of the run + the patterns' band distances."""
    obs = H.observed()
    truth = np.array(obs.controller)[obs.contested]
    runs = np.array([list(c) for c in frame["_controller"]])[:, obs.contested]
    brier = 2.0 * (runs != truth).mean(axis=1)
    bands = sum(
        np.array([band_distance(float(v), p.band) for v in frame[p.measure]]) for p in PT.PATTERNS if p.measure in frame
    )
    return brier + bands


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (the same order as ``p``)."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p)
    adj = np.empty_like(p)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(p) - rank) * p[i]))
        adj[i] = running
    return adj


def paired(variant: pd.DataFrame, model: pd.DataFrame) -> dict:
    """The paired loss difference (same seeds, same order): mean, 95% t interval and one-sided p (worse)."""
    assert list(variant["seed"]) == list(model["seed"]), "variants must run on the model's seeds"
    d = loss(variant) - loss(model)
    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    p = stats.ttest_1samp(d, 0.0, alternative="greater").pvalue if d.std() > 0 else (0.0 if d.mean() > 0 else 1.0)
    return {"mean": float(d.mean()), "lo": float(d.mean() - half), "hi": float(d.mean() + half), "p": float(p)}


def table(results: dict[str, pd.DataFrame], model: pd.DataFrame) -> pd.DataFrame:
    """One row per variant: its loss against the model's, paired interval, raw and Holm p, told apart."""
    rows = [{"variant": name, **paired(frame, model)} for name, frame in results.items()]
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p"].to_numpy())
    out["told_apart"] = out["p_holm"] < ALPHA
    out["better"] = out["hi"] < 0
    return out


def markdown(frame: pd.DataFrame, model_loss: float) -> str:
    """The variants' table (Markdown)."""
    lines = [
        f"Model's mean loss per seed {model_loss:.3f}.",
        "",
        "| variant | loss − model's [95% paired t] | p (one-sided) | p (Holm) | told apart |",
        "|---|---|---|---|---|",
    ]
    for r in frame.itertuples():
        verdict = "yes" if r.told_apart else ("NO: scores *better* than the model" if r.better else "NO")
        lines.append(
            f"| {r.variant} | {r.mean:+.3f} [{r.lo:+.3f}, {r.hi:+.3f}] | {r.p:.3g} | {r.p_holm:.3g} | {verdict} |"
        )
    return "\n".join(lines)

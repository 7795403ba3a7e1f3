"""The per-quarter measures of a run, computed from the state in one vectorised pass.

Declared here once (names and meaning) so the DataCollector, the summary and the docs agree.
"""

from __future__ import annotations

import numpy as np

# name pattern -> meaning; {h} is a holder code, {p} a power code
MEASURES: dict[str, str] = {
    "step": "quarters since the start (0 = initial state)",
    "quarter": "calendar quarter that ended, e.g. 2030Q4",
    "share_{h}": "share of licensed reserve value held (equity) by {h}",
    "output_share_{h}": "share of this quarter's output value taken (offtake) by {h}",
    "eu_supply_security": "EU offtake at base prices / eu.demand_usd_m, capped at 1",
    "diversification": "1 − HHI of foreign partners' shares of licensed reserve value",
    "licensed_value_usd_bn": "reserve value of licensed deposits at current prices",
    "output_value_usd_m": "value of this quarter's output",
    "trust_{p}": "host's trust in {p}",
    "investment_{h}": "public capital committed in won awards, cumulative (USD m)",
    "private_invested_{h}": "private capital committed in won awards led by {h}, cumulative (USD m)",
    "private_capital_{h}": "private capital now inside {h}'s open pursuits (USD m)",
    "private_walked_{h}": "private capital that left {h}'s pursuits for impatience, cumulative (USD m)",
    "awards_{h}": "licences won, cumulative",
    "missed_{p}": "missed windows, cumulative",
    "missed_value_{p}": "reserve value lost to missed windows, cumulative (USD m)",
    "award_lag_{p}": "mean quarters from pursuit to award over awards so far",
}


def commodity_matrix(
    commodity: np.ndarray, value: np.ndarray, equity: np.ndarray, n_commodities: int = 14
) -> np.ndarray:
    """Commodities × holders: licensed value held."""
    return np.stack(
        [np.bincount(commodity, weights=value * equity[:, h], minlength=n_commodities) for h in range(equity.shape[1])],
        axis=1,
    )


def _shares(x: np.ndarray) -> np.ndarray:
    total = x.sum()
    return x / total if total > 0 else np.zeros_like(x)


def row_shares(m: np.ndarray) -> np.ndarray:
    """Each row divided by its sum (rows summing to zero stay zero)."""
    total = m.sum(axis=1, keepdims=True)
    return np.divide(m, total, out=np.zeros_like(m), where=total > 0)


def compute_measures(model) -> dict[str, float | str]:
    d, holders = model.deposits, model.holders
    value = model.licensed_value()
    held = value @ d.equity
    out_t = model.output_t
    price = model.prices.price[d.table.commodity]
    taken = (out_t * price / 1e6) @ d.offtake
    eu = model.index["EU"]
    eu_base = (out_t * model.base_price[d.table.commodity] / 1e6) @ d.offtake[:, eu]
    foreign = held.copy()
    foreign[model.host_index] = 0.0
    m: dict[str, float | str] = {
        "step": model.steps,
        "quarter": model.quarter,
        "eu_supply_security": min(1.0, eu_base / model.v["eu.demand_usd_m"]),
        "diversification": 1.0 - float(np.sum(_shares(foreign) ** 2)) if foreign.sum() > 0 else 0.0,
        "licensed_value_usd_bn": float(value.sum() / 1e3),
        "output_value_usd_m": float(taken.sum()),
    }
    share, out_share = _shares(held), _shares(taken)
    private_now = model.investors.committed_by_power(len(holders))
    for i, h in enumerate(holders):
        m[f"share_{h}"] = float(share[i])
        m[f"output_share_{h}"] = float(out_share[i])
        m[f"investment_{h}"] = float(model.invested_public[i])
        m[f"private_invested_{h}"] = float(model.invested_private[i])
        m[f"private_capital_{h}"] = float(private_now[i])
        m[f"private_walked_{h}"] = float(model.private_walked[i])
        m[f"awards_{h}"] = float(model.awards[i])
    for p in model.power_by_index.values():
        i = p.index
        m[f"trust_{p.code}"] = float(model.trust[i])
        m[f"missed_{p.code}"] = float(model.missed[i])
        m[f"missed_value_{p.code}"] = float(model.missed_value[i])
        m[f"award_lag_{p.code}"] = float(model.award_lag[i] / model.awards[i]) if model.awards[i] else float("nan")
    return m


def measure_names(holders: tuple[str, ...], powers: tuple[str, ...]) -> list[str]:
    names = []
    for pattern in MEASURES:
        if "{h}" in pattern:
            names += [pattern.format(h=h) for h in holders]
        elif "{p}" in pattern:
            names += [pattern.format(p=p) for p in powers]
        else:
            names.append(pattern)
    return names


def reporters(holders: tuple[str, ...], powers: tuple[str, ...]) -> dict:
    """DataCollector model reporters, one per measure, reading the step's computed measures."""
    return {name: (lambda m, k=name: m.measures[k]) for name in measure_names(holders, powers)}

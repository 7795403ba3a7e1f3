"""One run of one scenario: run it, summarise it, and write its results folder atomically."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from agents import Power
from experiments.runner import tables
from experiments.safe_io import outdir, schema
from model import GreatGameModel, paths
from model.errors import InputError
from model.params import show
from model.powers import LABELS
from model.scenario import Scenario

RESULTS = paths.RESULTS  # the default results folder (model/paths.py: the checkout's, or the working folder's)
DEFAULT_SEED = 20260101
SUMMARY_YEARS = (2030, 2040, 2050)
_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
MAX_NAME = 100
COMMAND = "run.py run"  # the marker of the folders written here (experiments/safe_io/outdir.py)
# each table of experiments/runner/tables.py as Parquet (typed, with its schema and provenance) and CSV
FILES = frozenset(
    {f"{t}.{ext}" for t in tables.TABLES for ext in ("parquet", "csv")}
    | {"parameters.json", "summary.txt", "shares.png"}
)
# what the command wrote before tables were tidy (a folder of these, without a marker, may be replaced)
LEGACY_FILES = frozenset(
    {"timeseries.parquet", "timeseries.csv", "commodity_shares.parquet", "events.csv", "deposits.csv"}
    | {"parameters.json", "summary.txt", "shares.png"}
)


def safe_name(name: str, where: str, key: str = "name") -> str:
    """A results sub-folder name that cannot leave the results folder (``where: key`` is blamed if not)."""
    if not (isinstance(name, str) and _SAFE.fullmatch(name) and ".." not in name and len(name) <= MAX_NAME):
        raise InputError(
            where,
            key,
            f"got {show(name)}; allowed: up to {MAX_NAME} letters, digits, '_', '-', '.' (no path separators or '..')",
        )
    return name


def _legacy(names: set[str]) -> bool:
    """A folder written by this command before folders got a marker: only its files, parameters.json among them."""
    return "parameters.json" in names and names <= LEGACY_FILES


def run_model(scenario: Scenario, seed: int, steps: int) -> GreatGameModel:
    """Build the scenario's model with ``seed`` and run it for ``steps`` quarters."""
    model = scenario.build(rng=seed)
    model.run_for(steps)
    return model


def year_rows(frame: pd.DataFrame, years=SUMMARY_YEARS) -> dict[int, pd.Series]:
    """The row of ``timeseries()`` at the end of each year's fourth quarter, for years the run observed."""
    return {y: frame.loc[q] for y in years if (q := pd.Period(f"{y}Q4")) in frame.index}


def summary(model: GreatGameModel, seed: int) -> str:
    """A compact text summary: shares by power in 2030/2040/2050, EU supply security, missed windows."""
    frame = model.timeseries()
    rows = year_rows(frame) or {model.year: frame.iloc[-1]}
    codes = model.holders
    head = f"{'equity share of capacity in operation':<34}" + "".join(f"{y:>9}" for y in rows)
    lines = [f"Scenario run: {model.steps} quarters from {model.start_year}Q1, seed {seed}", "", head]
    for code in codes:
        share = f"capacity_share_{code.lower()}"
        lines.append(f"  {LABELS.get(code, code):<32}" + "".join(f"{r[share]:>9.1%}" for r in rows.values()))
    lines.append(f"  {'EU supply security':<32}" + "".join(f"{r['eu_supply_security']:>9.1%}" for r in rows.values()))
    lines.append(
        f"  {'host diversification (1-HHI)':<32}" + "".join(f"{r['diversification']:>9.2f}" for r in rows.values())
    )
    last = frame.iloc[-1]
    lines += ["", "missed windows (value lost, USD bn), pre-emptions and awards by power, whole run:"]
    for p in model.agents_by_type[Power]:
        c = p.code.lower()
        lines.append(
            f"  {LABELS.get(p.code, p.code):<14} missed {last[f'missed_{c}']:>4.0f}"
            f" ({last[f'missed_value_{c}'] / 1e3:>6.1f})   pre-empted {last[f'preempted_{c}']:>3.0f}"
            f"   awards {last[f'awards_{c}']:>4.0f}"
            f"   trust {last[f'trust_{c}']:.2f}"
        )
    return "\n".join(lines)


def _chart(frame: pd.DataFrame, codes: tuple[str, ...], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    x = frame.index.year + (frame.index.quarter - 1) / 4
    shares = [frame[f"capacity_share_{c.lower()}"] for c in codes]
    ax.stackplot(x, *shares, labels=[LABELS.get(c, c) for c in codes], alpha=0.85)
    ax.set_ylim(0, 1)
    ax.set_ylabel("equity share of capacity in operation (share)")
    ax.set_xlabel("year")
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def write_results(model: GreatGameModel, scenario: Scenario, seed: int, out: Path) -> None:
    """Write the run's folder; it appears whole or not at all, and only where :func:`check_out` allows."""
    values = model.params.values()
    file_meta = schema.provenance_of(scenario.name, seed, values)
    meta = {
        "scenario": scenario.name,
        "scenario_file": str(scenario.path) if scenario.path else None,
        "seed": seed,
        "steps": int(model.steps),
        "parameters": values,
        "parameters_hash": file_meta["parameters_hash"],
        "extra_powers": list(model.params.extra_powers),
        "shocks": list(scenario.shocks),
        "versions": json.loads(file_meta["versions"]),
        "git_revision": file_meta["git_revision"],
    }
    powers = tuple(model.params.extra_powers)

    def fill(tmp: Path) -> None:  # the names of FILES
        for name, frame in tables.run_tables(model, scenario.name, seed).items():
            arrow = schema.to_arrow(frame, name, file_meta, powers)
            pq.write_table(arrow, tmp / f"{name}.parquet")
            arrow.to_pandas().to_csv(tmp / f"{name}.csv", index=False)  # floats as floats (0.0), dates as dates
        (tmp / "parameters.json").write_text(json.dumps(meta, indent=2, default=_json_default) + "\n")
        (tmp / "summary.txt").write_text(summary(model, seed) + "\n")
        _chart(model.timeseries(), model.holders, tmp / "shares.png", f"{scenario.name}, seed {seed}")

    outdir.write_folder(out, COMMAND, fill, legacy=_legacy)


def check_out(out: Path) -> None:
    """Refuse, before the run, a folder the results may not replace (see experiments/safe_io/outdir.py)."""
    outdir.check(out, COMMAND, "--out", _legacy)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(type(value).__name__)

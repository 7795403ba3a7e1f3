"""The validation's runs, kept on disk so that its tables are rendered from results (``validate --no-run``): the
model, the inputs-only null, the old start, the blanked structural inputs and every wrong variant, each one CSV of
per-seed rows under ``<out>/runs/`` (outcome lists joined by ';'), with ``meta.json`` saying how they were run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from experiments.runner import replicates
from experiments.safe_io import provenance
from experiments.safe_io.atomic import write_atomic
from experiments.science import patterns as PT
from experiments.science import structural
from experiments.science import variants as VR
from model import scenario as scenarios
from model.errors import InputError

ROOT_SEED = 2022
LEAKY = "start_2022"  # the old start: 2026 release schedule, holders not yet public in 2022
LISTS = ("_controller", "_stage")


def seeds(n: int) -> list[int]:
    """The validation's seeds (the same for the model, its variants and the nulls)."""
    return replicates.seeds(ROOT_SEED, n)


def run(
    n_seeds: int,
    overrides: dict | None = None,
    workers: int = 1,
    progress: bool = False,
    posterior: pd.DataFrame | None = None,
    label: str = "validate",
    scenario: str = PT.SCENARIO,
    long: bool = True,
) -> pd.DataFrame:
    """Per-seed pattern measures and hindcast outcomes; with ``posterior``, seed ``i`` uses draw ``i mod K``."""
    overrides = overrides or {}
    scenarios.load(scenario).with_overrides(overrides, "--set")  # bad settings fail before any run
    tasks = [(*task, scenario, long) for task in replicates.with_draws(seeds(n_seeds), overrides, posterior)]
    return pd.DataFrame(replicates.run(PT.measure_seed, tasks, workers, progress, label))


def run_all(n_seeds, overrides, workers, with_variants, posterior, progress, out: Path, resume: bool = False) -> None:
    """Every run the validation reports, saved under ``out``; with ``resume``, a run already saved on the same seeds
    is kept (an interrupted validation goes on where it stopped; the caller keeps the settings the same)."""
    blank = {**overrides, "run.deposits": str(structural.blanked_table(out))}
    plan = {
        "model": (overrides, PT.SCENARIO, True),
        "inputs_alone": ({**overrides, **PT.BEHAVIOUR_OFF}, PT.SCENARIO, True),
        "old_start": (overrides, LEAKY, False),
        "structural": (blank, PT.SCENARIO, False),
    }
    if with_variants:
        plan |= {
            f"variant_{i:02d}": ({**overrides, **v}, PT.SCENARIO, True) for i, v in enumerate(VR.VARIANTS.values())
        }
    for key, (over, scenario, long) in plan.items():
        path = out / "runs" / f"{key}.csv"
        if resume and path.exists() and pd.read_csv(path, usecols=["seed"])["seed"].tolist() == seeds(n_seeds):
            continue
        save(run(n_seeds, over, workers, progress, posterior, key, scenario, long), path)
    meta = {
        "seeds": n_seeds,
        "overrides": overrides,
        "posterior_draws": None if posterior is None else len(posterior),
        "variants": list(VR.VARIANTS) if with_variants else [],
        "git": provenance.git_revision(),
    }
    write_atomic(out / "meta.json", lambda p: p.write_text(json.dumps(meta, indent=1), encoding="utf-8"))


def save(frame: pd.DataFrame, path: Path) -> None:
    flat = frame.copy()
    for c in LISTS:
        flat[c] = [";".join(v) for v in flat[c]]
    write_atomic(path, lambda p: flat.to_csv(p, index=False))


def load(out: Path) -> tuple[dict, dict[str, pd.DataFrame]]:
    """``meta.json`` and every saved run (variants under their names); a one-line error if none are there."""
    try:
        meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError(str(out), "--out", "no validation runs here; allowed: a folder `validate` wrote") from None
    frames = {}
    for path in sorted((out / "runs").glob("*.csv")):
        key = path.stem
        if key.startswith("variant_"):
            i = int(key.split("_")[1])
            if i >= len(meta["variants"]):  # an earlier run's variant, not asked for this time
                continue
            key = meta["variants"][i]
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
        for c in LISTS:
            frame[c] = [str(v).split(";") for v in frame[c]]
        frames[key] = frame
    return meta, frames

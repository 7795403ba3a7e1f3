"""What the Experiments tab reads and writes: the results folders of ``python run.py experiment`` under
``results/`` (their design, progress and effects, through ``experiments.safe_io.store``), and small
experiments launched from the page (a design file written from the form, then the very command a user
would type, in a process of its own).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.style import VEGA_LITE_SCHEMA
from experiments.runner import design
from experiments.runner.single import RESULTS
from experiments.safe_io.store import load_design, load_runs, read_manifest
from model.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
DESIGNS = ".dashboard-designs"  # under the results folder: the design files the form writes
MEASURES = ("capacity_share_eu", "eu_supply_security", "awards_eu", "missed_eu")
MAX_RUNS = 60  # a small experiment: at most this many runs from the form


def results_root() -> Path:
    """Where the experiments are: ``results/``, or ``$GG_RESULTS_DIR`` (the browser tests' own folder)."""
    return Path(os.environ.get("GG_RESULTS_DIR", RESULTS))


def folders(root: Path) -> list[Path]:
    """The experiment folders under ``root`` (those with a manifest), newest first."""
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "manifest.json").is_file()]
    return sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)


@dataclass(frozen=True)
class Progress:
    done: int
    failed: int
    total: int


def progress(folder: Path) -> Progress:
    """Runs on disk (ok, failed) against the design's points times its replicates."""
    manifest = read_manifest(folder)
    total = len(load_design(folder)) * int(manifest["spec"]["replicates"])
    runs = load_runs(folder, ["status"])
    return Progress(int((runs["status"] == "ok").sum()), int((runs["status"] != "ok").sum()), total)


def effects(folder: Path) -> pd.DataFrame:
    """Per swept parameter, level and final measure: the mean over runs with a 95% t-free interval (1.96·sd/√n)."""
    manifest = read_manifest(folder)
    factors = [k.replace(".", "_") for k in manifest["spec"].get("factors", {})]
    measures = [m for m in manifest["spec"].get("measures", []) if manifest["spec"].get("final", True)]
    runs = load_runs(folder)
    runs = runs[runs["status"] == "ok"]
    rows = []
    for factor in factors:
        for measure in measures:
            if factor not in runs or measure not in runs:
                continue
            for level, values in runs.groupby(factor)[measure]:
                n, mean, sd = len(values), float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.0
                rows.append({"factor": factor, "level": float(level), "measure": measure, "mean": mean,
                             "lo": mean - 1.96 * sd / math.sqrt(n), "hi": mean + 1.96 * sd / math.sqrt(n), "n": n})  # fmt: skip
    return pd.DataFrame(rows)


def effects_spec(frame: pd.DataFrame) -> dict:
    """One small panel per parameter and measure: the mean at each level, and its interval."""
    values = json.loads(frame.to_json(orient="records"))
    x = {"field": "level", "type": "quantitative", "title": None}
    y = {"field": "mean", "type": "quantitative", "title": None, "scale": {"zero": False}}
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": "Effects: mean of each final measure by level (95% interval over runs)", "anchor": "start"},
        "data": {"values": values},
        "facet": {"row": {"field": "measure", "title": None}, "column": {"field": "factor", "title": None}},
        "spec": {
            "width": 220,
            "height": 110,
            "layer": [
                {
                    "mark": "rule",
                    "encoding": {"x": x, "y": {"field": "lo", "type": "quantitative"}, "y2": {"field": "hi"}},
                },
                {
                    "mark": {"type": "line", "point": True},
                    "encoding": {
                        "x": x,
                        "y": y,
                        "tooltip": [{"field": "level"}, {"field": "mean", "format": ".4g"}, {"field": "n"}],
                    },
                },
            ],
        },
        "resolve": {"scale": {"y": "independent"}},
    }


def design_toml(name: str, scenario: str, key: str, levels: list[float], replicates: int, steps: int, seed: int) -> str:
    """A factorial experiment over one parameter, as ``python run.py experiment`` reads it."""
    shown = ", ".join(f"{x:g}" for x in levels)
    return (
        f'description = "launched from the dashboard: {key} at {shown}"\nscenario = "{scenario}"\n'
        f'steps = {steps}\nreplicates = {replicates}\nseed = {seed}\n\n[design]\nmethod = "factorial"\n\n'
        f'[design.factors]\n"{key}" = [{shown}]\n\n[output]\nmeasures = {json.dumps(list(MEASURES))}\n'
        "final = true\nseries = true\n"
    )


def write_design(root: Path, name: str, text: str) -> Path:
    """The design file in ``<root>/.dashboard-designs/<name>.toml``, checked as the command would check it."""
    path = root / DESIGNS / f"{name}.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    exp = design.load(path)
    runs = design.n_points(exp) * exp.replicates
    if runs > MAX_RUNS:
        path.unlink()
        raise InputError(
            name, "runs", f"{runs}; allowed: at most {MAX_RUNS} from the dashboard (use run.py experiment)"
        )
    return path


def launch(path: Path, out: Path) -> subprocess.Popen:
    """``python run.py experiment <design> --out <out> --workers 1 --quiet`` in a process of its own."""
    command = [sys.executable, "run.py", "experiment", str(path), "--out", str(out), "--workers", "1", "--quiet"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def report(folder: Path) -> subprocess.CompletedProcess:
    """``python run.py report <folder>``: report.md and its plots in ``<folder>/report``."""
    command = [sys.executable, "run.py", "report", str(folder)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)


def design_head(folder: Path, n: int = 20) -> pd.DataFrame:
    frame = load_design(folder)
    return frame.head(n).replace({np.nan: None})

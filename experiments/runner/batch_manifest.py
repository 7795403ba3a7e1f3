"""What a batch folder records about itself: its manifest (the experiment file, the design, the replicate seeds,
versions and revision), the metadata and dtypes of its tables, and the design's own tables (``design.parquet``,
``sample.parquet``). ``batch.py`` runs the batch.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner.design import Design, Experiment
from experiments.safe_io import provenance, schema
from model import params as P


def dtypes(exp: Experiment) -> dict[str, str]:
    """The dtype of each column of a batch's runs table: the run's numbering, the swept parameters, the outcomes."""
    kinds = {int: "int64", float: "float64", bool: "bool", str: "str"}
    out = {
        "run": "int64",
        "point": "int64",
        "replicate": "int64",
        "seed": "int64",
        "status": "str",
        "error": "str",
        "elapsed_s": "float64",
    }
    reg = P.registry(exp.scenario.powers)
    out.update({reg[k].alias if k in reg else k: kinds[reg[k].kind] if k in reg else "str" for k in exp.keys})
    out.update(dict.fromkeys(exp.outcome_columns(), "float64"))
    return out


def metadata(exp: Experiment, model_fp: str) -> dict[str, str]:
    """The file metadata of a batch's tables: the experiment, its base scenario, root seed and base parameters."""
    values = exp.base_scenario().params().values()
    return schema.provenance_of(exp.scenario.name, exp.seed, values, experiment=exp.name, model_fingerprint=model_fp)


def new_manifest(exp: Experiment, design: Design, seed_list: list[int], model_fp: str) -> dict:
    """A new batch folder's ``manifest.json``: the file and its text, the design, the seeds, the versions."""
    return {
        "experiment": exp.name,
        "description": exp.description,
        "file": str(exp.path),
        "file_text": exp.text,
        "fingerprint": exp.fingerprint(),
        "model_fingerprint": model_fp,
        "spec": exp.spec(),
        "design": {
            "method": exp.method,
            "keys": design.keys,
            "n_points": design.n_points,
            "replicates": exp.replicates,
            "n_runs": design.n_points * exp.replicates,
            "run_numbering": "run = replicate * n_points + point",
            "replicate_seeds": seed_list,
        },
        "outcomes": exp.outcome_columns(),
        "parameter_columns": exp.columns(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": provenance.versions(),
        "git_revision": provenance.git_revision(),
        "sessions": [],
    }


def save_design(out: Path, exp: Experiment, design: Design, meta: dict[str, str]) -> None:
    """``design.parquet`` (the points as the runs got them) and, for sampled designs, ``sample.parquet``."""
    names = exp.columns()
    point = pd.DataFrame({"point": np.arange(design.n_points, dtype=np.int64)})
    points = pd.concat([point, design.points.rename(columns=names)], axis=1)
    schema.write(out / "design.parquet", points, "design", meta, exp.scenario.powers)
    if design.sample is not None:
        sample = pd.concat([point, pd.DataFrame(design.sample, columns=[names[k] for k in design.keys])], axis=1)
        schema.write(out / "sample.parquet", sample, "sample", meta, exp.scenario.powers)

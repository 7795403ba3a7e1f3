"""An experiment's results folder: whose it is, taking it for a batch, and which runs it holds.

A folder holds one experiment. :func:`check_out_dir` refuses another experiment's folder (naming the first key
that differs), another command's, or one holding anything else, before anything is written; :func:`claim`
creates and locks the folder and checks it again, since another batch may have started it in between (the
first check and the lock are seconds apart while a cluster starts). A batch killed while starting leaves its
lock, marker, design and temporary files but no manifest: that folder is a fresh start, not another's.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np

from experiments.runner.experiment import Experiment
from experiments.safe_io import outdir
from experiments.safe_io.store import MANIFEST, plain, read_manifest, read_parquet, shards
from model.errors import InputError

LOCK = ".lock"
COMMAND = "run.py experiment"  # the marker of an experiment's folder (experiments/safe_io/outdir.py)
_TMP = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")  # a temporary file of write_atomic, left by a killed batch


def _first_difference(old: Any, new: Any, prefix: str = "") -> str:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new), key=str):
            if old.get(key, "<missing>") != new.get(key, "<missing>"):
                return _first_difference(old.get(key, "<missing>"), new.get(key, "<missing>"), f"{prefix}{key}.")
    return prefix.rstrip(".") or "content"


def _is_tmp(path: Path) -> bool:
    return bool(_TMP.fullmatch(path.name)) and path.is_file()


def check_out_dir(exp: Experiment, out: Path) -> dict | None:
    """The existing manifest if ``out`` holds this experiment's results; InputError if it holds anything else."""
    outdir.usable(out, "--out", links=True)
    if not out.exists():
        return None
    if not (out / MANIFEST).exists():
        mark = outdir.marker(out)
        if mark and mark["written_by"] != COMMAND:
            raise InputError(
                str(out),
                "--out",
                f"holds the results of {mark['written_by']}; allowed: a new or empty folder, or one written by "
                "this experiment",
            )
        # a batch killed while starting leaves its lock, marker, design and temporary files, but no manifest yet
        started = {LOCK, outdir.MARKER, "design.parquet"}
        if any(p.name not in started and not _is_tmp(p) for p in out.iterdir()):
            raise InputError(
                str(out),
                "--out",
                f"exists without {MANIFEST}; allowed: a new or empty folder, or one written by this experiment",
            )
        return None
    manifest = read_manifest(out)
    if manifest["fingerprint"] != exp.fingerprint():
        old = plain(manifest["spec"])
        new = plain(exp.spec())
        old["name"] = new["name"]
        raise InputError(
            str(exp.path),
            _first_difference(old, new),
            f"differs from the experiment whose results are in {out} "
            f"({manifest.get('file', '?')}); allowed: the same experiment to resume, or a new --out "
            "(or delete that folder)",
        )
    return manifest


def check_model(manifest: dict | None, model_fp: str, out: Path, allow: bool) -> list[str]:
    """Refuse to mix two versions of the model in one folder (unless ``allow``: then a warning)."""
    if not manifest or manifest.get("model_fingerprint") == model_fp:
        return []
    if not allow:
        raise InputError(
            str(out),
            "model",
            f"the model code (model/, agents/) or a deposit table changed since these results were started "
            f"(at git {manifest.get('git_revision', '?')}); allowed: a new --out, or --allow-model-change to "
            "resume anyway (its rows would mix two versions of the model)",
        )
    return [f"warning: resuming {out} with a changed model or deposit table (--allow-model-change)"]


def check_arithmetic(manifest: dict | None, here: str, out: Path) -> list[str]:
    """Warn when earlier sessions of this folder computed with other arithmetic than this machine's
    (``experiments/safe_io/arithmetic.py``): their runs and these may differ in the last bits."""
    other = sorted({s["arithmetic"] for s in (manifest or {}).get("sessions", []) if s.get("arithmetic", here) != here})
    if not other:
        return []
    said = (
        f"warning: {out} holds runs computed with other arithmetic (probe {', '.join(other)}; here {here}): the "
        "runs made now may differ from those in their last bits (another C library or CPU architecture; ODD section 4.10)"
    )
    return [said]


def _lock(out: Path):
    import fcntl

    handle = open(out / LOCK, "a+")  # noqa: SIM115 (held open for the whole batch)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise InputError(
            str(out),
            "--out",
            "another batch is writing to this folder; allowed: wait for it to finish, or use another --out",
        ) from None
    return handle


def claim(exp: Experiment, out: Path):
    """Create and lock ``out``, then check it again: another batch may have started it since the first check.

    Returns the lock (held open for the whole batch) and the manifest found (None for a fresh start).
    """
    try:
        out.absolute().parent.mkdir(parents=True, exist_ok=True)
        with outdir.locked(out, "--out"):  # serialised with run and report writing beside it
            out.mkdir(exist_ok=True)
            handle = _lock(out)
    except OSError as exc:
        raise outdir.cannot_write(out, "--out", exc) from None
    try:
        manifest = check_out_dir(exp, out)
        if not outdir.marker(out):
            outdir.write_marker(out, COMMAND)
        for tmp in filter(_is_tmp, out.rglob(".*.tmp")):
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        handle.close()
        raise outdir.cannot_write(out, "--out", exc) from None
    except BaseException:
        handle.close()
        raise
    return handle, manifest


def done_mask(out: Path, n_runs: int, retry_failed: bool) -> np.ndarray:
    """Which runs are on disk (failed ones count as done unless ``retry_failed``)."""
    done = np.zeros(n_runs, dtype=bool)
    for path in shards(out, "runs"):
        table = read_parquet(path, ["run", "status"])
        runs = table["run"].to_numpy()
        keep = ((table["status"].to_numpy() == "ok") | (not retry_failed)) & (runs >= 0) & (runs < n_runs)
        done[runs[keep]] = True
    return done


def on_disk(out: Path) -> str:
    """'N of M runs on disk', read as a resume would (for one-line messages)."""
    try:
        n_runs = read_manifest(out)["design"]["n_runs"]
        return f"{int(done_mask(out, n_runs, False).sum())} of {n_runs} runs on disk"
    except InputError:
        return "no runs on disk"

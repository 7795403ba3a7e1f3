"""A batch says when its runs come from machines whose arithmetic differs (``experiments/safe_io/arithmetic.py``):
a resume on another kind of machine, or Dask workers of another kind than the client. It warns and goes on: such
runs are the model's, different in their last bits only (ODD section 4.10)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from experiments.runner import backends, batch, design
from experiments.runner.folder import check_arithmetic
from experiments.safe_io import arithmetic
from tests.experiment_text import small_experiment

OTHER = "0123456789abcdef"


def test_a_folder_with_sessions_of_other_arithmetic_is_named():
    here = arithmetic.probe()
    assert check_arithmetic(None, here, Path("out")) == []
    assert check_arithmetic({"sessions": [{"backend": "serial"}]}, here, Path("out")) == []  # before probes
    assert check_arithmetic({"sessions": [{"arithmetic": here}]}, here, Path("out")) == []
    said = check_arithmetic({"sessions": [{"arithmetic": here}, {"arithmetic": OTHER}]}, here, Path("out"))
    assert len(said) == 1 and OTHER in said[0] and here in said[0] and said[0].startswith("warning: out holds")


def test_a_batch_records_its_arithmetic_and_a_resume_elsewhere_warns(tmp_path):
    path = tmp_path / "exp.toml"
    path.write_text(small_experiment("arith", steps=4, replicates=2, seed=3, deposits=20, years=""))
    exp = design.load(path)
    first = batch.run_experiment(exp, design.expand(exp), tmp_path / "out", limit=2)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert first.warnings == [] and [s["arithmetic"] for s in manifest["sessions"]] == [arithmetic.probe()]
    manifest["sessions"][0]["arithmetic"] = OTHER  # as if the first session had run on another machine
    (tmp_path / "out" / "manifest.json").write_text(json.dumps(manifest))
    second = batch.run_experiment(exp, design.expand(exp), tmp_path / "out")
    assert second.remaining == 0 and len(second.warnings) == 1 and OTHER in second.warnings[0]


class _Client:
    """A cluster's client whose workers answer as told."""

    def __init__(self, fingerprint: str, probes: dict[str, str]):
        self.fingerprint, self.probes = fingerprint, probes

    def run(self, fn, *args):
        answer = self.fingerprint if fn is backends.model_fingerprint else None
        return {w: answer if answer is not None else p for w, p in self.probes.items()}

    def submit(self, fn, *args, pure=False):
        return type("Done", (), {"result": lambda self, timeout=None: None})()


def test_dask_workers_of_other_arithmetic_are_named():
    cluster = backends.Dask("tcp://scheduler:8786", 2)
    here = arithmetic.probe()
    cluster.client = _Client("fp", {"tcp://a": here, "tcp://b": here})
    assert cluster.check_workers("fp", [], here) == []
    cluster.client = _Client("fp", {"tcp://a": here, "tcp://b": OTHER})
    said = cluster.check_workers("fp", [], here)
    assert len(said) == 1 and "1 of 2 Dask workers (tcp://b" in said[0] and OTHER in said[0]


def test_workers_that_cannot_be_probed_leave_a_warning_not_an_error():
    class Failing(_Client):
        def run(self, fn, *args):
            if fn is arithmetic.probe or getattr(fn, "__name__", "") == "probe":
                raise RuntimeError("numba cannot compile here")
            return super().run(fn, *args)

    cluster = backends.Dask("tcp://scheduler:8786", 2)
    cluster.client = Failing("fp", {"tcp://a": "x"})
    said = cluster.check_workers("fp", [], arithmetic.probe())
    assert said == [
        "warning: the Dask workers' arithmetic could not be probed (RuntimeError: numba cannot compile here)"
    ]


def _with(code: str, **env: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True, timeout=300
    )
    return done.stdout.strip()


def _machine_without_simd() -> dict[str, str]:
    """Environment variables that make this machine compute as one without its SIMD: numpy's dispatched loops above
    its baseline switched off (AVX-512 and AVX2 here), and OpenBLAS's oldest kernel."""
    try:  # numpy's own record of its dispatched loops (private: a numpy without it skips the test)
        from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
    except ImportError:
        pytest.skip("this numpy does not say which loops it dispatches")
    found = [f for f in __cpu_dispatch__ if __cpu_features__.get(f)]
    if not found:
        pytest.skip("numpy has no loops above its baseline on this machine: nothing to switch off")
    return {"NPY_DISABLE_CPU_FEATURES": " ".join(found), "OPENBLAS_CORETYPE": "Prescott"}


PROBE = "from experiments.safe_io.arithmetic import probe; print(probe())"
TABLES = (
    "import json; from tests.golden.regenerate import run, run_tables, table_hashes; "
    "m = run('baseline', 2); print(json.dumps(table_hashes(run_tables(m, 'baseline', 2)), sort_keys=True))"
)


def test_a_run_and_the_probe_are_the_same_without_this_machines_simd_loops_and_blas_kernel():
    """The model takes the C library's functions and adds its products in order, so numpy's SIMD loops and BLAS's
    kernel, which the CPU picks, change no bit of a run (before 2026-12-08, 108 of the golden's 196 tables did).
    On a machine with no loops above numpy's baseline this cannot fail, and is skipped."""
    other = _machine_without_simd()
    here = arithmetic.probe()
    assert len(here) == 16
    assert _with(PROBE, **other) == here == _with(PROBE, OPENBLAS_NUM_THREADS="1")
    assert _with(TABLES, **other) == _with(TABLES)

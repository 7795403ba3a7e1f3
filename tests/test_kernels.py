"""The compiled kernels: compiled once in a fresh environment, then loaded from numba's cache by every later process,
with the same results either way; the first call's cost is measured here (docs/performance.md quotes it).
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import json, time
t = time.perf_counter()
from model import scenario as sc
m = sc.load("baseline").build(rng=3)
m.run_for(8)
print(json.dumps({"seconds": time.perf_counter() - t, "eu": m.measures["capacity_share_eu"]}))
"""


def run(cache: Path) -> dict:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_kernels_compile_once_then_load_from_the_cache(tmp_path):
    t = time.perf_counter()
    first = run(tmp_path)  # an empty cache: every kernel compiles
    second = run(tmp_path)  # a fresh process: every kernel loads
    print(
        f"first call {first['seconds']:.1f} s (compiling), then {second['seconds']:.1f} s; {time.perf_counter() - t:.1f} s"
    )
    assert first["eu"] == second["eu"]
    assert second["seconds"] < first["seconds"] / 2
    assert any(tmp_path.rglob("*.nbc"))

"""The compiled kernels: compiled once in a fresh environment, then loaded from numba's cache by every later process,
with the same results either way; the first call's cost is measured here (docs/performance.md quotes it).
"""

import ast
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


def _compiled(fn: ast.FunctionDef) -> bool:
    """Whether ``fn`` is decorated ``@njit`` or ``@njit(...)``."""
    names = [d.func if isinstance(d, ast.Call) else d for d in fn.decorator_list]
    return any(isinstance(n, ast.Name) and n.id == "njit" for n in names)


def test_no_kernel_that_kernels_call_is_called_from_python():
    """A compiled function that another compiled function calls is not called from Python code too (by its name or
    through its module's name). Numba's cache can then bind the Python entry to the callee's environment, and the
    function fails to return an array ("'descr' is NULL"): it happened to ``host_rules.best_offers`` once it ran
    inside the negotiation's compiled pass and for the auctions too, in one state of the cache that later runs did
    not reproduce. Python calls such a function through one of its own (``host_rules._pick``, ``pursuits._close``).
    """
    files = {f: ".".join(f.relative_to(ROOT).with_suffix("").parts) for d in ("model", "agents")
             for f in sorted((ROOT / d).glob("*.py"))}  # fmt: skip
    trees = {f: ast.parse(f.read_text()) for f in files}
    kernels = {(files[f], fn.name) for f, t in trees.items() for fn in ast.walk(t)
               if isinstance(fn, ast.FunctionDef) and _compiled(fn)}  # fmt: skip
    inside, outside = set(), {}
    for f, tree in trees.items():
        here, modules, names = files[f], {}, {}
        for node in ast.walk(tree):  # what each name of the file stands for: a project module, or one of its functions
            if isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    if f"{node.module}.{a.name}" in files.values():
                        modules[a.asname or a.name] = f"{node.module}.{a.name}"
                    else:
                        names[a.asname or a.name] = (node.module, a.name)
            elif isinstance(node, ast.Import):
                modules.update({a.asname: a.name for a in node.names if a.asname})
        for fn in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            for call in (c for c in ast.walk(fn) if isinstance(c, ast.Call)):
                target = call.func
                if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name):
                    key = (modules.get(target.value.id), target.attr)
                elif isinstance(target, ast.Name):
                    key = names.get(target.id, (here, target.id))
                else:
                    continue
                if key in kernels and key != (here, fn.name):
                    if _compiled(fn):
                        inside.add(key)
                    else:
                        outside.setdefault(key, f"{f.relative_to(ROOT)}:{fn.name}")
    both = {k: where for k, where in outside.items() if k in inside}
    assert not both, f"called from compiled code and from Python: {both}"
    # the walk sees both kinds of call, by name, through an alias and through a module
    assert {("model.host_rules", "best_offers"), ("model.exact", "maximum"), ("model.exact", "total")} <= inside
    assert ("model.observe_kernels", "values") in inside
    assert ("model.host_rules", "_pick") in outside and ("model.observe_pass", "products") in outside

"""Whether this checkout's baseline runs give another checkout's tables, bit for bit, on many seeds.

    .venv/bin/python benchmarks/same_tables.py ../ab0 --seeds 100     # about a minute a side

The golden (``tests/test_golden.py``) holds every table of a few seeds of every shipped scenario; a change meant to
keep the behaviour (a kernel, a cache) can be checked further here: each side runs the baseline on seeds 0..N-1 for
100 quarters in its own process and hashes each of its tables (``experiments.runner.tables.run_tables``, as CSV);
the report counts the seeds whose every table matches and names the tables that differ.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import hashlib, json, sys
sys.path.insert(0, {root!r})
from model import scenario
from experiments.runner.tables import run_tables
out = {{}}
for seed in range({seeds}):
    m = scenario.load("baseline").build(rng=seed)
    m.run_for(100)
    out[seed] = {{name: hashlib.sha256(frame.to_csv(index=False, lineterminator="\\n").encode()).hexdigest()
                 for name, frame in run_tables(m, "baseline", seed).items()}}
print(json.dumps(out))
"""


def hashes(root: Path, seeds: int) -> dict[str, dict[str, str]]:
    """Each seed's table hashes, from a fresh process of the checkout at ``root``."""
    code = PROBE.format(root=str(root), seeds=seeds)
    run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="path of the other checkout (a git worktree)")
    parser.add_argument("--seeds", type=int, default=100)
    args = parser.parse_args()
    this, that = hashes(ROOT, args.seeds), hashes(args.other.resolve(), args.seeds)
    differ = {seed: sorted(t for t in this[seed] if this[seed][t] != that[seed].get(t)) for seed in this}
    same = sum(not tables for tables in differ.values())
    print(f"seeds whose every table is the same bit for bit: {same}/{args.seeds}")
    for seed, tables in differ.items():
        if tables:
            print(f"  seed {seed}: {', '.join(tables)}")
    sys.exit(0 if same == args.seeds else 1)


if __name__ == "__main__":
    main()

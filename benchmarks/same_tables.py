"""Whether this checkout's baseline runs give another checkout's tables, bit for bit, on many seeds.

    .venv/bin/python benchmarks/same_tables.py ../ab0 --seeds 100           # about a minute a side
    .venv/bin/python benchmarks/same_tables.py ../ab0 --large --seeds 2     # 10,000 deposits x 1,000 investors
    .venv/bin/python benchmarks/same_tables.py ../prev --seeds 100 --shapes # other last bits, the same course?

The golden (``tests/test_golden.py``) holds every table of a few seeds of every shipped scenario; a change meant to
keep the behaviour (a kernel, a cache) can be checked further here: each side runs the baseline on seeds 0..N-1 for
100 quarters (with ``--large``, the 10,000-deposit, 1,000-investor synthetic model on seeds 1..N for 20 quarters)
in its own process and hashes each of its tables (``experiments.runner.tables.run_tables``, as CSV); the report
counts the seeds whose every table matches and names the tables that differ. With ``--shapes`` (a change meant to
move last bits only, as 2026-12-08's C-library arithmetic) it also counts the seeds whose every table keeps its
course, as the golden's tolerant test checks it (``tests/golden/tolerant.py``: the discrete columns and where the
NaNs are, exactly; each float column's sums to 1e-9), and exits 0 when they all do.
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
from tests.golden import tolerant
out, shapes = {{}}, {{}}
for seed in range({first}, {first} + {seeds}):
    m = scenario.load("baseline").build(rng=seed, **{overrides!r})
    m.run_for({quarters})
    tables = run_tables(m, "baseline", seed)
    out[seed] = {{name: hashlib.sha256(frame.to_csv(index=False, lineterminator="\\n").encode()).hexdigest()
                 for name, frame in tables.items()}}
    if {shapes}:
        shapes[seed] = {{name: tolerant.shape(name, frame) for name, frame in tables.items()}}
print(json.dumps({{"hashes": out, "shapes": shapes}}))
"""


LARGE = {"run.synthetic_deposits": 10000, "investors.count": 1000}


def hashes(root: Path, seeds: int, large: bool = False, shapes: bool = False) -> dict[str, dict]:
    """Each seed's table hashes (and, with ``shapes``, its tables' shapes), from a fresh process of the checkout at
    ``root``: ``{"hashes": {seed: {table: hash}}, "shapes": {seed: {table: shape}}}``."""
    overrides, quarters, first = (LARGE, 20, 1) if large else ({}, 100, 0)
    code = PROBE.format(root=str(root), seeds=seeds, overrides=overrides, quarters=quarters, first=first, shapes=shapes)
    run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", type=Path, help="path of the other checkout (a git worktree)")
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--large", action="store_true", help="the 10,000 x 1,000 synthetic model, 20 quarters")
    parser.add_argument("--shapes", action="store_true", help="also whether each table keeps its course and sums")
    args = parser.parse_args()
    mine, other = (hashes(root, args.seeds, args.large, args.shapes) for root in (ROOT, args.other.resolve()))
    this, that = mine["hashes"], other["hashes"]
    differ = {seed: sorted(t for t in this[seed] if this[seed][t] != that[seed].get(t)) for seed in this}
    same = sum(not tables for tables in differ.values())
    print(f"seeds whose every table is the same bit for bit: {same}/{args.seeds}")
    for seed, tables in differ.items():
        if tables:
            print(f"  seed {seed}: {', '.join(tables)}")
    if args.shapes:
        sys.path.insert(0, str(ROOT))
        from tests.golden import tolerant

        moved = {
            seed: tolerant.differences({"run": other["shapes"][seed]}, {"run": mine["shapes"][seed]}) for seed in this
        }
        kept = sum(not m for m in moved.values())
        print(f"seeds whose every table keeps its course and sums (to 1e-9): {kept}/{args.seeds}")
        for seed, m in moved.items():
            if m:
                print(f"  seed {seed}: {'; '.join(m)[:300]}")
        sys.exit(0 if kept == args.seeds else 1)
    sys.exit(0 if same == args.seeds else 1)


if __name__ == "__main__":
    main()

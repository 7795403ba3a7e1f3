"""This checkout's baseline run against another revision's, side by side in one run.

    git worktree add ../rev0 b689cae        # the revision to compare against, checked out beside this one
    .venv/bin/python benchmarks/bench_revision.py ../rev0 [--rounds 7]

Each round times 5 baseline runs of 100 quarters (model construction + steps, imports excluded; CPU time of the
process, so other processes' load counts less) in a fresh process of each checkout, the two alternating, so
both see the same machine; the ratio of the best rounds is the figure (this / other). Both run with this
venv's interpreter and packages. Each side also reports how much its baseline does (deposits known at the end,
pursuits opened, events logged, exploration blocks), since a revision that models more is slower for that.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Works on both sides of the foundation change (scenarios moved from experiments/ to model/).
PROBE = """
import json, sys, time
sys.path.insert(0, {root!r})
try:
    from model import scenario as sc
    build = lambda seed: sc.load("baseline").build(rng=seed)
except ImportError:
    from experiments import scenarios
    from model import GreatGameModel
    build = lambda seed: GreatGameModel(**scenarios.load("baseline").kwargs(rng=seed))
build(0).run_for(2)  # imports and the table cache warm
t = time.process_time()
for seed in range(1, 6):
    m = build(seed)
    m.run_for(100)
seconds = (time.process_time() - t) / 5
ground = getattr(m, "ground", None)
print(json.dumps({{
    "seconds": seconds,
    "deposits": len(m.deposits.remaining),
    "pursuits": int(m.pursuits.n),
    "events": len(m.events.rows),
    "blocks": 0 if ground is None else int(ground.n),
}}))
"""


def one_round(root: Path) -> dict:
    """Seconds per baseline run (and the last run's sizes) in a fresh process of the checkout at ``root``."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(root=str(root))],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(other: Path, rounds: int = 7) -> dict:
    """Best round of each side, alternating; ``ratio`` is this checkout's time over the other's."""
    this, that = [], []
    for _ in range(rounds):
        this.append(one_round(ROOT))
        that.append(one_round(other))
    a, b = min(this, key=lambda r: r["seconds"]), min(that, key=lambda r: r["seconds"])
    return {"other": str(other), "rounds": rounds, "this": a, "that": b, "ratio": a["seconds"] / b["seconds"]}


def text(r: dict) -> str:
    def line(name: str, s: dict) -> str:
        return (
            f"{name}: {s['seconds'] * 1000:.1f} ms per baseline run of 100 quarters; at the end {s['deposits']} deposits, "
            f"{s['pursuits']} pursuits, {s['events']} events, {s['blocks']} exploration blocks"
        )

    return "\n".join(
        [
            line("this checkout", r["this"]) + f" (best of {r['rounds']} rounds)",
            line(r["other"], r["that"]),
            f"ratio this / other: {r['ratio']:.2f}",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("other", help="path of the other checkout (e.g. a git worktree of an older revision)")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    print(text(compare(Path(args.other).resolve(), args.rounds)))


if __name__ == "__main__":
    main()

"""Every speed and scale figure of docs/performance.md, in one command.

    .venv/bin/python benchmarks/bench_all.py                   # ~5 min on 2 cores; prints the table
    .venv/bin/python benchmarks/bench_all.py --write           # and rewrites the table in docs/performance.md
                                                               # and docs/img/scaling.png
    .venv/bin/python benchmarks/bench_all.py --quick           # ~2 min: fewer repeats and runs
    .venv/bin/python benchmarks/bench_all.py --against ../rev0 # the revision compared with (default ../rev0)
    .venv/bin/python benchmarks/bench_all.py --with-dashboard  # also benchmarks/bench_dashboard.py (Chromium)

Sections (each a function of benchmarks/bench_sections.py; each figure is a ratio, or comes with the baseline it
is compared with, measured in the same run, so the table holds on a noisy machine):

1. one run: the baseline scenario, 100 quarters in-process, its time per step by phase, the share of data
   collection and the share spent inside compiled kernels (benchmarks/bench_profile.py);
2. pipeline: the baseline against the same model with exploration and discovery off, and with the state's
   releases off too, side by side (benchmarks/bench_pipeline.py);
3. revision: this checkout's baseline against another revision's, e.g. the pre-rebuild one in ``../rev0``
   (benchmarks/bench_revision.py; skipped when the path does not exist);
4. scaling: step cost on the grid of 60-60,000 synthetic deposits x 50-5,000 investors, its log-log slope
   against deposits x investors, steps/s of the 10,000-deposit, 1,000-investor model, and the baseline with
   1-100 times its exploration ground (benchmarks/bench_scaling.py);
5. batch: runs/s on 1 and 2 workers (parallel efficiency), this runner against ``mesa.batch_run`` on the same
   runs and seeds, and peak memory at 1,000 and 10,000 runs (benchmarks/bench_batch.py, each measurement in a
   fresh interpreter);
6. dashboard (with ``--with-dashboard``): rendered quarters/s from benchmarks/bench_dashboard.py.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_sections as sections  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
PNG = ROOT / "docs" / "img" / "scaling.png"
BEGIN, END = "<!-- BEGIN bench_all (generated: do not edit by hand) -->", "<!-- END bench_all -->"


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, AttributeError):
        mem = "?"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    import mesa
    import numpy

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{cpu}, {cores} cores, {mem}; {platform.system()} {platform.release()}; Python "
        f"{platform.python_version()}, Mesa {mesa.__version__}, NumPy {numpy.__version__}; "
        f"load average {load:.1f} at the start"
    )


def git_revision() -> str:
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "model", "agents"], cwd=ROOT, capture_output=True, check=False
        )
        return rev.stdout.strip() + (" (model/agents modified)" if dirty.stdout.strip() else "")
    except OSError:
        return "?"


def run_all(args) -> tuple[str, dict]:
    started = time.perf_counter()
    info = {"machine": machine(), "git": git_revision(), "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}
    rows: list[tuple[str, str, str]] = []  # (what, figure, baseline or note)
    result = {"profile": sections.one_run(args, rows), "pipeline": sections.pipeline(args, rows)}
    rev = sections.revision(args, rows)
    if rev is not None:
        result["revision"] = rev
    scal, tgt, ground = sections.scaling(args, rows)
    sections.batch(args, rows)
    sections.dashboard_row(args, rows)
    info["seconds"] = time.perf_counter() - started
    return markdown(rows, info, args), {**result, "scaling": scal, "target": tgt, "ground": ground}


def markdown(rows, info, args) -> str:
    cmd = "python benchmarks/bench_all.py" + "".join(
        f" {flag}"
        for flag, on in (
            ("--quick", args.quick),
            ("--skip-corner", args.skip_corner),
            ("--mesa-memory", args.mesa_memory),
            ("--with-dashboard", args.with_dashboard),
        )
        if on
    )
    lines = [
        f"Measured {info['date']} at git {info['git']} with `{cmd}` ({info['seconds'] / 60:.1f} min).",
        f"Machine: {info['machine']}.",
        "",
        "| what | figure | baseline / note |",
        "|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def write_doc(table: str, doc: Path = DOC) -> None:
    text = doc.read_text() if doc.exists() else ""
    block = f"{BEGIN}\n{table}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.write_text(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats and batch runs (~1 min)")
    ap.add_argument("--runs", type=int, default=None, help="batch runs for throughput (default 200; --quick 50)")
    ap.add_argument("--scale-steps", type=int, default=4, help="quarters per run in the memory check (default 4)")
    ap.add_argument("--skip-corner", action="store_true", help="skip 60,000 deposits x 5,000 investors")
    ap.add_argument("--mesa-memory", action="store_true", help="also mesa.batch_run's memory at 1,000/10,000 runs")
    ap.add_argument("--with-dashboard", action="store_true", help="also run benchmarks/bench_dashboard.py")
    ap.add_argument(
        "--against", type=Path, default=ROOT.parent / "rev0", help="checkout of the revision compared with (../rev0)"
    )
    ap.add_argument("--write", action="store_true", help=f"rewrite the table in {DOC.relative_to(ROOT)}")
    ap.add_argument("--png", type=Path, default=PNG, help=f"scaling curve (default {PNG.relative_to(ROOT)})")
    ap.add_argument("--no-png", action="store_true", help="do not draw the scaling curve")
    args = ap.parse_args(argv)
    if args.runs is None:
        args.runs = 50 if args.quick else 200
    if not args.write and args.png == PNG:
        args.no_png = True  # only --write touches docs/
    table, _ = run_all(args)
    print(table)
    if args.write:
        write_doc(table)
        print(f"\nwrote {DOC.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The sections of ``benchmarks/bench_all.py``, one function each: each measures, prints its detail on stderr and
appends its rows (what, figure, baseline or note) to the table of docs/performance.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import bench_batch
import bench_pipeline
import bench_profile
import bench_revision
import bench_scaling

from experiments.science.paired import ci

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def target_status(lo: float, hi: float, bound: float, at_least: bool = False) -> str:
    """Whether a figure whose 95% interval is ``[lo, hi]`` is at most ``bound`` (``at_least``: at least it): met
    only when the whole interval is.
    """
    inside, outside = (lo >= bound, hi < bound) if at_least else (hi <= bound, lo > bound)
    if inside:
        return "met"
    return "NOT met" if outside else "not distinguishable from the target (the interval spans it)"


def section(title: str) -> None:
    print(f"\n== {title}", file=sys.stderr)


def dashboard() -> str:
    script = ROOT / "benchmarks" / "bench_dashboard.py"
    if not script.exists():
        return "not run (benchmarks/bench_dashboard.py not present)"
    proc = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    print(proc.stdout, proc.stderr[-2000:], sep="\n", file=sys.stderr)
    hit = [line for line in lines if "quarters per second" in line or "quarters/s" in line]
    if proc.returncode != 0 or not lines:
        return f"failed (exit {proc.returncode}): {(proc.stderr.strip().splitlines() or ['?'])[-1][:200]}"
    return (hit[-1] if hit else lines[-1]).strip()


def one_run(args, rows: list) -> dict:
    """The baseline's 100 quarters in-process: time by phase and method, the observation's share, the kernels' share."""
    section("one run: baseline, 100 quarters, by phase")
    prof = bench_profile.profile(steps=100, repeat=3 if args.quick else 7)
    step_ms = prof["step"] / prof["steps"] * 1e3
    print(bench_profile.table(prof), file=sys.stderr)
    rows.append(
        (
            "baseline run, 100 quarters, in-process (median)",
            f"{prof['step'] * 1e3:.0f} ms + {prof['build'] * 1e3:.0f} ms to build",
            f"{step_ms:.2f} ms/step; {1 / prof['step']:.0f} runs/s on one core",
        )
    )
    phases = {ph: prof[ph] / prof["step"] for ph in bench_profile.ORDER}
    top = max(phases, key=phases.get)
    rows.append(
        (
            "time per step by phase (share of the same runs' step time)",
            ", ".join(f"{ph} {share:.0%}" for ph, share in phases.items()),
            f"largest: {top}",
        )
    )
    methods = sorted((k for k in prof if k.startswith("method:")), key=lambda k: -prof[k])
    rows.append(
        (
            "by method",
            ", ".join(f"{k[7:]} {prof[k] / prof['step']:.0%}" for k in methods[:5]),
            "timing wrappers on the model's own methods",
        )
    )
    seeds = range(1, 6 if args.quick else 10)
    shares = bench_profile.observation_shares([*seeds, *seeds])
    share, lo, hi = ci(shares)
    rows.append(
        (
            "data collection (observation) as a share of step time",
            (
                f"{share:.1%} [95% interval {lo:.1%}, {hi:.1%}] ({prof['data collection'] / prof['steps'] * 1e3:.2f} "
                f"ms/step)"
            ),
            (
                f"target <= 10%: {target_status(lo, hi, 0.10)}; mean of {len(shares)} runs, two on each of seeds "
                f"{seeds.start}-{seeds.stop - 1}"
            ),
        )
    )

    kernels = bench_profile.kernel_share(steps=100, deposits=0, investors=None, seed=1, repeat=3)
    print(bench_profile.kernel_text(kernels, 8), file=sys.stderr)
    per_step = kernels["steps"] / 1e3  # seconds over the run -> ms a step
    inside, total, calls = (
        kernels["inside"] / per_step,
        kernels["total"] / per_step,
        kernels["calls"] / kernels["steps"],
    )
    rows.append(
        (
            "time inside compiled kernels (share of a step, median of 3 runs)",
            f"{kernels['share']:.0%} ({inside:.2f} of {total:.2f} ms/step; {calls:.0f} kernel calls a step)",
            "the rest is Python and numpy around the kernels: what a step compiled whole would take out",
        )
    )
    return prof


def pipeline(args, rows: list) -> dict:
    """The baseline against the same model with exploration and discovery off, and with the releases off too."""
    section("pipeline: exploration and discovery on and off")
    pipe = bench_pipeline.measure(rounds=3 if args.quick else 7, runs=3)
    print(bench_pipeline.text(pipe), file=sys.stderr)
    sec, size = pipe["seconds"], pipe["sizes"]
    on, off, bare = size["on"], size["off"], size["off_releases"]
    rows.append(
        (
            "baseline run with the discovery pipeline / without (explore.filings_per_q = explore.discovery_scale = 0)",
            f"{pipe['ratio_off']:.2f}x ({sec['on'] * 1e3:.0f} vs {sec['off'] * 1e3:.0f} ms)",
            (
                f"target <= 1.5x: {'met' if pipe['ratio_off'] <= 1.5 else 'NOT met'}; {on['licensed_blocks']} blocks "
                f"licensed at the end, {on['deposits'] - off['deposits']} more deposits (finds)"
            ),
        )
    )
    rows.append(
        (
            "... / without it and without the state's releases (explore.state_release_scale = 0 too)",
            f"{pipe['ratio_off_releases']:.2f}x ({sec['on'] * 1e3:.0f} vs {sec['off_releases'] * 1e3:.0f} ms)",
            (
                f"releases are deposits, not overhead: {bare['deposits']} -> {off['deposits']} deposits, "
                f"{bare['pursuits']} -> {off['pursuits']} pursuits, {bare['awards']} -> {off['awards']} awards for "
                f"{sec['off'] / sec['off_releases']:.2f}x the time"
            ),
        )
    )
    return pipe


def revision(args, rows: list) -> dict | None:
    """This checkout against ``args.against`` (None where there is no such checkout)."""
    section("revision")
    if args.against.is_dir():
        rev = bench_revision.compare(args.against.resolve(), rounds=3 if args.quick else 7, large=True)
        print(bench_revision.text(rev), file=sys.stderr)
        a, b = rev["this"], rev["that"]
        rows.append(
            (
                f"baseline run with its build, this revision / {args.against.name}, fresh processes, CPU time, median",
                (
                    f"{rev['ratio']:.2f}x [{rev['ratio_ci'][0]:.2f}, {rev['ratio_ci'][1]:.2f}] ({a['seconds'] * 1e3:.0f} "
                    f"vs {b['seconds'] * 1e3:.0f} ms a run)"
                ),
                (
                    f"target <= 0.25x: {target_status(*rev['ratio_ci'], 0.25)}; the first run in a process "
                    f"{a['first_run_s'] * 1e3:.0f} vs {b['first_run_s'] * 1e3:.0f} ms (it loads the kernels); at the end of a run "
                    f"{a['deposits']} vs {b['deposits']} deposits, {a['pursuits']} vs {b['pursuits']} pursuits, "
                    f"{a['blocks']:,} vs {b['blocks']} exploration blocks"
                ),
            )
        )
        fast, slow = 1 / a["large_s_per_step"], 1 / b["large_s_per_step"]
        rows.append(
            (
                f"10,000 deposits x 1,000 investors, steps/s, this revision / {args.against.name}, same rounds",
                f"{rev['large_ratio']:.1f}x [{rev['large_ci'][0]:.1f}, {rev['large_ci'][1]:.1f}] ({fast:.0f} vs {slow:.0f} steps/s)",
                f"target >= 4x: {target_status(*rev['large_ci'], 4.0, at_least=True)}",
            )
        )
        return rev
    else:
        rows.append((f"this revision / {args.against}", "not measured (no such checkout)", "--against PATH"))
        return None


def scaling(args, rows: list) -> tuple[dict, dict, dict]:
    """Step cost on the grid of deposits x investors, the 10,000 x 1,000 point, and the exploration ground x1-x100."""
    section("scaling: deposits x investors")
    skip = args.skip_corner
    scal = bench_scaling.grid(steps=5, warmup=4, repeat=2 if args.quick else 3, skip_corner=skip)
    tgt = bench_scaling.target(steps=20, warmup=4, repeat=2 if args.quick else 3)
    print(bench_scaling.text(scal, tgt), file=sys.stderr)
    srows = scal["rows"]
    smallest, largest = srows[0], srows[-1]
    rows.append(
        (
            "step cost, smallest to largest grid point",
            (
                f"{smallest['s_per_step'] * 1e3:.2f} ms ({smallest['n']} x {smallest['m']}) -> "
                f"{largest['s_per_step'] * 1e3:.1f} ms ({largest['n']:,} x {largest['m']:,})"
            ),
            f"{largest['s_per_step'] / smallest['s_per_step']:.0f}x the cost for "
            f"{largest['n'] * largest['m'] / (smallest['n'] * smallest['m']):,.0f}x deposits x investors"
            + ("; 60,000 x 5,000 skipped (--skip-corner)" if skip else ""),
        )
    )
    rows.append(
        (
            "log-log slope of step cost against deposits x investors",
            f"{scal['slope_nm']:.2f}",
            "1.0 = grows as N x M; target: <= 1 (linear or better)",
        )
    )
    by_n = "; ".join(
        f"{whole:.2f} at {m:,} investors (last decade {last:.2f})" for m, (whole, last) in scal["slope_n"].items()
    )
    rows.append(("slope against deposits alone", by_n, "6,000 -> 60,000 deposits is the last decade"))
    by_m = "; ".join(f"{s:.2f} at {n:,} deposits" for n, s in scal["slope_m"].items())
    rows.append(("slope against investors alone", by_m, ""))
    big = scal["phase_largest"]
    total = sum(big[ph] for ph in bench_profile.ORDER)
    rows.append(
        (
            f"phases at {max(r['n'] for r in srows):,} deposits x {scal['phase_mid_m']:,} investors",
            ", ".join(f"{ph} {big[ph] / total:.0%}" for ph in bench_profile.ORDER),
            "slopes against deposits over the last decade: "
            + ", ".join(f"{ph} {s:.2f}" for ph, s in scal["phase_slope_n"].items()),
        )
    )
    rows.append(
        (
            "10,000 deposits x 1,000 investors",
            f"{tgt['steps_per_s']:.1f} steps/s ({tgt['s_per_step'] * 1e3:.1f} ms/step)",
            f"target >= 10 steps/s: {tgt['steps_per_s'] / 10:.1f}x the target",
        )
    )
    ground = bench_scaling.ground_series(steps=5, repeat=2 if args.quick else 3)
    print(bench_scaling.ground_text(ground), file=sys.stderr)
    g0, g1 = ground["rows"][0], ground["rows"][-1]
    rows.append(
        (
            f"pipeline at scale: baseline with x{g0['k']} -> x{g1['k']} its exploration ground (and filings, investors)",
            (
                f"{g0['s_per_step'] * 1e3:.1f} ms ({g0['blocks']:,} blocks) -> {g1['s_per_step'] * 1e3:.1f} ms "
                f"({g1['blocks']:,} blocks) a step"
            ),
            (
                f"{g1['s_per_step'] / g0['s_per_step']:.0f}x the cost for {g1['blocks'] / g0['blocks']:.0f}x the blocks; "
                f"{g0['licensed']:,} -> {g1['licensed']:,} licensed, {g0['deposits']} -> {g1['deposits']} deposits after "
                f"{ground['warmup'] + ground['steps']} quarters"
            ),
        )
    )
    rows.append(
        (
            "log-log slope of step cost against exploration blocks",
            f"{ground['slope_step']:.2f} (exploration phase alone {ground['slope_explore']:.2f})",
            "by phase: " + ", ".join(f"{ph} {sl:.2f}" for ph, sl in ground["slope_by_phase"].items()),
        )
    )
    if not args.no_png:
        bench_scaling.plot(scal, args.png, ground)
        print(f"wrote {args.png}", file=sys.stderr)
    return scal, tgt, ground


def batch(args, rows: list) -> None:
    """Runs/s on 1 and 2 workers, against ``mesa.batch_run``, and peak memory at 1,000 and 10,000 runs."""
    section("batch")
    runs, steps, seed = args.runs, 100, 1
    one = bench_batch.measure("ours", runs, steps, 1, seed)
    two = bench_batch.measure("ours", runs, steps, 2, seed)
    mesa = bench_batch.measure("mesa", runs, steps, 2, seed)
    r1, r2, rm = (x["runs"] / x["wall"] for x in (one, two, mesa))
    rows.append(
        (
            f"batch of {runs} baseline runs x {steps} quarters: runs/s on 1 and 2 workers",
            f"{r1:.1f} -> {r2:.1f} runs/s",
            f"speed-up {r2 / r1:.2f}x, parallel efficiency {r2 / r1 / 2:.0%} (wall time incl. start-up and writing)",
        )
    )
    same = two["check"] == mesa["check"] == one["check"]
    rows.append(
        (
            "this runner / mesa.batch_run, same runs and seeds, 2 processes",
            f"{r2 / rm:.2f}x ({r2:.1f} vs {rm:.1f} runs/s)",
            (
                f"identical capacity_share_eu in every run: {'yes' if same else 'NO'}; main-process peak "
                f"{two['main'] / MB:.0f} vs {mesa['main'] / MB:.0f} MB"
            ),
        )
    )
    for runner in ("ours", "mesa") if args.mesa_memory else ("ours",):
        small = bench_batch.measure(runner, 1000, args.scale_steps, 2, seed)
        large = bench_batch.measure(runner, 10_000, args.scale_steps, 2, seed)
        who = "" if runner == "ours" else "mesa.batch_run, "
        rows.append(
            (
                f"{who}peak memory, 1,000 -> 10,000 runs x {args.scale_steps} quarters, 2 workers",
                (
                    f"main {small['main'] / MB:.0f} -> {large['main'] / MB:.0f} MB; "
                    f"process tree {small['tree'] / MB:.0f} -> {large['tree'] / MB:.0f} MB"
                ),
                (
                    f"{large['main'] / small['main']:.2f}x (main) and {large['tree'] / small['tree']:.2f}x (tree) for 10x "
                    f"the runs; {large['runs'] / large['wall']:.0f} runs/s"
                ),
            )
        )


def dashboard_row(args, rows: list) -> None:
    """Rendered quarters/s, with ``--with-dashboard``."""
    section("dashboard")
    if args.with_dashboard:
        rows.append(("dashboard: rendered quarters/s (bench_dashboard.py)", dashboard(), "target >= 5"))
    else:
        rows.append(
            (
                "dashboard: rendered quarters/s",
                "not measured in this run (--with-dashboard)",
                "see docs/dashboard.md; benchmarks/bench_dashboard.py",
            )
        )

"""Dashboard benchmark in real Chromium: start-up, quarters drawn per second, and bytes per frame.

    .venv/bin/python benchmarks/bench_dashboard.py [--runs 2]

1. Start-up: from ``python run.py dashboard`` until the server answers, and until a fresh page is usable
   (controls up, map and charts drawn).
2. Playback of the whole run (the baseline's 100 quarters) at the fastest setting ("as fast as drawn"),
   every component on screen. A recorder in the page notes each frame the map and the charts draw (their
   ``data-label`` is the quarter shown); reported: the distinct quarters drawn (every one of the 100, none
   skipped, is the target) and quarters per second early (quarters 1-25) and late (76-100), target >= 20.
3. Bytes per frame: a DevTools session counts every websocket message the page receives, each counted for
   the quarter of the frame message before it (the header, monitors and event log of a quarter follow its
   frames). Reported: the mean over quarters 6-15 ("at quarter 10") and 91-100 ("at quarter 100"), and
   the two single frames; target: quarter 100 at most 1.2 times quarter 10.
4. CPU seconds per quarter of the server (``python run.py dashboard`` and its children) and of every Chromium
   process, over the playback: what the quarters per second cost, whatever else the machine is doing.
Needs Chromium at /usr/bin/chromium and Solara's assets (python -m dashboard.assets); runs offline.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
from playwright.sync_api import sync_playwright

from dashboard.sim import RUN_QUARTERS
from model.model import quarter_label
from model.params import PARAMS
from tests.browser.support import (
    VIEWPORT,
    DashboardServer,
    Recording,
    launch_chromium,
    missing_assets,
    open_dashboard,
    press,
    set_speed,
)

EARLY, LATE = (1, 25), (RUN_QUARTERS - 24, RUN_QUARTERS)
AT_10, AT_100 = (6, 15), (RUN_QUARTERS - 9, RUN_QUARTERS)


def steps_of(label: str, start_year: int) -> int:
    """'2027Q3' -> quarters since the start (the inverse of model.model.quarter_label)."""
    return (int(label[:4]) - start_year) * 4 + int(label[-1])


def rate(frames: list[tuple[float, int]], first: int, last: int) -> float:
    """Quarters per second between the frames that drew quarters ``first`` and ``last``."""
    at = {q: t for t, q in frames}
    return (last - first) / max(at[last] - at[first], 1e-9)


def cpu_times(pids) -> dict[int, float]:
    """User and system CPU seconds of each of these processes and their children, by process id."""
    out = {}
    for pid in pids:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                with contextlib.suppress(psutil.NoSuchProcess):
                    times = p.cpu_times()
                    out[p.pid] = times.user + times.system
    return out


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two readings by the processes alive at both (Chromium starts and ends a
    renderer per page)."""
    return sum(after[pid] - before[pid] for pid in before.keys() & after.keys())


def chromium_pids() -> list[int]:
    """Our Chromium's processes (started under this benchmark's Playwright), not other jobs' browsers."""
    mine = psutil.Process(os.getpid()).children(recursive=True)
    return [p.pid for p in mine if "chromium" in p.name()]


def playback(page, start_year: int, server_pid: int, timeout_s: float = 180.0) -> dict:
    set_speed(page, "as fast as drawn")
    rec = Recording(page)
    cpu0 = cpu_times([server_pid]), cpu_times(chromium_pids())
    press(page, "Play")
    last = quarter_label(start_year, RUN_QUARTERS)
    page.wait_for_function(
        "t => (window.__gg.map.at(-1) || [0, ''])[1] === t && (window.__gg.charts.at(-1) || [0, ''])[1] === t",
        arg=last,
        timeout=timeout_s * 1000,
        polling=50,
    )
    cpu1 = cpu_times([server_pid]), cpu_times(chromium_pids())
    page.wait_for_timeout(500)  # the last quarter's header and event log
    out = {"bytes": rec.bytes, "cpu_server_ms": 1000 * cpu_used(cpu0[0], cpu1[0]) / RUN_QUARTERS,
           "cpu_browser_ms": 1000 * cpu_used(cpu0[1], cpu1[1]) / RUN_QUARTERS}  # fmt: skip
    for view in ("map", "charts"):
        frames = [(t, steps_of(label, start_year)) for t, label in rec.drawn(view)]
        distinct = {q for _, q in frames if q >= 1}
        gaps = [b[0] - a[0] for a, b in itertools.pairwise(frames)]
        out[view] = {
            "distinct": len(distinct),
            "skipped": sorted(set(range(1, RUN_QUARTERS + 1)) - distinct),
            "early": rate(frames, *EARLY),
            "late": rate(frames, *LATE),
            "median_frame_ms": 1000 * statistics.median(gaps) if gaps else float("nan"),
        }
    out["at_10"], out["at_100"] = rec.mean_bytes(*AT_10), rec.mean_bytes(*AT_100)
    out["frame_10"], out["frame_100"] = rec.bytes.get(10, 0), rec.bytes.get(RUN_QUARTERS, 0)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2, help="playback runs, each in a fresh page (default 2)")
    args = ap.parse_args(argv)
    if missing_assets():
        print(f"Solara assets missing: {missing_assets()}; run python -m dashboard.assets", file=sys.stderr)
        return 2
    start_year = int(PARAMS["run.start_year"].default)
    with DashboardServer() as server, sync_playwright() as p:
        print(f"python run.py dashboard: answers after {server.ready_after:.2f} s")
        browser = launch_chromium(p)
        t = time.perf_counter()
        ctx = browser.new_context(viewport=VIEWPORT)
        open_dashboard(ctx, server.url)
        first_page = time.perf_counter() - t
        print(f"first page usable (controls up, map and charts drawn) {first_page:.2f} s after the browser asked")
        ctx.close()
        results = []
        for run in range(args.runs):
            ctx = browser.new_context(viewport=VIEWPORT)
            page, watch = open_dashboard(ctx, server.url)
            r = playback(page, start_year, server.proc.pid)
            m, c = r["map"], r["charts"]
            print(
                f"run {run + 1}: quarters drawn map {m['distinct']}/{RUN_QUARTERS}, charts {c['distinct']}/{RUN_QUARTERS}"
                f" (skipped: {m['skipped'] or 'none'}); quarters/s early (q{EARLY[0]}-{EARLY[1]}) map {m['early']:.1f}, "
                f"charts {c['early']:.1f}; late (q{LATE[0]}-{LATE[1]}) map {m['late']:.1f}, charts {c['late']:.1f} "
                f"(target >= 20); median frame {m['median_frame_ms']:.0f} ms; CPU per quarter: server "
                f"{r['cpu_server_ms']:.0f} ms, Chromium {r['cpu_browser_ms']:.0f} ms"
            )
            print(
                f"  bytes per frame: at quarter 10 {r['at_10']:,.0f} (mean q{AT_10[0]}-{AT_10[1]}; frame 10 alone "
                f"{r['frame_10']:,}), at quarter 100 {r['at_100']:,.0f} (mean q{AT_100[0]}-{AT_100[1]}; frame 100 alone "
                f"{r['frame_100']:,}); ratio {r['at_100'] / max(r['at_10'], 1):.2f} (target <= 1.2)"
            )
            if watch.errors:
                print("  page errors:", *watch.errors[:5], sep="\n    ")
            ctx.close()
            results.append(r)
        browser.close()
        bad = server.bad_log_lines()
    print("server log:", "clean" if not bad else f"{len(bad)} bad lines, e.g. {bad[0]}")
    best = max(results, key=lambda r: min(r["map"]["early"], r["map"]["late"]))
    print(
        f"summary: {best['map']['distinct']}/{RUN_QUARTERS} quarters drawn; quarters/s early {best['map']['early']:.1f}, "
        f"late {best['map']['late']:.1f} (best of {len(results)} runs); bytes per frame at quarter 10 {best['at_10']:,.0f}, "
        f"at quarter 100 {best['at_100']:,.0f} (ratio {best['at_100'] / max(best['at_10'], 1):.2f}); CPU per quarter: "
        f"server {best['cpu_server_ms']:.0f} ms, Chromium {best['cpu_browser_ms']:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

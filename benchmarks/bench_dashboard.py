"""Dashboard benchmark: time to a usable page, and quarters rendered per second in real Chromium.

    .venv/bin/python benchmarks/bench_dashboard.py [--quarters 100] [--runs 2] [--dev]

1. Start-up: from launching ``solara run server.py`` until the server answers, and until a fresh
   browser page is usable (Step button on screen, map and charts drawn).
2. Playback: every component on screen (map, charts, event log, header), Play Interval at its smallest
   (1 ms), the default scenario; a recorder in the page notes each frame the map and the charts draw
   (their ``data-label`` is the quarter shown). Reported: quarters per second as the page shows them
   (quarter advance of the drawn map over wall-clock time) and frames per second, for the first
   ``--quarters`` quarters (at most the run's 100; Play stops there by itself). The play loop waits for the
   browser to draw each frame, so the page draws every quarter and skips none.
Needs Chromium at /usr/bin/chromium and the assets from .ci/solara_assets.sh; runs offline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from playwright.sync_api import sync_playwright

from dashboard.sim import RUN_QUARTERS
from model.model import quarter_label
from model.params import PARAMS
from tests.browser.support import (
    VIEWPORT,
    DashboardServer,
    button_enabled,
    launch_chromium,
    missing_assets,
    open_dashboard,
    press,
    set_play_interval_to_minimum,
)

RECORDER = """() => {
  window.__gg = {t0: performance.now(), map: [], charts: []};
  for (const view of ['map', 'charts']) {
    const el = document.querySelector(`.gg-${view} .gg-vega`);
    new MutationObserver(() => window.__gg[view].push([performance.now() - window.__gg.t0, el.dataset.label]))
      .observe(el, {attributes: true, attributeFilter: ['data-frames']});
  }
}"""


def steps_of(label: str, start_year: int) -> int:
    """'2027Q3' -> quarters since the start (the inverse of model.model.quarter_label)."""
    year, q = int(label[:4]), int(label[-1])
    return (year - start_year) * 4 + q


def playback(page, quarters: int, start_year: int, timeout_s: float = 120.0) -> dict:
    assert set_play_interval_to_minimum(page) == 1
    page.evaluate(RECORDER)
    target = quarter_label(start_year, quarters)
    t0 = time.perf_counter()
    press(page, "▶")
    page.wait_for_function(
        "t => (window.__gg.map.at(-1) || [0, ''])[1] >= t", arg=target, timeout=timeout_s * 1000, polling=50
    )
    wall = time.perf_counter() - t0
    if button_enabled(page, "❚❚"):  # not at the run's end, where Play has stopped by itself
        press(page, "❚❚")
    rec = page.evaluate("window.__gg")
    out = {"wall_s": wall}
    for view in ("map", "charts"):
        frames = [(t / 1000, steps_of(label, start_year)) for t, label in rec[view] if label]
        frames = [f for f in frames if f[1] <= quarters]
        (t_first, q_first), (t_last, q_last) = frames[0], frames[-1]
        span = max(t_last - t_first, 1e-9)
        gaps = [b[0] - a[0] for a, b in itertools.pairwise(frames)]
        out[view] = {
            "frames": len(frames),
            "quarters": q_last - q_first,
            "quarters_per_s": (q_last - q_first) / span,
            "frames_per_s": (len(frames) - 1) / span,
            "median_frame_ms": 1000 * statistics.median(gaps) if gaps else float("nan"),
        }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--quarters",
        type=int,
        default=RUN_QUARTERS,
        help=f"quarters to play (default and most {RUN_QUARTERS}: 2026-2050)",
    )
    ap.add_argument("--runs", type=int, default=2, help="playback runs, each in a fresh page (default 2)")
    ap.add_argument("--dev", action="store_true", help="solara's dev mode (no --production)")
    args = ap.parse_args(argv)
    if not 1 <= args.quarters <= RUN_QUARTERS:
        ap.error(f"--quarters: allowed 1 to {RUN_QUARTERS} (a run's length)")
    if missing_assets():
        print(f"Solara assets missing: {missing_assets()}; run .ci/solara_assets.sh", file=sys.stderr)
        return 2
    start_year = int(PARAMS["run.start_year"].default)
    with DashboardServer(production=not args.dev) as server, sync_playwright() as p:
        print(f"solara run server.py{'' if args.dev else ' --production'}: answers after {server.ready_after:.2f} s")
        browser = launch_chromium(p)
        t = time.perf_counter()
        ctx = browser.new_context(viewport=VIEWPORT)
        page, watch = open_dashboard(ctx, server.url)
        first_page = time.perf_counter() - t
        print(f"first page usable (controls up, map and charts drawn) {first_page:.2f} s after the browser asked;")
        print(f"  from `solara run` to a usable page: {server.ready_after + first_page:.2f} s")
        ctx.close()
        results = []
        for run in range(args.runs):
            ctx = browser.new_context(viewport=VIEWPORT)
            page, watch = open_dashboard(ctx, server.url)
            r = playback(page, args.quarters, start_year)
            results.append(r)
            m, c = r["map"], r["charts"]
            print(
                f"run {run + 1}: {args.quarters} quarters in {r['wall_s']:.1f} s at the 1 ms play interval; "
                f"map {m['quarters_per_s']:.1f} quarters/s ({m['frames_per_s']:.1f} frames/s, "
                f"{m['frames']} frames, median {m['median_frame_ms']:.0f} ms); "
                f"charts {c['quarters_per_s']:.1f} quarters/s ({c['frames_per_s']:.1f} frames/s)"
            )
            if watch.errors:
                print("  page errors:", *watch.errors[:5], sep="\n    ")
            ctx.close()
        browser.close()
        bad = server.bad_log_lines()
    best = max(results, key=lambda r: r["map"]["quarters_per_s"])
    worst = min(r["map"]["quarters_per_s"] for r in results)
    print(
        f"rendered quarters per second (map, every component on screen, default scenario): "
        f"{worst:.1f}-{best['map']['quarters_per_s']:.1f} (target >= 5)"
    )
    print("server log:", "clean" if not bad else f"{len(bad)} bad lines, e.g. {bad[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Save a screenshot of the dashboard after 40 quarters of the baseline (docs/img/dashboard.png).

    .venv/bin/python -m tests.browser.screenshot [--out docs/img/dashboard.png] [--quarters 40]

Starts its own ``solara run server.py`` (offline, as the browser tests do), clicks Step until the page
shows the quarter, and writes a PNG reduced to a 256-colour palette so that it stays well under 300 KB.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from tests.browser.support import ROOT, DashboardServer, launch_chromium, open_dashboard, step

VIEWPORT = {"width": 1500, "height": 1240}
MAX_BYTES = 300_000


def shrink_png(data: bytes) -> bytes:
    """A palette PNG of the screenshot (charts and maps have few colours: this loses next to nothing)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, format="PNG", optimize=True)
    return out.getvalue()


def take(out: Path, quarters: int = 40, server: DashboardServer | None = None, browser=None) -> Path:
    """Step the baseline ``quarters`` quarters in a fresh page and save the screenshot to ``out``.

    Starts its own server and Chromium unless given them (the browser test passes its fixtures)."""
    from playwright.sync_api import sync_playwright

    if server is None:
        with DashboardServer() as own:
            return take(out, quarters, own, browser)
    if browser is None:
        with sync_playwright() as p:
            chromium = launch_chromium(p)
            try:
                return take(out, quarters, server, chromium)
            finally:
                chromium.close()
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page, watch = open_dashboard(ctx, server.url)
        step(page, quarters)
        page.mouse.move(0, VIEWPORT["height"] - 1)  # no tooltip in the picture
        page.wait_for_timeout(300)
        data = shrink_png(page.screenshot(full_page=False))
    finally:
        ctx.close()
    if watch.errors:
        raise RuntimeError(f"the page reported errors: {watch.errors[:3]}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "dashboard.png")
    ap.add_argument("--quarters", type=int, default=40)
    args = ap.parse_args(argv)
    path = take(args.out, args.quarters)
    size = path.stat().st_size
    print(f"wrote {path} ({size / 1000:.0f} KB)")
    return 0 if size < MAX_BYTES else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Screenshots of the dashboard for docs/dashboard.md (docs/img/dashboard*.png).

    .venv/bin/python -m tests.browser.screenshot [--out docs/img] [--quarters 40]

Starts its own ``python run.py dashboard`` (offline, as the browser tests do) and writes: the live tab after
``--quarters`` quarters of the baseline with a deposit pinned (dashboard.png), the same in dark mode
(dashboard-dark.png), the Compare tab (dashboard-compare.png) and a phone (dashboard-phone.png). Each PNG is
reduced to a 256-colour palette so that it stays well under 300 KB.
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

from model.model import quarter_label
from model.params import PARAMS
from tests.browser.support import (
    ROOT,
    DashboardServer,
    launch_chromium,
    map_items,
    open_dashboard,
    open_tab,
    wait_drawn,
)

VIEWPORT = {"width": 1500, "height": 1240}
PHONE = {"width": 390, "height": 844}
MAX_BYTES = 300_000


def shrink_png(data: bytes) -> bytes:
    """A palette PNG of the screenshot (charts and maps have few colours: this loses next to nothing)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, format="PNG", optimize=True)
    return out.getvalue()


def save(page, out: Path) -> Path:
    page.mouse.move(0, page.viewport_size["height"] - 1)  # no tooltip in the picture
    page.wait_for_timeout(400)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(shrink_png(page.screenshot(full_page=False)))
    return out


def live(page, quarters: int) -> None:
    """The run after ``quarters`` quarters, the southernmost deposit pinned."""
    target = quarter_label(int(PARAMS["run.start_year"].default), quarters)
    page.locator(".gg-run-to input:not([type=hidden])").fill(target)
    page.get_by_role("button", name="Run to", exact=True).click()
    wait_drawn(page, target)
    item = max((i for i in map_items(page) if i["layer"] == "deposits"), key=lambda i: i["y"])
    page.mouse.click(item["x"], item["y"])
    page.locator(".gg-item-title").wait_for()


def take(out: Path, quarters: int = 40, server: DashboardServer | None = None, browser=None) -> Path:
    """The live tab after ``quarters`` quarters, saved to ``out`` (starts its own server and Chromium unless
    given them; the browser test passes its fixtures)."""
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
        live(page, quarters)
        path = save(page, out)
    finally:
        ctx.close()
    if watch.errors:
        raise RuntimeError(f"the page reported errors: {watch.errors[:3]}")
    return path


def take_all(folder: Path, quarters: int) -> list[Path]:
    from playwright.sync_api import sync_playwright

    paths = []
    with DashboardServer() as server, sync_playwright() as p:
        browser = launch_chromium(p)
        paths.append(take(folder / "dashboard.png", quarters, server, browser))
        ctx = browser.new_context(viewport=VIEWPORT)
        page, _ = open_dashboard(ctx, server.url)
        live(page, quarters)
        page.get_by_role("button", name="Dark mode").click()
        page.wait_for_function("() => document.querySelector('.gg-map .gg-vega').__vue__.view?.background() === '#333'")
        paths.append(save(page, folder / "dashboard-dark.png"))
        page.get_by_role("button", name="Light mode").click()
        open_tab(page, "Compare")
        page.locator(".gg-compare-table").wait_for(timeout=120_000)
        page.locator(".gg-compare-chart .gg-vega[data-frames='1']").wait_for()
        paths.append(save(page, folder / "dashboard-compare.png"))
        ctx.close()
        ctx = browser.new_context(viewport=PHONE)
        page, _ = open_dashboard(ctx, f"{server.url}?quarter=2028Q4")  # the address holds the run
        wait_drawn(page, "2028Q4")
        paths.append(save(page, folder / "dashboard-phone.png"))
        ctx.close()
        browser.close()
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img", help="folder (default docs/img)")
    ap.add_argument("--quarters", type=int, default=40)
    args = ap.parse_args(argv)
    paths = take_all(args.out, args.quarters)
    for path in paths:
        print(f"wrote {path} ({path.stat().st_size / 1000:.0f} KB)")
    return 0 if all(p.stat().st_size < MAX_BYTES for p in paths) else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Helpers shared by the browser tests, the screenshot script and the dashboard benchmark.

``DashboardServer`` starts the dashboard as a user does, ``python run.py dashboard --port N``, with the CDN
pointed at a closed local port, so every asset must come from the proxy cache (``python -m
dashboard.assets``): a missing one fails at once and the server log says which.
"""

from __future__ import annotations

import functools
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("GG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
VIEWPORT = {"width": 1600, "height": 1150}
OFFLINE_CDN = "http://127.0.0.1:9/npm/"  # the discard port: nothing listens, so a cache miss fails fast
# Lines in the server log that mean an asset or a render failed.
BAD_LOG = re.compile(r"Could not load URL|Traceback|ERROR|Exception", re.IGNORECASE)
ASSET_MARKERS = (
    "@widgetti/solara-vuetify-app@10.1.1/package.json",
    "vega@5/package.json",
    "requirejs@2.3.6/require.js",
)


# A sitecustomize for the server's Python: every outgoing connection and name lookup is written to
# $GG_NET_LOG (Python's audit hooks), so a test can check that the dashboard asks nothing of the internet.
NET_AUDIT = """
import os, sys
_log = os.environ.get("GG_NET_LOG")
def _hook(event, args):
    if _log and event in ("socket.connect", "socket.getaddrinfo"):
        with open(_log, "a") as fh:
            fh.write(f"{event} {args[1] if event == 'socket.connect' else args[0]!r}\\n")
sys.addaudithook(_hook)
"""
LOCAL = ("127.0.0.1", "localhost", "::1", "'127.0.0.1'", "'localhost'", "None")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proxy_cache_dir() -> Path:
    import solara.server.settings as settings

    return Path(settings.assets.proxy_cache_dir)


def missing_assets() -> list[str]:
    cache = proxy_cache_dir()
    return [m for m in ASSET_MARKERS if not (cache / m).exists()]


@functools.cache
def assets_ready() -> str:
    """'' if Chromium is absent (the fixture skips) or Solara's assets are in place, installing them first if
    they are missing (``.ci/solara_assets.sh``, from the npm registry); else why not, with the command that
    would install them."""
    if not Path(CHROMIUM).exists() or not missing_assets():
        return ""
    command = f"bash .ci/solara_assets.sh {sys.prefix}"
    try:
        proc = subprocess.run(command.split(), cwd=ROOT, capture_output=True, text=True, timeout=600)
        why = (proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
    except (OSError, subprocess.TimeoutExpired) as exc:
        why = str(exc)
    missing = missing_assets()
    return f"Solara's assets missing ({missing[0]}) and not installed ({why}); run: {command}" if missing else ""


class DashboardServer:
    """``solara run server.py`` as a subprocess; use as a context manager."""

    def __init__(self, offline: bool = True, log_path: Path | None = None, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.offline, self.env = offline, env or {}
        self._own_log = log_path is None  # a temporary log, removed by stop()
        self.log_path = log_path or Path(tempfile.mkstemp(prefix="gg-solara-", suffix=".log")[1])
        self.proc: subprocess.Popen | None = None
        self.started_at = self.ready_after = float("nan")

    def command(self) -> list[str]:
        return [sys.executable, "run.py", "dashboard", "--port", str(self.port)]

    def start(self, timeout: float = 90.0) -> DashboardServer:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        if self.offline:
            env["SOLARA_ASSETS_CDN"] = OFFLINE_CDN
        self._log = self.log_path.open("w")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(
            self.command(), cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"solara exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as r:
                    if r.status == 200:
                        self.ready_after = time.perf_counter() - self.started_at
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"solara did not answer within {timeout:.0f} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: the server and its reloader only
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        if getattr(self, "_log", None):
            self._log.close()
        if self._own_log:
            self.log_path.unlink(missing_ok=True)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def bad_log_lines(self) -> list[str]:
        return [line for line in self.log().splitlines() if BAD_LOG.search(line)]

    def __enter__(self) -> DashboardServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


# Console warnings that come from Solara itself, not from the dashboard: its navigator.vue assigns
# `modules.export` (a typo for module.exports), so ipyvue falls back to the old way of reading it.
SOLARA_WARNINGS = ("Failed to evaluate Vue script and find module.exports",)


class PageWatch:
    """Console errors and warnings (Solara's own known ones aside), failed requests and HTTP errors of one page."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.solara_warnings: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: self.errors.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)

    def _console(self, message) -> None:
        if message.type not in ("error", "warning"):
            return
        if message.type == "warning" and message.text.startswith(SOLARA_WARNINGS):
            self.solara_warnings.append(message.text)
        else:
            self.errors.append(f"console {message.type}: {message.text}")


def open_dashboard(context, url: str, timeout: float = 60_000):
    """A new page on the dashboard, returned once the controls are up and the map and charts are drawn."""
    page = context.new_page()
    watch = PageWatch(page)
    page.goto(url)
    page.locator(".gg-run-controls button", has_text="Step").wait_for(state="attached", timeout=timeout)
    page.wait_for_selector(".gg-map .gg-vega[data-frames]:not([data-frames='0'])", timeout=timeout)
    page.wait_for_selector(".gg-charts .gg-vega[data-frames]:not([data-frames='0'])", timeout=timeout)
    return page, watch


def quarter(page) -> str:
    return page.locator(".gg-quarter").inner_text()


def drawn(page, view: str) -> tuple[str, int]:
    """(label, frames) of the last frame a view drew: ``view`` is 'map' or 'charts'."""
    el = page.locator(f".gg-{view} .gg-vega")
    return el.get_attribute("data-label") or "", int(el.get_attribute("data-frames") or 0)


def wait_drawn(page, label: str, timeout: float = 20_000) -> None:
    """Wait until the header, the map and the charts all show ``label``."""
    page.wait_for_function(
        """label => document.querySelector('.gg-quarter')?.textContent === label
             && document.querySelector('.gg-map .gg-vega')?.dataset.label === label
             && document.querySelector('.gg-charts .gg-vega')?.dataset.label === label""",
        arg=label,
        timeout=timeout,
    )


def step(page, times: int = 1) -> str:
    """Click Step ``times`` times, each time waiting for every view to draw the new quarter."""
    for _ in range(times):
        before = quarter(page)
        page.get_by_role("button", name="Step").click()
        page.wait_for_function(
            "q => document.querySelector('.gg-quarter')?.textContent !== q", arg=before, timeout=20_000
        )
        wait_drawn(page, quarter(page))
    return quarter(page)


def set_speed(page, speed: str) -> None:
    """Choose a speed (quarters per second, or 'as fast as drawn') in the Run card."""
    page.locator(".gg-speed").click()
    page.locator(".v-menu__content:visible .v-list-item", has_text=speed).click()


def press(page, label: str) -> None:
    """Click the enabled button labelled ``label`` from inside the page (atomic: while the run plays, Vue
    keeps re-rendering and Playwright's actionability checks can find the button detached)."""
    page.wait_for_function(
        """label => { const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === label);
                      if (b && !b.disabled) { b.click(); return true; } return false; }""",
        arg=label,
        timeout=20_000,
    )


def click_once(page, label: str) -> str:
    """One click on the enabled button labelled ``label``, with no retry; returns the quarter on screen then."""
    return page.evaluate(
        """label => { const b = [...document.querySelectorAll('button')].find(b => b.textContent.trim() === label);
                      if (!b || b.disabled) { throw new Error('no enabled button ' + label); }
                      const shown = document.querySelector('.gg-quarter').textContent; b.click(); return shown; }""",
        label,
    )


def button_enabled(page, label: str) -> bool:
    return page.evaluate(
        """label => [...document.querySelectorAll('button')].some(b => b.textContent.trim() === label && !b.disabled)""",
        label,
    )


def quarters_between(a: str, b: str) -> int:
    """Quarters from label ``a`` to label ``b`` ('2030Q1', '2030Q3' -> 2)."""
    return (int(b[:4]) * 4 + int(b[-1])) - (int(a[:4]) * 4 + int(a[-1]))


def later(label: str, quarters: int) -> str:
    """The label ``quarters`` quarters after ``label`` ('2030Q4', 1 -> '2031Q1')."""
    n = int(label[:4]) * 4 + int(label[-1]) - 1 + quarters
    return f"{n // 4}Q{n % 4 + 1}"


def throttle_cpu(page, rate: float) -> None:
    """Make the page's CPU ``rate`` times slower (Chrome DevTools): the browser then draws more slowly
    than the server steps, as on a busy or small machine."""
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": rate})


def settle(page, quiet_ms: int = 1000, timeout_s: float = 15.0) -> str:
    """Wait until the header's quarter has not changed for ``quiet_ms``; returns that quarter."""
    deadline = time.monotonic() + timeout_s
    last = quarter(page)
    while time.monotonic() < deadline:
        page.wait_for_timeout(quiet_ms)
        now = quarter(page)
        if now == last:
            return now
        last = now
    raise AssertionError(f"the quarter kept changing for {timeout_s:.0f} s (last {last})")


# Every quarter the map and the charts draw, and the bytes the page receives per quarter: a recorder in the
# page notes each drawn frame (its quarter, data-label), and a DevTools session counts the websocket's bytes,
# each message counted for the quarter of the last frame message before it (the header, monitors and event
# log of a quarter follow its frames).
RECORDER = """() => {
  window.__gg = {t0: performance.now(), map: [], charts: []};
  for (const view of ['map', 'charts']) {
    const el = document.querySelector(`.gg-${view} .gg-vega`);
    new MutationObserver(() => window.__gg[view].push([performance.now() - window.__gg.t0, el.dataset.label]))
      .observe(el, {attributes: true, attributeFilter: ['data-frames']});
  }
}"""
FRAME_STEP = re.compile(r'\\"step\\":(\d+)')


class Recording:
    """Frames drawn (per view) and websocket bytes received (per quarter) while a page plays."""

    def __init__(self, page):
        self.page = page
        self.bytes: dict[int, int] = {}
        self._step: int | None = None
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.webSocketFrameReceived", self._received)
        page.evaluate(RECORDER)

    def _received(self, event) -> None:
        data = event["response"]["payloadData"]
        found = FRAME_STEP.search(data) if '"frame"' in data else None
        if found:
            self._step = int(found.group(1))
        if self._step is not None:
            self.bytes[self._step] = self.bytes.get(self._step, 0) + len(data.encode())

    def drawn(self, view: str = "map") -> list[tuple[float, str]]:
        """(seconds since the recording began, quarter) of each frame ``view`` drew."""
        return [(t / 1000, label) for t, label in self.page.evaluate("window.__gg")[view] if label]

    def mean_bytes(self, first: int, last: int) -> float:
        """Mean bytes received per quarter over steps ``first`` to ``last``."""
        seen = [self.bytes[s] for s in range(first, last + 1) if s in self.bytes]
        return sum(seen) / max(len(seen), 1)


# Every item a map layer drew, with its layer and its centre on the page (the map is a canvas: the test reads
# Vega's scene; the origin of a view sized to fit leaves out its padding).
MAP_ITEMS = """() => {
  const vm = document.querySelector('.gg-map .gg-vega').__vue__;
  const view = vm.view, canvas = vm.$refs.plotElement.querySelector('canvas');
  const rect = canvas.getBoundingClientRect(), pad = view.padding(), out = [];
  const ox = view.origin()[0] + (pad.left || 0), oy = view.origin()[1] + (pad.top || 0);
  const visit = (mark, x0, y0) => {
    for (const item of mark.items || []) {
      if (mark.marktype === 'group') {
        for (const child of item.items || []) visit(child, x0 + (item.x || 0), y0 + (item.y || 0));
      } else if (item.datum && item.datum._layer) {
        const where = {x: rect.left + ox + x0 + item.x, y: rect.top + oy + y0 + item.y};
        out.push({id: item.datum.id, name: item.datum.name, layer: item.datum._layer, ...where});
      }
    }
  };
  visit(view.scenegraph().root, 0, 0);
  return out;
}"""


def map_items(page) -> list[dict]:
    return page.evaluate(MAP_ITEMS)


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def downloaded(page, click) -> tuple[str, bytes]:
    """(file name, bytes) of the download that ``click()`` starts."""
    with page.expect_download() as info:
        click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()

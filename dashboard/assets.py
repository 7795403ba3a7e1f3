"""Solara's browser assets in its proxy cache, so that the dashboard works with no internet.

Solara loads its JavaScript and CSS (the Vuetify app, RequireJS, Font Awesome, Vega ...) from a CDN through
its own route ``/_solara/cdn/``, which serves a cache folder first (``<venv>/share/solara/cdn/``,
``solara.server.settings.assets.proxy_cache_dir``). The list of assets is read from the installed
solara's own source (its templates, components and widgets: ``name@version/path`` after ``{{cdn}}`` or
``getCdn()``), so a solara upgrade changes it by itself; each missing package is fetched once with
``npm pack`` (a range such as ``vega@5`` resolves to the newest match, as the CDN would) and unpacked into
``<cache>/name@version/`` under a temporary name, then renamed.

    python -m dashboard.assets          # install what is missing, check every file (exit 1 if one is missing)
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

CDN_PATH = re.compile(r"(?:\{\{\s*cdn\s*\}\}|getCdn\(\)\}|\$\{cdn\})(/[^\"'`\s)]+)")
SPEC = re.compile(r"^/((?:@[\w.-]+/)?[\w.-]+)@([\w.+-]+?)(/.*)?$")


class AssetsError(RuntimeError):
    """The assets cannot be had (no npm, no registry): the message is one line saying what to do."""


def cache_dir() -> Path:
    import solara.server.settings as settings

    return Path(settings.assets.proxy_cache_dir)


def plan() -> tuple[dict[str, set[str]], list[str]]:
    """Each package solara requests (``name@version``) with the files it asks for, and notes on paths
    skipped (a version chosen at run time by a component the dashboard does not use)."""
    import ipyvue
    import ipywidgets
    import solara
    import solara.server.settings as settings

    root = Path(solara.__file__).parent
    vue3 = ipyvue.__version__.startswith("3")
    major = ipywidgets.__version__.split(".")[0]
    found: list[tuple[Path | None, str]] = []
    if settings.assets.fontawesome_enabled:
        found.append((None, settings.assets.fontawesome_path))
    for f in sorted(root.rglob("*")):
        if "website" in f.parts or f.suffix not in {".py", ".vue", ".j2", ".html", ".js"} or not f.is_file():
            continue
        found += [(f, m.group(1)) for m in CDN_PATH.finditer(f.read_text(encoding="utf-8", errors="ignore"))]
    wanted: dict[str, set[str]] = defaultdict(set)
    notes = set()
    for f, raw in found:
        path = raw.replace("{{ipywidget_major_version}}", major)
        if ("solara-vuetify3-app" in path and not vue3) or ("solara-vuetify-app@" in path and vue3):
            continue  # only the app bundle for the installed ipyvue major is requested
        where = f.relative_to(root) if f else "settings"
        if "$" in path or "{" in path:
            notes.add(f"skipped {path} in {where}: version chosen at run time (component not used)")
            continue
        m = SPEC.match(path)
        if not m:
            notes.add(f"skipped {path} in {where}: not a package path")
            continue
        name, version, inner = m.groups()
        wanted[f"{name}@{version}"].add((inner or "").lstrip("/"))
    return dict(sorted(wanted.items())), sorted(notes)


def missing_files(wanted: dict[str, set[str]], cache: Path) -> list[str]:
    return [
        f"{spec}/{f}" for spec, files in wanted.items() for f in sorted(files) if f and not (cache / spec / f).is_file()
    ]


def fetch(spec: str, cache: Path) -> None:
    """``npm pack`` one package into ``<cache>/<spec>/`` (written under a temporary name, then renamed)."""
    npm = shutil.which("npm")
    if npm is None:
        raise AssetsError(f"Solara's browser assets are not installed ({spec} missing) and npm is not found: "
                          "install npm (apt-get install -y npm) and run again with internet once")  # fmt: skip
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=cache, prefix=".install.") as work:
        done = subprocess.run(
            [npm, "pack", "--silent", spec], cwd=work, capture_output=True, text=True, timeout=300, check=False
        )
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["npm pack failed"])[-1]
            raise AssetsError(f"cannot fetch Solara's browser asset {spec} from the npm registry ({why}); "
                              "run again with internet once (afterwards it works offline)")  # fmt: skip
        unpacked = Path(work) / "unpacked"
        with tarfile.open(Path(work) / done.stdout.strip().splitlines()[-1]) as tar:
            tar.extractall(unpacked, filter="data")
        dest = cache / spec
        shutil.rmtree(dest, ignore_errors=True)
        dest.parent.mkdir(parents=True, exist_ok=True)
        (unpacked / "package").rename(dest)
    # requirejs ships only require.js; solara's markdown asks for require.min.js when requirejs is not loaded
    if spec.startswith("requirejs@") and not (dest / "require.min.js").exists():
        shutil.copy(dest / "require.js", dest / "require.min.js")


def ensure(say=print) -> Path:
    """Every asset solara requests in the cache (fetching what is missing); the cache folder."""
    wanted, _ = plan()
    cache = cache_dir()
    for spec, files in wanted.items():
        if not (cache / spec / "package.json").is_file() or missing_files({spec: files}, cache):
            say(f"installing Solara's browser asset {spec} into {cache} (once)")
            fetch(spec, cache)
    left = missing_files(wanted, cache)
    if left:
        raise AssetsError(f"Solara requests files its packages do not have: {', '.join(left[:3])}")
    return cache


def main() -> int:
    wanted, notes = plan()
    for note in notes:
        print(f"solara_assets: {note}")
    try:
        cache = ensure(say=lambda text: print(f"solara_assets: {text}"))
    except AssetsError as exc:
        print(f"solara_assets: {exc}", file=sys.stderr)
        return 1
    for spec in wanted:
        version = json.loads((cache / spec / "package.json").read_text())["version"]
        print(f"solara_assets: {spec} ok (version {version})")
    print(f"solara_assets: ok ({cache})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

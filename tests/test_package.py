"""The project as a package: the wheel carries every sub-package, the data, the scenarios and the designs, and
``great-game`` is ``python run.py``. (``.ci/run`` installs the wheel into a fresh venv outside the checkout and
runs the baseline from it.)"""

from __future__ import annotations

import fnmatch
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from model import paths

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGES = ("model", "agents", "experiments", "dashboard")


def packaged_files() -> set[str]:
    """Every file the data-files table puts in the wheel, relative to the project root."""
    out = set()
    for dest, patterns in PROJECT["tool"]["setuptools"]["data-files"].items():
        for pattern in patterns:
            out |= {str(p.relative_to(ROOT)) for p in ROOT.glob(pattern) if p.is_file()}
        assert dest == str(paths.SHARE / Path(patterns[0]).parent), (dest, patterns)
    return out


def test_great_game_is_run_py():
    assert PROJECT["project"]["scripts"]["great-game"] == "experiments.cli.main:main"
    assert "from experiments.cli.main import main" in (ROOT / "run.py").read_text(encoding="utf-8")


def test_every_file_the_code_reads_is_packaged():
    wanted = {str(p.relative_to(ROOT)) for folder in ("data", "scenarios") for p in (ROOT / folder).iterdir()}
    wanted |= {str(p.relative_to(ROOT)) for p in (ROOT / "experiments" / "designs").glob("*.toml")}
    assert wanted - packaged_files() == set()


def test_the_checkout_is_the_project_root():
    assert paths.ROOT == ROOT and paths.CHECKOUT and paths.RESULTS == ROOT / "results"


@pytest.mark.slow
def test_the_wheel_holds_every_package_and_data_file(tmp_path):
    source = tmp_path / "src"  # a copy of the tracked files: a build in the checkout would leave build/ there
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in tracked.splitlines():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=tmp_path,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("great_game-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for package in PACKAGES:
        for init in (ROOT / package).rglob("__init__.py"):
            assert str(init.relative_to(ROOT)) in names, init
    data = {n.split(f"/{paths.SHARE}/", 1)[1] for n in names if f".data/data/{paths.SHARE}/" in n}
    assert data == packaged_files()
    assert not [n for n in names if fnmatch.fnmatch(n, "*/designs/*") and ".data/" not in n]

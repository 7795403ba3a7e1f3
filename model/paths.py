"""Where the project's files are, in a checkout and when installed from a wheel: one answer for every module.

The code (``model/``, ``agents/``, ``experiments/``, ``dashboard/``) is a set of packages. The files it reads
(``data/``, ``scenarios/``, ``experiments/designs/``) keep the same layout under one root: the checkout itself,
or, installed with ``pip install .``, ``<prefix>/share/great-game/`` (the wheel's data files; ``pyproject.toml``).
Paths relative to the project root (``run.deposits = "data/deposits.csv"``, a design's ``posterior =
"../../data/posterior.csv"``) therefore mean the same file in both.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path

CODE = Path(__file__).resolve().parent.parent  # the folder holding the packages (a checkout, or site-packages)
SHARE = Path("share") / "great-game"  # where the wheel puts the data files, under an installation prefix


def _installed_roots() -> list[Path]:
    """The data-file folders of the installation schemes that could hold this package: a venv's or the system's
    prefix, and the user's (``pip install --user``).
    """
    schemes = [sysconfig.get_default_scheme(), sysconfig.get_preferred_scheme("user")]
    return [Path(sysconfig.get_paths(scheme=s)["data"]) / SHARE for s in dict.fromkeys(schemes)]


def _find_root() -> Path:
    """The first folder that holds both ``scenarios/`` and ``data/``: the checkout, else the installed copy."""
    for root in (CODE, *_installed_roots()):
        if (root / "scenarios").is_dir() and (root / "data").is_dir():
            return root
    return CODE  # nothing found: messages then name the paths a checkout would have


ROOT = _find_root()
CHECKOUT = ROOT == CODE
# Results go under the checkout, as before; an installed copy writes under the working folder instead.
RESULTS = ROOT / "results" if CHECKOUT else Path.cwd() / "results"


def project_path(value: str | Path) -> Path:
    """A path as the parameters give it: absolute, or relative to the project root."""
    path = Path(value)
    return path if path.is_absolute() else ROOT / path

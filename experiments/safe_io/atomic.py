"""Write files and folders so that a reader never sees half of one, and a kill at any instant loses nothing.

A file is written to a temporary file beside it and renamed into place. A folder is filled beside it
(``.NAME.new-XXXXXXXX``), then the old one is renamed aside (``.NAME.old-XXXXXXXX``), the new one into place, and
the old one deleted: a kill between the two renames leaves the old folder aside, and the next replace of that
folder puts it back before anything else (:func:`recover`), so the old results are never lost. Everything
written gets the usual modes (``0o666`` / ``0o777`` less the umask), not the private ones of ``tempfile``.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def _read_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


UMASK = _read_umask()  # read once, at import, before any thread could create a file meanwhile


def file_mode() -> int:
    return 0o666 & ~UMASK


def dir_mode() -> int:
    return 0o777 & ~UMASK


def write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, file_mode())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _siblings(path: Path, kind: str) -> list[Path]:
    """Folders this module left beside ``path`` (``.NAME.new-*`` or ``.NAME.old-*``), by a killed command."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.{kind}-[a-z0-9_]{{8}}")
    return sorted(p for p in path.parent.iterdir() if pattern.fullmatch(p.name) and p.is_dir())


def recover(path: Path) -> None:
    """Undo what a kill in the middle of :func:`replace_dir_atomic` left: put the old folder back if ``path``
    is missing, then remove the other leftovers. Callers hold the folder's lock (``outdir.locked``)."""
    for old in _siblings(path, "old"):
        if not os.path.lexists(path):
            os.rename(old, path)
        else:
            shutil.rmtree(old)
    for new in _siblings(path, "new"):
        shutil.rmtree(new)


def replace_dir_atomic(path: Path, fill: Callable[[Path], None]) -> None:
    """Fill a folder beside ``path`` and swap it in: ``path`` is the old folder or the new one, whole.

    Call :func:`recover` first (under the folder's lock), so that a folder a kill left aside is put back.
    """
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.new-"))
    try:
        os.chmod(tmp, dir_mode())
        fill(tmp)
        if not os.path.lexists(path):
            os.rename(tmp, path)
            return
        old = path.with_name(f".{path.name}.old-{secrets.token_hex(4)}")
        os.rename(path, old)
        try:
            os.rename(tmp, path)
        except BaseException:
            os.rename(old, path)
            raise
        shutil.rmtree(old)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # gone already once swapped in

"""Results folders: which ones a command may write, checked again under a lock at the moment it writes.

A command writes a folder only if the folder is new, empty, or was written by the same command, and never
renames or deletes what the project did not write. A folder written by ``run`` or ``report`` holds ``MARKER``, a
small JSON file naming the command and the files it wrote; the command replaces the folder only while it holds
nothing else (a file the user added makes it refuse). Folders written before markers existed are recognised
by their file names (``legacy``). An experiment's folder holds a marker too (without a file list: it grows run
by run); ``experiments/runner/batch.py`` decides what resumes there.

Two commands writing the same folder at once are serialised by a lock on the folder's parent, held while one
of them checks the folder again and writes it, so a check can never be overtaken by the other's write.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from experiments.safe_io.atomic import recover, replace_dir_atomic, write_atomic
from model.errors import InputError
from model.inputs import read_regular
from model.params import show

MARKER = ".great-game"
LOCK_SECONDS = 60.0  # a command waits this long for another one writing beside it
NAME_MAX = 255  # bytes in one path component on every common file system


def marker(folder: Path) -> dict:
    """The folder's marker (``{}`` if it has none, or one that is not ours)."""
    try:
        data = json.loads(read_regular(folder / MARKER, "a marker", limit=1_000_000))
    except (InputError, ValueError):
        return {}
    return data if isinstance(data, dict) and isinstance(data.get("written_by"), str) else {}


def write_marker(folder: Path, command: str, files: list[str] | None = None) -> None:
    data = {"written_by": command, **({"files": sorted(files)} if files is not None else {})}
    write_atomic(folder / MARKER, lambda tmp: tmp.write_text(json.dumps(data, indent=1) + "\n"))


def cannot_write(folder: Path, flag: str, exc: OSError) -> InputError:
    """The one line for a folder that cannot be written (read-only, disk full, a name too long)."""
    where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(folder) else ""
    return InputError(
        str(folder), flag, f"cannot write: {exc.strerror or exc}{where}; allowed: a writable folder with free space"
    )


def usable(folder: Path, flag: str, links: bool = False) -> None:
    """Refuse a path that cannot hold results: one ending in '.' or '..', a file, a name too long, a place
    where no folder can be created, or (unless ``links``) a symbolic link, which replacing would delete."""
    if folder.name in ("", ".", ".."):
        raise InputError(str(folder), flag, "allowed: a folder path that does not end in '.' or '..'")
    long = [part for part in folder.parts if len(os.fsencode(part)) > NAME_MAX]
    if long:
        raise InputError(str(folder), flag, f"name {show(long[0])} too long; allowed: at most {NAME_MAX} bytes")
    try:
        info = os.lstat(folder)
    except FileNotFoundError:
        info = None
    except (OSError, ValueError) as exc:
        raise InputError(str(folder), flag, f"not usable ({getattr(exc, 'strerror', None) or exc})") from None
    if info is not None and stat.S_ISLNK(info.st_mode) and not links:
        raise InputError(str(folder), flag, "is a symbolic link; allowed: a real folder (or a new path)")
    if info is not None and not (stat.S_ISDIR(info.st_mode) or (links and folder.is_dir())):
        raise InputError(str(folder), flag, "is a file; allowed: a folder for the results")
    if info is not None:
        return
    parent = folder.absolute().parent
    while not os.path.lexists(parent):
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(str(folder), flag, f"{parent} is a file; allowed: a path whose parents are folders")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(str(folder), flag, f"cannot create it: {parent} is not writable")


def writable_file(path: Path, flag: str) -> None:
    """Refuse, before any work, a file path that the results could not be written to: a folder, a FIFO or a
    device, or a place where no file can be created (its folder is checked as :func:`usable` checks one)."""
    if path.name in ("", ".", ".."):
        raise InputError(str(path), flag, "allowed: a file path that does not end in '.' or '..'")
    usable(path.absolute().parent, flag, links=True)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return
    except (OSError, ValueError) as exc:
        raise InputError(str(path), flag, f"not usable ({getattr(exc, 'strerror', None) or exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(str(path), flag, "not a regular file; allowed: a file path (it is replaced whole)")
    if not os.access(path.absolute().parent, os.W_OK | os.X_OK):
        raise InputError(str(path), flag, f"cannot replace it: {path.absolute().parent} is not writable")


def check(folder: Path, command: str, flag: str, legacy: Callable[[set[str]], bool] | None = None) -> None:
    """InputError unless ``command`` may replace ``folder``: new, empty, or written by it and holding nothing else."""
    usable(folder, flag)
    names = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    if not names:
        return
    mark = marker(folder)
    if not mark and legacy is not None and legacy(names):
        return
    allowed = f"allowed: a new or empty folder, or one written by {command}"
    if mark and mark["written_by"] != command:
        raise InputError(str(folder), flag, f"holds the results of {mark['written_by']}; {allowed}")
    files = mark.get("files")
    foreign = sorted(names - {MARKER, *(files if isinstance(files, list) else [])})
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise InputError(str(folder), flag, f"holds {show(foreign[0])}{more}, not written by {command}; {allowed}")


@contextlib.contextmanager
def locked(folder: Path, flag: str) -> Iterator[None]:
    """Hold the lock of ``folder``'s parent (an flock on the parent folder itself: no file is created)."""
    fd = os.open(folder.absolute().parent, os.O_RDONLY)
    try:
        deadline = time.monotonic() + LOCK_SECONDS
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise InputError(
                        str(folder), flag, "another command kept writing beside it; allowed: try again, or another path"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def write_folder(
    folder: Path,
    command: str,
    fill: Callable[[Path], None],
    flag: str = "--out",
    legacy: Callable[[set[str]], bool] | None = None,
) -> None:
    """Write ``folder`` whole with ``fill(tmp)`` and its marker, if ``command`` may (checked again under the lock)."""

    def fill_and_mark(tmp: Path) -> None:
        fill(tmp)
        write_marker(tmp, command, [p.name for p in tmp.iterdir()])

    try:
        folder.absolute().parent.mkdir(parents=True, exist_ok=True)
        with locked(folder, flag):
            recover(folder)
            check(folder, command, flag, legacy)
            replace_dir_atomic(folder, fill_and_mark)
    except OSError as exc:
        raise cannot_write(folder, flag, exc) from None

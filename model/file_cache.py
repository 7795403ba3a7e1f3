"""Parsed input files kept per process, keyed by the file's path, size and modification time: a batch builds
thousands of models from the same few tables, and a build should not read them again each time.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def resolved(path: str | Path) -> str:
    """``path`` made absolute, links followed, as the key of a parsed file: kept per process, as resolving costs
    tens of microseconds and a build asks for some twenty files (a link changed while a process runs is not
    noticed; the file's size and modification time still are).
    """
    full = Path(path)
    return _resolved(str(full), "" if full.is_absolute() else os.getcwd())


@functools.lru_cache(maxsize=256)
def _resolved(path: str, cwd: str) -> str:
    return str(Path(cwd, path).resolve())


def by_file[T](load: Callable[..., T]) -> Callable[..., T]:
    """``load(path, *args)`` cached while the file is unchanged (a file that cannot be stat'ed is not cached, so
    its error is raised by ``load`` itself). The result is shared: callers must not change it.
    """
    cached = functools.lru_cache(maxsize=32)(lambda path, size, mtime, *args: load(path, *args))

    @functools.wraps(load)
    def wrapper(path, *args):
        full = Path(path)
        try:
            info = full.stat()
        except (OSError, ValueError):
            return load(path, *args)
        return cached(resolved(full), info.st_size, info.st_mtime_ns, *args)

    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper

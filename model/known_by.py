"""Inputs known by the start: a deposit table or a release schedule with a ``known_by`` column may not hold a date
later than the run's start (1 January of ``run.start_year``), or a hindcast would be handed its outcome.

``YYYY-MM-DD`` is that day; ``YYYY-MM`` is read as the month's last day (the latest it can mean); ``YYYY`` as 31
December. A table without the column is not checked (the 2026 tables are not hindcast starts).
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

from model.errors import InputError
from model.file_cache import resolved
from model.inputs import read_csv

ALLOWED = "a date YYYY-MM-DD, YYYY-MM or YYYY no later than {start} (the run's start)"


def latest_day(value: str) -> date | None:
    """The latest day a ``known_by`` value can mean, or None if it is not a date."""
    value = value.strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(m[1]), int(m[2])
        return date(year, month, calendar.monthrange(year, month)[1]) if 1 <= month <= 12 else None
    if m := re.fullmatch(r"(\d{4})", value):
        return date(int(m[1]), 12, 31)
    return None


def check(path: str | Path, key: str, start_year: int) -> None:
    """Refuse the file if one row's ``known_by`` is later than the start (one line: file, row and id, allowed)."""
    full = Path(path)
    try:
        stat = full.stat()
    except OSError:
        return  # the table's own loader reports a missing file
    _check(resolved(full), stat.st_size, stat.st_mtime_ns, key, start_year)


@lru_cache(maxsize=32)
def _check(path: str, _size: int, _mtime: int, key: str, start_year: int) -> None:
    frame = read_csv(Path(path), "a CSV table", key, text=True)
    if "known_by" not in frame.columns:
        return
    start = date(start_year, 1, 1)
    for i, r in frame.iterrows():
        day = latest_day(str(r["known_by"]))
        if day is None or day > start:
            row = f"row {i + 2} ({r.get('id', '?')}) column known_by = {r['known_by']!r}"
            raise InputError(path, f"{key}: {row}", "later than the start; allowed: " + ALLOWED.format(start=start))

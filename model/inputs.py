"""Reading input files and command-line settings: one TOML reader for scenario and experiment files.

Every problem is one :class:`~model.errors.InputError` naming the file, the key and what is allowed: a file
that is not a regular UTF-8 TOML file of sane size, tables nested too deep, a key given twice in any spelling
(``"eu.trust0" = 0.2`` beside ``[params.eu] trust0 = 0.9``), an unknown key (with the three closest valid ones),
an integer out of range or too long to print.
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any

from model.errors import InputError, escape
from model.params import closest, show

__all__ = [  # escape is re-exported: it lives with InputError, which applies it to every message
    "MAX_BYTES",
    "MAX_DEPTH",
    "check_int",
    "check_keys",
    "check_shape",
    "check_table",
    "escape",
    "flatten",
    "parse_settings",
    "read_csv",
    "read_regular",
    "read_toml",
]

MAX_BYTES = 4_000_000  # far above any real scenario or experiment file
MAX_DEPTH = 8  # params.<power>.priorities.<commodity> is 4 deep


def read_regular(path: Path, what: str, key: str = "file", limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file (never a FIFO, a device or a folder, which could block or never end)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(str(path), key, f"not found; allowed: {what}") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError(str(path), key, f"not readable ({reason}); allowed: {what}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(str(path), key, f"not a regular file; allowed: {what}")
    if info.st_size > limit:
        raise InputError(str(path), key, f"{info.st_size} bytes; allowed: {what} of at most {limit} bytes")
    try:
        with open(path, "rb") as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise InputError(str(path), key, f"not readable ({exc.strerror}); allowed: {what}") from None


def read_csv(path: Path, what: str, key: str, columns: tuple[str, ...] = (), text: bool = False):
    """A data table (pandas) from a regular UTF-8 CSV file, with the ``columns`` it must have; ``text`` keeps every
    cell a string (empty cells as ""), for tables checked cell by cell. One InputError for each problem.

    Every row must have as many fields as the header: pandas would otherwise read a row with one field too many
    (a trailing comma, a stray separator) by taking its first field as the index, so that every value of every
    row lands one column to the left, silently.
    """
    import io

    import pandas as pd

    raw = read_regular(path, what, key)
    try:
        text_ = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), key, f"not UTF-8 text; allowed: {what}") from None
    check_shape(text_, str(path), key, what)
    options = {"dtype": str, "keep_default_na": False} if text else {}
    try:
        frame = pd.read_csv(io.StringIO(text_), index_col=False, **options)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(str(path), key, f"not a readable CSV ({type(exc).__name__}); allowed: {what}") from None
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(str(path), f"column {missing[0]}", f"missing; required: {', '.join(columns)}")
    return frame


def check_shape(text: str, where: str, key: str, what: str) -> None:
    """A CSV's header names each column once, and every row has one field per column (blank lines aside)."""
    import csv
    import io

    try:
        records = [r for r in csv.reader(io.StringIO(text)) if r and (len(r) > 1 or r[0].strip())]  # no blanks
    except csv.Error as exc:
        raise InputError(where, key, f"not a readable CSV ({exc}); allowed: {what}") from None
    if not records:
        raise InputError(where, key, f"empty; allowed: {what}")
    header = [name.strip() for name in records[0]]
    twice = [name for i, name in enumerate(header) if name in header[:i]]
    if twice:
        raise InputError(where, f"column {twice[0]}", "given twice in the header; allowed: each column once")
    for number, record in enumerate(records[1:], start=2):
        if len(record) != len(header):
            raise InputError(
                where,
                f"row {number}",
                f"{len(record)} fields, the header has {len(header)}; allowed: one field per column "
                "(a trailing comma adds a field)",
            )


def check_int(value: Any, lo: int, hi: int, where: str, key: str) -> int:
    """``value`` if it is an integer in [lo, hi] (not a bool); else one line that shows it cut short."""
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise InputError(where, key, f"got {show(value)}; allowed: an integer in [{lo}, {hi}]")
    return value


def read_toml(path: Path, what: str) -> tuple[dict, str]:
    """A TOML file's document and text."""
    raw = read_regular(path, what)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "file", f"not UTF-8 text; allowed: {what}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise InputError(str(path), "file", f"malformed TOML ({exc})") from None
    except RecursionError:
        raise InputError(str(path), "file", "nested too deep; allowed: plain tables of keys") from None
    except ValueError:  # Python's limit on the digits of an integer
        raise InputError(str(path), "file", "a number too long to read; allowed: at most 4300 digits") from None


def flatten(table: dict, where: str, prefix: str = "", spelled: str = "", _depth: int = 0) -> dict[str, Any]:
    """Nested tables as ``{dotted key: value}`` in file order; a dotted key reached twice is refused.

    ``"eu.trust0" = 0.2`` and ``[eu] trust0 = 0.9`` are the same key in two spellings. ``spelled`` is the
    prefix as the file writes it (``params.``), for messages.
    """
    if _depth > MAX_DEPTH:
        raise InputError(where, f"{spelled}{prefix}".rstrip("."), f"nested more than {MAX_DEPTH} deep")
    out: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        inner = flatten(value, where, dotted + ".", spelled, _depth + 1) if isinstance(value, dict) else {dotted: value}
        for k, v in inner.items():
            if k in out:
                raise InputError(where, f"{spelled}{k}", "given twice; allowed: each key once")
            out[k] = v
    return out


def check_table(doc: Any, key: str, where: str, valid: tuple[str, ...] | None = None, spelled: str = "") -> dict:
    """``doc[key]`` as a table (empty if absent), with only ``valid`` keys if given."""
    value = doc.get(key, {})
    if not isinstance(value, dict):
        raise InputError(where, f"{spelled}{key}", f"got {type(value).__name__}; allowed: a table")
    if valid is not None:
        for k in value:
            if k not in valid:
                raise InputError(where, f"{spelled}{key}.{k}", f"unknown key; did you mean {closest(str(k), valid)}?")
    return value


def check_keys(doc: dict, valid: tuple[str, ...], where: str) -> None:
    """Top-level keys must be among ``valid``."""
    for key in doc:
        if key not in valid:
            raise InputError(where, str(key), f"unknown key; did you mean {closest(str(key), valid)}?")


def parse_settings(items: list[str], where: str = "--set") -> dict[str, Any]:
    """``KEY=VALUE`` settings (dotted keys; values in TOML syntax, or bare text), each key once."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(where, item, "allowed: KEY=VALUE with a dotted parameter key")
        try:
            value = tomllib.loads(f"v = {text.strip()}")["v"]
        except (ValueError, RecursionError):  # not TOML (or an integer too long to read): taken as text
            value = text.strip()
        if isinstance(value, dict | list):
            raise InputError(where, key, f"got {show(text)}; allowed: a number or a text")
        if key in out:
            raise InputError(where, key, "given twice; allowed: each key once")
        out[key] = value
    return out

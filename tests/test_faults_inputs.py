"""Generated bad scenario and experiment files: each is one clear line, exit status 2, nothing written.

A valid file is built, then broken in one way drawn from a catalogue (each kind below is certain to make the
file invalid), with Hypothesis drawing the bad values. Each example runs the real command line in this
process (``experiments.cli.main.main``): ``experiment FILE`` for experiment files, ``check FILE`` and
``run --scenario FILE`` for scenario files. Checked every time: exit status 2; one line on stderr that says
"error:" and names the file (or the deposit table) and the key; nothing on stdout; no traceback (any other
exception fails the test); no file written or changed anywhere under the example's folder or the results
folder. A handful go through ``python run.py`` in a subprocess too (slow).
"""

from __future__ import annotations

import math
import os
import string
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.cli import main as cli_module
from experiments.runner import design, design_keys, single
from model import params as P
from model.commodities import NAMES as COMMODITIES
from model.deposit_load import COLUMNS
from model.powers import POWERS
from model.vocabulary import TABLE_STAGES
from tests.cli_helpers import run_cli

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = {
    "deadline": None,
    "database": None,  # write nothing into the checkout
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}

# --- writing TOML ------------------------------------------------------------------------------------


def toml_str(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class Raw(str):
    """TOML written as is: an integer too long for Python to print, a date, arrays nested hundreds deep."""


class Special(str):
    """A file that is not a regular file ('fifo'); the Runner makes it."""


def toml_value(v) -> str:
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_str(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def to_toml(doc: dict, prefix: str = "") -> str:
    """Scalars (and lists) first, then each table as a [section] (nested tables as [a.b])."""
    lines = [f"{toml_str(k)} = {toml_value(v)}" for k, v in doc.items() if not isinstance(v, dict)]
    text = "\n".join(lines) + ("\n" if lines else "")
    for k, v in doc.items():
        if isinstance(v, dict):
            name = f"{prefix}.{toml_str(k)}" if prefix else toml_str(k)
            text += f"\n[{name}]\n" + to_toml(v, name)
    return text


# --- bad values ----------------------------------------------------------------------------------------

PLAIN = string.ascii_letters + string.digits + "_"
no_surrogates = st.characters(exclude_categories=("Cs",))
any_text = st.text(no_surrogates, max_size=12)
ints = st.integers(-(2**63), 2**63 - 1)
floats = st.floats(allow_nan=True, allow_infinity=True)
scalars = st.one_of(ints, floats, any_text, st.booleans())
not_int = st.one_of(st.floats().filter(lambda f: not (math.isfinite(f) and f == int(f))), any_text, st.booleans())
not_bool = st.one_of(ints, floats, any_text, st.lists(st.booleans(), max_size=2))
not_str = st.one_of(ints, floats, st.booleans(), st.lists(st.integers(), max_size=2))


def unknown_key(valid) -> st.SearchStrategy[str]:
    return st.text(PLAIN + "-", min_size=1, max_size=12).filter(lambda k: k not in valid)


unknown_dotted = st.builds(
    "{}.{}".format, st.text(PLAIN, min_size=1, max_size=6), st.text(PLAIN, min_size=1, max_size=8)
).filter(lambda k: k not in P.PARAMS)


@st.composite
def bad_param_value(draw, param: P.Param):
    """A value ``param.check`` refuses."""
    kind = param.kind
    if kind is str and param.bounds is None:  # a path
        return draw(st.sampled_from(["", " ", "\t"]) | not_str)
    lo, hi = param.bounds
    if kind is int:
        return draw(
            st.one_of(
                st.integers(-(2**63), int(lo) - 1),
                st.integers(int(hi) + 1, 2**63 - 1),
                st.floats(lo, hi).filter(lambda f: f != int(f)),
                st.sampled_from([math.nan, math.inf, -math.inf]),
                any_text,
                st.booleans(),
            )
        )
    return draw(
        st.one_of(
            st.floats(max_value=lo - max(1e-3, abs(lo) * 1e-6), allow_infinity=True),
            st.floats(min_value=hi + max(1e-3, abs(hi) * 1e-6), allow_infinity=True),
            st.integers(int(hi) + 1, 2**63 - 1),
            st.just(math.nan),
            any_text,
            st.booleans(),
        )
    )


POWER_FIELDS = [k[3:] for k in P.PARAMS if k.startswith("jk.")]  # a power's fields, from the registry
param_keys = st.sampled_from(sorted(P.PARAMS))
numeric_keys = st.sampled_from(sorted(k for k, p in P.PARAMS.items() if p.kind in (int, float)))
other_keys = st.sampled_from(sorted(k for k, p in P.PARAMS.items() if p.kind not in (int, float)))


def _ok_range(key: str) -> list:
    lo, hi = P.PARAMS[key].bounds
    return [P.PARAMS[key].kind(lo), P.PARAMS[key].kind(hi)]


# --- the families of issue 11: duplicate keys, huge integers, odd keys, deep nesting, dates, sizes --------

ODD = ["\n", "\r\n", "\r", "\x1b[31m", "\u2028", "\x85", "\t", "\x7f", "\x00"]  # each would break the line
odd_keys = st.builds("{}{}{}".format, st.text(PLAIN, min_size=1, max_size=5), st.sampled_from(ODD), st.text(PLAIN))
DATES = ["2026-01-01", "1979-05-27T07:32:00Z", "07:32:00", "1979-05-27 00:32:00.999-07:00", "2026-01-01T00:00:00"]
FLOAT_KEYS = sorted(k for k, p in P.PARAMS.items() if p.kind is float and p.bounds[0] < p.bounds[1])


@st.composite
def huge_ints(draw) -> tuple[Raw, bool]:
    """An integer of hundreds or thousands of digits, and whether Python can still read it (4300 digits)."""
    digits = draw(st.sampled_from([400, 1000, 4300, 4301, 6000]))
    return Raw(draw(st.sampled_from(["", "-"])) + "9" * digits), digits <= 4300


def nested(key: str, value) -> dict:
    """``{"eu": {"trust0": value}}`` for ``eu.trust0``: the same key in table spelling."""
    head, *rest = key.split(".")
    for part in reversed(rest):
        value = {part: value}
    return {head: value}


def deep_value(draw) -> Raw:
    n = draw(st.sampled_from([50, 300, 450, 600, 3000]))
    return Raw("[" * n + "]" * n)


# --- cases -------------------------------------------------------------------------------------------


@dataclass
class Case:
    kind: str
    main: str  # the file the command is given
    files: dict[str, str | bytes | Special] = field(default_factory=dict)
    needles: tuple[str, ...] = ()


def base_experiment() -> dict:
    return {
        "description": "fuzz",
        "steps": 4,
        "replicates": 1,
        "seed": 1,
        "params": {"run.synthetic_deposits": 20, "investors.count": 20},
        "design": {"method": "factorial", "factors": {"eu.trust0": [0.5]}},
        "output": {"measures": ["capacity_share_EU"]},
    }


def ranged(method: str, samples: int, n: int = 2) -> dict:
    keys = ["eu.trust0", "eu.delay_mean_q", "cn.budget_usd_m"][:n]
    d = {"method": method, "samples": samples, "ranges": {k: _ok_range(k) for k in keys}}
    if method == "morris":
        d["levels"] = 4
    return d


@st.composite
def bad_experiment(draw) -> Case:
    doc = base_experiment()
    kind = draw(
        st.sampled_from(
            [
                "unknown_top",
                "steps",
                "replicates",
                "seed",
                "name_unsafe",
                "name_type",
                "description_type",
                "scenario_type",
                "scenario_missing",
                "scenario_bad",
                "table_type",
                "top_key_in_params",
                "param_unknown",
                "param_value",
                "deposits_missing",
                "method",
                "design_extra_key",
                "factors_empty",
                "level_empty",
                "level_value",
                "level_nested",
                "range_order",
                "range_kind",
                "range_shape",
                "range_bound",
                "samples",
                "morris_levels",
                "too_few_ranges",
                "second_order",
                "design_seed",
                "too_many_runs",
                "measure_unknown",
                "measures_type",
                "output_bool",
                "flush_every",
                "years",
                "keeps_nothing",
                "output_unknown",
                "malformed",
                "not_utf8",
                "dup_key",
                "huge_int",
                "odd_key",
                "deep",
                "special_file",
                "design_size",
            ]
        )
    )
    needles: tuple[str, ...] = ()
    files: dict[str, str | bytes | Special] = {}
    if kind in ("dup_key", "huge_int", "odd_key", "deep", "special_file", "design_size"):
        needles, files = hostile_experiment(draw, kind, doc)
        if kind == "special_file":  # the needles name the FIFO, which may be the scenario
            return Case(kind, "exp.toml", {"exp.toml": to_toml(doc), **files}, needles)
    elif kind == "unknown_top":
        key = draw(unknown_key(design_keys.TOP_KEYS))
        doc[key], needles = draw(scalars), (key, "unknown key")
    elif kind == "steps":
        doc["steps"] = draw(st.integers(max_value=0) | st.integers(min_value=design.MAX_STEPS + 1) | not_int)
        needles = ("steps",)
    elif kind == "replicates":
        doc["replicates"] = draw(st.integers(max_value=0) | st.integers(design.MAX_REPLICATES + 1) | not_int)
        needles = ("replicates",)
    elif kind == "seed":
        doc["seed"], needles = draw(st.integers(max_value=-1) | not_int), ("seed",)
    elif kind == "name_unsafe":
        doc["name"] = draw(
            st.sampled_from(["../x", "../../etc", "/tmp/abs", "a/b", "..", ".", "", " x", "~", ".hidden", "a..b"])
            | any_text.filter(lambda t: not single._SAFE.fullmatch(t) or ".." in t)
        )
        needles = ("name",)
    elif kind in ("name_type", "description_type", "scenario_type"):
        key = kind.split("_")[0]
        doc[key], needles = draw(not_str), (key,)
    elif kind == "scenario_missing":
        doc["scenario"] = "zz_" + draw(st.text(PLAIN, max_size=8))
        needles = ("scenario", "not found")
    elif kind == "scenario_bad":
        # the experiment's synthetic deposits replace any table; a missing parent has its own test below
        inner = draw(bad_scenario(tables=False, missing_parent=False))
        files = {f"scn/{n}": t for n, t in inner.files.items()}
        doc["scenario"], needles = f"scn/{inner.main}", inner.needles
    elif kind == "table_type":
        key = draw(st.sampled_from(["params", "design", "output"]))
        doc[key], needles = draw(not_str), (key,)
    elif kind == "top_key_in_params":
        key = draw(st.sampled_from(["steps", "replicates", "seed", "name", "scenario"]))
        doc["params"][key], needles = draw(scalars), (f"params.{key}", "top-level key")
    elif kind == "param_unknown":
        key = draw(unknown_dotted)
        doc["params"][key], needles = draw(scalars), (f"params.{key}", "unknown parameter")
    elif kind == "param_value":
        key = draw(param_keys.filter(lambda k: k != "run.deposits"))
        doc["params"][key], needles = draw(bad_param_value(P.PARAMS[key])), (key,)
    elif kind == "deposits_missing":
        name = "no_such_" + draw(st.text(PLAIN, min_size=1, max_size=8)) + ".csv"
        doc["params"].update({"run.synthetic_deposits": 0, "run.deposits": name})
        needles = (name, "not found")
    elif kind == "method":
        m = draw(any_text.filter(lambda t: t not in design.METHODS) | not_str)
        doc["design"] = {"method": m, "factors": {"eu.trust0": [0.5]}}
        needles = ("design.method",)
    elif kind == "design_extra_key":
        method = draw(st.sampled_from(design.METHODS))
        key = draw(
            st.sampled_from(
                sorted({k for ks in design.DESIGN_KEYS.values() for k in ks} - {*design.DESIGN_KEYS[method]})
            )
            | unknown_key(design.DESIGN_KEYS[method])
        )
        doc["design"] = {"method": method} | ({"factors": {"eu.trust0": [0.5]}} if method == "factorial" else {})
        doc["design"][key] = draw(scalars)
        needles = (f"design.{key}",)
    elif kind == "factors_empty":
        doc["design"]["factors"] = draw(st.just({}) | not_str)
        needles = ("design.factors",)
    elif kind == "level_empty":
        key = draw(param_keys)
        doc["design"]["factors"] = {key: draw(st.just([]) | scalars)}
        needles = (f"design.factors.{key}",)
    elif kind == "level_value":
        key = draw(param_keys.filter(lambda k: k != "run.deposits"))
        doc["design"]["factors"] = {
            "eu.trust0": [0.5],
            key: [P.PARAMS[key].default, draw(bad_param_value(P.PARAMS[key]))],
        }
        needles = (key,)
    elif kind == "level_nested":
        key = draw(param_keys)
        doc["design"]["factors"] = {key: [draw(st.lists(st.integers(), max_size=2) | st.just({"a": 1}))]}
        needles = (f"design.factors.{key}",)
    elif kind.startswith("range_"):
        method = draw(st.sampled_from(["lhs", "sobol", "morris"]))
        doc["design"] = ranged(method, 4)
        key = draw(numeric_keys.filter(lambda k: k not in doc["design"]["ranges"]))
        lo, hi = _ok_range(key)
        if kind == "range_order":
            bounds = draw(st.sampled_from([[hi, lo], [lo, lo], [hi, hi]]))
        elif kind == "range_kind":
            key = draw(other_keys)
            bounds = [0, 1]
        elif kind == "range_shape":
            bounds = draw(
                st.sampled_from([[lo], [lo, hi, hi], [], [True, hi], ["a", hi]]) | st.lists(st.integers(), min_size=3)
            )
        else:  # range_bound
            above = (
                st.integers(int(hi) + 1, 2**62) if P.PARAMS[key].kind is int else st.floats(hi + 1e-3 + abs(hi) * 1e-6)
            )
            bounds = [lo, draw(above)]
        doc["design"]["ranges"][key] = bounds
        needles = (key,)
    elif kind == "samples":
        method = draw(st.sampled_from(["lhs", "sobol", "morris"]))
        bad = {
            "lhs": st.integers(max_value=0) | st.integers(1_000_001),
            "sobol": st.integers(max_value=1) | st.integers(3, 2**20).filter(lambda n: n & (n - 1)),
            "morris": st.integers(max_value=1) | st.integers(100_001),
        }[method]
        doc["design"] = ranged(method, draw(bad | not_int))
        needles = ("design.samples",)
    elif kind == "morris_levels":
        doc["design"] = ranged("morris", 2)
        doc["design"]["levels"] = draw(st.integers(3, 999).filter(lambda n: n % 2) | st.integers(max_value=1) | not_int)
        needles = ("design.levels",)
    elif kind == "too_few_ranges":
        doc["design"] = ranged(draw(st.sampled_from(["sobol", "morris"])), 4, n=1)
        needles = ("design.ranges", "at least 2")
    elif kind == "second_order":
        doc["design"] = ranged("sobol", 4) | {"second_order": draw(not_bool)}
        needles = ("design.second_order",)
    elif kind == "design_seed":
        doc["design"] = ranged("lhs", 4) | {"seed": draw(st.integers(max_value=-1) | st.integers(2**32) | not_int)}
        needles = ("design.seed",)
    elif kind == "too_many_runs":
        doc["design"] = ranged("lhs", 1_000_000)
        doc["replicates"] = draw(st.integers(51, design.MAX_REPLICATES))
        needles = ("design", "at most")
    elif kind == "measure_unknown":
        bad = "zz" + draw(st.text(PLAIN, max_size=10))
        doc["output"]["measures"] = ["capacity_share_EU", bad]
        needles = ("output.measures", bad)
    elif kind == "measures_type":
        doc["output"]["measures"] = draw(st.just([]) | st.lists(not_str, min_size=1, max_size=2) | ints | floats)
        needles = ("output.measures",)
    elif kind == "output_bool":
        key = draw(st.sampled_from(["final", "series"]))
        doc["output"][key], needles = draw(not_bool), (f"output.{key}",)
    elif kind == "flush_every":
        doc["output"]["flush_every"] = draw(st.integers(max_value=0) | st.integers(1_000_001) | not_int)
        needles = ("output.flush_every",)
    elif kind == "years":
        doc["output"]["years"] = draw(
            st.lists(st.integers(-(2**63), 2**63 - 1).filter(lambda y: y != 2026), min_size=1, max_size=3)
            | st.lists(not_int, min_size=1, max_size=2)
            | not_str.filter(lambda v: not isinstance(v, list))
        )
        needles = ("output.years",)
    elif kind == "keeps_nothing":
        doc["output"].update(final=False, series=False, years=[])
        needles = ("output", "keeps nothing")
    elif kind == "output_unknown":
        key = draw(unknown_key(design.OUTPUT_KEYS))
        doc["output"][key], needles = draw(scalars), (f"output.{key}", "unknown key")
    text = to_toml(doc)
    if kind == "malformed":
        lines = text.splitlines()
        at = draw(st.integers(0, len(lines)))
        junk = draw(st.sampled_from(["[", "[[x", "= 1", "x = ", 'y = "open', "k = 1\nk = 2", "[params]"]))
        text, needles = "\n".join([*lines[:at], junk, *lines[at:]]) + "\n", ("malformed TOML",)
    if kind == "not_utf8":
        raw = text.encode() + b"# " + draw(st.sampled_from([b"\xff", b"\xfe\xff", b"\xc3\x28", b"\x80abc"])) + b"\n"
        return Case(kind, "exp.toml", {**files, "exp.toml": raw}, ("not UTF-8",))
    return Case(
        kind,
        "exp.toml",
        {**files, "exp.toml": text},
        ("exp.toml", *needles) if kind not in ("scenario_bad", "deposits_missing") else needles,
    )


def hostile_experiment(draw, kind: str, doc: dict) -> tuple[tuple[str, ...], dict]:
    """Break ``doc`` with one of the families of issue 11; returns the needles and any extra files."""
    if kind == "dup_key":
        key = draw(st.sampled_from(FLOAT_KEYS))
        lo, hi = _ok_range(key)
        where = draw(st.sampled_from(["params", "factors", "ranges", "params+design"]))
        if where == "params":
            doc["params"] |= {key: lo} | nested(key, hi)
        elif where == "factors":
            doc["design"]["factors"] = {key: [lo]} | nested(key, [hi])
        elif where == "ranges":
            doc["design"] = ranged("lhs", 4)
            doc["design"]["ranges"] |= {key: [lo, hi]} | nested(key, [lo, hi])
        else:
            doc["params"][key] = lo
            doc["design"]["factors"] = {key: [lo, hi]}
            return (f"params.{key}", "also swept"), {}
        return (
            {"ranges": "design.ranges.", "factors": "design.factors."}.get(where, "params.") + key,
            "given twice",
        ), {}
    if kind == "huge_int":
        big, readable = draw(huge_ints())
        target = draw(st.sampled_from(["steps", "replicates", "seed", "samples", "levels", "seed ", "flush_every",
                                       "years", "param", "level"]))  # fmt: skip
        if target in ("steps", "replicates", "seed"):
            doc[target], key = big, target
        elif target in ("samples", "levels", "seed "):
            doc["design"] = ranged("morris", 4)
            doc["design"][target.strip()], key = big, f"design.{target.strip()}"
        elif target in ("flush_every", "years"):
            doc["output"][target], key = big if target == "flush_every" else [big], f"output.{target}"
        else:
            key = draw(numeric_keys)
            if target == "param":
                doc["params"][key] = big
            else:
                doc["design"]["factors"] = {key: [big]}
        return (key,) if readable else ("too long",), {}
    if kind == "odd_key":
        key, place = draw(odd_keys), draw(st.sampled_from(["top", "params", "factors", "ranges", "output", "design"]))
        if place == "ranges":
            doc["design"] = ranged("lhs", 4)
        table = {"top": doc, "params": doc["params"], "output": doc["output"], "design": doc["design"]}.get(place)
        table = table if table is not None else doc["design"][place]
        table[key] = [0, 1] if place in ("factors", "ranges") else 1
        return (), {}
    if kind == "deep":
        place = draw(st.sampled_from(["table", "param", "level"]))
        if place == "table":
            doc["params"] |= nested(".".join(["a"] * draw(st.integers(9, 60))), 1)
        elif place == "param":
            doc["params"][draw(param_keys)] = deep_value(draw)
        else:
            doc["design"]["factors"] = {draw(param_keys): [deep_value(draw)]}
        return (), {}
    if kind == "special_file":  # the experiment file, or the scenario it names, is a FIFO (reading it would block)
        if draw(st.booleans()):
            return ("exp.toml", "not a regular file"), {"exp.toml": Special("fifo")}
        doc["scenario"] = "scn.toml"
        return ("scn.toml", "not a regular file"), {"scn.toml": Special("fifo")}
    method = draw(st.sampled_from(["factorial", "sobol", "morris"]))  # design_size: too big to build
    if method == "factorial":  # l ** k runs, exactly (np.prod wrapped around to 0 at 4 ** 32)
        n_levels, k = draw(st.integers(4, 6)), draw(st.integers(13, 40))
        levels = {key: np.linspace(*_ok_range(key), n_levels).tolist() for key in FLOAT_KEYS[:k]}
        doc["design"] = {"method": "factorial", "factors": levels}
    else:  # under the run cap, but the design table alone would take gigabytes
        d = draw(st.integers(20, 30))
        doc["design"] = {"method": method, "samples": 2**20 if method == "sobol" else 100_000}
        doc["design"]["ranges"] = {key: _ok_range(key) for key in FLOAT_KEYS[:d]}
    return ("design", "at most"), {}


def deposit_row(**over) -> dict:
    from tests.conftest import deposit_row as row

    return row(**over)


def csv_text(rows: list[dict], columns=COLUMNS) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(columns), extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()


letters = st.text(string.ascii_letters, min_size=1, max_size=8)


@st.composite
def bad_table(draw) -> tuple[str | bytes, tuple[str, ...]]:
    rows = [deposit_row(), deposit_row(id="d2", stage_2026="producing", holders_2026="KZ:1")]
    kind = draw(
        st.sampled_from(
            [
                "commodity",
                "stage",
                "number",
                "coord",
                "approx",
                "holders",
                "unlicensed_held",
                "offtake",
                "dup",
                "missing",
                "empty",
                "ragged",
                "bytes",
            ]
        )
    )
    row = draw(st.sampled_from([0, 1]))
    if kind == "commodity":
        rows[row]["commodity"] = draw(letters.filter(lambda t: t not in COMMODITIES))
    elif kind == "stage":
        rows[row]["stage_2026"] = draw(letters.filter(lambda t: t not in [s.label for s in TABLE_STAGES]))
    elif kind == "number":
        col = draw(st.sampled_from(["contained_t", "capacity_t_per_q", "lead_time_q"]))
        rows[row][col] = str(draw(st.floats(max_value=0) | st.integers(max_value=0) | letters))
    elif kind == "coord":
        col = draw(st.sampled_from(["lon", "lat"]))
        lo, hi = (46.0, 88.0) if col == "lon" else (40.0, 56.0)
        rows[row][col] = str(draw(st.floats(max_value=lo - 0.01) | st.floats(min_value=hi + 0.01) | letters))
    elif kind == "approx":
        rows[row]["coord_approx"] = draw(letters.filter(lambda t: t not in ("true", "false", "True", "False")))
    elif kind == "holders":
        rows[1]["holders_2026"] = draw(
            st.floats(0, 0.99).map(lambda s: f"KZ:{s:.3f}")
            | st.sampled_from(["XX:1", "KZ", "KZ:2", "KZ:-1;CN:2", "KZ:abc"])
        )
    elif kind == "unlicensed_held":
        rows[0]["holders_2026"] = draw(st.sampled_from(["KZ:1", "CN:0.5;KZ:0.5"]))
    elif kind == "offtake":
        rows[1]["offtake_2026"] = draw(st.sampled_from(["XX:1", "KZ:0.2", "CN", "EU:3"]))
    elif kind == "dup":
        rows[1]["id"] = rows[0]["id"]
    elif kind == "missing":
        col = draw(st.sampled_from(COLUMNS))
        return csv_text(rows, [c for c in COLUMNS if c != col]), (f"column {col}", "missing")
    elif kind == "empty":
        return csv_text([]), ("rows",)
    elif kind == "ragged":
        return csv_text(rows) + ",".join(["a"] * (len(COLUMNS) + 2)) + "\n", ("row 4", "fields, the header has")
    else:
        return csv_text(rows).encode() + draw(st.sampled_from([b"\xff\xfe", b"x,\x80\n"])), ("not UTF-8",)
    return csv_text(rows), ("row ",)


@st.composite
def bad_scenario(draw, nested: bool = True, tables: bool = True, missing_parent: bool = True) -> Case:
    doc: dict = {"description": "fuzz"}
    kinds = [
        "unknown_top",
        "top_type",
        "param_unknown",
        "param_value",
        "extends_missing",
        "extends_cycle",
        "extends_bad",
        "deposits_missing",
        "power_code",
        "power_field",
        "power_value",
        "power_type",
        "malformed",
        "not_utf8",
        "dup_key",
        "huge_int",
        "odd_key",
        "deep",
        "date",
        "special_file",
    ]
    kinds = [k for k in kinds if (nested or k != "extends_bad") and (missing_parent or k != "extends_missing")]
    kinds += ["deposits_bad"] * 3 if tables else []
    kind = draw(st.sampled_from(kinds))
    needles: tuple[str, ...] = ()
    files: dict[str, str | bytes | Special] = {}
    main = "s.toml"
    if kind == "special_file":
        return Case(kind, main, {main: Special("fifo")}, (main, "not a regular file"))
    if kind in ("dup_key", "huge_int", "odd_key", "deep", "date"):
        needles = hostile_scenario(draw, kind, doc)
    elif kind == "unknown_top":
        key = draw(unknown_key(("name", "description", "extends", "deposits", "params", "powers")))
        doc[key], needles = draw(scalars), (key, "unknown key")
    elif kind == "top_type":
        key = draw(st.sampled_from(["name", "description", "extends", "deposits", "params", "powers"]))
        doc[key] = (
            draw(not_str) if key not in ("params", "powers") else draw(scalars | st.lists(st.integers(), max_size=2))
        )
        needles = (key,)
    elif kind == "param_unknown":
        key = draw(unknown_dotted)
        doc["params"], needles = {key: draw(scalars)}, (f"params.{key}", "unknown parameter")
    elif kind == "param_value":
        key = draw(param_keys)
        doc["params"], needles = {key: draw(bad_param_value(P.PARAMS[key]))}, (key,)
    elif kind == "extends_missing":
        name = "zz_" + draw(st.text(PLAIN, max_size=8))
        doc["extends"], needles = name, (name, "not found")
    elif kind == "extends_cycle":
        doc["extends"] = draw(st.sampled_from(["s.toml", "./s.toml", "t.toml"]))
        files["t.toml"] = 'extends = "s.toml"\n'
        needles = ("extends", "cycle")
    elif kind == "extends_bad":
        inner = draw(bad_scenario(nested=False, tables=tables, missing_parent=missing_parent))
        files = {f"p/{n}": t for n, t in inner.files.items()}
        doc["extends"], needles = f"p/{inner.main}", inner.needles
    elif kind == "deposits_missing":
        doc["deposits"], needles = "none_" + draw(st.text(PLAIN, max_size=6)) + ".csv", ("deposits", "not found")
    elif kind == "deposits_bad":
        files["t.csv"], needles = draw(bad_table())
        doc["deposits"], needles = "t.csv", ("t.csv", *needles)
    elif kind == "power_code":
        code = draw(
            st.sampled_from([*POWERS, "KZ", "PRIVATE", "gulf", "G", "TOOLONGCODE", "G1"])
            | st.text(string.ascii_letters + string.digits, min_size=1, max_size=10).filter(
                lambda c: not (c.isalpha() and c.isupper() and 2 <= len(c) <= 8)
            )
        )
        doc["powers"], needles = {code: {"budget_usd_m": 5}}, (f"powers.{code}",)
    elif kind == "power_field":
        field_ = draw(unknown_key(POWER_FIELDS))
        doc["powers"], needles = {"GULF": {field_: draw(scalars)}}, (f"powers.GULF.{field_}",)
    elif kind == "power_value":
        field_ = draw(st.sampled_from(POWER_FIELDS))
        doc["powers"] = {"GULF": {field_: draw(bad_param_value(P.PARAMS[f"jk.{field_}"]))}}
        needles = (f"powers.GULF.{field_}",)
    elif kind == "power_type":
        doc["powers"], needles = {"GULF": draw(scalars)}, ("powers.GULF",)
    text = to_toml(doc)
    if kind == "malformed":
        junk = draw(st.sampled_from(["[", "[[x", "= 1", "x = ", 'y = "open', "k = 1\nk = 2", "[params\n"]))
        text, needles = text + junk + "\n", ("malformed TOML",)
    if kind == "not_utf8":
        return Case(kind, main, {main: text.encode() + b"# \xff\xfe\n"}, (main, "not UTF-8"))
    where = () if kind in ("extends_missing", "extends_bad", "deposits_bad", "extends_cycle") else (main,)
    return Case(kind, main, {**files, main: text}, (*where, *needles))


def hostile_scenario(draw, kind: str, doc: dict) -> tuple[str, ...]:
    """Break a scenario ``doc`` with one of the families of issue 11; returns the needles."""
    field_ = draw(st.sampled_from([f for f in POWER_FIELDS if P.PARAMS[f"jk.{f}"].kind is float]))
    if kind == "dup_key":
        if draw(st.booleans()):  # [params] and [powers.GULF] both set gulf.<field>
            value = P.PARAMS[f"jk.{field_}"].default
            doc["powers"], doc["params"] = {"GULF": {field_: value}}, {f"gulf.{field_}": value}
            return (f"gulf.{field_}", "given twice")
        key = draw(param_keys)
        doc["params"] = {key: P.PARAMS[key].default} | nested(key, P.PARAMS[key].default)
        return (f"params.{key}", "given twice")
    if kind in ("huge_int", "date"):
        value, readable = draw(huge_ints()) if kind == "huge_int" else (Raw(draw(st.sampled_from(DATES))), True)
        if draw(st.booleans()):
            doc["powers"] = {"GULF": {field_: value}}
            return (f"powers.GULF.{field_}",) if readable else ("too long",)
        key = draw(numeric_keys)
        doc["params"] = {key: value}
        return (key,) if readable else ("too long",)
    if kind == "odd_key":
        key, place = draw(odd_keys), draw(st.sampled_from(["top", "params", "power", "field"]))
        table = {"top": doc, "params": doc.setdefault("params", {})}.get(place)
        if table is not None:
            table[key] = 1
        else:
            doc["powers"] = {key: {"budget_usd_m": 1.0}} if place == "power" else {"GULF": {key: 1.0}}
        return ()
    if draw(st.booleans()):  # deep
        doc["params"] = nested(".".join(["a"] * draw(st.integers(9, 60))), 1)
    else:
        doc["params"] = {draw(param_keys): deep_value(draw)}
    return ()


# --- running them ------------------------------------------------------------------------------------


def snapshot(folder: Path) -> list:
    return sorted((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*"))


class Runner:
    """Writes each case in its own folder and runs the command line on it; counts what it ran."""

    def __init__(self, tmp: Path, capsys, monkeypatch):
        self.tmp, self.capsys, self.n, self.kinds = tmp, capsys, 0, {}
        self.results = tmp / "sandbox" / "results"  # the default results folder, for this test
        monkeypatch.setattr(single, "RESULTS", self.results)
        monkeypatch.setattr(cli_module, "RESULTS", self.results)

    def folder(self, case: Case) -> Path:
        self.n += 1
        self.kinds[case.kind] = self.kinds.get(case.kind, 0) + 1
        folder = self.tmp / f"case{self.n}"
        folder.mkdir()
        for name, body in case.files.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(body, Special):
                os.mkfifo(target)
            else:
                target.write_bytes(body) if isinstance(body, bytes) else target.write_text(body)
        return folder

    def refused(self, folder: Path, argv: list[str], needles: tuple[str, ...]) -> None:
        before = snapshot(folder)
        code, out, err = run_cli(self.capsys, *argv)
        assert code == 2, (
            argv,
            code,
            out,
            err,
            {str(f): f.read_bytes()[:600] for f in folder.rglob("*") if f.is_file()},
        )
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "error:" in lines[0] and len(lines[0]) < 1500, err
        assert "Traceback" not in err + out and out == "", (out, err)
        for needle in needles:
            assert needle in lines[0], (needle, lines[0])
        assert snapshot(folder) == before, "a refused command wrote something"
        assert not self.results.exists(), "a refused command wrote into the results folder"


@pytest.fixture
def runner(tmp_path, capsys, monkeypatch):
    return Runner(tmp_path, capsys, monkeypatch)


EXPERIMENT_EXAMPLES = 240 * int(os.environ.get("FAULTS_SCALE", "1"))  # FAULTS_SCALE=40: a longer hunt
SCENARIO_EXAMPLES = 160 * int(os.environ.get("FAULTS_SCALE", "1"))


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_generated_bad_experiment_files(runner):
    @settings(max_examples=EXPERIMENT_EXAMPLES, **SETTINGS)
    @given(case=bad_experiment(), default_out=st.booleans())
    def check(case, default_out):
        folder = runner.folder(case)
        path = folder / case.main
        argv = ["experiment", str(path), "--workers", "1", "--quiet"]
        argv += [] if default_out else ["--out", str(folder / "out")]
        runner.refused(folder, argv, case.needles)

    check()
    assert runner.n >= EXPERIMENT_EXAMPLES and len(runner.kinds) >= 30, runner.kinds
    assert not runner.results.exists()
    print(f"\n{runner.n} bad experiment files, {len(runner.kinds)} kinds: {runner.kinds}")


def test_generated_bad_scenario_files(runner):
    @settings(max_examples=SCENARIO_EXAMPLES, **SETTINGS)
    @given(case=bad_scenario(), command=st.sampled_from(["check", "run", "run --out"]))
    def check(case, command):
        folder = runner.folder(case)
        path = folder / case.main
        argv = ["check", str(path)] if command == "check" else ["run", "--scenario", str(path), "--steps", "2"]
        argv += ["--out", str(folder / "out")] if command == "run --out" else []
        runner.refused(folder, argv, case.needles)

    check()
    assert runner.n >= SCENARIO_EXAMPLES and len(runner.kinds) >= 12, runner.kinds
    assert not runner.results.exists()
    print(f"\n{runner.n} bad scenario files, {len(runner.kinds)} kinds: {runner.kinds}")


HUGE, HUGER = "9" * 400, "9" * 5000  # within and beyond the digits Python reads
BAD_ARGS = [
    ["experiment", "{exp}", "--workers", "0"],
    ["experiment", "{exp}", "--workers", "two"],
    ["experiment", "{exp}", "--workers", "100000"],
    ["experiment", "{exp}", "--workers", HUGE],
    ["experiment", "{exp}", "--limit", "-3"],
    ["experiment", "{exp}", "--limit", HUGER],
    ["experiment", "{exp}", "--dask", "scheduler:8786"],
    ["experiment", "no_such_experiment"],
    ["experiment", "e" * 300 + ".toml"],
    ["experiment", "{exp}", "--out", "{file}"],
    ["experiment", "{exp}", "--out", "."],
    ["experiment", "{exp}", "--out", "{file}/sub"],
    ["run", "--seed", "-1"],
    ["run", "--seed", str(2**63)],
    ["run", "--seed", HUGE],
    ["run", "--seed", HUGER],
    ["run", "--steps", "0"],
    ["run", "--steps", "1001"],
    ["run", "--steps", HUGER],
    ["run", "--scenario", "no_such_scenario"],
    ["run", "--scenario", "s" * 300 + ".toml"],
    ["run", "--name", ""],
    ["run", "--name", "n" * 300],
    ["run", "--out", "."],
    ["run", "--out", ".."],
    ["run", "--out", "{folder}/.."],
    ["run", "--out", "{file}"],
    ["run", "--out", "{file}/sub"],
    ["run", "--out", "{folder}/" + "o" * 300],
    ["run", "--set", "eu.trust0=" + HUGER],
    ["run", "--set", "eu.trust0=" + HUGE],
    ["run", "--bogus\nline"],
    ["check", "no_such_scenario"],
    ["check", "c" * 300],
    ["report", "{missing}"],
    ["validate", "--seeds", HUGE],
    ["validate", "--doc", "{missing}"],
    ["validate", "--doc", "{file}"],  # no markers: refused before any seed runs
    ["validate", "--doc", "{folder}"],
    ["findings", "--doc", "{missing}"],
    ["frobnicate"],
    ["frob\x1b[31mnicate"],
]


@pytest.mark.parametrize("argv", BAD_ARGS, ids=lambda a: " ".join(a)[:40])
def test_bad_command_lines(runner, argv):
    folder = runner.folder(Case("argv", "exp.toml", {"exp.toml": to_toml(base_experiment()), "file": "x"}))
    subs = {"{exp}": "exp.toml", "{file}": "file", "{missing}": "nope", "{folder}": ""}

    def fill(arg: str) -> str:
        for key, name in subs.items():
            arg = arg.replace(key, str(folder / name) if name else str(folder))
        return arg

    runner.refused(folder, [fill(a) for a in argv], ())


DEEP = [
    "[params." + "a." * 3000 + "b]\nc = 1\n",  # a table 3000 deep (TOML reads it without recursion)
    '[params]\n"eu.trust0" = ' + "[" * 5000 + "]" * 5000 + "\n",
    '[params]\n"eu.trust0" = ' + "[" * 400 + "]" * 400 + "\n",  # deep, yet within what TOML reads
    "[params]\nx = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n",
]


@pytest.mark.parametrize("fragment", DEEP, ids=["table", "array", "array_400", "inline"])
def test_keys_and_arrays_nested_thousands_deep(runner, fragment):
    for command, text in (("check", fragment), ("experiment", to_toml(base_experiment()) + fragment)):
        folder = runner.folder(Case("deep", "f.toml", {"f.toml": text}))
        runner.refused(folder, [command, str(folder / "f.toml")], ("f.toml",))


def test_huge_numbers_in_a_shock_are_one_line(runner):
    """A 400-digit integer as a shock's year or factor is out of range, not an overflow."""
    for field_ in ("year", "factor"):
        shock = {"kind": "price", "commodity": "copper", "factor": 2.0, "year": 2030} | {field_: Raw(HUGE)}
        folder = runner.folder(Case("shock", "s.toml", {"s.toml": to_toml({}) + "[[shocks]]\n" + to_toml(shock)}))
        runner.refused(folder, ["check", str(folder / "s.toml")], (f"shocks[0].{field_}",))


def test_an_experiment_scenario_with_a_missing_parent(runner):
    case = Case("parent", "exp.toml", {"scn/s.toml": 'extends = "zz_nowhere"\n', "exp.toml": ""})
    case.files["exp.toml"] = to_toml(base_experiment() | {"scenario": "scn/s.toml"})
    folder = runner.folder(case)
    runner.refused(folder, ["experiment", str(folder / "exp.toml"), "--out", str(folder / "out")], ("zz_nowhere",))


def test_a_deposit_path_that_is_a_folder(runner):
    case = Case("folder", "s.toml", {"s.toml": '[params]\n"run.deposits" = "."\n'})
    folder = runner.folder(case)
    runner.refused(folder, ["check", str(folder / "s.toml")], ("run.deposits",))


THROUGH_RUN_PY = {
    "experiment: unsafe name": (
        "experiment",
        "exp.toml",
        {"exp.toml": 'name = "../../outside"\n[design]\nmethod = "factorial"\n[design.factors]\n"eu.trust0" = [0.5]\n'},
        ("exp.toml", "name"),
    ),
    "experiment: malformed": ("experiment", "exp.toml", {"exp.toml": "steps = [\n"}, ("exp.toml", "malformed TOML")),
    "experiment: not UTF-8": (
        "experiment",
        "exp.toml",
        {"exp.toml": b"steps = 4\n# \xff\n"},
        ("exp.toml", "not UTF-8"),
    ),
    "experiment: sobol samples": (
        "experiment",
        "exp.toml",
        {"exp.toml": to_toml(base_experiment() | {"design": ranged("sobol", 6)})},
        ("design.samples", "power of 2"),
    ),
    "scenario: power code": ("check", "s.toml", {"s.toml": "[powers.eu]\nbudget_usd_m = 1\n"}, ("s.toml", "powers.eu")),
    "scenario: deposit table": (
        "check",
        "s.toml",
        {"s.toml": 'deposits = "t.csv"\n', "t.csv": csv_text([deposit_row(lat="99")])},
        ("t.csv", "row 2 column"),
    ),
    "scenario: extends cycle": (
        "run",
        "s.toml",
        {"s.toml": 'extends = "t.toml"\n', "t.toml": 'extends = "s.toml"\n'},
        ("extends", "cycle"),
    ),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", THROUGH_RUN_PY)
def test_bad_files_through_run_py(tmp_path, name):
    """A handful end to end: a real interpreter, real argv, real exit status."""
    command, main, files, needles = THROUGH_RUN_PY[name]
    for fname, body in files.items():
        (tmp_path / fname).write_bytes(body) if isinstance(body, bytes) else (tmp_path / fname).write_text(body)
    argv = {"experiment": ["experiment"], "check": ["check"], "run": ["run", "--scenario"]}[command]
    argv += [str(tmp_path / main)] + (["--out", str(tmp_path / "out")] if command != "check" else [])
    before = snapshot(tmp_path)
    proc = subprocess.run(
        [sys.executable, "run.py", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("run.py: error: ") and proc.stdout == ""
    for needle in needles:
        assert needle in proc.stderr, (needle, proc.stderr)
    assert snapshot(tmp_path) == before

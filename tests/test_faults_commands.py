"""Generated bad input to the commands, by root cause: shocks that cannot act in their run, --where conditions
that reach beyond the runs table, places calibrate cannot write, and a stdout that fills up. Each is one line
naming what is wrong; nothing is half-written; no code a user typed is run.
"""

from __future__ import annotations

import errno
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments.cli import analysis_cli
from experiments.science import calibrate, conditions
from model.deposit_load import table_ids
from model.errors import InputError
from tests.cli_helpers import run_cli
from tests.test_faults_inputs import PLAIN, SETTINGS, Case, Runner, Special, to_toml

SCALE = int(os.environ.get("FAULTS_SCALE", "1"))


@pytest.fixture
def runner(tmp_path, capsys, monkeypatch):
    return Runner(tmp_path, capsys, monkeypatch)


# --- shocks that cannot act in their run ---------------------------------------------------------------

IDS = table_ids("data/deposits.csv")


@st.composite
def idle_shock(draw) -> tuple[dict, str]:
    """A shock dated before the run's first quarter, or a divestment naming a deposit its table lacks."""
    kind = draw(st.sampled_from(["sanctions", "price", "export_control", "divestment"]))
    shock = {"kind": kind, "year": 2030, "quarter": 1}
    shock |= {"sanctions": {"power": "RU"}, "price": {"commodity": "copper", "factor": 2.0}}.get(kind, {})
    shock |= {"export_control": {"commodity": "uranium", "power": "CN"}}.get(kind, {})
    if kind == "divestment":
        shock |= {"power": "RU", "deposits": ["zarechnoye"]}
        if draw(st.booleans()):
            bad = draw(st.text(PLAIN, min_size=1, max_size=12).filter(lambda t: t not in IDS))
            shock["deposits"] = draw(st.permutations([*shock["deposits"], bad]))
            return shock, "deposits"
    shock["year"], shock["quarter"] = draw(st.integers(1990, 2025)), draw(st.integers(1, 4))
    return shock, "year"


def test_generated_shocks_that_cannot_act_in_their_run(runner):
    @settings(max_examples=30 * SCALE, **SETTINGS)
    @given(shock_field=idle_shock(), shocks_before=st.integers(0, 2))
    def check(shock_field, shocks_before):
        shock, field_ = shock_field
        fine = {"kind": "price", "commodity": "zinc", "factor": 1.5, "year": 2040}
        text = 'extends = "baseline"\n' + "".join("[[shocks]]\n" + to_toml(s) for s in [fine] * shocks_before + [shock])
        folder = runner.folder(Case("shock", "s.toml", {"s.toml": text}))
        runner.refused(folder, ["check", str(folder / "s.toml")], ("s.toml", f"shocks[{shocks_before}].{field_}"))

    check()


# --- --where ---------------------------------------------------------------------------------------------

RUNS = pd.DataFrame({"x": [0.1, 0.5, 0.9, np.nan], "y": [3, 1, 2, 5], "ok": [True, False, True, False]})
leaf = st.sampled_from(["x", "y"]) | st.floats(-2, 5, allow_nan=False).map(lambda v: f"{v:g}")
comparison = st.builds("{} {} {}".format, leaf, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), leaf)


def allowed(depth: int = 2):
    """Conditions of the grammar: comparisons joined by and, or, not, &, |, ~, in parentheses."""
    base = comparison | st.just("ok")
    if depth == 0:
        return base
    inner = allowed(depth - 1)
    return (
        base
        | st.builds("({}) {} ({})".format, inner, st.sampled_from(["and", "or", "&", "|"]), inner)
        | (st.builds("not ({})".format, inner) | st.builds("~({})".format, inner))
    )


def python(condition: str) -> str:
    """The same condition in plain Python, evaluated row by row as the reference (operands of &, | and ~ are
    always in parentheses here, so and, or and not mean the same)."""
    return condition.replace(" & ", " and ").replace(" | ", " or ").replace("~(", "not (")


FORBIDDEN = st.sampled_from(
    [
        "@canary",
        "x.__class__",
        "__import__('os').system('touch PWNED')",
        "x + 1 > 2",
        "x[0] > 1",
        "(lambda: 1)() == 1",
        "x if y else x",
        "'a' == 'a'",
        "[x][0] < 1",
        "{1: x}[1] < 1",
        "x < 1 and open('PWNED', 'w')",
        "y ** 2 > 1",
        "-x < 0",
        "x == True",
        "canary",
    ]
)


def test_generated_where_conditions_evaluate_as_pandas_does_or_are_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    canary = "a local variable pandas' eval would have reached"  # noqa: F841 (the bait)

    @settings(max_examples=80 * SCALE, **SETTINGS)
    @given(good=allowed(), bad=FORBIDDEN, glue=st.sampled_from(["{} and {}", "{} or {}", "not {}", "{}"]))
    def check(good, bad, glue):
        expected = [bool(eval(python(good), {"__builtins__": {}}, row)) for row in RUNS.to_dict("records")]
        assert (conditions.evaluate(good, RUNS) == expected).all(), good
        text = glue.format(f"({good})", f"({bad})") if glue.count("{}") == 2 else glue.format(f"({bad})")
        with pytest.raises(InputError) as err:
            conditions.evaluate(text, RUNS)
        assert str(err.value).startswith("--where: ") and "\n" not in str(err.value)
        assert not (tmp_path / "PWNED").exists()

    check()


# --- where calibrate writes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "place", ["posterior folder", "posterior fifo", "posterior under a file", "doc folder", "dots"]
)
def test_calibrate_refuses_a_place_it_cannot_write_before_any_particle(runner, monkeypatch, place):
    monkeypatch.setattr(calibrate, "pool", lambda *_, **__: pytest.fail("calibrate ran before checking its outputs"))
    monkeypatch.setattr(analysis_cli, "RESULTS", runner.results)
    folder = runner.folder(Case("calibrate", "doc.md", {"doc.md": "x", "file": "x", "fifo": Special("fifo")}))
    doc, posterior = folder / "doc.md", folder / "post.csv"
    doc.write_text((analysis_cli.DOCS / "validation.md").read_text(encoding="utf-8"))
    target = {
        "posterior folder": ("--posterior", folder),
        "posterior fifo": ("--posterior", folder / "fifo"),
        "posterior under a file": ("--posterior", folder / "file" / "post.csv"),
        "doc folder": ("--doc", folder),
        "dots": ("--posterior", folder / ".."),
    }[place]
    argv = {"--doc": str(doc), "--posterior": str(posterior)} | {target[0]: str(target[1])}
    runner.refused(folder, ["calibrate", *(x for kv in argv.items() for x in kv)], (target[0],))


# --- a stdout that fills up ------------------------------------------------------------------------------


class FullStdout:
    """stdout on a disk that fills up after ``room`` writes."""

    def __init__(self, room: int):
        self.room = room

    def write(self, text: str) -> int:
        self.room -= 1
        if self.room < 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        return len(text)

    def flush(self) -> None:
        if self.room < 0:
            raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("room", [0, 1])  # full from the start, or after the first write
@pytest.mark.parametrize("command", ["run", "check", "scenarios", "experiment"])
def test_results_written_while_stdout_is_full_are_reported_as_written(tmp_path, capsys, monkeypatch, command, room):
    out = tmp_path / "out"
    argv = {
        "run": ["run", "--steps", "2", "--out", str(out)],
        "check": ["check", "baseline"],
        "scenarios": ["scenarios"],
        "experiment": ["experiment", "policy_mix", "--dry-run", "--out", str(out)],
    }[command]
    monkeypatch.setattr("sys.stdout", FullStdout(room))
    code, _, err = run_cli(capsys, *argv)
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and "Traceback" not in err, err
    assert "stdout: cannot write (No space left on device)" in lines[0] and "results are written" in lines[0]
    assert (out / "series.parquet").is_file() == (command == "run")

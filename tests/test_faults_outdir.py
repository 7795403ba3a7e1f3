"""Results folders: written only where the command may, whole at every instant, with the usual modes.

The family: each state a results folder can be in (missing, empty, a file, a FIFO, a link, the user's files,
another command's results, ours with a file added, ours from before markers existed, a path ending in '.' or
'..', a name too long, a parent that is a file), for each command that writes one (``run``, ``report``,
``experiment``). Each is either written whole, or refused with one line and left exactly as it was. Then the
cases of issue 11 end to end, kills at every instant of a replace, the umask, two commands on one folder at
once, and a disk that fills up.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.cli import main as cli_module
from experiments.runner import batch, design, single
from experiments.safe_io import atomic, outdir, store
from experiments.science import report
from tests.cli_helpers import assert_one_line_error, run_cli
from tests.experiment_text import small_experiment

ROOT = Path(__file__).resolve().parent.parent
EXP = small_experiment("outdir", steps=4, replicates=2, seed=1, deposits=20, years="")
COMMANDS = {"run": single.COMMAND, "report": report.COMMAND, "experiment": batch.COMMAND}
STATES = (
    "missing",
    "empty",
    "user_files",
    "file",
    "fifo",
    "link",
    "dangling_link",
    "other_command",
    "ours",
    "ours_plus_user",
    "legacy",
    "dot_path",
    "long_name",
    "under_file",
)
ALLOWED = {
    "run": {"missing", "empty", "ours", "legacy"},
    "report": {"missing", "empty", "ours", "legacy"},
    "experiment": {"missing", "empty", "ours", "link"},  # an experiment writes into a linked folder, never replaces it
}
LEGACY = {"run": ["parameters.json", "summary.txt"], "report": ["report.md", "a.png"], "experiment": ["x.csv"]}
RESERVED = {".", "..", outdir.MARKER, batch.LOCK, "design.parquet", "ours.txt", "report.md", *single.FILES}
file_names = st.text(st.characters(codec="utf-8", exclude_characters="/\0"), min_size=1, max_size=20).filter(
    lambda n: n not in RESERVED and not n.endswith(".tmp")
)


def snapshot(folder: Path) -> list:
    return sorted((str(p.relative_to(folder)), p.lstat().st_mtime_ns) for p in folder.rglob("*"))


def make_state(base: Path, command: str, state: str, names: list[str]) -> Path:
    """A folder in ``state`` under ``base``; returns the path the command is given."""
    path = base / "res"
    if state == "missing":
        return path
    if state in ("dot_path", "long_name", "under_file"):
        (base / "f").write_text("mine")
        return {"dot_path": base / "sub" / "..", "long_name": base / ("n" * 300), "under_file": base / "f" / "res"}[
            state
        ]
    if state == "file":
        path.write_text("mine")
    elif state == "fifo":
        os.mkfifo(path)
    elif state in ("link", "dangling_link"):
        (base / "elsewhere").mkdir()
        path.symlink_to(base / ("elsewhere" if state == "link" else "nowhere"))
    else:
        path.mkdir()
    mine = {"user_files": names, "ours_plus_user": names, "legacy": LEGACY[command]}.get(state, [])
    for name in mine:
        (path / name).write_text("mine")
    if state in ("other_command", "ours", "ours_plus_user"):
        who = (
            COMMANDS[command]
            if state != "other_command"
            else next(c for c in COMMANDS.values() if c != COMMANDS[command])
        )
        ours = "design.parquet" if who == batch.COMMAND else "ours.txt"  # what a batch killed while starting leaves
        (path / ours).write_text("ours")
        outdir.write_marker(path, who, [ours] if who != batch.COMMAND else None)
    return path


def may_write(command: str, path: Path, exp: design.Experiment) -> None:
    """The check each command makes before writing (InputError if it may not)."""
    if command == "run":
        single.check_out(path)
    elif command == "report":
        outdir.check(path, report.COMMAND, "--out", report._legacy)
    else:
        batch.check_out_dir(exp, path)


@pytest.fixture(scope="module")
def exp(tmp_path_factory):
    path = tmp_path_factory.mktemp("exp") / "exp.toml"
    path.write_text(textwrap.dedent(EXP))
    return design.load(path)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    command=st.sampled_from(sorted(COMMANDS)),
    state=st.sampled_from(STATES),
    names=st.lists(file_names, min_size=1, max_size=3),
)
def test_every_folder_state_is_written_whole_or_refused_untouched(tmp_path_factory, exp, command, state, names):
    base = tmp_path_factory.mktemp("state")
    path = make_state(base, command, state, names)
    before = snapshot(base)
    try:
        may_write(command, path, exp)
    except outdir.InputError as exc:
        assert state not in ALLOWED[command], (command, state, str(exc))
        assert "\n" not in str(exc) and "--out" in str(exc)
        assert snapshot(base) == before
        return
    assert state in ALLOWED[command], (command, state)
    if command == "experiment":
        return
    legacy = {"run": single._legacy, "report": report._legacy}[command]
    outdir.write_folder(path, COMMANDS[command], lambda tmp: (tmp / "new.txt").write_text("new"), legacy=legacy)
    assert sorted(p.name for p in path.iterdir()) == sorted(["new.txt", outdir.MARKER])
    assert not [p for p in base.iterdir() if p.name.startswith(".")], "a temporary folder was left"


# --- the cases of issue 11, end to end ------------------------------------------------------------------


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(single, "RESULTS", tmp_path / "results")
    monkeypatch.setattr(cli_module, "RESULTS", tmp_path / "results")
    return tmp_path


def test_run_never_replaces_what_it_did_not_write(sandbox, capsys):
    (sandbox / "x").mkdir()
    (sandbox / "x" / "thesis.tex").write_text("a")
    (sandbox / "notes.txt").write_text("n")
    (sandbox / "results" / "some_experiment").mkdir(parents=True)
    before = snapshot(sandbox)
    for out, needle in (("x", "thesis.tex"), ("notes.txt", "is a file"), ("results", "some_experiment")):
        code, stdout, err = run_cli(capsys, "run", "--steps", "4", "--out", out)
        assert_one_line_error(code, err, out, "--out", needle)
        assert stdout == ""
    assert snapshot(sandbox) == before  # nothing renamed (no .notes.txt.old), nothing deleted
    code, _, err = run_cli(capsys, "run", "--steps", "2", "--out", "r")  # then ours is replaced at will
    assert code == 0 and run_cli(capsys, "run", "--steps", "2", "--out", "r")[0] == 0
    assert (sandbox / "r" / outdir.MARKER).is_file()


def test_report_never_replaces_what_it_did_not_write(sandbox, capsys, exp):
    folder = sandbox / "F"
    batch.run_experiment(exp, design.expand(exp), folder)
    papers = sandbox / "papers"
    papers.mkdir()
    (papers / "draft.md").write_text("mine")
    before = snapshot(sandbox)
    for dest, needle in ((folder, "results of run.py experiment"), (papers, "draft.md")):
        code, _, err = run_cli(capsys, "report", str(folder), "--out", str(dest))
        assert_one_line_error(code, err, str(dest), "--out", needle)
    assert snapshot(sandbox) == before


def test_a_results_name_from_a_scenario_file_is_blamed_on_that_file(sandbox, capsys):
    (sandbox / "s.toml").write_text('name = "../x"\n')
    code, _, err = run_cli(capsys, "run", "--scenario", str(sandbox / "s.toml"), "--steps", "1")
    assert_one_line_error(code, err, "s.toml", "name")
    assert "--name" not in err and not (sandbox / "results").exists() and not (sandbox.parent / "x").exists()


# --- a kill at any instant of a replace -----------------------------------------------------------------


def _write(folder: Path, text: str, fail: bool = False) -> None:
    def fill(tmp: Path) -> None:
        (tmp / "summary.txt").write_text(text)
        if fail:
            raise RuntimeError("fill failed")

    outdir.write_folder(folder, single.COMMAND, fill)


def _content(folder: Path) -> str | None:
    return (folder / "summary.txt").read_text() if folder.exists() else None


KILLED_REPLACE = """
import os, signal, sys
from experiments.safe_io import atomic, outdir
from experiments.runner import single
op, nth, after, folder = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "after", sys.argv[4]
module = os if op == "rename" else atomic.shutil
real, calls = getattr(module, op), [0]
def dying(*args, **kwargs):
    calls[0] += 1
    if calls[0] == nth and not after:
        os.kill(os.getpid(), signal.SIGKILL)
    result = real(*args, **kwargs)
    if calls[0] == nth and after:
        os.kill(os.getpid(), signal.SIGKILL)
    return result
setattr(module, op, dying)
outdir.write_folder(atomic.Path(folder), single.COMMAND, lambda tmp: (tmp / "summary.txt").write_text("new"))
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("op", "nth", "when"),
    [("rename", 1, "before"), ("rename", 1, "after"), ("rename", 2, "after"), ("rmtree", 1, "before"),
     ("rmtree", 1, "after")],
)  # fmt: skip
def test_a_kill_at_any_instant_of_a_replace_loses_neither_folder(tmp_path, op, nth, when):
    """SIGKILL before or after each step of swapping a folder in; the next command puts back what was aside."""
    folder = tmp_path / "res"
    _write(folder, "old")
    proc = subprocess.run([sys.executable, "-c", KILLED_REPLACE, op, str(nth), when, str(folder)], cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL, "the kill point was not reached"
    aside = [p for p in tmp_path.iterdir() if p.name.startswith(".res.old-")]
    assert _content(folder) in ("old", "new") or (_content(folder) is None and aside)
    with pytest.raises(RuntimeError):  # the next replace restores first, even though it then fails
        _write(folder, "newer", fail=True)
    assert _content(folder) in ("old", "new")
    _write(folder, "newest")
    assert _content(folder) == "newest" and sorted(p.name for p in tmp_path.iterdir()) == ["res"]


def test_what_a_kill_between_the_renames_leaves_is_put_back(tmp_path):
    """The state of the slow test's worst instant, made by hand: the old folder aside, the new one unfinished."""
    folder = tmp_path / "res"
    _write(folder, "old")
    folder.rename(tmp_path / ".res.old-0123abcd")
    (tmp_path / ".res.new-k1ll3d_x").mkdir()
    with pytest.raises(RuntimeError):
        _write(folder, "newer", fail=True)
    assert _content(folder) == "old" and sorted(p.name for p in tmp_path.iterdir()) == ["res"]


# --- modes -------------------------------------------------------------------------------------------------


def test_results_respect_the_umask(sandbox, capsys, monkeypatch, exp):
    old = os.umask(0o027)
    monkeypatch.setattr(atomic, "UMASK", 0o027)  # as if read at import under this umask
    try:
        assert run_cli(capsys, "run", "--steps", "2", "--out", "r")[0] == 0
        batch.run_experiment(exp, design.expand(exp), sandbox / "e")
    finally:
        os.umask(old)
    paths = list(sandbox.rglob("*"))
    assert {oct(p.stat().st_mode & 0o777) for p in paths if p.is_dir()} == {"0o750"}
    assert {oct(p.stat().st_mode & 0o777) for p in paths if p.is_file()} == {"0o640"}


# --- two commands on one folder at once -----------------------------------------------------------------


def test_a_folder_taken_while_a_run_ran_is_not_replaced(sandbox, capsys, monkeypatch):
    """The check is made again under the lock at the moment of writing."""
    real = cli_module.run_model

    def meanwhile(*args):
        (sandbox / "x").mkdir()
        (sandbox / "x" / "theirs.txt").write_text("theirs")
        return real(*args)

    monkeypatch.setattr(cli_module, "run_model", meanwhile)
    code, _, err = run_cli(capsys, "run", "--steps", "2", "--out", "x")
    assert_one_line_error(code, err, "x", "--out", "theirs.txt")
    assert sorted(p.name for p in sandbox.iterdir()) == ["x"] and os.listdir(sandbox / "x") == ["theirs.txt"]


def test_two_experiments_started_on_one_folder_are_never_mixed(sandbox, capsys, monkeypatch):
    """Issue 11, item 2: b starts (its backend is slow to start), a runs the whole batch meanwhile; b must not
    then write its manifest over a's rows."""
    a, b = sandbox / "a.toml", sandbox / "b.toml"
    a.write_text(textwrap.dedent(EXP))
    b.write_text(textwrap.dedent(EXP).replace("seed = 1", "seed = 2"))
    out = sandbox / "X"

    class SlowStart(batch.Serial):
        started = False

        def __enter__(self):
            if not SlowStart.started:  # the other batch runs while this one starts
                SlowStart.started = True
                exp_a = design.load(a)
                batch.run_experiment(exp_a, design.expand(exp_a), out)
            return self

    monkeypatch.setattr(batch, "Serial", SlowStart)
    code, stdout, err = run_cli(capsys, "experiment", str(b), "--out", str(out), "--workers", "1", "--quiet")
    assert_one_line_error(code, err, str(b), "seed", "differs")
    assert "12 runs" in stdout  # the design line, on stdout: the error is the only line on stderr
    manifest, runs = batch.read_manifest(out), batch.load_runs(out)
    assert manifest["spec"]["seed"] == 1 and set(runs["seed"]) == set(design.seeds(1, 2)) and len(runs) == 12


# --- a full disk --------------------------------------------------------------------------------------------

ENOSPC = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_while_writing_a_run_is_one_line_and_keeps_the_old_results(sandbox, capsys, monkeypatch):
    assert run_cli(capsys, "run", "--steps", "2", "--out", "r")[0] == 0
    before = snapshot(sandbox)
    monkeypatch.setattr(single, "_chart", lambda *a: (_ for _ in ()).throw(ENOSPC))
    code, _, err = run_cli(capsys, "run", "--steps", "2", "--out", "r")
    assert_one_line_error(code, err, "r", "--out", "No space left on device")
    assert snapshot(sandbox) == before


def test_a_full_disk_mid_batch_is_one_line_and_the_batch_resumes(sandbox, capsys, monkeypatch):
    path = sandbox / "exp.toml"
    path.write_text(textwrap.dedent(EXP).replace("flush_every = 4", "flush_every = 2"))
    argv = ["experiment", str(path), "--out", str(sandbox / "out"), "--workers", "1", "--quiet"]
    real, calls = store.write_atomic, [0]

    def filling(target, write):
        calls[0] += target.parent.name == "runs"
        if calls[0] >= 3 and target.parent.name == "runs":
            raise ENOSPC
        return real(target, write)

    monkeypatch.setattr(store, "write_atomic", filling)
    code, _, err = run_cli(capsys, *argv)
    assert_one_line_error(code, err, "out", "No space left on device", "4 of 12 runs on disk", "resume")
    monkeypatch.setattr(store, "write_atomic", real)
    code, stdout, _ = run_cli(capsys, *argv)
    assert code == 0 and "8 runs this session (4 already on disk)" in stdout
    exp = design.load(path)
    batch.run_experiment(exp, design.expand(exp), sandbox / "ref")
    columns = ["run", "seed", "capacity_share_eu", "trust_eu"]
    pd.testing.assert_frame_equal(batch.load_runs(sandbox / "out")[columns], batch.load_runs(sandbox / "ref")[columns])


def test_an_unwritable_place_is_one_line(sandbox, capsys, exp):
    batch.run_experiment(exp, design.expand(exp), sandbox / "F")
    before = snapshot(sandbox)
    for argv in (
        ["run", "--steps", "1", "--out", "/proc/x"],
        ["report", str(sandbox / "F"), "--out", "/proc/x"],
        ["experiment", str(exp.path), "--out", "/proc/x", "--workers", "1"],
    ):
        code, _, err = run_cli(capsys, *argv)
        assert_one_line_error(code, err, "/proc/x", "--out")
    assert snapshot(sandbox) == before


def _popen(*argv: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "run.py", *argv], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


@pytest.mark.slow
def test_two_runs_on_one_folder_at_once_leave_one_whole_result(tmp_path):
    out = tmp_path / "X"
    procs = [_popen("run", "--steps", "8", "--seed", str(seed), "--out", str(out)) for seed in (1, 2, 3)]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _ in results), results
    seed = json.loads((out / "parameters.json").read_text())["seed"]
    assert f"seed {seed}" in (out / "summary.txt").read_text()  # one run's files, not a mix
    assert sorted(p.name for p in out.iterdir()) == sorted([*single.FILES, outdir.MARKER])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["X"]


@pytest.mark.slow
def test_two_experiments_started_on_one_folder_at_once_are_never_mixed(tmp_path):
    """Issue 11, item 2, as reported: b on a slow-starting LocalCluster, a started meanwhile on the same folder."""
    a, b, out = tmp_path / "a.toml", tmp_path / "b.toml", tmp_path / "X"
    a.write_text(textwrap.dedent(EXP))
    b.write_text(textwrap.dedent(EXP).replace("seed = 1", "seed = 2"))
    slow = _popen("experiment", str(b), "--dask", "local", "--workers", "2", "--out", str(out), "--quiet")
    time.sleep(0.5)
    fast = _popen("experiment", str(a), "--workers", "1", "--out", str(out), "--quiet")
    codes = sorted((slow.wait(timeout=180), fast.wait(timeout=180)))
    assert codes == [0, 2], (slow.stderr.read(), fast.stderr.read())
    seed = batch.read_manifest(out)["spec"]["seed"]
    assert set(batch.load_runs(out)["seed"]) == set(design.seeds(seed, 2))

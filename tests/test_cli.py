"""The command line: the first run, and bad arguments (exit 2, one line, nothing written)."""

import subprocess
import sys

import pytest

from experiments.cli import main as cli_module
from experiments.runner import single
from experiments.safe_io import schema
from model.scenario import ROOT
from tests.cli_helpers import assert_one_line_error, run_cli


def test_run_writes_every_result(capsys, tmp_path):
    out = tmp_path / "res"
    code, stdout, _ = run_cli(
        capsys, "run", "--scenario", "baseline", "--seed", "3", "--steps", "12", "--out", str(out)
    )
    assert code == 0
    assert "equity share of capacity in operation" in stdout and "missed windows" in stdout
    for name in single.FILES:
        assert (out / name).is_file(), name
    ts = schema.read(out / "timeseries.parquet")
    assert len(ts) == 13 and str(ts["quarter"].iloc[-1]) == "2028Q4" and set(ts["seed"]) == {3}
    meta = (out / "parameters.json").read_text()
    assert '"seed": 3' in meta and '"git_revision"' in meta and '"mesa"' in meta
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no temporary left


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["run", "--steps", "0"], ["--steps", "1 to 1000"]),
        (["run", "--steps", "ten"], ["--steps", "invalid integer"]),
        (["run", "--seed", "-4"], ["--seed", "allowed"]),
        (["run", "--scenario", "nosuch"], ["nosuch", "valid names", "baseline"]),
        (["run", "--name", "../escape"], ["--name", "no path separators"]),
        (["run", "--bogus"], ["unrecognized arguments", "--bogus"]),
        (["frobnicate"], ["invalid choice", "frobnicate"]),
    ],
)
def test_bad_arguments(capsys, tmp_path, monkeypatch, argv, needles):
    monkeypatch.chdir(tmp_path)
    code, _out, err = run_cli(capsys, *argv)
    assert_one_line_error(code, err, *needles)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow  # seconds: runs in the full suite (CI), not the quick one
def test_python_run_py_end_to_end_exit_code(tmp_path):
    proc = subprocess.run([sys.executable, "run.py", "run", "--steps", "0"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    proc = subprocess.run(
        [sys.executable, "run.py", "run", "--steps", "4", "--out", str(tmp_path / "r")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        umask=0o027,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "r" / "events.csv").is_file()
    # the umask holds everywhere (the folder used to get mkdtemp's private 0700)
    assert {oct(p.stat().st_mode & 0o777) for p in (tmp_path / "r").iterdir()} == {"0o640"}
    assert oct((tmp_path / "r").stat().st_mode & 0o777) == "0o750"


@pytest.mark.parametrize("where", ["run_model", "_chart"])
def test_ctrl_c_during_a_run_is_one_line_and_leaves_the_old_results(capsys, tmp_path, monkeypatch, where):
    out = tmp_path / "r"
    assert run_cli(capsys, "run", "--steps", "2", "--out", str(out))[0] == 0
    before = sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    module = cli_module if where == "run_model" else single
    monkeypatch.setattr(module, where, lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    code, _, err = run_cli(capsys, "run", "--steps", "2", "--out", str(out))
    assert code == 130 and err.strip() == "run.py: run: interrupted"
    assert sorted((p.name, p.stat().st_mtime_ns) for p in tmp_path.rglob("*")) == before

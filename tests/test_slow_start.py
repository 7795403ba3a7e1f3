"""A run still going after a few seconds says why on stderr (a fresh checkout compiles the kernels); a quick one
says nothing."""

import functools
import io
import time

from experiments.cli import main as cli_module
from experiments.cli import slow_start
from tests.cli_helpers import run_cli


def test_a_slow_block_is_noticed_once_and_a_quick_one_not_at_all():
    slow, quick = io.StringIO(), io.StringIO()
    with slow_start.notice(0.05, "slow", slow):
        time.sleep(0.4)
    with slow_start.notice(0.2, "quick", quick):
        pass
    time.sleep(0.4)  # past the quick block's threshold: its timer was cancelled when the block ended
    assert slow.getvalue() == "slow\n"
    assert quick.getvalue() == ""


def test_the_run_command_says_why_a_slow_start_is_slow(capsys, tmp_path, monkeypatch):
    real = cli_module.run_model

    def slow_run(*args):  # as a first run, which compiles the kernels before its first quarter
        time.sleep(0.4)
        return real(*args)

    monkeypatch.setattr(cli_module, "run_model", slow_run)
    monkeypatch.setattr(slow_start, "notice", functools.partial(slow_start.notice, 0.05))
    code, out, err = run_cli(capsys, "run", "--steps", "2", "--out", str(tmp_path / "res"))
    assert code == 0 and "wrote" in out
    assert err.strip() == slow_start.FIRST_RUN  # once, on stderr: stdout stays the summary

"""docs/python.md runs as it stands, top to bottom, with the sizes of its first line made small."""

from __future__ import annotations

import re
import warnings

from model.scenario import ROOT

SMALL = 'QUARTER, N, SEEDS = "2026Q1", 2, (1,)'


def test_the_python_example_runs(tmp_path, monkeypatch, capsys):
    text = (ROOT / "docs" / "python.md").read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, re.S))
    small, n = re.subn(r"^QUARTER, N, SEEDS = .*$", SMALL, code, count=1, flags=re.M)
    assert n == 1, "docs/python.md: the sizes line is gone"
    monkeypatch.chdir(tmp_path)  # it writes results/python_example/ under the working folder
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib and EMA warn on a sample this small
        exec(compile(small, "docs/python.md", "exec"), {"__name__": "__main__"})
    out = capsys.readouterr().out
    assert "2026Q1 1" in out and (tmp_path / "results" / "python_example" / "run" / "series.parquet").is_file()

"""Damaged results folders: a manifest or a shard that is not what the batch wrote is one line, never a hang.

The family: a finished experiment's folder with one thing damaged (its manifest a JSON list, a string, null,
empty, not JSON, not UTF-8, nested too deep, without a key its readers need, a FIFO; a shard truncated, empty,
random bytes, with run ids from another design; a FIFO or a folder where a shard would be; the design table
truncated), then ``report`` or a resume of the batch on it. Each either works (a FIFO or a folder among the
shards is not a shard, and is skipped) or ends in one line naming the damaged file, exit status 2, and the
folder as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from experiments.runner import batch, design
from experiments.safe_io import store
from tests.cli_helpers import assert_one_line_error, run_cli

EXP = """
steps = 4
replicates = 2
seed = 3
[params]
"run.synthetic_deposits" = 20
"investors.count" = 20
[design]
method = "factorial"
[design.factors]
"eu.trust0" = [0.3, 0.6]
[output]
measures = ["capacity_share_EU"]
flush_every = 2
"""
DAMAGE = (
    "manifest_list",
    "manifest_string",
    "manifest_null",
    "manifest_empty",
    "manifest_not_json",
    "manifest_not_utf8",
    "manifest_deep",
    "manifest_missing_key",
    "manifest_wrong_type",
    "manifest_fifo",
    "shard_truncated",
    "shard_empty",
    "shard_random",
    "shard_foreign_runs",
    "design_truncated",
    "fifo_shard",
    "folder_shard",
)
EXAMPLES = 20 * int(os.environ.get("FAULTS_SCALE", "1"))
SKIPPED = {"fifo_shard", "folder_shard", "shard_foreign_runs"}  # not shards (of this design): passed over


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("finished")
    path = tmp / "exp.toml"
    path.write_text(textwrap.dedent(EXP))
    exp = design.load(path)
    batch.run_experiment(exp, design.expand(exp), tmp / "out")
    return path, tmp / "out"


def damage(folder: Path, kind: str, draw) -> str:
    """Damage the copy ``folder``; returns the name of the file at fault."""
    manifest, shard = folder / store.MANIFEST, folder / "runs" / "part-000001.parquet"
    data = json.loads(manifest.read_text())
    texts = {"manifest_list": "[]", "manifest_string": '"x"', "manifest_null": "null", "manifest_empty": "",
             "manifest_not_json": "{manifest", "manifest_deep": "[" * 100_000}  # fmt: skip
    if kind in texts:
        manifest.write_text(texts[kind])
    elif kind == "manifest_not_utf8":
        manifest.write_bytes(b"\xff\xfe{}")
    elif kind in ("manifest_missing_key", "manifest_wrong_type"):
        top = draw(st.sampled_from(sorted(store.SHAPE)))
        table, key = (data[top], draw(st.sampled_from(sorted(store.SHAPE[top])))) if isinstance(store.SHAPE[top], dict) else (data, top)  # fmt: skip
        if kind == "manifest_missing_key":
            del table[key]
        else:
            table[key] = draw(
                st.sampled_from([None, "x", 1.5, True, [1]]).filter(lambda v: type(v) is not type(table[key]))
            )
        manifest.write_text(json.dumps(data))
        return key
    elif kind == "manifest_fifo":
        manifest.unlink()
        os.mkfifo(manifest)
    elif kind in ("shard_truncated", "design_truncated"):
        target = shard if kind == "shard_truncated" else folder / "design.parquet"
        raw = target.read_bytes()
        target.write_bytes(raw[: draw(st.integers(0, len(raw) - 1))])
        return target.name
    elif kind in ("shard_empty", "shard_random"):
        shard.write_bytes(b"" if kind == "shard_empty" else draw(st.binary(min_size=1, max_size=64)))
        return shard.name
    elif kind == "shard_foreign_runs":
        frame = pd.read_parquet(shard)
        frame["run"] += draw(st.sampled_from([1_000_000, -1_000_000]))
        frame.to_parquet(folder / "runs" / "part-000099.parquet", index=False)
    elif kind == "fifo_shard":
        os.mkfifo(folder / "runs" / "part-000098.parquet")
    else:
        (folder / "runs" / "part-000097.parquet").mkdir()
    return store.MANIFEST


def snapshot(folder: Path) -> list:
    return sorted((str(p.relative_to(folder)), p.lstat().st_mtime_ns) for p in folder.rglob("*"))


@settings(
    max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data(), kind=st.sampled_from(DAMAGE), command=st.sampled_from(["report", "resume"]))
def test_a_damaged_results_folder_is_one_line_or_read_past(tmp_path_factory, capsys, finished, data, kind, command):
    path, out = finished
    command = "resume" if kind == "shard_foreign_runs" else command  # a report would count those rows
    folder = tmp_path_factory.mktemp("damaged") / "out"
    shutil.copytree(out, folder)
    blamed = damage(folder, kind, data.draw)
    if command == "report":
        argv = ["report", str(folder), "--out", str(folder.parent / "report")]
    else:
        argv = ["experiment", str(path), "--out", str(folder), "--workers", "1", "--quiet"]
    before = snapshot(folder)
    code, _, err = run_cli(capsys, *argv)
    if kind in SKIPPED or (command == "resume" and kind == "design_truncated"):  # a resume does not read the design
        assert code == 0, err
        return
    assert_one_line_error(code, err, blamed)
    assert snapshot(folder) == before and not (folder.parent / "report").exists()

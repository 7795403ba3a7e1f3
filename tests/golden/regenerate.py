"""Regenerate the golden baseline on purpose: `python tests/golden/regenerate.py`.

Run it only when a change of behaviour is intended, and say in the commit message what moved and why;
tests/test_golden.py fails on any unintended change. The golden holds, for a few seeds of the baseline and one
seed of every shipped scenario (``experiments.runner.tables.run_tables``: series, events, deposits, holders ...):

- ``baseline.csv``: the headline measures at several years (a readable diff, to 1e-12);
- ``shapes.json``: each table's discrete columns hashed and its float columns' sums (``tests/golden/tolerant.py``),
  which hold on every machine;
- ``tables.json``: a SHA-256 of each table's canonical CSV (floats written exactly), by platform: the machines
  whose arithmetic has the same last bits (``experiments/safe_io/arithmetic.py``) share one set of hashes.

A regeneration keeps the hashes of this machine only: the others belong to the behaviour it replaces.
``--add-platform`` records this machine's hashes beside the others, and only when its tables agree with the
headline and the shapes: the same behaviour, other last bits. ``--check`` writes nothing: it says whether this
machine's runs agree with the headline and the shapes, and in how many tables their bits differ from each recorded
platform's.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from experiments.runner.single import year_rows  # noqa: E402
from experiments.runner.tables import run_tables  # noqa: E402
from experiments.safe_io import arithmetic  # noqa: E402
from model import GreatGameModel  # noqa: E402
from model import scenario as scenarios  # noqa: E402
from tests.golden import tolerant  # noqa: E402

RUNS = (
    *(("baseline", seed) for seed in (1, 2, 3, 20260101)),
    *((name, 1) for name in scenarios.names() if name != "baseline"),
)
YEARS = (2026, 2030, 2035, 2040, 2050)
HEADLINE = ("capacity_share_", "output_share_", "awards_", "new_awards_", "missed_", "trust_")
GOLDEN = Path(__file__).with_name("baseline.csv")
HASHES = Path(__file__).with_name("tables.json")
SHAPES = Path(__file__).with_name("shapes.json")
HEADLINE_RTOL = 1e-12


def run(name: str, seed: int) -> GreatGameModel:
    """One run of a shipped scenario to its end (100 quarters, or fewer for a later start)."""
    m = GreatGameModel(**scenarios.load(name).model_kwargs(rng=seed))
    m.run_for(100 - 4 * (m.start_year - 2026) if m.start_year > 2026 else 100)
    return m


def table_hashes(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """SHA-256 of each table's canonical CSV (pandas writes floats with repr: exact)."""
    return {
        table: hashlib.sha256(frame.to_csv(index=False, lineterminator="\n").encode()).hexdigest()
        for table, frame in tables.items()
    }


def headline(m: GreatGameModel, name: str, seed: int) -> list[dict]:
    rows = []
    for year, row in year_rows(m.timeseries(), YEARS).items():
        keep = {k: row[k] for k in row.index if k.startswith(HEADLINE)}
        rows.append(
            {
                "scenario": name,
                "seed": seed,
                "year": year,
                "eu_supply_security": row["eu_supply_security"],
                "diversification": row["diversification"],
                **keep,
            }
        )
    return rows


def golden() -> tuple[pd.DataFrame, dict[str, dict[str, str]], dict[str, dict]]:
    """The headline rows, the table hashes and the tables' shapes of every golden run."""
    rows, hashes, shapes = [], {}, {}
    for name, seed in RUNS:
        m = run(name, seed)
        rows += headline(m, name, seed)
        tables = run_tables(m, name, seed)
        hashes[f"{name}/{seed}"] = table_hashes(tables)
        shapes[f"{name}/{seed}"] = {table: tolerant.shape(table, frame) for table, frame in tables.items()}
    return pd.DataFrame(rows), hashes, shapes


def recorded() -> dict[str, dict]:
    """The recorded hash sets by platform probe: ``{probe: {"made_on": ..., "tables": {run: {table: hash}}}}``."""
    return json.loads(HASHES.read_text(encoding="utf-8"))["platforms"]


def headline_differences(frame: pd.DataFrame) -> str:
    """Empty when ``frame`` holds the golden's headline measures to ``HEADLINE_RTOL``; else pandas' report."""
    expected = pd.read_csv(GOLDEN)
    try:
        pd.testing.assert_frame_equal(
            frame[expected.columns], expected, check_exact=False, check_dtype=False, rtol=HEADLINE_RTOL, atol=1e-15
        )
    except AssertionError as exc:
        return str(exc)
    return ""


def _write_hashes(platforms: dict[str, dict]) -> None:
    text = json.dumps({"platforms": platforms}, indent=1, sort_keys=True) + "\n"
    HASHES.write_text(text, encoding="utf-8")


def _beyond_last_bits(frame: pd.DataFrame, shapes: dict) -> str:
    """Where this machine's runs part from the golden by more than last bits (headline, then shapes); empty if not."""
    return headline_differences(frame) or "; ".join(tolerant.differences(json.loads(SHAPES.read_text()), shapes))


def _check(frame: pd.DataFrame, hashes: dict, shapes: dict) -> int:
    """Say how this machine's runs stand against the golden, writing nothing."""
    wrong = _beyond_last_bits(frame, shapes)
    print(f"this machine: probe {arithmetic.probe()} ({arithmetic.describe()})")
    print(f"headline and shapes: {'differ: ' + wrong[:2000] if wrong else 'agree'}")
    for probe, entry in sorted(recorded().items()):
        n = sum(hashes[run][t] != h for run, tables in entry["tables"].items() for t, h in tables.items())
        print(f"platform {probe}: {n} of {sum(map(len, entry['tables'].values()))} tables differ in their bits")
    return 1 if wrong else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--add-platform", action="store_true", help="record this machine's hashes beside the others")
    parser.add_argument(
        "--check", action="store_true", help="compare this machine's runs with the golden; write nothing"
    )
    args = parser.parse_args(argv)
    frame, hashes, shapes = golden()
    if args.check:
        return _check(frame, hashes, shapes)
    here = {"made_on": arithmetic.describe(), "tables": hashes}
    if args.add_platform:
        if wrong := _beyond_last_bits(frame, shapes):
            print(f"not recorded: this machine's runs differ from the golden beyond last bits: {wrong[:2000]}")
            return 1
        _write_hashes({**recorded(), arithmetic.probe(): here})
        print(f"recorded platform {arithmetic.probe()} ({here['made_on']}) in {HASHES}")
        return 0
    dropped = sorted(set(recorded()) - {arithmetic.probe()}) if HASHES.exists() else []
    frame.to_csv(GOLDEN, index=False, float_format="%.17g")
    SHAPES.write_text(tolerant.dumps(shapes), encoding="utf-8")
    _write_hashes({arithmetic.probe(): here})
    print(f"wrote {GOLDEN}, {SHAPES} and {HASHES} (platform {arithmetic.probe()})")
    if dropped:
        print(f"dropped the hashes of other platforms: {', '.join(dropped)}; record them there with --add-platform")
    return 0


if __name__ == "__main__":
    sys.exit(main())

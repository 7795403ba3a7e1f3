"""Adding a power is one registry entry: it then appears in every table, validation list and routing rule.

A fresh process adds a power to ``model/power_entries.py``'s ENTRIES before anything reads them (as a new entry
in the file would), runs a model, and reports what it sees.
"""

import csv
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import dataclasses, importlib.util, json, sys
sys.path.insert(0, {root!r})
spec = importlib.util.spec_from_file_location("model.power_entries", {entries!r})
entries = importlib.util.module_from_spec(spec)
sys.modules["model.power_entries"] = entries
spec.loader.exec_module(entries)
jk = entries.ENTRIES[-1]
values = {{**jk.values, "home_share": (0.2, "test"), "budget_usd_m": (200.0, "test"), "max_pursuits": (4, "test"),
           "priorities": ({{"copper": 1.0, "chromium": 1.0, "zinc": 1.0}}, "test")}}
gulf = dataclasses.replace(jk, code="GULF", label="Gulf", in_sentence="the Gulf", colour="#123456", values=values)
entries.ENTRIES = (*entries.ENTRIES, gulf)

from dashboard import style
from experiments.runner.tables import run_tables
from experiments.science import validation as V
from experiments.science import variants as VR
from model import GreatGameModel, params
from model.commodity_rules import load_rules
from model.powers import POWERS

m = GreatGameModel(rng=5)
m.run_for(40)
tables = run_tables(m, "probe", 5)
rules = load_rules({rules!r}, POWERS)
print(json.dumps({{
    "holders": list(m.holders),
    "params": sorted(k for k in params.PARAMS if k.startswith("gulf.")),
    "series_holders": sorted(set(tables["series"]["holder"].dropna())),
    "timeseries": [c for c in tables["timeseries"].columns if c.endswith("_gulf")],
    "commodity_shares": sorted(set(tables["commodity_shares"]["holder"])),
    "homes": int((m.investors.home == m.index["GULF"]).sum()),
    "awards": float(m.measures["awards_gulf"]),
    "trust_off": VR.VARIANTS["trust ignored"].get("gulf.trust0"),
    "observed": V.OBSERVED_AWARDS.get("GULF"),
    "routing": rules.exports[:, POWERS.index("GULF")].tolist(),
    "colour": style.palette(m.holders)["GULF"],
    "name": style.name("GULF", start=True),
}}))
"""


def _rules_with_gulf(path: Path) -> None:
    """The shipped commodity rules plus a share_GULF column: the Gulf takes half of copper's 'other' exports."""
    with (ROOT / "data" / "commodity_rules.csv").open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    at = rows[0].index("share_other")
    out = [[*rows[0][:at], "share_GULF", *rows[0][at:]]]
    for row in rows[1:]:
        other = float(row[at])
        gulf = other / 2 if row[0] == "copper" else 0.0
        out.append([*row[:at], f"{gulf:.6g}", f"{other - gulf:.6g}", *row[at + 1 :]])
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(out)


def test_a_registry_entry_reaches_every_table_list_and_rule(tmp_path):
    path = tmp_path / "rules.csv"
    _rules_with_gulf(path)
    code = PROBE.format(root=str(ROOT), entries=str(ROOT / "model" / "power_entries.py"), rules=str(path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["holders"] == ["KZ", "EU", "CN", "US", "RU", "JK", "GULF", "PRIVATE"]
    assert "gulf.delay_mean_q" in seen["params"] and "gulf.priorities.copper" in seen["params"]
    assert "GULF" in seen["series_holders"] and "GULF" in seen["commodity_shares"]
    assert {"capacity_share_gulf", "trust_gulf", "missed_gulf", "awards_gulf"} <= set(seen["timeseries"])
    assert seen["homes"] > 0 and seen["awards"] > 0  # its firms and its own pursuits take part
    assert seen["trust_off"] == 0.5 and seen["observed"] == 0
    assert seen["routing"][0] > 0 and sum(seen["routing"][1:]) == 0  # copper only
    assert seen["colour"] == "#123456" and seen["name"] == "The Gulf"

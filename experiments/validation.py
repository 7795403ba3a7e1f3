"""Pattern-oriented validation: run the 2022 start over many seeds and compare with what was observed.

`python run.py validate [--seeds 50]` writes docs/validation.md (the table) and results/validation/ (per-seed
values). Each pattern states its observed value, source, how it is measured and the band it must hit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from experiments import provenance
from experiments.atomic import write_atomic
from model import GreatGameModel
from model import scenario as scenarios
from model.commodities import INDEX
from model.deposit_table import STAGE
from model.errors import InputError
from model.inputs import read_regular

SCENARIO = "start_2022"
WINDOW_Q = 16  # 2022Q1–2025Q4
BUILD_RUN_Q = 72  # long enough for projects awarded 2022–2025 to reach production
HIGH_SALIENCE = ("upper_kairakty", "northern_katpar")  # the tungsten asset of the Nov-2025 US deal
FEASIBILITY_LEAD_Q = 20  # table lead times above this include exploration (calibration §7: +12–24 q)
# The counterfactual for the US pattern: the same US without export credit or political backing.
US_UNBACKED = {"us.finance_share": 0.2, "us.approval_prob": 0.5, "us.engagement": 0.2, "us.budget_usd_m": 25.0}


@dataclass(frozen=True)
class Pattern:
    name: str
    observed: str
    source: str
    measure: str  # column of the per-seed frame
    band: tuple[float, float]
    how: str

    def verdict(self, values: pd.Series) -> tuple[float, float, float, bool]:
        v = values.dropna()
        med, lo, hi = (float(np.quantile(v, q)) for q in (0.5, 0.05, 0.95)) if len(v) else (np.nan,) * 3
        return med, lo, hi, bool(self.band[0] <= med <= self.band[1])


PATTERNS: tuple[Pattern, ...] = (
    Pattern(
        "China wins most new project entries",
        "≈ 25 China-managed vs 5 EU-firm projects (share 0.83)",
        "Vakulchuk via Mistra 2025 [59], domain brief §C",
        "cn_entry_share",
        (0.65, 0.95),
        "China's share of the awards won by China or the EU (public pursuits and EU firms), 2022–2025",
    ),
    Pattern(
        "China takes most copper offtake",
        "≈ 60% (cathode exports Jan 2024: China 63%)",
        "[42, 44]",
        "cn_copper_offtake",
        (0.5, 0.7),
        "China's share of copper output value, 2025Q4",
    ),
    Pattern(
        "Kazakh-state holdings near half of uranium",
        "≈ 50% (Kazatomprom JVs at 50–51%)",
        "[45], R104, R105",
        "kz_uranium_equity",
        (0.4, 0.65),
        "KZ's equity share of uranium production capacity in operation, 2025Q4",
    ),
    Pattern(
        "Build phases of 2–5 years",
        "8–20 quarters (Bozshakol 4.5 y, Aktogay 3–4 y, Boguty 2.5 y)",
        "calibration §3 (R89–R93)",
        "build_q",
        (8.0, 20.0),
        "median quarters from award to first output of projects awarded 2022–2025 past exploration "
        f"(table lead time ≤ {FEASIBILITY_LEAD_Q} q; greenfield leads add 12–24 q of exploration), run to 2039",
    ),
    Pattern(
        "US wins a high-salience asset only with export credit and backing",
        "tungsten JV won Nov 2025 with EXIM/DFC letters and Commerce facilitation",
        "[53], R67–R69",
        "us_backing_effect",
        (0.1, 1.0),
        "P(US controls Upper Kairakty or Northern Katpar by 2025Q4) with its export-credit finance minus without "
        f"({', '.join(f'{k}={v:g}' for k, v in US_UNBACKED.items())}); the unbacked chance must be ≤ 0.1",
    ),
)


def _entries(m: GreatGameModel) -> tuple[float, float]:
    last = m.timeseries().iloc[WINDOW_Q]
    return float(last["awards_CN"]), float(last["awards_EU"])


def _us_tungsten(m: GreatGameModel) -> float:
    d = m.deposits
    rows = [d.table.ids.index(i) for i in HIGH_SALIENCE if i in d.table.ids]
    return float((d.leader[rows] == m.index["US"]).any())


def measure_seed(seed: int, overrides: dict | None = None, scenario: str = SCENARIO) -> dict[str, float]:
    """All pattern measures for one seed (``overrides``: dotted settings, as ``validate --set`` gives)."""
    scn = scenarios.load(scenario).with_overrides(overrides or {}, "--set")
    m = scn.build(rng=seed)
    m.run_for(WINDOW_Q)
    cn, eu = _entries(m)
    frame = m.commodity_shares()
    copper = frame[(frame.step == WINDOW_Q) & (frame.commodity == "copper") & (frame.holder == "CN")]
    d = m.deposits
    uranium = (d.table.commodity == INDEX["uranium"]) & (d.stage == STAGE["producing"])
    attributable = (d.table.capacity[uranium, None] * d.equity[uranium]).sum(axis=0)
    us_with = _us_tungsten(m)
    m.run_for(BUILD_RUN_Q - WINDOW_Q)
    awarded = (d.award_step > 0) & (d.award_step <= WINDOW_Q) & (d.first_output > d.award_step)
    awarded &= d.table.lead_time <= FEASIBILITY_LEAD_Q
    build = d.first_output[awarded] - d.award_step[awarded]
    unbacked = scn.with_overrides(US_UNBACKED, "validation").build(rng=seed)
    unbacked.run_for(WINDOW_Q)
    us_without = _us_tungsten(unbacked)
    return {
        "seed": seed,
        "awards_cn": cn,
        "awards_eu": eu,
        "cn_entry_share": cn / (cn + eu) if cn + eu else np.nan,
        "cn_copper_offtake": float(copper["output_share"].iloc[0]),
        "kz_uranium_equity": float(attributable[m.host_index] / attributable.sum()) if attributable.sum() else np.nan,
        "build_q": float(np.median(build)) if build.size else np.nan,
        "us_with": us_with,
        "us_without": us_without,
    }


def run(
    seeds: int, overrides: dict | None = None, root_seed: int = 2022, measure: Callable[..., dict] = measure_seed
) -> pd.DataFrame:
    """The pattern measures over ``seeds`` seeds spawned from ``root_seed``."""
    scenarios.load(SCENARIO).with_overrides(overrides or {}, "--set")  # bad settings fail before any run
    children = np.random.SeedSequence(root_seed).generate_state(seeds, dtype=np.uint64)
    return pd.DataFrame([measure(int(s), overrides) for s in children])


def table(frame: pd.DataFrame) -> tuple[str, int]:
    """The Markdown table, and the number of patterns that pass."""
    frame = frame.copy()
    frame["us_backing_effect"] = frame["us_with"].mean() - frame["us_without"].mean()
    rows = [
        "| pattern | observed (source) | measured as | band | simulated median [90% interval] | result |",
        "|---|---|---|---|---|---|",
    ]
    passed = 0
    for p in PATTERNS:
        med, lo, hi, ok = p.verdict(frame[p.measure])
        if p.measure == "us_backing_effect":
            ok = ok and frame["us_without"].mean() <= 0.1
            shown = (
                f"{med:.2f} (P with backing {frame['us_with'].mean():.2f}, without {frame['us_without'].mean():.2f})"
            )
        else:
            shown = f"{med:.2f} [{lo:.2f}, {hi:.2f}]"
        passed += ok
        rows.append(
            f"| {p.name} | {p.observed} ({p.source}) | {p.how} | {p.band[0]:g}–{p.band[1]:g} | {shown} | "
            f"{'pass' if ok else 'FAIL'} |"
        )
    return "\n".join(rows), passed


MARKERS = ("<!-- BEGIN VALIDATION TABLE (python run.py validate) -->", "<!-- END VALIDATION TABLE -->")


def check_doc(doc: Path) -> str:
    """The text of ``doc`` if it is a UTF-8 file holding both markers: checked before any seed runs."""
    what = "a Markdown file holding the validation markers (docs/validation.md)"
    try:
        text = read_regular(doc, what, key="--doc").decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(str(doc), "--doc", f"not UTF-8 text; allowed: {what}") from None
    after = text.partition(MARKERS[0])[2]
    missing = [m for m, found in zip(MARKERS, (MARKERS[0] in text, MARKERS[1] in after)) if not found]
    if missing:
        raise InputError(str(doc), "--doc", f"marker missing or out of order: {missing[0]}; allowed: {what}")
    return text


def write_report(frame: pd.DataFrame, doc: Path, out_dir: Path) -> int:
    """Write per-seed values under ``out_dir`` and the table between the markers of ``doc``."""
    body, passed = table(frame)
    block = (
        f"{body}\n\n{passed} of {len(PATTERNS)} patterns pass over {len(frame)} seeds "
        f"(scenario `{SCENARIO}`, git {provenance.git_revision()})."
    )
    head, _, rest = check_doc(doc).partition(MARKERS[0])
    _, _, tail = rest.partition(MARKERS[1])
    write_atomic(out_dir / "per_seed.csv", lambda p: frame.to_csv(p, index=False))
    write_atomic(doc, lambda p: p.write_text(f"{head}{MARKERS[0]}\n{block}\n{MARKERS[1]}{tail}", encoding="utf-8"))
    return passed

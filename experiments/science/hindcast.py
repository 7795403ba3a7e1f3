"""A deposit-level hindcast: from the 2022 state as known by 2022-01-01 (``data/deposits_2022_known.csv``) to
2025Q4, the model's predicted distribution of each deposit's 2026 controller and stage, scored against the observed
2026 table with proper scoring rules, the open and barred contested deposits apart (``barred``).

Scores are the multi-class Brier score (mean over deposits of Σ_k (p_k − y_k)², 0 is perfect, 2 the worst) and
the log score (mean −log p of the observed class). Predictions are the share of seeds in which a deposit ends in
each class, smoothed with half a pseudo-count per class (Jeffreys), so that no class has probability 0. Three null
models sit beside the model: "nothing happens" (the 2022 state persists, with the same smoothing as 50 seeds
would give), base rates by commodity (each deposit gets the 2022 distribution of controllers over the deposits of
its commodity) and the release schedule + legal rules (``schedule_legal``). The previous model revision is scored
by running its own code (``--previous``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model.deposit_load import load_deposits
from model.deposit_table import table_path
from model.powers import HOST, holder_codes
from model.vocabulary import Stage

CLASSES = (*holder_codes(), "none")  # controller classes: the holder that controls the licence, or no licence
STAGE_CLASSES = ("unlicensed", "developing", "producing", "depleted")
# the hindcast's start: only what was known by 2022-01-01 (data/known_by_2022.csv); what was observed since
START, OBSERVED = "data/deposits_2022_known.csv", "data/deposits.csv"
# the 2026 schedule, whose release years partly come from the outcome: it defines "barred" for the split
SCHEDULE_2026, SCHEDULE_KNOWN = "data/state_pipeline.csv", "data/state_pipeline_2022.csv"
LAST_YEAR = 2025
QUARTERS = 16  # 2022Q1–2025Q4


def controller(holders: dict[str, float]) -> str:
    """The table's rule: the largest foreign holder, else the Kazakh state; 'none' without holders."""
    if not holders:
        return "none"
    foreign = {c: s for c, s in holders.items() if c != HOST}
    return max(foreign, key=foreign.get) if foreign else HOST


def stage_class(stage: int) -> str:
    """Model stages as the table counts them: an exploration licence or an award counts as developing."""
    names = {Stage.TENDERED: "unlicensed", Stage.AWARDED: "developing", Stage.PROSPECT: "developing"}
    return names.get(int(stage), ("unlicensed", "", "", "developing", "producing", "depleted")[min(int(stage), 5)])


@dataclass(frozen=True)
class Observed:
    """The 2022 start and the observed 2026 state of each deposit of the table."""

    ids: list[str]
    commodity: list[str]
    lon: np.ndarray
    start_controller: list[str]
    start_stage: list[str]
    controller: list[str]
    stage: list[str]

    @property
    def contested(self) -> np.ndarray:
        """Deposits free in 2022: where the competition happens."""
        return np.array([s == "unlicensed" for s in self.start_stage])


def observed(start_table: str = START) -> Observed:
    """Read the start (by default the known-by table) and ``data/deposits.csv`` (same ids)."""
    codes = holder_codes()
    start, end = load_deposits(table_path(start_table), codes), load_deposits(table_path(OBSERVED), codes)
    by_id = {i: k for k, i in enumerate(end.ids)}
    rows = [by_id[i] for i in start.ids]
    from model.commodities import NAMES

    return Observed(
        ids=list(start.ids),
        commodity=[NAMES[c] for c in start.commodity],
        lon=np.asarray(start.lon, dtype=float),
        start_controller=[controller(h) for h in start.holders],
        start_stage=[stage_class(s) for s in start.stage],
        controller=[controller(end.holders[r]) for r in rows],
        stage=[stage_class(end.stage[r]) for r in rows],
    )


def probabilities(outcomes: list[list[str]], classes: tuple[str, ...], pseudo: float = 0.5) -> np.ndarray:
    """Deposits × classes: the smoothed share of runs (``outcomes[run][deposit]``) ending in each class."""
    index = {c: k for k, c in enumerate(classes)}
    counts = np.full((len(outcomes[0]), len(classes)), pseudo)
    for run in outcomes:
        for i, c in enumerate(run):
            counts[i, index[c]] += 1
    return counts / counts.sum(axis=1, keepdims=True)


def scores(p: np.ndarray, truth: list[str], classes: tuple[str, ...], mask: np.ndarray | None = None) -> dict:
    """Multi-class Brier and log score (means over the deposits in ``mask``), and the share of deposits whose
    most likely class is the observed one."""
    index = {c: k for k, c in enumerate(classes)}
    y = np.zeros_like(p)
    y[np.arange(len(truth)), [index[t] for t in truth]] = 1.0
    mask = np.ones(len(truth), dtype=bool) if mask is None else mask
    brier = ((p - y) ** 2).sum(axis=1)[mask]
    log = -np.log((p * y).sum(axis=1))[mask]
    hit = (p.argmax(axis=1) == y.argmax(axis=1))[mask]
    return {"brier": float(brier.mean()), "log": float(log.mean()), "hit": float(hit.mean()), "n": int(mask.sum())}


def nothing_happens(obs: Observed, runs: int = 50) -> tuple[np.ndarray, np.ndarray]:
    """The 2022 state persists (as if every run showed it)."""
    return (
        probabilities([obs.start_controller] * runs, CLASSES),
        probabilities([obs.start_stage] * runs, STAGE_CLASSES),
    )


def base_rates(obs: Observed) -> tuple[np.ndarray, np.ndarray]:
    """Each deposit gets the 2022 distribution of controllers (and stages) over the deposits of its commodity."""
    frame = pd.DataFrame({"c": obs.commodity, "ctl": obs.start_controller, "st": obs.start_stage})
    out = []
    for col, classes in (("ctl", CLASSES), ("st", STAGE_CLASSES)):
        rows = []
        for c in obs.commodity:
            counts = frame.loc[frame.c == c, col].value_counts()
            v = np.array([counts.get(k, 0) for k in classes], dtype=float) + 0.5
            rows.append(v / v.sum())
        out.append(np.array(rows))
    return out[0], out[1]


def barred(obs: Observed, schedule: str = SCHEDULE_2026) -> np.ndarray:
    """Contested deposits that ``schedule`` keeps from being offered before the end of the window."""
    years = release_years(schedule)
    late = np.array([years.get(i, 0) > LAST_YEAR for i in obs.ids])
    return obs.contested & late


def release_years(schedule: str) -> dict[str, int]:
    """The first release year of each named deposit of a schedule (``in_deposits_csv`` rows)."""
    frame = pd.read_csv(table_path(schedule), dtype=str, keep_default_na=False)
    named = frame[frame["in_deposits_csv"] == "true"]
    return {r.id: int(r.release_year.split("-")[0]) for r in named.itertuples() if r.release_year.strip()}


def schedule_legal(obs: Observed, schedule: str = SCHEDULE_KNOWN) -> np.ndarray:
    """The "schedule + legal rules" null for controllers: a contested deposit the schedule bars stays free, a
    uranium one goes to the national company (KZ: uranium by direct negotiation to Kazatomprom), anything else is
    uniform over the classes; a deposit held at the start keeps its holder (as "nothing happens")."""
    still, _ = nothing_happens(obs)
    bars = barred(obs, schedule)
    p = still.copy()
    for i in np.flatnonzero(obs.contested):
        if bars[i]:
            target = "none"
        elif obs.commodity[i] == "uranium":
            target = HOST
        else:
            p[i] = 1.0 / len(CLASSES)
            continue
        p[i] = probabilities([[target]] * 50, CLASSES)[0]  # as certain as 50 runs saying so
    return p


def difference(a: np.ndarray, b: np.ndarray, truth: list[str], mask: np.ndarray, boot: int = 2000) -> tuple:
    """Brier of ``a`` minus ``b`` on the deposits in ``mask``, with a 95% bootstrap interval over those deposits
    (which deposits history put in play is the larger uncertainty; resamples from ``SeedSequence(2022)``)."""
    y = np.zeros_like(a)
    y[np.arange(len(truth)), [CLASSES.index(t) for t in truth]] = 1.0
    d = (((a - y) ** 2).sum(axis=1) - ((b - y) ** 2).sum(axis=1))[mask]
    rng = np.random.default_rng(np.random.SeedSequence(2022))
    means = d[rng.integers(0, len(d), (boot, len(d)))].mean(axis=1)
    return float(d.mean()), float(np.quantile(means, 0.025)), float(np.quantile(means, 0.975))


HOLDERS = ("US", "EU", "CN", "KZ", "PRIVATE")


def holder_accuracy(p: np.ndarray, obs: Observed, mask: np.ndarray) -> list[dict]:
    """Per observed holder h: of the deposits in ``mask`` that h held at the end, how many the model's most likely
    class names h, with an exact (Clopper–Pearson) 95% interval."""
    from scipy.stats import binomtest

    modal = [CLASSES[k] for k in p.argmax(axis=1)]
    rows = []
    for h in HOLDERS:
        idx = [i for i in np.flatnonzero(mask) if obs.controller[i] == h]
        hits = sum(modal[i] == h for i in idx)
        lo, hi = binomtest(hits, len(idx)).proportion_ci(0.95, "exact") if idx else (np.nan, np.nan)
        rows.append({"holder": h, "observed": len(idx), "named": hits, "lo": lo, "hi": hi})
    return rows


def outcomes_of(model, ids: list[str]) -> tuple[list[str], list[str]]:
    """Each table deposit's controller and stage class at the end of a run."""
    d = model.deposits
    rows = [d.table.ids.index(i) for i in ids]
    held = d.licensed() | (d.stage == Stage.PROSPECT)
    ctl = [model.holders[d.leader[r]] if held[r] and d.leader[r] >= 0 else "none" for r in rows]
    return ctl, [stage_class(d.stage[r]) for r in rows]


# The previous revision's code, run from its own checkout (its API differs): prints each run's outcomes as JSON.
PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from experiments import scenarios
from model import GreatGameModel
ids, seeds = {ids!r}, {seeds!r}
out = []
for seed in seeds:
    m = GreatGameModel(**scenarios.load("start_2022").kwargs(rng=seed))
    m.run_for({quarters})
    d = m.deposits
    rows = [d.table.ids.index(i) if i in d.table.ids else None for i in ids]  # rows it did not have stay free
    out.append([[m.holders[d.leader[r]] if r is not None and d.leader[r] >= 0 and 2 <= d.stage[r] <= 4 else "none"
                 for r in rows], [int(d.stage[r]) if r is not None else 0 for r in rows]])
print(json.dumps(out))
"""


def previous_revision(root: Path, ids: list[str], seeds: list[int]) -> tuple[list, list]:
    """Outcomes of the same hindcast in another checkout (ids it does not know count as unchanged)."""
    code = PROBE.format(root=str(root), ids=ids, seeds=seeds, quarters=QUARTERS)
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    runs = json.loads(proc.stdout.strip().splitlines()[-1])
    return [r[0] for r in runs], [[stage_class(s) for s in r[1]] for r in runs]

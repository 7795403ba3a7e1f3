"""Validation that can fail: a hindcast from what was known by 2022 (open and barred contested deposits apart,
every null, per-holder accuracy), a held-out split, continuous patterns with the null each must beat, and wrong
variants told apart by paired comparisons (experiments/science/variants.py).

``python run.py validate [--seeds 50] [--workers N] [--set KEY=VALUE] [--no-variants] [--previous DIR]
[--posterior data/posterior.csv]`` prints it all and rewrites the generated block of docs/validation.md. Seeds come
from ``SeedSequence(2022)``, so every variant and every null sees the same seeds.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from experiments.runner import replicates
from experiments.runner.single import RESULTS
from experiments.safe_io import blocks
from experiments.safe_io.atomic import write_atomic
from experiments.science import hindcast as H
from experiments.science import holdout, structural
from experiments.science import patterns as PT
from experiments.science import validation_runs as VR_RUNS
from experiments.science import variants as VR
from model import scenario as scenarios
from model.errors import InputError
from model.inputs import read_regular
from model.powers import holder_codes

POOL = RESULTS / "calibration" / "pool.csv"
seeds, run = VR_RUNS.seeds, VR_RUNS.run  # the validation's seeds and runs (experiments/science/validation_runs.py)


def predictions(frame: pd.DataFrame, leaky: pd.DataFrame | None, previous: Path | None) -> dict[str, np.ndarray]:
    """Controller probabilities of the model, its old start, the nulls and (if given) the previous revision."""
    obs = H.observed()
    preds = {"model (known-by start)": H.probabilities(list(frame["_controller"]), H.CLASSES)}
    if leaky is not None:
        preds["model (old start: 2026 schedule)"] = H.probabilities(list(leaky["_controller"]), H.CLASSES)
    preds |= {
        "null: nothing happens": H.nothing_happens(obs)[0],
        "null: base rates by commodity": H.base_rates(obs)[0],
        "null: schedule + legal rules (known-by schedule)": H.schedule_legal(obs),
        "null: schedule + legal rules (2026 schedule)": H.schedule_legal(obs, H.SCHEDULE_2026),
    }
    if previous is not None:
        ctl, _ = H.previous_revision(previous, obs.ids, [int(s) for s in frame["seed"]])
        preds["previous revision"] = H.probabilities(ctl, H.CLASSES)
    return preds


def hindcast(preds: dict[str, np.ndarray]) -> pd.DataFrame:
    """Controller Brier (and log) scores on the contested deposits, the open and the barred apart, and on all."""
    obs = H.observed()
    barred = H.barred(obs)
    masks = {"contested": obs.contested, "open": obs.contested & ~barred, "barred": barred, "all": None}
    rows = []
    for name, p in preds.items():
        row = {"predictor": name}
        for tag, mask in masks.items():
            row[f"brier_{tag}"] = H.scores(p, obs.controller, H.CLASSES, mask)["brier"]
        row["log_contested"] = H.scores(p, obs.controller, H.CLASSES, obs.contested)["log"]
        rows.append(row)
    return pd.DataFrame(rows)


def against_null(preds: dict[str, np.ndarray]) -> str:
    """The model against the schedule + legal rules null on the contested and the open deposits, in words."""
    obs = H.observed()
    model, null = preds["model (known-by start)"], preds["null: schedule + legal rules (known-by schedule)"]
    parts = []
    for tag, mask in (("contested", obs.contested), ("open", obs.contested & ~H.barred(obs))):
        m, lo, hi = H.difference(model, null, obs.controller, mask)
        verdict = "beats it" if hi < 0 else ("loses to it" if lo > 0 else "is not told apart from it")
        parts.append(f"on the {int(mask.sum())} {tag} deposits {m:+.3f} [{lo:+.3f}, {hi:+.3f}]: the model {verdict}")
    return (
        "Model minus the schedule + legal rules null (known-by schedule), Brier, 95% bootstrap over deposits: "
        + "; ".join(parts)
        + "."
    )


def accuracy_table(p: np.ndarray) -> str:
    """Per observed holder of the contested deposits: how often the model's modal class names it (exact CI)."""
    obs = H.observed()
    rows = ["| holder | contested deposits it held in 2026 | model's modal class names it | 95% exact interval |"]
    rows.append("|---|---|---|---|")
    for r in H.holder_accuracy(p, obs, obs.contested):
        ci = f"[{r['lo']:.2f}, {r['hi']:.2f}]" if r["observed"] else "— (none observed)"
        rows.append(f"| {r['holder']} | {r['observed']} | {r['named']} | {ci} |")
    return "\n".join(rows)


# new licences 2022–2025 on the table's deposits (data/hindcast_events_2022_2025.csv: the US's Cove award and its
# three JV licences, three Kazakh awards; KATCO's amendment is an extension, not an award); every holder listed
OBSERVED_AWARDS = {**dict.fromkeys(holder_codes(), 0), "US": 4, "KZ": 3}


def awards_table(frame: pd.DataFrame) -> str:
    """New licences 2022–2025 on the table's deposits by holder: model mean [90% range] against observed."""
    rows = ["| holder | observed | model mean [5–95%] |", "|---|---|---|"]
    for h, obs in OBSERVED_AWARDS.items():
        v = frame[f"awards_{h}"]
        rows.append(f"| {h} | {obs} | {v.mean():.1f} [{v.quantile(0.05):.0f}, {v.quantile(0.95):.0f}] |")
    v = frame["awards_table"]
    rows.append(f"| all | 7 | {v.mean():.1f} [{v.quantile(0.05):.0f}, {v.quantile(0.95):.0f}] |")
    return "\n".join(rows)


def pattern_table(frame: pd.DataFrame, null: pd.DataFrame) -> tuple[str, int, int]:
    """The patterns' Markdown table; the number counted (not carried by the inputs) and of those that pass."""
    model, off = PT.summarise(frame), PT.summarise(null)
    rows = [
        (
            "| pattern | observed (source) | measured as | band | mean [95% bootstrap] (seeds) | inputs-only null "
            "| result |"
        ),
        "|---|---|---|---|---|---|---|",
    ]
    counted = passed = 0
    for p, r, n in zip(PT.PATTERNS, model.to_dict("records"), off.to_dict("records")):
        result = ("firm pass" if r["firm"] else "pass") if r["pass"] else "FAIL"
        if n["pass"]:
            result += " (carried by the inputs: not counted)"
        else:
            counted, passed = counted + 1, passed + int(r["pass"])
        null_text = f"{n['mean']:.2f} ({n['n']})" if n["n"] else "undefined"
        rows.append(
            f"| {p.name} | {p.observed} ({p.source}) | {p.how} | {p.band[0]:g}–{p.band[1]:g} | "
            f"{r['mean']:.2f} [{r['lo']:.2f}, {r['hi']:.2f}] ({r['n']}) | {null_text} | {result} |"
        )
    return "\n".join(rows), counted, passed


def carried_table(frame: pd.DataFrame, off: pd.DataFrame) -> str:
    """Measures the input tables carry: the behaviour-off run gives about the same value."""
    rows = ["| measure | observed | model median | inputs alone (every behaviour off) |", "|---|---|---|---|"]
    for name, col, observed in PT.CARRIED:
        rows.append(f"| {name} | {observed} | {frame[col].median():.2f} | {off[col].median():.2f} |")
    return "\n".join(rows)


def holdout_text() -> str:
    """The held-out split's scores, from the calibration's pool on disk (none: says how to make it)."""
    if not POOL.exists():
        return f"No pool at `{POOL.relative_to(RESULTS.parent)}`: run `python run.py calibrate` first."
    scores, n = holdout.score(pd.read_csv(POOL, keep_default_na=False, na_values=[""]))
    return (
        f"Calibration half: {n['fit']} deposits at or east of {holdout.HOLDOUT_LON:g}°E ({n['fit_contested']} "
        f"contested); held out: {n['held']} west of it ({n['held_contested']} contested); {n['accepted']} of "
        f"{len(pd.read_csv(POOL, usecols=[0]))} pool draws accepted on the calibration half.\n\n" + markdown(scores)
    )


COMMAND = "python run.py validate"
BLOCK = {False: "VALIDATION TABLE", True: "POSTERIOR PREDICTIVE"}  # by whether the run uses posterior draws


def check_text(doc: Path, block: str, command: str = COMMAND) -> str:
    """The text of ``doc`` if it is a UTF-8 file holding the block's markers: checked before any seed runs."""
    what = f"a Markdown file holding the {block} markers"
    try:
        text = read_regular(doc, what, key="--doc").decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(str(doc), "--doc", f"not UTF-8 text; allowed: {what}") from None
    blocks.check(text, [block], command, str(doc))
    return text


def check_doc(doc: Path, block: str) -> str:
    """``check_text`` for the validation's own blocks."""
    return check_text(doc, block)


def write_report(content: str, block: str, frame: pd.DataFrame, doc: Path, out_dir: Path) -> None:
    """Write per-seed values under ``out_dir`` and ``content`` into ``block`` of ``doc``."""
    new = blocks.replace(check_doc(doc, block), block, COMMAND, content, str(doc))
    numeric = frame[[c for c in frame.columns if not c.startswith("_")]]
    write_atomic(out_dir / "per_seed.csv", lambda p: numeric.to_csv(p, index=False))
    write_atomic(doc, lambda p: p.write_text(new, encoding="utf-8"))


def report(
    n_seeds: int,
    overrides: dict,
    workers: int,
    with_variants: bool,
    previous: Path | None,
    posterior: pd.DataFrame | None,
    progress: bool,
    out: Path | None = None,
    rerun: bool = True,
    resume: bool = False,
) -> tuple[str, str, pd.DataFrame]:
    """Run the validation (unless ``rerun`` is false) into ``out``, then render its block from the runs on disk;
    returns the Markdown block, the printed summary and the model's per-seed frame."""
    out = out or RESULTS / "validation" / ("posterior" if posterior is not None else "defaults")
    if rerun:
        VR_RUNS.run_all(n_seeds, overrides, workers, with_variants, posterior, progress, out, resume)
    meta, runs = VR_RUNS.load(out)
    frame, off = runs["model"], runs["inputs_alone"]
    preds = predictions(frame, runs["old_start"], previous)
    scores = hindcast(preds)
    patterns, counted, passed = pattern_table(frame, off)
    obs = H.observed()
    n_barred = int(H.barred(obs).sum())
    over, draws = meta["overrides"], meta["posterior_draws"]
    parts = [
        f"Scenario `{PT.SCENARIO}` (known-by start), {meta['seeds']} seeds from SeedSequence({VR_RUNS.ROOT_SEED}), "
        f"git {meta['git']}"
        + (f", settings {over}" if over else "")
        + (f", parameters drawn from the posterior ({draws} draws)" if draws else "")
        + ".",
        "",
        (
            f"**Hindcast 2022 → 2025Q4, controller** (lower is better; contested = the {int(obs.contested.sum())} "
            f"deposits free at the known-by start; barred = the {n_barred} of them the 2026 schedule keeps from being "
            f"offered before 2026; open = the other {int(obs.contested.sum()) - n_barred}):"
        ),
        "",
        markdown(scores),
        "",
        against_null(preds),
        "",
        structural.effect(frame, runs["structural"]),
        "",
        "**Modal holder per holder** (contested deposits; exact Clopper–Pearson intervals):",
        "",
        accuracy_table(preds["model (known-by start)"]),
        "",
        "**Held-out split** (fitted on the east, scored on the west; docs/validation.md):",
        "",
        holdout_text(),
        "",
        (
            f"**Patterns** ({counted} counted, {passed} pass; the mean over seeds inside the band passes, firmly if its "
            "interval is inside too):"
        ),
        "",
        patterns,
        "",
        "**New licences 2022–2025 on the table's deposits:**",
        "",
        awards_table(frame),
        "",
        "**Carried by the inputs** (not counted as validation):",
        "",
        carried_table(frame, off),
    ]
    if meta["variants"]:
        table = VR.table({name: runs[name] for name in meta["variants"]}, frame)
        write_atomic(out / "variants.csv", lambda p: table.to_csv(p, index=False))
        parts += [
            "",
            (
                "**Deliberately wrong variants** (paired by seed; told apart: Holm-adjusted one-sided p < "
                f"{VR.ALPHA:g}):"
            ),
            "",
            VR.markdown(table, float(VR.loss(frame).mean())),
        ]
    text = "\n".join(parts)
    return text, text, frame


def markdown(frame: pd.DataFrame) -> str:
    """A plain Markdown table (numbers to three decimals)."""
    cells = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row] for row in frame.itertuples(index=False)]
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "---|" * len(frame.columns)]
    return "\n".join(lines + ["| " + " | ".join(r) + " |" for r in cells])


def load_posterior(path: Path) -> pd.DataFrame:
    """Posterior draws (one parameter set per row, dotted keys as columns), each checked as settings."""
    return replicates.read_draws(path, "--posterior", "--posterior", scenarios.load(PT.SCENARIO))

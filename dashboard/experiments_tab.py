"""The Experiments tab: browse the results of ``python run.py experiment`` (design, progress, effects, the
report), and launch a small experiment from a form, with a progress bar while it runs.
"""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

import solara

from dashboard.experiments_data import (
    MAX_RUNS,
    design_head,
    design_toml,
    effects,
    effects_spec,
    folders,
    launch,
    progress,
    report,
    results_root,
    write_design,
)
from dashboard.levers import searchable
from dashboard.sim import input_message
from dashboard.vega import StaticVegaView
from experiments.runner.single import safe_name
from model import scenario as scenarios
from model.errors import InputError
from model.params import PARAMS

IMAGE_LINK = re.compile(r"!\[[^\]]*\]\([^)]*\)")


@solara.component
def Launch(root: Path, on_done):
    """The form: one parameter at a few levels, replicates and quarters; runs in a process of its own."""
    name, set_name = solara.use_state(f"dashboard_{time.strftime('%Y%m%d_%H%M%S')}")
    scenario, set_scenario = solara.use_state("baseline")
    key, set_key = solara.use_state("eu.delay_mean_q")
    levels, set_levels = solara.use_state("0, 4, 8")
    replicates, set_replicates = solara.use_state(3)
    steps, set_steps = solara.use_state(20)
    error, set_error = solara.use_state(None)
    running = solara.use_reactive(None)  # (folder, Progress or None, finished text or None)

    def start():
        try:
            safe_name(name, "Name")
            values = [float(x) for x in levels.replace(";", ",").split(",") if x.strip()]
            if not values:
                raise InputError("Levels", levels, "allowed: numbers separated by commas")
            text = design_toml(name, scenario, key, values, int(replicates), int(steps), seed=20260101)
            path = write_design(root, name, text)
        except (InputError, ValueError) as exc:
            set_error(input_message(exc) if isinstance(exc, InputError) else f"Levels: {exc}")
            return
        set_error(None)
        running.value = (root / name, None, None)
        proc = launch(path, root / name)
        while proc.poll() is None:
            time.sleep(0.5)
            with contextlib.suppress(InputError, OSError):  # the folder is being created
                running.value = (root / name, progress(root / name), None)
        out = proc.stdout.read() if proc.stdout else ""
        lines = out.strip().splitlines()
        ended = f"finished (exit {proc.returncode}): {lines[-1] if lines else ''}"
        running.value = (
            root / name,
            progress(root / name) if (root / name / "manifest.json").exists() else None,
            ended,
        )
        on_done(root / name)

    task = solara.lab.use_task(start, dependencies=None)
    with solara.Card("Launch a small experiment", classes=["gg-launch"], margin=0) as main:
        with solara.Row(style={"flex-wrap": "wrap"}):
            solara.InputText("Name", value=name, on_value=set_name, classes=["gg-x-name"], continuous_update=True)
            solara.Select("Scenario", values=scenarios.names(), value=scenario, on_value=set_scenario)
            solara.Select("Parameter", values=searchable(), value=key, on_value=set_key, classes=["gg-x-param"])
            solara.InputText(
                "Levels", value=levels, on_value=set_levels, classes=["gg-x-levels"], continuous_update=True
            )
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
            solara.SliderInt(f"Replicates: {replicates}", value=replicates, on_value=set_replicates, min=1, max=10)
            solara.SliderInt(f"Quarters: {steps}", value=steps, on_value=set_steps, min=4, max=100, step=4)
            solara.Button("Launch", on_click=task, color="primary", disabled=task.pending, classes=["gg-x-launch"])
        solara.Text(
            f"{PARAMS[key].doc} A factorial design over its levels, {MAX_RUNS} runs at most, run as "
            "python run.py experiment would (the design file goes to .dashboard-designs/).",
            style={"font-size": "12px"},
            classes=["text--secondary"],
        )
        if error:
            solara.Error(error, dense=True, classes=["gg-x-error"])
        if running.value is not None:
            folder, done, ended = running.value
            share = 0 if done is None else 100 * (done.done + done.failed) / max(done.total, 1)
            solara.ProgressLinear(value=share, classes=["gg-x-progress"])
            counts = (
                "starting" if done is None else f"{done.done + done.failed} of {done.total} runs ({done.failed} failed)"
            )
            solara.Text(f"{folder.name}: {counts}" + (f"; {ended}" if ended else ""), classes=["gg-x-status"])
    return main


@solara.component
def Folder(folder: Path, dark: bool, on_change):
    """One experiment's progress, design, effects and report (``on_change()``: the folder changed on disk)."""
    try:
        done = progress(folder)
        head = design_head(folder)
        effect = effects(folder)
    except (InputError, OSError) as exc:
        return solara.Error(f"{folder.name}: {exc}", classes=["gg-x-folder-error"])

    def write_report():
        report(folder)
        on_change()  # the page's, not this component's: it may be shown anew while the report is written

    writing = solara.lab.use_task(write_report, dependencies=None)
    report_md = folder / "report" / "report.md"
    with solara.Column(classes=["gg-x-folder"]) as main:
        solara.ProgressLinear(value=100 * done.done / max(done.total, 1))
        solara.Text(f"{done.done} of {done.total} runs done, {done.failed} failed", classes=["gg-x-done"])
        solara.Markdown(f"**Design** (first {len(head)} points)")
        solara.DataFrame(head, items_per_page=10)
        if not effect.empty:
            with solara.Div(classes=["gg-x-effects"]):
                StaticVegaView(effects_spec(effect), filename=f"{folder.name}-effects", dark=dark)
        if report_md.is_file():
            text = IMAGE_LINK.sub("", report_md.read_text(encoding="utf-8"))
            with solara.Details("Report (report.md)", expand=True):
                solara.Markdown(text)
                for png in sorted((folder / "report").glob("*.png")):
                    solara.Image(str(png), width="560px")
        solara.Button(
            "Write the report" if not report_md.is_file() else "Write the report again",
            on_click=writing, disabled=writing.pending, classes=["gg-x-report"],
        )  # fmt: skip
        if writing.pending:
            solara.Text("python run.py report is writing report.md and its plots ...")
    return main


@solara.component
def Experiments(dark: bool = False):
    root = results_root()
    refresh, set_refresh = solara.use_state(0)
    found = folders(root)
    chosen, set_chosen = solara.use_state(found[0].name if found else None)

    def changed() -> None:
        set_refresh(lambda r: r + 1)

    def launched(folder: Path) -> None:
        set_chosen(folder.name)
        changed()

    with solara.Column(classes=["gg-experiments"], gap="12px") as main:
        Launch(root, launched)
        if not found:
            solara.Text(f"No experiment results in {root} yet: python run.py experiment <design>, or the form above.")
            return main
        names = [p.name for p in found]
        with solara.Row(style={"align-items": "center"}):
            solara.Select("Results folder", values=names, value=chosen if chosen in names else names[0], on_value=set_chosen,
                          classes=["gg-x-folders"])  # fmt: skip
            solara.Button("Refresh", on_click=changed, text=True)
        Folder(root / (chosen if chosen in names else names[0]), dark, changed).key(f"{chosen}-{refresh}")
    return main

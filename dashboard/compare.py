"""The Compare tab: three or more scenarios (and, if asked, the live run's levers as one more), each run over
N seeds in the background with a progress bar, drawn as the median and the 90% band on one calendar axis.

Every input is checked where it is typed; a bad one gets its message in place and nothing is run. The runs
are kept for the page's life (``bands.RunStore``): adding a scenario or a seed runs only what is new.
"""

from __future__ import annotations

import html

import solara

from dashboard.bands import Arm, RunStore, bands, bands_spec, replicate_seeds, summary_rows
from dashboard.sim import RUN_QUARTERS, input_message, parse_seed
from dashboard.vega import StaticVegaView
from model import scenario as scenarios
from model.errors import InputError

DEFAULT_SCENARIOS = ("baseline", "eu_global_gateway", "china_surge")
DEFAULT_SEEDS = 3
MAX_SEEDS = 50
LEVERS = "current levers"
MISSING = "—"


def arms_of(names: list[str], levers: tuple[str, dict] | None) -> list[Arm]:
    """The arms to run: each scenario chosen, and the live run's scenario with its levers (``levers``)."""
    arms = [Arm(name, name) for name in names]
    if levers is not None:
        scenario, values = levers
        arms.append(Arm(LEVERS, scenario, tuple(sorted(values.items()))))
    return arms


def check(arms: list[Arm]) -> str | None:
    """The first arm that does not load, in words (None: all do)."""
    for arm in arms:
        try:
            arm.build().params()
        except InputError as exc:
            return input_message(exc)
    return None


def table_html(rows: list[dict], labels: list[str]) -> str:
    cell = 'style="padding: 2px 12px; border-bottom: 1px solid rgba(128,128,128,.4); text-align: right"'
    head = "".join(f"<th {cell}>{html.escape(str(k))}</th>" for k in ["year", *labels])
    body = "".join(
        "<tr>" + "".join(f"<td {cell}>{html.escape(str(r.get(k, MISSING)))}</td>" for k in ["year", *labels]) + "</tr>"
        for r in rows
    )
    return f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody>"


@solara.component
def Compare(seed: int = 42, levers: tuple[str, dict] | None = None, dark: bool = False):
    """``seed``: the first seed offered (the live run's); ``levers``: the live run's scenario and lever values."""
    names = scenarios.names()
    chosen, set_chosen = solara.use_state([n for n in DEFAULT_SCENARIOS if n in names] or names[:3])
    with_levers, set_with_levers = solara.use_state(False)
    seed_text, set_seed_text = solara.use_state(str(int(seed)))
    n_text, set_n_text = solara.use_state(str(DEFAULT_SEEDS))
    quarters, set_quarters = solara.use_state(RUN_QUARTERS)
    store = solara.use_memo(RunStore, [])
    progress = solara.use_reactive((0, 0))
    result = solara.use_reactive(None)
    latest = solara.use_ref(None)
    try:
        first = parse_seed(seed_text)
        n = int(n_text)
        if not 1 <= n <= MAX_SEEDS:
            raise ValueError
        seed_error = None
    except ValueError as exc:
        first, n = None, None
        seed_error = str(exc) if "seed" in str(exc) else None
    n_error = None if n is not None or seed_error else f"{n_text}: allowed a whole number of seeds, 1 to {MAX_SEEDS}"
    arms = arms_of(chosen, levers if with_levers else None)
    problem = check(arms)
    request = (
        None
        if (first is None or problem or len(arms) < 1)
        else (tuple(arms), tuple(replicate_seeds(first, n)), quarters)
    )

    def work():
        latest.current = request
        if request is None:
            return
        todo = store.missing(*request)
        for i, (arm, s) in enumerate(todo):
            if latest.current is not request:  # the inputs changed: that run takes over
                return
            progress.value = (i, len(todo))
            store.run(arm, s, request[2])
        if latest.current is request:
            progress.value = (len(todo), len(todo))
            result.value = (request, bands(store, *request))

    solara.lab.use_task(work, dependencies=[request], prefer_threaded=True)
    with solara.Column(classes=["gg-compare"]) as main:
        with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
            solara.SelectMultiple(
                "Scenarios", values=chosen, all_values=names, on_value=set_chosen, classes=["gg-compare-scenarios"]
            )
            solara.Checkbox(label="and the current levers", value=with_levers, on_value=set_with_levers)
        with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
            solara.InputText("First seed", value=seed_text, on_value=set_seed_text, error=seed_error or False,
                             classes=["gg-compare-seed"], style={"max-width": "220px"})  # fmt: skip
            solara.InputText("Seeds (N)", value=n_text, on_value=set_n_text, error=n_error or False,
                             classes=["gg-compare-n"], style={"max-width": "120px"})  # fmt: skip
            with solara.Column(style={"min-width": "240px", "max-width": "320px"}):
                solara.SliderInt(f"Quarters: {quarters}", value=quarters, on_value=set_quarters, min=4, max=200, step=4)
        if seed_error or n_error:
            solara.Text("Nothing is run until the seeds are right (see above).", classes=["gg-compare-note"])
            return main
        if problem:
            solara.Error(problem, classes=["gg-compare-error"])
            return main
        done, total = progress.value
        shown = result.value
        if shown is None or shown[0] != request:
            label = f"Running {done} of {total} runs" if total else "Starting the runs"
            solara.ProgressLinear(value=100 * done / max(total, 1), classes=["gg-compare-progress"])
            solara.Text(f"{label} ({len(arms)} scenarios × {n} seeds, {quarters} quarters each) in the background.")
        if shown is not None:
            labels = [a.label for a in shown[0][0]]
            frame = shown[1]
            solara.Text(
                f"Scenarios: {', '.join(labels)}; seeds {', '.join(map(str, shown[0][1][:5]))}"
                + (" …" if len(shown[0][1]) > 5 else "")
                + " (replicate i uses the same seed in every scenario); aligned by calendar quarter.",
                style={"font-size": "13px"},
                classes=["text--secondary"],
            )
            with solara.Div(classes=["gg-compare-chart"]):
                StaticVegaView(bands_spec(frame, labels, len(shown[0][1])), filename="compare", dark=dark)
            rows = summary_rows(frame)
            if rows:
                solara.HTML(tag="table", unsafe_innerHTML=table_html(rows, labels), classes=["gg-compare-table"],
                            style="border-collapse: collapse; font-size: 13px; margin-top: 8px")  # fmt: skip
    return main

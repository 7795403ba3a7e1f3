"""The dashboard page: the sidebar's choices and run control, and the tabs (Live, Deposits, Compare,
Experiments, Info).

Every browser session renders its own ``Page`` and so builds its own model (``State``, made once per page);
nothing model-related lives at module level. Only the open tab is rendered: the others cost nothing while
the run plays.
"""

from __future__ import annotations

from pathlib import Path

import solara

from dashboard.charts import PANEL_HEIGHT, charts_spec
from dashboard.compare import Compare
from dashboard.controls import RunControls
from dashboard.eventlog import EventLog
from dashboard.experiments_tab import Experiments
from dashboard.export import Export
from dashboard.info import Info
from dashboard.inspector import Inspector, ItemTable
from dashboard.layout import Shell
from dashboard.map import DepositMap
from dashboard.market_charts import markets_spec
from dashboard.monitors import Monitors
from dashboard.session import CHARTS, MARKETS, to_json
from dashboard.sidebar import Levers, ScenarioPicker, ThisRun
from dashboard.state import State
from dashboard.urlstate import decode
from dashboard.vega import FedVegaView

TITLE = "The Great Game: Kazakhstan's critical minerals"
CSS = Path(__file__).with_name("dashboard.css")
TABS = ("Live", "Deposits", "Compare", "Experiments", "Info")


@solara.component
def Panels(session, view: str, make_spec, min_height: int, dark: bool):
    """A view of panels over time (``view``: the charts or the markets), ``make_spec(model)`` its spec."""
    model = session.model
    spec = solara.use_memo(lambda: to_json(make_spec(model)), [model])
    with solara.Column(classes=[f"gg-{view}"], style={"min-height": f"{min_height}px", "overflow-x": "auto"}) as main:
        FedVegaView(session, view, spec, filename=view, dark=dark)
    return main


def competition(model) -> dict:
    """The competition's panels (shares, security, trust, windows, capital) for ``model``'s holders and run."""
    return charts_spec(model.holders, model.start_year, model.end_step)


def markets(model) -> dict:
    """The markets' and routes' panels for ``model``'s run and base prices."""
    return markets_spec(model.start_year, model.end_step, model.base_price)


@solara.component
def Live(state: State, dark: bool):
    """The live tab. It reads the quarter shown and hands it down as ``step``: every reader of a reactive value
    re-renders on its own (one pass each), and a component re-renders all it contains."""
    session, step = state.session.value, state.cursor.value
    with solara.Column(classes=["gg-live"], gap="10px") as main:
        Monitors(session, step)
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "flex-start", "gap": "16px"}):
            DepositMap(session, on_pick=state.pin, dark=dark)
            Inspector(session, step, state.pinned.value, state.unpin)
        EventLog(session, step)
        Panels(session, CHARTS, competition, 2 * PANEL_HEIGHT + 120, dark)
        Panels(session, MARKETS, markets, 2 * PANEL_HEIGHT + 170, dark)  # and its two menus
    return main


@solara.component
def Deposits(state: State):
    session, step = state.session.value, state.cursor.value
    with solara.Column(classes=["gg-deposits"], gap="10px") as main:
        Monitors(session, step, with_cards=False)
        Inspector(session, step, state.pinned.value, state.unpin)
        for layer in session.layers:
            solara.Text(f"{layer.title}s", classes=["gg-table-title"])
            ItemTable(session, step, layer, state.pin).key(layer.name)
    return main


@solara.component
def Body(state: State, notes: tuple[str, ...]):
    tab, set_tab = solara.use_state(0)
    dark = bool(solara.lab.use_dark_effective())
    with solara.Column(gap="8px") as main:
        solara.Style(CSS)
        for note in notes:
            solara.Warning(f"Left out of the address: {note}", dense=True, classes=["gg-url-note"])
        with solara.lab.Tabs(value=tab, on_value=set_tab):
            for name in TABS:
                solara.lab.Tab(name)
        if tab == 0:
            Live(state, dark)
        elif tab == 1:
            Deposits(state)
        elif tab == 2:
            applied = state.applied.value
            Compare(seed=applied.seed, levers=(applied.scenario, applied.values), dark=dark)
        elif tab == 3:
            Experiments(dark)
        else:
            Info()
    return main


@solara.component
def Page():
    search = solara.use_router().search
    state, notes = solara.use_memo(lambda: _start(search), [])
    sidebar = [ScenarioPicker(state), RunControls(state), Levers(state), ThisRun(state), Export(state.session.value)]
    return Shell(TITLE, sidebar, [Body(state, tuple(notes))])


def _start(search: str | None) -> tuple[State, list[str]]:
    choice, step, notes = decode(search)
    return State(choice, step), notes

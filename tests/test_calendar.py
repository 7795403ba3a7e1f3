"""The calendar API (run_until, at, a quarter-indexed timeseries), the event log, deposit snapshots at every
observed step, and Mesa's own components on the model."""

from __future__ import annotations

import inspect

import mesa
import pandas as pd
import pytest
import solara
from mesa.visualization import SolaraViz

from model import GreatGameModel
from model import scenario as scenarios
from model.errors import InputError
from model.events import ROLES, EventLog


@pytest.fixture(scope="module")
def model():
    m = scenarios.load("baseline").build(rng=5)
    m.run_until("2027Q2")
    return m


def test_run_until_a_quarter_and_read_it(model):
    assert (model.steps, model.quarter) == (6, "2027Q2")  # (2027 - 2026) * 4 + 2
    ts = model.timeseries()
    assert isinstance(ts.index, pd.PeriodIndex) and ts.index.name == "quarter"
    assert str(ts.index[0]) == "2025Q4" and ts["step"].tolist() == list(range(7))
    at = model.at("2026Q4")
    assert at["step"] == 4 and at.equals(ts.loc["2026Q4"]) and at.equals(model.at(pd.Period("2026Q4")))
    assert "capacity_share_eu" in at and not any(c != c.lower() for c in ts.columns)


@pytest.mark.parametrize(
    ("call", "needle"),
    [
        (lambda m: m.run_until("2026Q1"), "already past"),
        (lambda m: m.run_until("2027Q5"), "a quarter such as"),
        (lambda m: m.at("2031Q1"), "not observed"),
        (lambda m: m.deposit_frame(999), "step 999: not observed"),
        (lambda m: m.deposit_holders(-1), "not observed"),
    ],
)
def test_bad_quarters_and_steps_are_one_line(model, call, needle):
    with pytest.raises(InputError) as err:
        call(model)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_run_until_a_number_is_mesa_time():
    m = GreatGameModel(rng=1, **{"run.synthetic_deposits": 10, "investors.count": 5})
    m.run_until(2)
    assert m.steps == 2


def test_the_event_log_is_a_sequence_of_events_and_two_tidy_tables(model):
    log = model.events
    assert len(log) == len(log.rows) > 0 and list(log) == log.rows
    assert pd.DataFrame(log).columns.tolist()[:3] == ["step", "quarter", "kind"]
    frame = log.frame()
    assert frame["event"].tolist() == list(range(len(log))) and isinstance(frame["quarter"].dtype, pd.PeriodDtype)
    assert "others" not in frame and frame.loc[frame["kind"] == "shock", "deposit"].isna().all()
    who = log.participants()
    roles = {role for pair in ROLES.values() for role in pair} | {"in_approval", "pre_empted"}
    assert set(who["event"]) <= set(frame["event"]) and set(who["role"]) <= roles
    winners = who[who["role"] == "winner"].merge(frame, on="event")
    assert (winners["holder"] == winners["power"]).all() and set(winners["kind"]) == {"award"}
    for method in (EventLog, EventLog.add, EventLog.frame, EventLog.participants, EventLog.latest):
        assert inspect.getdoc(method)


def test_deposit_frames_have_the_same_columns_at_every_step(model):
    first, now = model.deposit_frame(0), model.deposit_frame()
    assert list(first.columns) == list(now.columns) and len(first) <= len(now)
    assert now["award_step"].dtype == "Int64" and now["award_step"].isna().any()
    assert not (now["award_step"] == -1).any() and now["controller"].isna().any()
    held = model.deposit_holders(3)
    assert set(held.columns) == {"deposit", "holder", "equity_share", "offtake_share"}
    sparse = scenarios.load("baseline").build(rng=5, **{"run.collect_every": 4})
    sparse.run_for(4)
    with pytest.raises(InputError, match=r"allowed: an observed step \(0, 4\)"):
        sparse.deposit_frame(3)


def test_step_shows_its_own_docstring_and_mesa_tools_see_no_clash(model):
    assert inspect.getdoc(model.step) == inspect.getdoc(GreatGameModel.step)
    assert inspect.getdoc(model.step).startswith("One quarter")
    assert "step" not in model.datacollector.model_vars and "quarter" in model.datacollector.model_vars


def test_solara_viz_default_components_draw_the_deposits(model):
    assert len(model.space._agent_to_index) == len(model.deposits)
    agent = next(iter(model.space._agent_to_index))
    assert agent.pos == (model.deposits.table.lon[agent.row], model.deposits.table.lat[agent.row])
    solara.render(SolaraViz(model, components="default"), handle_error=False)
    assert mesa.space.ContinuousSpace is type(model.space)

"""Scenario files: every shipped one runs; every kind of bad file is one clear line and exit 2."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import GreatGameModel
from model import scenario as scenarios
from model.errors import InputError
from tests.cli_helpers import assert_one_line_error, run_cli
from tests.conftest import deposit_row, write_table


@pytest.mark.parametrize("name", scenarios.names())
def test_every_scenario_loads_and_steps(name):
    scn = scenarios.load(name)
    assert scn.description
    m = GreatGameModel(**scn.model_kwargs(rng=1))
    m.run_for(8)
    assert len(m.timeseries()) == 9


def test_extends_and_dotted_override(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "eu_fast_track"\n[params]\n"eu.budget_usd_m" = 99\n')
    scn = scenarios.load(tmp_path / "a.toml")
    assert scn.params().values()["eu.approval_cap_q"] == 2 and scn.params().values()["eu.budget_usd_m"] == 99


def test_scenario_with_its_own_deposits_and_power(tmp_path):
    write_table(
        tmp_path / "mine.csv", [deposit_row(), deposit_row(id="d2", stage_2026="producing", holders_2026="GULF:1")]
    )
    (tmp_path / "s.toml").write_text('deposits = "mine.csv"\n[powers.GULF]\nbudget_usd_m = 50\n')
    m = GreatGameModel(**scenarios.load(tmp_path / "s.toml").model_kwargs(rng=1))
    assert len(m.deposits) == 2 and m.measures["reserve_share_gulf"] == 1.0


BAD = {
    "malformed": ("[params\n", ["malformed TOML"]),
    "unknown_top": ('colour = "red"\n', ["colour", "unknown key", "did you mean"]),
    "unknown_param": ('[params]\n"eu.speed" = 1\n', ["params.eu.speed", "unknown parameter", "did you mean"]),
    "twice": ('[params]\n"eu.trust0" = 0.2\n[params.eu]\ntrust0 = 0.9\n', ["params.eu.trust0", "given twice"]),
    "twice_power": ("[powers.GULF]\ntrust0 = 0.2\n[params.gulf]\ntrust0 = 0.9\n", ["gulf.trust0", "given twice"]),
    "bad_shock": ('[[shocks]]\nkind = "sanctions"\npower = "XX"\nyear = 2030\n', ["shocks[0].power", "one of"]),
    "shock_kind": ('[[shocks]]\nkind = "meteor"\nyear = 2030\n', ["shocks[0].kind", "sanctions"]),
    "wrong_type": ('[params.eu]\ndelay_mean_q = "slow"\n', ["eu.delay_mean_q", "got 'slow'", "float in [0, 40]"]),
    "out_of_range": ("[params.host]\noffer_rate = 3\n", ["host.offer_rate", "[0, 1]"]),
    "missing_extends": ('extends = "nowhere"\n', ["nowhere", "not found"]),
    "bad_power_field": ("[powers.GULF]\nspeed = 2\n", ["powers.GULF.speed", "unknown power field"]),
    "bad_power_code": ("[powers.eu]\nbudget_usd_m = 2\n", ["powers.eu", "upper-case"]),
    "missing_deposits": ('deposits = "none.csv"\n', ["deposits", "not found"]),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_scenario_files(capsys, tmp_path, case):
    text, needles = BAD[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(text)
    code, _, err = run_cli(capsys, "check", str(path))
    assert_one_line_error(code, err, str(path) if case != "missing_extends" else "nowhere", *needles)
    code, _, err = run_cli(capsys, "run", "--scenario", str(path), "--out", str(tmp_path / "out"))
    assert code == 2 and not (tmp_path / "out").exists()


def test_cyclic_extends(capsys, tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\n')
    (tmp_path / "b.toml").write_text('extends = "a.toml"\n')
    code, _, err = run_cli(capsys, "check", str(tmp_path / "a.toml"))
    assert_one_line_error(code, err, "extends", "cycle")


@pytest.mark.parametrize(
    ("row", "needles"),
    [
        ({"lat": "12"}, ["row 2 columns lon, lat", "Kazakhstan"]),
        ({"lon": "east"}, ["row 2 column lon", "a number"]),
        ({"commodity": "gold"}, ["row 2 column commodity", "copper"]),
        ({"stage_2026": "producing", "holders_2026": "KZ:0.5;CN:0.2"}, ["holders_2026", "sum to 0.7"]),
        ({"holders_2026": "KZ:1"}, ["holders_2026", "none for an unlicensed"]),
    ],
)
def test_bad_deposit_tables(capsys, tmp_path, row, needles):
    write_table(tmp_path / "t.csv", [deposit_row(**row)])
    (tmp_path / "s.toml").write_text('deposits = "t.csv"\n')
    code, _, err = run_cli(capsys, "check", str(tmp_path / "s.toml"))
    assert_one_line_error(code, err, "t.csv", *needles)


def test_deposit_table_missing_column(capsys, tmp_path):
    (tmp_path / "t.csv").write_text("id,name\nx,y\n")
    (tmp_path / "s.toml").write_text('deposits = "t.csv"\n')
    code, _, err = run_cli(capsys, "check", str(tmp_path / "s.toml"))
    assert_one_line_error(code, err, "t.csv", "column commodity", "missing")


toml_values = st.one_of(
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet="abcxyz_.", max_size=8),
    st.booleans(),
)
keys = st.one_of(
    st.sampled_from(
        [
            "eu.delay_mean_q",
            "host.offer_rate",
            "shock.sanctions_power",
            "run.start_year",
            "eu.priorities",
            "investors.count",
        ]
    ),
    st.text(alphabet="abcdefgh._", min_size=1, max_size=12),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(keys, toml_values, max_size=4),
    junk=st.sampled_from(["", "[params\n", "extends = 3\n", "x = 1\n", '"\n']),
)
def test_loader_fuzz_never_crashes(tmp_path, params, junk):
    import json

    body = junk + "[params]\n" + "".join(f"{json.dumps(k)} = {json.dumps(v)}\n" for k, v in params.items())
    path = tmp_path / "fuzz.toml"
    path.write_text(body)
    try:
        assert scenarios.load(path).params().values()
    except InputError as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)

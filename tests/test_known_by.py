"""A hindcast start may not carry an outcome known only after it: the model refuses a deposit table or a release
schedule whose ``known_by`` is later than the start, in one line naming the file, the row and what is allowed."""

from datetime import date

import pytest

from model import known_by
from model import scenario as scenarios
from model.errors import InputError
from model.paths import ROOT

KNOWN = "start_2022_known"


def test_known_by_dates_mean_their_latest_day():
    assert known_by.latest_day("2021-12-31") == date(2021, 12, 31)
    assert known_by.latest_day("2022-02") == date(2022, 2, 28)
    assert known_by.latest_day("2021") == date(2021, 12, 31)
    assert known_by.latest_day("unknown") is None and known_by.latest_day("2021-13") is None


def test_the_known_start_builds_and_reads_the_known_tables():
    m = scenarios.load(KNOWN).build(rng=1)
    assert m.params.run.deposits.endswith("deposits_2022_known.csv")
    assert m.params.run.state_pipeline.endswith("state_pipeline_2022.csv")


def _later(src: str, tmp_path, value: str, row: int = 3):
    lines = (ROOT / "data" / src).read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    assert head[-1] == "known_by"
    lines[row] = lines[row].rsplit(",", 1)[0] + "," + value
    out = tmp_path / src
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


@pytest.mark.parametrize(
    "src,key",
    [("deposits_2022_known.csv", "run.deposits"), ("state_pipeline_2022.csv", "run.state_pipeline")],
)
@pytest.mark.parametrize("value", ["2022-01-02", "2024-05", "2023", "unknown"])
def test_an_outcome_known_after_the_start_is_refused_in_one_line(tmp_path, src, key, value):
    path = _later(src, tmp_path, value)
    scn = scenarios.load(KNOWN).with_overrides({key: str(path)}, "--set")
    with pytest.raises(InputError) as err:
        scn.build(rng=1)
    text = str(err.value)
    assert "\n" not in text and str(path) in text and key in text and "row 4" in text
    assert "allowed:" in text and "2022-01-01" in text


def test_a_date_on_the_start_is_accepted(tmp_path):
    path = _later("deposits_2022_known.csv", tmp_path, "2022-01-01")
    scenarios.load(KNOWN).with_overrides({"run.deposits": str(path)}, "--set").build(rng=1)

"""The parameter registry: one typed definition per parameter, strictly checked."""

import inspect

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import GreatGameModel
from model import params as P
from model.errors import InputError


def test_model_signature_matches_registry():
    sig = inspect.signature(GreatGameModel.__init__).parameters
    explicit = {k: v for k, v in sig.items() if k not in ("self", "rng", "extra_powers")}
    assert list(explicit) == [p.kwarg for p in P.PARAMS.values()]
    for p in P.PARAMS.values():
        assert explicit[p.kwarg].default == p.default, p.key
        assert explicit[p.kwarg].kind is inspect.Parameter.KEYWORD_ONLY
    assert not any(v.kind is inspect.Parameter.VAR_KEYWORD for v in sig.values())
    assert "scenario" not in sig


def test_every_parameter_has_unit_source_and_doc():
    for p in P.PARAMS.values():
        assert p.unit.strip(), p.key
        assert p.doc.strip(), p.key
        assert p.source.strip(), p.key  # a reference, or the word "assumption" with a reason
        assert p.check(p.default, "defaults") == p.default


def test_unknown_key_lists_valid_ones():
    with pytest.raises(InputError) as exc:
        P.resolve({"eu.delay": 3})
    msg = str(exc.value)
    assert "eu.delay" in msg and "eu.delay_mean_q" in msg and "\n" not in msg


def test_out_of_range_names_key_and_range():
    with pytest.raises(InputError, match=r"eu\.delay_mean_q: got -1.*\[0, 40\]"):
        P.resolve({"eu.delay_mean_q": -1})
    with pytest.raises(InputError, match="shock.sanctions_power"):
        P.resolve({"shock.sanctions_power": "XX"})
    with pytest.raises(InputError, match="priorities"):
        P.resolve({"eu.priorities": "copper:1;unobtainium:2"})


def test_model_rejects_bad_keyword():
    with pytest.raises(TypeError):
        GreatGameModel(eu_delay=3)
    with pytest.raises(InputError, match="eu.budget_usd_m"):
        GreatGameModel(eu_budget_usd_m=-5.0)


@given(
    key=st.sampled_from(sorted(P.PARAMS)),
    value=st.one_of(
        st.text(max_size=5),
        st.floats(allow_nan=True),
        st.integers(-(10**9), 10**9),
        st.none(),
        st.lists(st.integers(), max_size=2),
        st.booleans(),
    ),
)
def test_any_value_is_accepted_in_range_or_rejected_in_one_line(key, value):
    param = P.PARAMS[key]
    try:
        out = param.check(value, "fuzz")
    except InputError as exc:
        assert "\n" not in str(exc) and key in str(exc)
        return
    assert isinstance(out, param.kind)
    if (
        isinstance(param.bounds, tuple)
        and param.bounds
        and isinstance(param.bounds[0], float | int)
        and param.kind is not str
    ):
        assert param.bounds[0] <= out <= param.bounds[1]


def test_odd_tables_are_current():
    from experiments import docs

    text = docs.ODD.read_text(encoding="utf-8")
    assert docs.render(text) == text, "docs/ODD.md is stale: run python -m experiments.docs"
    code = docs.MODEL.read_text(encoding="utf-8")
    assert docs.render_model(code) == code, "model signature is stale: run python -m experiments.docs"

"""The parameter registry: one typed definition per parameter, resolved once into a frozen Params."""

import dataclasses
import inspect
import pickle
import pydoc
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import GreatGameModel
from model import params as P
from model.commodities import NAMES as COMMODITIES
from model.errors import InputError
from model.powers import POWERS

ROOT = Path(__file__).resolve().parent.parent


def test_model_signature_is_built_from_the_registry():
    sig = inspect.signature(GreatGameModel).parameters
    assert list(sig)[:3] == ["rng", "extra_powers", "shocks"]
    explicit = {k: v for k, v in sig.items() if k not in ("rng", "extra_powers", "shocks")}
    assert list(explicit) == [p.alias for p in P.PARAMS.values()]
    for p in P.PARAMS.values():
        assert explicit[p.alias].default == p.default, p.key
        assert explicit[p.alias].kind is inspect.Parameter.KEYWORD_ONLY
    assert not any(v.kind is inspect.Parameter.VAR_KEYWORD for v in sig.values())
    assert "scenario" not in sig


def test_help_lists_every_parameter_with_unit_and_meaning():
    text = pydoc.render_doc(GreatGameModel, renderer=pydoc.plaintext)
    for p in P.PARAMS.values():
        assert f"{p.alias} ({p.key}; {p.unit}; default {p.default!r})" in text


def test_every_parameter_has_unit_source_and_doc():
    for p in P.PARAMS.values():
        assert p.unit.strip() and p.doc.strip(), p.key
        assert p.source.strip(), p.key  # a reference, or the word "assumption" with a reason
        assert p.source.strip().lower() != P.ASSUMPTION, f"{p.key}: an assumption needs its reason"
        assert p.check(p.default, "defaults") == p.default


def test_declared_fields_have_the_registry_type():
    params = P.resolve()
    for group in (params.run, params.host, params.econ, params.investors, params.price, params.markets, params.routes):
        for f in dataclasses.fields(group):
            value = getattr(group, f.name)
            assert type(value).__name__ == f.type or f.type.startswith("Mapping"), (f.name, f.type)


def test_params_are_frozen_typed_and_read_by_attribute():
    p = P.resolve({"eu.delay_mean_q": 6, "host.auction_window_q": 8.0})
    assert p.powers["EU"].delay_mean_q == 6.0 and isinstance(p.powers["EU"].delay_mean_q, float)
    assert p.host.auction_window_q == 8 and isinstance(p.host.auction_window_q, int)
    assert set(p.powers) == set(POWERS) and set(p.powers["EU"].priorities) == set(COMMODITIES)
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.host.auction_window_q = 3
    with pytest.raises(TypeError):
        p.powers["EU"].priorities["copper"] = 2.0
    assert pickle.loads(pickle.dumps(p)) == p
    assert p.values()["eu.delay_mean_q"] == 6.0 and len(p.values()) == len(P.PARAMS)


def test_nothing_in_the_model_reads_parameters_by_string_key():
    pattern = re.compile(r"""(\.v|\.p|params|values)\[["'][a-z_]+\.""")
    for folder in ("model", "agents"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert not pattern.search(text), f"{path}: {pattern.search(text).group(0)}"


def test_unknown_key_gets_the_three_closest():
    with pytest.raises(InputError) as exc:
        P.resolve({"eu.delay": 3})
    msg = str(exc.value)
    assert "eu.delay:" in msg and "eu.delay_mean_q" in msg and msg.count(",") + msg.count(" or ") >= 2
    assert "\n" not in msg


def test_out_of_range_names_key_and_range():
    with pytest.raises(InputError, match=r"eu\.delay_mean_q: got -1.*\[0, 40\]"):
        P.resolve({"eu.delay_mean_q": -1})
    with pytest.raises(InputError, match=r"eu\.priorities\.copper: got 11"):
        P.resolve({"eu.priorities.copper": 11})
    with pytest.raises(InputError, match=r"host\.auction_window_q: got 10000000000000000000000"):
        P.resolve({"host.auction_window_q": 10**400})


def test_model_takes_dotted_keys_or_mesa_aliases_but_not_both():
    a = GreatGameModel(**{"eu.delay_mean_q": 6.0}, rng=1)
    b = GreatGameModel(eu_delay_mean_q=6.0, rng=1)
    assert a.params == b.params
    with pytest.raises(InputError, match="given twice"):
        GreatGameModel(**{"eu.delay_mean_q": 6.0}, eu_delay_mean_q=5.0)
    with pytest.raises(InputError, match="eu_delay"):
        GreatGameModel(eu_delay=3)
    with pytest.raises(InputError, match=r"eu\.budget_usd_m"):
        GreatGameModel(eu_budget_usd_m=-5.0)


def test_seeds_from_numpy_and_text_and_bad_seeds():
    assert GreatGameModel(rng=np.int64(5)).params == GreatGameModel(rng="5").params
    np.testing.assert_array_equal(
        GreatGameModel(rng=np.int64(5)).investors.capital, GreatGameModel(rng=5).investors.capital
    )
    for bad in (-5, "x"):
        with pytest.raises(InputError, match="rng"):
            GreatGameModel(rng=bad)


def test_declared_powers_get_registry_entries_like_the_built_in_ones():
    reg = P.registry(("GULF",))
    jk = [k[3:] for k in P.PARAMS if k.startswith("jk.")]
    assert [k[5:] for k in reg if k.startswith("gulf.")] == jk
    p = P.resolve({"gulf.delay_mean_q": 1.0}, extra_powers=("GULF",))
    assert p.powers["GULF"].delay_mean_q == 1.0 and p.powers["GULF"].budget_usd_m == p.powers["JK"].budget_usd_m
    with pytest.raises(InputError, match=r"gulf\.delay_mean_q"):
        P.resolve({"gulf.delay_mean_q": 1.0})  # not declared
    for bad in ("EU", "gulf", "G", "KZ"):
        with pytest.raises(InputError, match="powers"):
            P.resolve(extra_powers=(bad,))


@given(
    key=st.sampled_from(sorted(P.PARAMS)),
    value=st.one_of(
        st.text(max_size=5),
        st.floats(allow_nan=True),
        st.integers(-(10**9), 10**9),
        st.integers(10**300, 10**305),
        st.none(),
        st.lists(st.integers(), max_size=2),
        st.booleans(),
        st.integers(0, 100).map(np.int64),
    ),
)
def test_any_value_is_accepted_in_range_or_rejected_in_one_line(key, value):
    param = P.PARAMS[key]
    try:
        out = param.check(value, "fuzz")
    except InputError as exc:
        assert "\n" not in str(exc) and key in str(exc) and len(str(exc)) < 400
        return
    assert type(out) is param.kind
    if param.bounds is not None:
        assert param.bounds[0] <= out <= param.bounds[1]


def test_odd_tables_are_current():
    from experiments.science import docs

    text = docs.ODD.read_text(encoding="utf-8")
    assert docs.render(text) == text, "docs/ODD.md is stale: run python -m experiments.science.docs"

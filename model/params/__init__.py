"""The one source of truth for parameters: each with its type, unit, bounds, source and meaning.

Keys are dotted (``eu.delay_mean_q``) in scenario files, experiment designs, ``--set`` and Python; the
underscore spelling (``eu_delay_mean_q``) is only Mesa's keyword alias, so that ``mesa.batch_run`` and
``SolaraViz`` can drive the model. A run's values are resolved once into a frozen :class:`Params`.
"""

from model.params.groups import GROUPS
from model.params.powers import PowerParams
from model.params.resolve import (
    DEFAULTS,
    PARAMS,
    Params,
    check_overrides,
    check_power_codes,
    from_model_kwargs,
    keyword_doc,
    registry,
    resolve,
    signature,
)
from model.params.spec import ASSUMPTION, FrozenMap, Param, Value, closest, show

__all__ = [
    "ASSUMPTION",
    "DEFAULTS",
    "GROUPS",
    "PARAMS",
    "FrozenMap",
    "Param",
    "Params",
    "PowerParams",
    "Value",
    "check_overrides",
    "check_power_codes",
    "closest",
    "from_model_kwargs",
    "keyword_doc",
    "registry",
    "resolve",
    "show",
    "signature",
]

"""model/licences.py is the one writer of a deposit's stage and holdings, and refuses transitions it does not allow."""

import ast
from pathlib import Path

import numpy as np
import pytest

from model import scenario as sc
from model.licences import BEFORE, TransitionError, _award
from model.vocabulary import Channel, Stage

ROOT = Path(__file__).resolve().parent.parent
GUARDED = {"stage", "equity", "offtake", "leader", "led"}
BUILDERS = {"model/state.py"}  # creates and grows the arrays (``Deposits.__post_init__``, ``append``)


def _written(target: ast.expr) -> str | None:
    """The guarded attribute a target writes into (``d.stage[rows] = ...``, ``d.equity += ...``), if any."""
    node = target.value if isinstance(target, ast.Subscript) else target
    while isinstance(node, ast.Subscript):
        node = node.value
    return node.attr if isinstance(node, ast.Attribute) and node.attr in GUARDED else None


def _writes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AugAssign) else []
        )
        for target in targets:
            for t in target.elts if isinstance(target, ast.Tuple) else [target]:
                if name := _written(t):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno} writes {name}")
        at_call = isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "at" and node.args
        if at_call and (name := _written(node.args[0])):  # np.add.at(d.equity, ...)
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} writes {name}")
    return found


def test_only_licences_writes_stage_and_holdings():
    offenders = []
    for package in ("model", "agents"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = str(path.relative_to(ROOT))
            if rel not in ("model/licences.py", *BUILDERS):
                offenders += _writes(path)
    assert not offenders, "\n".join(offenders)


def test_the_walker_sees_a_write():
    probe = ROOT / "tests" / "_probe_write.py"
    probe.write_text("d.stage[rows] = 3\nx, d.leader[0] = 1, 2\nnp.add.at(d.equity, 0, 1.0)\n", encoding="utf-8")
    try:
        assert len(_writes(probe)) == 3
    finally:
        probe.unlink()


@pytest.fixture
def model():
    return sc.load("baseline").build(rng=1)


def test_a_transition_not_allowed_is_refused_and_named(model):
    producing = int(np.flatnonzero(model.deposits.stage == Stage.PRODUCING)[0])
    with pytest.raises(TransitionError, match="allowed before offer: unlicensed"):
        model.licences.offer(np.array([producing]), np.array([3]))
    assert model.deposits.stage[producing] == Stage.PRODUCING


@pytest.mark.parametrize("as_rows", [lambda r: np.array(r), lambda r: np.array(r, dtype=np.int32), lambda r: r[-1]])
def test_every_kind_of_rows_is_checked_and_the_bad_one_named(model, as_rows):
    """Index arrays (the compiled check), other integer arrays and one row (numpy's) are held to the same rule."""
    free = np.flatnonzero(model.deposits.stage == Stage.UNLICENSED)[:2].tolist()
    producing = int(np.flatnonzero(model.deposits.stage == Stage.PRODUCING)[0])
    rows = as_rows([*free, producing])
    with pytest.raises(TransitionError, match=f"offer on {model.deposits.table.ids[producing]} in stage producing"):
        model.licences.offer(rows, np.full(np.size(rows), 3))
    model.licences._check("offer", as_rows(free))  # all of them allowed: no error


def test_every_operation_declares_its_stages():
    assert all(BEFORE.values()) and set(BEFORE) >= {"award", "decline", "revoke", "transfer", "start_development"}


def test_revocation_returns_the_plot_by_auction_and_logs_it(model):
    lic, d = model.licences, model.deposits
    free = int(np.flatnonzero((d.stage == Stage.UNLICENSED) & (d.table.channel == Channel.AUCTION))[0])
    lic.offer(np.array([free]), np.array([2]))
    lic.decline(np.array([free]), free_from=5)
    assert d.stage[free] == Stage.UNLICENSED and d.free_from[free] == 5
    dev = int(np.flatnonzero(d.stage == Stage.DEVELOPING)[0])
    n = len(model.events)
    lic.revoke(dev, "why")
    assert d.stage[dev] == Stage.UNLICENSED and d.leader[dev] == -1 and d.equity[dev].sum() == 0
    assert len(model.events) == n + 1 and model.events.rows[-1].kind == "revocation"


def numpy_award(d, rows, winner, equity, offtake, lead_q, finance, processing, public_lead, step):
    """``Licences.award``'s writes as numpy made them before 2026-12-07 (bans aside): the reference."""
    d["equity"][rows], d["offtake"][rows] = equity, offtake
    d["led"][rows] = False
    d["led"][rows, winner] = public_lead
    d["stage"][rows], d["leader"][rows], d["award_step"][rows] = Stage.AWARDED, winner, step
    d["dev_planned"][rows] = d["dev_left"][rows] = np.maximum(1, np.rint(lead_q)).astype(np.int64)
    d["dev_elapsed"][rows], d["slips"][rows] = 0, 0
    d["finance"][rows], d["processing"][rows], d["public_lead"][rows] = finance, processing, public_lead


@pytest.mark.parametrize("seed", range(20))
def test_an_awards_writes_are_numpys(seed):
    """Random awards, a row awarded twice in one (the last kept), leads of half a quarter, under one and long."""
    rng = np.random.default_rng(seed)
    n, h, k = 12, 6, int(rng.integers(1, 6))
    state = {
        "equity": rng.random((n, h)), "offtake": rng.random((n, h)), "led": rng.random((n, h)) < 0.5,
        "stage": rng.integers(0, 6, n), "leader": rng.integers(-1, h, n), "award_step": rng.integers(-1, 9, n),
        "dev_planned": rng.integers(0, 9, n), "dev_left": rng.integers(0, 9, n), "dev_elapsed": rng.integers(0, 9, n),
        "slips": rng.integers(0, 3, n), "finance": rng.random(n), "processing": rng.random(n),
        "public_lead": rng.random(n) < 0.5,
    }  # fmt: skip
    rows, winner = rng.integers(0, n, k), rng.integers(0, h, k)
    lead_q = rng.choice([0.2, 0.5, 1.5, 2.5, 7.49, 30.0], k)
    award = (rows, winner, rng.random((k, h)), rng.random((k, h)), lead_q, rng.random(k), rng.random(k),
             rng.random(k) < 0.5)  # fmt: skip
    want = {name: a.copy() for name, a in state.items()}
    numpy_award(want, *award, 7)
    _award(*award, 7, *state.values())
    for name, got in state.items():
        assert got.tobytes() == want[name].tobytes(), name

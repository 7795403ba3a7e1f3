"""experiments/ in layers that import one way only: cli → science → runner → safe_io → model (and agents)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("cli", "science", "runner", "safe_io")  # each may import the ones after it, never one before


def _imports(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


@pytest.mark.parametrize("layer", LAYERS)
def test_layer_imports_only_later_layers(layer):
    allowed = set(LAYERS[LAYERS.index(layer) :])
    for path in sorted((ROOT / "experiments" / layer).glob("*.py")):
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "experiments" and len(parts) > 1:
                assert parts[1] in allowed, f"{path.relative_to(ROOT)} imports {name}: {layer} may not import it"


def test_model_and_agents_know_nothing_of_experiments_or_dashboard():
    for package in ("model", "agents"):
        for path in sorted((ROOT / package).rglob("*.py")):
            for name in _imports(path):
                assert name.split(".")[0] not in ("experiments", "dashboard"), (
                    f"{path.relative_to(ROOT)} imports {name}"
                )


def test_no_module_left_at_the_top_of_experiments():
    assert sorted(p.name for p in (ROOT / "experiments").glob("*.py")) == ["__init__.py"]

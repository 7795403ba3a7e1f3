#!/usr/bin/env bash
# The package as a user gets it: build the wheel from the checkout's tracked files, install it into a fresh venv
# outside the checkout, and run the baseline, a scenario check and an experiment's dry run with `great-game`.
#
#   .ci/wheel.sh [PYTHON]        # PYTHON: a Python 3.12 (default python3)
set -euo pipefail
py=${1:-python3}
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src" "$work/dist" "$work/run"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work/src"   # not build/ or results/ of this checkout
"$py" -m venv "$work/venv"
"$work/venv/bin/pip" wheel -q --no-deps -w "$work/dist" "$work/src"
"$work/venv/bin/pip" install -q --no-compile "$work"/dist/great_game-*.whl   # no .pyc: a third of the time
cd "$work/run"
"$work/venv/bin/great-game" > baseline.txt
grep -q "wrote $work/run/results/baseline/" baseline.txt
"$work/venv/bin/python" - <<'PY'
from experiments.safe_io import schema
frame = schema.read("results/baseline/series.parquet")
assert len(frame) > 1000 and str(frame["quarter"].dtype) == "period[Q-DEC]", frame.dtypes
PY
"$work/venv/bin/great-game" check start_2022
"$work/venv/bin/great-game" experiment delay_cost --dry-run
echo "wheel: ok ($(basename "$work"/dist/great_game-*.whl) installed outside the checkout runs the baseline)"

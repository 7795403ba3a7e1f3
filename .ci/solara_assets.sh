#!/usr/bin/env bash
# Install Solara's browser assets into the asset proxy cache of a virtual environment, so that the dashboard
# works with no internet (Solara otherwise fetches them from a public CDN).
#
#   .ci/solara_assets.sh [VENV]        # VENV defaults to .venv
#
# A thin wrapper: the work is dashboard/assets.py (`python -m dashboard.assets`), which `python run.py
# dashboard` also runs before it starts. It reads the list of assets from the installed solara's own source,
# fetches each missing one once with `npm pack`, and checks every file solara requests (exit 1 if one is
# missing). Idempotent.
set -euo pipefail

venv=${1:-.venv}
py="$venv/bin/python"
[[ -x "$py" ]] || { echo "solara_assets: no python at $py (give the venv as the first argument)" >&2; exit 2; }
cd "$(dirname "$0")/.."
exec "$py" -m dashboard.assets

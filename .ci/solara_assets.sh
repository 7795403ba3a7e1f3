#!/usr/bin/env bash
# Install Solara's browser assets into the asset proxy cache of a virtual environment, so that
# `solara run server.py` works with no internet (Solara otherwise fetches them from a public CDN).
#
#   .ci/solara_assets.sh [VENV]        # VENV defaults to .venv
#
# The list of assets is read from the installed solara's own source (templates, components, widgets),
# so it follows a solara upgrade; each asset is fetched from the npm registry with `npm pack` and
# unpacked into <proxy cache>/<name>@<version>/, the layout Solara's /_solara/cdn/ route serves.
# Idempotent: an asset whose folder already holds its package.json is skipped; folders are written
# under a temporary name and renamed, so an interrupted run leaves no half-filled folder.
# At the end every file the solara source names is checked; a missing one is an error (exit 1).
set -euo pipefail

venv=${1:-.venv}
py="$venv/bin/python"
[[ -x "$py" ]] || { echo "solara_assets: no python at $py (give the venv as the first argument)" >&2; exit 2; }

# One line per asset: "SPEC<TAB>file,file,..." where SPEC is what npm pack takes (name@version or name@range)
# and the files are the paths solara requests inside it. Lines starting with "#" are notes.
plan=$("$py" - <<'EOF'
import re
from collections import defaultdict
from pathlib import Path

import ipyvue
import ipywidgets
import solara
import solara.server.settings as settings

root = Path(solara.__file__).parent
vue3 = ipyvue.__version__.startswith("3")
major = ipywidgets.__version__.split(".")[0]
# '{{cdn}}/x@1/...', '${this.getCdn()}/x@1/...', '${cdn}/x@1/...' in templates, components and widgets
pattern = re.compile(r"(?:\{\{\s*cdn\s*\}\}|getCdn\(\)\}|\$\{cdn\})(/[^\"'`\s)]+)")
spec_re = re.compile(r"^/((?:@[\w.-]+/)?[\w.-]+)@([\w.+-]+?)(/.*)?$")
wanted = defaultdict(set)
notes = []
paths = [(None, settings.assets.fontawesome_path)] if settings.assets.fontawesome_enabled else []
for f in sorted(root.rglob("*")):
    if "website" in f.parts or f.suffix not in {".py", ".vue", ".j2", ".html", ".js"} or not f.is_file():
        continue
    paths += [(f, m.group(1)) for m in pattern.finditer(f.read_text(encoding="utf-8", errors="ignore"))]
for f, path in paths:
    path = path.replace("{{ipywidget_major_version}}", major)
    if "solara-vuetify3-app" in path and not vue3 or "solara-vuetify-app@" in path and vue3:
        continue  # only the app bundle for the installed ipyvue major is requested
    if "$" in path or "{" in path:
        notes.append(f"# skipped {path} in {f.relative_to(root)}: version chosen at run time (component not used)")
        continue
    m = spec_re.match(path)
    if not m:
        notes.append(f"# skipped {path}: not a package path")
        continue
    name, version, inner = m.groups()
    wanted[f"{name}@{version}"].add((inner or "").lstrip("/"))
for line in sorted(set(notes)):
    print(line)
for spec, files in sorted(wanted.items()):
    print(spec + "\t" + ",".join(sorted(x for x in files if x)))
EOF
)
cache=$("$py" -c "import solara.server.settings as s; print(s.assets.proxy_cache_dir)")
mkdir -p "$cache"
echo "solara_assets: cache $cache"

work=$(mktemp -d "$cache/.install.XXXXXX")
trap 'rm -rf "$work"' EXIT
missing=0
while IFS=$'\t' read -r spec files; do
  if [[ "$spec" == \#* ]]; then echo "solara_assets: ${spec#\# }"; continue; fi
  dest="$cache/$spec"
  if [[ -f "$dest/package.json" ]]; then
    echo "solara_assets: $spec already cached"
  else
    command -v npm >/dev/null || { echo "solara_assets: npm not found (apt-get install -y npm)" >&2; exit 2; }
    tgz=$(cd "$work" && npm pack --silent "$spec" | tail -n 1)
    mkdir -p "$work/unpacked"
    tar -xzf "$work/$tgz" -C "$work/unpacked" --strip-components=1 --no-same-owner
    rm -f "$work/$tgz"
    mkdir -p "$(dirname "$dest")"
    rm -rf "$dest"
    mv "$work/unpacked" "$dest"
    echo "solara_assets: $spec installed ($(du -sh "$dest" | cut -f1), version $("$py" -c "import json,sys; print(json.load(open(sys.argv[1]))['version'])" "$dest/package.json"))"
  fi
  # requirejs ships only require.js; solara's markdown asks for require.min.js when requirejs is not loaded yet
  if [[ "$spec" == requirejs@* && ! -f "$dest/require.min.js" ]]; then cp "$dest/require.js" "$dest/require.min.js"; fi
  IFS=',' read -r -a list <<<"$files"
  for f in "${list[@]}"; do
    [[ -z "$f" || -f "$dest/$f" ]] || { echo "solara_assets: MISSING $spec/$f (solara requests it)" >&2; missing=1; }
  done
done <<<"$plan"
if [[ $missing -ne 0 ]]; then
  echo "solara_assets: some requested files are missing" >&2
  exit 1
fi
echo "solara_assets: ok"

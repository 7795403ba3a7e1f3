"""The live dashboard. Start it with

    SOLARA_TELEMETRY_MIXPANEL_ENABLE=false .venv/bin/solara run server.py --host 127.0.0.1 --port 8765

(see docs/dashboard.md). Every browser session builds its own model (``dashboard.app.Page``); the
browser assets come from the local proxy cache that ``.ci/solara_assets.sh`` fills, so the page works
with no internet.
"""

import os

from solara.server import settings

from dashboard.app import Page

# Telemetry off even if the environment variable was forgotten (this module loads after the server
# started, so the start-up ping is only avoided by the environment variable itself).
settings.telemetry.mixpanel_enable = False
# A closed tab's session (and a model still playing in it) is dropped after 2 minutes, not Solara's
# default 24 hours; a reload within that time reconnects to it.
if "SOLARA_KERNEL_CULL_TIMEOUT" not in os.environ:
    settings.kernel.cull_timeout = "2m"

__all__ = ["Page"]

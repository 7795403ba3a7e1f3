"""The live dashboard; start it with ``python run.py dashboard`` (see docs/dashboard.md).

Every browser session builds its own model (``dashboard.app.Page``); the browser assets come from the
local proxy cache that ``python run.py dashboard`` fills, so the page works with no internet.
"""

import os

# Reacton's tree walk that skips the parts of the page that did not change: four times less server time a
# quarter (the whole page was reconciled on every render pass). Read when a page's render context is made.
os.environ.setdefault("REACTON_FAST", "1")

import solara
from solara.server import settings

from dashboard.app import Page

# Telemetry off even if the environment variable was forgotten (this module loads after the server
# started, so the start-up ping is only avoided by the environment variable itself).
settings.telemetry.mixpanel_enable = False
# A closed tab's session (and a model still playing in it) is dropped after 2 minutes, not Solara's
# default 24 hours; a reload within that time reconnects to it.
if "SOLARA_KERNEL_CULL_TIMEOUT" not in os.environ:
    settings.kernel.cull_timeout = "2m"


@solara.component
def Layout(children=()):
    """The page draws its own frame (dashboard/layout.py) instead of Solara's AppLayout."""
    return solara.Div(children=list(children))


__all__ = ["Layout", "Page"]

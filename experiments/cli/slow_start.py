"""One line on stderr when a command is slow to start, so that a newcomer's first run does not look stuck.

In a fresh checkout the first run compiles the model's numba kernels into their cache (about 50 s on 2 cores, with
nothing to show for it); every later run loads them in under a second. A timer says so if the run is still going
after a few seconds, and says nothing otherwise.
"""

from __future__ import annotations

import contextlib
import sys
import threading

AFTER_S = 5.0  # a warm baseline run takes well under a second; a first one, about a minute
FIRST_RUN = (
    f"still running after {AFTER_S:g} s: if this is the first run in this checkout, numba is compiling the model's kernels "
    "into their cache (about a minute on 2 cores); later runs load them in under a second"
)


@contextlib.contextmanager
def notice(seconds: float = AFTER_S, text: str = FIRST_RUN, stream=None):
    """Print ``text`` on ``stream`` (stderr) if the block is still running after ``seconds``."""
    timer = threading.Timer(seconds, lambda: print(text, file=stream or sys.stderr, flush=True))
    timer.daemon = True  # a timer never keeps the process alive
    timer.start()
    try:
        yield
    finally:
        timer.cancel()

"""Ctrl-C and SIGTERM as one clean stop: the first signal stops the command, later ones cannot cut its cleanup.

Python turns each Ctrl-C into a ``KeyboardInterrupt`` wherever the program is, so a second one (or a second
``kill PID``) used to land in the middle of saving the finished runs and end in a traceback; SIGTERM, left to
its default, ended the process without saving anything. Here the first SIGINT or SIGTERM raises
``KeyboardInterrupt``; later ones are ignored while the command saves and stops (which is bounded: workers get
a short grace period, then are killed). Inside :meth:`Interrupts.deferred` (starting a cluster, whose worker
processes would be left half-started) the first signal waits until the block ends.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupts:
    """Installs the handler for SIGINT and SIGTERM while in use (main thread only; elsewhere it does nothing)."""

    def __init__(self) -> None:
        self.received: list[int] = []
        self.stopping = False
        self._depth = 0
        self._old: dict[int, object] = {}

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._old = {sig: signal.signal(sig, self._handler) for sig in SIGNALS}
        return self

    def __exit__(self, *exc) -> bool:
        for sig, old in self._old.items():
            signal.signal(sig, old)
        return False

    def _handler(self, signum, frame) -> None:
        self.received.append(signum)
        if self.stopping or self._depth:
            return
        self.stopping = True
        raise KeyboardInterrupt

    def stop(self) -> None:
        """The command is saving and stopping: from now on signals are noted and ignored."""
        self.stopping = True

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """A signal received inside the block stops the command only once the block has finished."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
        if not self._depth and self.received and not self.stopping:
            self.stopping = True
            raise KeyboardInterrupt

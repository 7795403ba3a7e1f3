"""stdout that cannot stop a command: output lost to a full disk or a closed pipe is reported, once, at the end.

``python run.py > /dev/full``, or stdout on a disk that fills up, used to end a run that had already written its
results in a message naming neither stdout nor the results (an ``OSError`` caught as a bad path). Here the
first failure to write is kept and later output dropped; the command goes on and finishes, and ``main`` then
says on stderr that stdout could not be written and whether the command's work is done. A closed pipe
(``run.py scenarios | head -1``) is the reader's choice, not a failure: nothing is said.
"""

from __future__ import annotations

import contextlib
import os
import sys


class Guarded:
    """A stand-in for ``sys.stdout`` that keeps the first ``OSError`` instead of raising it."""

    def __init__(self, stream):
        self.stream, self.error = stream, None

    def write(self, text: str) -> int:
        if self.error is None:
            try:
                return self.stream.write(text)
            except OSError as exc:
                self.error = exc
        return len(text)

    def flush(self) -> None:
        if self.error is None:
            try:
                self.stream.flush()
            except OSError as exc:
                self.error = exc

    def __getattr__(self, name):
        return getattr(self.stream, name)


@contextlib.contextmanager
def guarded():
    """``sys.stdout`` guarded while the block runs (flushed at its end); yields the :class:`Guarded` stream."""
    guard = Guarded(sys.stdout)
    sys.stdout = guard
    try:
        yield guard
    finally:
        guard.flush()
        sys.stdout = guard.stream
        if guard.error is not None:
            _discard(guard.stream)


def _discard(stream) -> None:
    """Point the stream's file at /dev/null, so that the interpreter's own flush at exit cannot fail again."""
    with contextlib.suppress(AttributeError, OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)


def lost(guard: Guarded, code: int) -> str:
    """The line that reports output lost to stdout, saying whether the command's work was done."""
    why = guard.error.strerror or type(guard.error).__name__
    done = (
        "the command finished: its results are written; only what it printed was lost"
        if code == 0
        else f"the command ended with exit status {code}, as reported above"
    )
    return f"run.py: error: stdout: cannot write ({why}); {done}"

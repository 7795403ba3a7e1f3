"""One error type for bad input, so every entry point can turn it into one line and exit 2."""

from __future__ import annotations


def escape(text: str) -> str:
    """Text safe for a one-line message (newlines and control characters shown escaped)."""
    return text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text


class InputError(ValueError):
    """Bad input: names where (file or 'parameters'), what (key, or row and column) and what is allowed.

    Each part is escaped, so a key or path holding a newline or an escape sequence still gives one line.
    """

    def __init__(self, where: str, key: str, allowed: str):
        self.where, self.key, self.allowed = escape(str(where)), escape(str(key)), escape(str(allowed))
        super().__init__(f"{self.where}: {self.key}: {self.allowed}")

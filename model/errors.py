"""One error type for bad input, so every entry point can turn it into one line and exit 2."""

from __future__ import annotations


class InputError(ValueError):
    """Bad input: names where (file or 'parameters'), what (key, or row and column) and what is allowed."""

    def __init__(self, where: str, key: str, allowed: str):
        self.where, self.key, self.allowed = where, key, allowed
        super().__init__(f"{where}: {key}: {allowed}")

"""Error types of the engine: one root, each carrying where the problem is."""
from __future__ import annotations


class MatcherError(Exception):
    """Root of every error the engine raises on purpose."""


class KnowledgeBaseError(MatcherError):
    """A knowledge-base file is broken; the message reads `file:line: what is wrong`."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class KnowledgeBaseErrors(MatcherError):
    """Several knowledge-base problems found in one validation run."""

    def __init__(self, errors: list[KnowledgeBaseError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


class InputError(MatcherError):
    """The input cannot be read as text (binary, unknown encoding, too large)."""

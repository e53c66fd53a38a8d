"""What the engine knows about one input while it scores entries: the document, the prefilter hits, the facts,
the chat text, the SIP codes, and caches that look-alike entries share."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .document import Document
from .evidence.model import FactSet
from .negation import denied_view
from .phrases import STOPWORDS, Prose


@dataclass
class Context:
    doc: Document
    hits: dict[str, list[int]]
    facts: FactSet
    prose: Prose
    sip_codes: list[tuple[int, int | None]]
    similar: dict[str, tuple[float, str]] = field(default_factory=dict)   # entry id -> (cosine, stored question)
    chat_only: bool = False          # a question in words with no structured evidence
    similar_best: str = ""
    query: set[str] = field(default_factory=set)
    without_similarity: dict[str, float] = field(default_factory=dict)
    similar_margin: float = 0.0
    record_values: dict[int, dict[str, str]] = field(default_factory=dict)
    record_results: dict[tuple[tuple[tuple[str, str], ...], int], bool] = field(default_factory=dict)
    excluded: list[tuple[str, str]] = field(default_factory=list)   # (entry id, why a look-alike ruled it out)
    folded_records: dict[tuple[int, bool], tuple[dict[str, str], str] | None] = field(default_factory=dict)
    tied: dict[str, float] = field(default_factory=dict)   # weak answers that tied: triage candidates instead
    _denied_views: dict[int, tuple[str, str]] = field(default_factory=dict)   # chat line -> (read, denials blanked)
    _said: set[int] | None = None

    def denies(self, index: int, found: Callable[[str], bool]) -> bool:
        """Whether a chat line says what `found` looks for only where it denies it ("we do not see unknown ca")."""
        denied = self.prose.denials.get(index)
        if not denied:
            return False   # most lines deny nothing
        view = self._denied_views.get(index)
        if view is None:
            text = next(t for i, t in self.prose.lines if i == index)
            view = self._denied_views[index] = denied_view(text, denied, STOPWORDS)
        return found(view[0]) and not found(view[1])

    def said_lines(self) -> set[int]:
        """The line numbers (1-based, as evidence gives them) of the writer's own chat lines."""
        if self._said is None:
            self._said = {self.doc.line_number(i) for i, _ in self.prose.lines}
        return self._said

    def pasted(self) -> bool:
        """Whether the message holds any line that is not the writer's own chat (a log, a capture, a table)."""
        return sum(1 for line in self.doc.lines if line.strip()) > len(self.prose.lines)

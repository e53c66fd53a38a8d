"""How close a chat question is to the questions and symptoms an entry lists (TF-IDF cosine).

Hand-written phrases catch the wordings an author foresaw; this catches the rest of the same question
asked another way. It is explainable: the evidence quotes the stored question that came closest.

>>> index = QuestionIndex({"a": ["how do I decode port 5062 in wireshark"],
...                        "b": ["which ports does expressway listen on"]})
>>> best = index.best({"wireshark", "decod", "5062", "tls"})
>>> round(best["a"][0], 2) > 0.6, "b" in best
(True, False)
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from .normalize import cjk_tokens, clean_line, words
from .phrases import STOPWORDS, token_forms

EXTRA_STOPWORDS = frozenset(
    "how do does can could what which where why when who is are was there any i we our my me you it this that "
    "to of in on for with at by from and or but not no yes please pls thanks hi hello get see use do did done "
    "just one some all so if then than also again still only just".split()
)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])")


def sentences(text: str) -> list[str]:
    """A paragraph's sentences: a cause told in words is compared with each, not drowned in the whole paragraph.

    >>> sentences("With TLS verify On, the E checks the SAN. When it differs, it drops the call.")
    ['With TLS verify On, the E checks the SAN.', 'When it differs, it drops the call.']
    """
    return [s for s in _SENTENCE_END.split(" ".join(text.split())) if s]


def content_tokens(text: str) -> set[str]:
    """A stored wording's words. A Chinese wording counts only its Chinese: the English terms it quotes ("603",
    "Expressway-E") are in the English wordings already, and in a short Chinese text they would outweigh them."""
    chinese = cjk_tokens(text) if not text.isascii() else set()
    if chinese:
        return chinese
    out: set[str] = set()
    for w in words(clean_line(text)):
        if w in STOPWORDS or w in EXTRA_STOPWORDS:
            continue
        out.update(f for f in token_forms(w) if f not in EXTRA_STOPWORDS)
    return out


class QuestionIndex:
    def __init__(self, documents: Mapping[str, Iterable[str]]) -> None:
        self._docs: list[tuple[str, str, dict[str, float], float]] = []   # (entry id, text, weights, norm)
        self._by_entry: dict[str, list[int]] = {}
        tokenised: list[tuple[str, str, set[str]]] = []
        df: dict[str, int] = {}
        for entry_id, texts in documents.items():
            for text in texts:
                tokens = content_tokens(text)
                if tokens:
                    tokenised.append((entry_id, text, tokens))
                    for t in tokens:
                        df[t] = df.get(t, 0) + 1
        n = max(len(tokenised), 1)
        self.idf = {t: math.log(1 + n / c) for t, c in df.items()}
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for doc_id, (entry_id, text, tokens) in enumerate(tokenised):
            weights = {t: self.idf[t] for t in sorted(tokens)}   # sorted: the same norm every run
            norm = math.sqrt(sum(w * w for w in weights.values()))
            self._by_entry.setdefault(entry_id, []).append(len(self._docs))
            self._docs.append((entry_id, text, weights, norm))
            for t, w in weights.items():
                self.postings.setdefault(t, []).append((doc_id, w))

    def prepare(self, tokens: set[str]) -> tuple[dict[str, float], float]:
        """The query's weights and norm, computed once per message."""
        query = {t: self.idf[t] for t in sorted(tokens) if t in self.idf}   # sorted: the same sums every run
        return query, math.sqrt(sum(w * w for w in query.values()))

    def score_entry(self, entry_id: str, prepared: tuple[dict[str, float], float]) -> tuple[float, str]:
        """Best cosine between a prepared query and one entry's stored texts (cost: that entry's texts)."""
        query, qnorm = prepared
        best = (0.0, "")
        if not query:
            return best
        for doc_id in self._by_entry.get(entry_id, ()):
            _, text, weights, norm = self._docs[doc_id]
            common = weights.keys() & query.keys()   # set intersection in C; the sum runs over a few words
            dot = sum(weights[t] * query[t] for t in sorted(common)) if common else 0.0   # fixed order: same sum
            if dot and dot / (qnorm * norm) > best[0]:
                best = (dot / (qnorm * norm), text)
        return best

    def best(self, tokens: set[str]) -> dict[str, tuple[float, str]]:
        """Entry id -> (best cosine, the stored text it came from), for entries sharing any word."""
        query = {t: self.idf[t] for t in sorted(tokens) if t in self.idf}   # sorted: the same sums every run
        if not query:
            return {}
        qnorm = math.sqrt(sum(w * w for w in query.values()))
        dots: dict[int, float] = {}
        for t, qw in query.items():
            for doc_id, dw in self.postings[t]:
                dots[doc_id] = dots.get(doc_id, 0.0) + qw * dw
        out: dict[str, tuple[float, str]] = {}
        for doc_id, dot in dots.items():
            entry_id, text, _, norm = self._docs[doc_id]
            score = dot / (qnorm * norm)
            if score > out.get(entry_id, (0.0, ""))[0]:
                out[entry_id] = (score, text)
        return out

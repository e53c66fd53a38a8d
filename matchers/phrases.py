"""Chat and prose: word-level phrase matching that tolerates typos, plurals and abbreviations.

>>> prose = Prose.from_lines(["my webex app gets two call notifications, expe is X14"])
>>> prose.has_phrase("two notifications"), prose.has_phrase("expressway x14"), prose.has_phrase("three toasts")
(True, True, False)
>>> Prose.from_lines(["how do i decode 5062 in wireshark?"]).asks_how
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from .normalize import clean_line, words

ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "expe": ("expressway", "expressway-e"), "exp-e": ("expressway", "expressway-e"),
    "expwy-e": ("expressway", "expressway-e"), "vcse": ("expressway", "expressway-e"),
    "vcs-e": ("expressway", "expressway-e"), "expressway-e": ("expressway", "expressway-e"),
    "expc": ("expressway", "expressway-c"), "exp-c": ("expressway", "expressway-c"),
    "vcsc": ("expressway", "expressway-c"), "vcs-c": ("expressway", "expressway-c"),
    "expressway-c": ("expressway", "expressway-c"), "exp": ("expressway",), "expwy": ("expressway",),
    "vcs": ("expressway",),
    "ch": ("control", "hub"), "controlhub": ("control", "hub"),
    "cucm": ("cucm",), "ucm": ("cucm",), "callmanager": ("cucm",), "cm": ("cucm",),
    "spark": ("webex",), "wbx": ("webex",), "webex": ("webex",),
    "cert": ("certificate",), "certs": ("certificate",), "crt": ("certificate",),
    "msg": ("message",), "msgs": ("message",), "pls": ("please",), "plz": ("please",), "u": ("you",),
    "cfg": ("config",), "configuration": ("config",), "xconfig": ("config", "xconfiguration"),
    "fw": ("firewall",), "pcap": ("capture",), "tcpdump": ("capture", "tcpdump"),
    "ws": ("wireshark",), "mtls": ("mtls", "tls", "mutual"), "ssl": ("ssl", "tls"),
    "toast": ("notification", "toast"), "toasts": ("notification", "toast"),
    "notif": ("notification",), "notifs": ("notification",),
    "ringback": ("ringback", "ring"), "rd": ("remote", "device"), "ctird": ("remote", "device"),
    "srv": ("srv", "dns"), "fqdn": ("fqdn", "hostname"), "ip": ("ip", "address"),
    "dont": ("not",), "doesnt": ("not",), "didnt": ("not",), "cant": ("not", "can"), "wont": ("not",),
    "isnt": ("not",), "never": ("never", "not"), "nothing": ("nothing", "not"),
    "2": ("two",), "3": ("three",), "w/": ("with",), "b2b": ("b2b", "business"),
}
STOPWORDS = frozenset("the a an to is are was of for in on my our we i it this that with at be from by as "
                      "me you your its".split())
_SUFFIXES = ("ing", "ed", "es", "s", "e")
_ASKS_HOW = re.compile(
    r"\b(how (do|can|to|does|should|would|is)|where (do|can|is|are|in|does)|which (module|modules|log|logs|port|"
    r"ports|page|filter|filters|setting|tool)|what are the steps|walk me through|steps (to|for)|is there a "
    r"(quick|way|page|tool|command)|can i (see|test|check|find|get|save|export|tell)|how does|where does|"
    r"explain|what happens|show me how|what does .{0,40} check|is there (a|an|any) |what'?s the (command|way|page|"
    r"menu|equivalent|order|sequence)|what (command|menu|page|filter)|which (command|menu)|what should i (search|"
    r"look|check|test)|what do i (search|look|check|test)|in which order|dry.?run|walk (me )?through)\b"
)
_QUESTION = re.compile(r"\?|^\s*(why|what|how|where|which|can|could|is|are|does|do|any idea|anyone|help)\b")
MAX_PROSE_LINES = 400
MAX_TOKENS = 6000


def stem(word: str) -> str:
    """Fold plurals and common endings so 'notifications' and 'notification' compare equal.

    >>> stem("notifications"), stem("ringing"), stem("decoded"), stem("decode")
    ('notification', 'ring', 'decod', 'decod')
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed", "es", "s"):
                return word[:-1] if word.endswith("e") and len(word) > 4 else word
            return word
    return word


_PARTS = re.compile(r"[.@_/-]")


def _expand(token: str) -> tuple[str, ...]:
    """The token, its abbreviation expansion, and the parts of dotted or dashed names."""
    expanded = ABBREVIATIONS.get(token, (token,))
    if _PARTS.search(token):
        expanded = (*expanded, *(p for p in _PARTS.split(token) if p))
    return expanded


def phrase_words(phrase: str) -> tuple[str, ...]:
    out: list[str] = []
    for w in words(clean_line(phrase)):
        if w in STOPWORDS:
            continue
        out.extend(stem(x) for x in _expand(w))
    return tuple(dict.fromkeys(out))


@dataclass
class Prose:
    """The free-text part of a message: its lines, words and whether it asks something."""

    lines: list[tuple[int, str]] = field(default_factory=list)   # (line index, cleaned text)
    tokens: set[str] = field(default_factory=set)
    line_tokens: list[set[str]] = field(default_factory=list)    # per prose line, for the sentence window
    asks_how: bool = False
    is_question: bool = False
    _token_list: list[str] = field(default_factory=list)
    _cache: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def from_lines(cls, raw_lines: list[str], indexes: list[int] | None = None) -> Prose:
        prose = cls()
        pairs = list(zip(indexes if indexes is not None else range(len(raw_lines)), raw_lines, strict=False))
        for index, raw in pairs[:MAX_PROSE_LINES]:
            text = clean_line(raw[:1000])
            if not text:
                continue
            prose.lines.append((index, text))
            line_tokens = {stem(x) for w in words(text) for x in _expand(w)}
            prose.line_tokens.append(line_tokens)
            if len(prose.tokens) < MAX_TOKENS:
                prose.tokens.update(line_tokens)
            if _ASKS_HOW.search(text):
                prose.asks_how = True
            if _QUESTION.search(text):
                prose.is_question = True
        prose.is_question = prose.is_question or prose.asks_how
        prose._token_list = sorted(prose.tokens)
        return prose

    def _spelled(self, word: str) -> str | None:
        """The message's own token for `word`: itself, or a close misspelling of a long word."""
        if word in self.tokens:
            return word
        if len(word) < 6 or not self._token_list:
            return None
        best = process.extractOne(word, self._token_list, scorer=fuzz.ratio, score_cutoff=90)
        return best[0] if best else None

    def has_phrase(self, phrase: str) -> bool:
        """Every word of the phrase within one prose line and the next (one sentence, roughly)."""
        cached = self._cache.get(phrase)
        if cached is not None:
            return cached
        ws = phrase_words(phrase)
        spelled = [self._spelled(w) for w in ws]
        found = False
        if ws and all(spelled):
            need = set(spelled)  # type: ignore[arg-type]
            tokens = self.line_tokens
            found = any(need <= (tokens[i] | tokens[i + 1] if i + 1 < len(tokens) else tokens[i])
                        for i in range(len(tokens)))
        if not found and len(phrase) >= 20:
            # near-verbatim quotes of long phrases (OCR damage inside words); short deciding words such as
            # "on"/"off" make up too little of a long phrase, so the bar is high
            target = clean_line(phrase)
            found = any(
                fuzz.partial_ratio(target, text, score_cutoff=96) for _, text in self.lines if len(text) >= len(target)
            )
        self._cache[phrase] = found
        return found

    def line_for(self, phrase: str) -> tuple[int | None, str]:
        """The prose line that best shows `phrase`, for quoting."""
        ws = phrase_words(phrase)
        best: tuple[int, int | None, str] = (-1, None, "")
        for index, text in self.lines:
            tokens = {stem(x) for w in words(text) for x in _expand(w)}
            score = sum(1 for w in ws if w in tokens)
            if score > best[0]:
                best = (score, index, text)
        return best[1], best[2]

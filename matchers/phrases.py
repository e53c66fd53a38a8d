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
}
STOPWORDS = frozenset("the a an to is are was of for in on my our we i it this that with at be from by as "
                      "me you your its".split())
_SUFFIXES = ("ing", "ed", "es", "s", "e")
_ASKS_HOW = re.compile(
    r"\b(how (do|can|to|does|should|would|is)|where (do|can|is|are|in|does)|which (module|modules|log|logs|port|"
    r"ports|page|filter|filters|setting|tool)|what are the steps|walk me through|steps (to|for)|is there a "
    r"(quick|way|page|tool|command)|can i (see|test|check|find|get|save|export|tell)|how does|where does|"
    r"explain|what happens|show me how|what does .{0,40} check)\b"
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


def _expand(token: str) -> tuple[str, ...]:
    return ABBREVIATIONS.get(token, (token,))


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
            for w in words(text):
                for x in _expand(w):
                    if len(prose.tokens) < MAX_TOKENS:
                        prose.tokens.add(stem(x))
            if _ASKS_HOW.search(text):
                prose.asks_how = True
            if _QUESTION.search(text):
                prose.is_question = True
        prose.is_question = prose.is_question or prose.asks_how
        prose._token_list = sorted(prose.tokens)
        return prose

    def _has_word(self, word: str) -> bool:
        if word in self.tokens:
            return True
        if len(word) < 6 or not self._token_list:
            return False
        return process.extractOne(word, self._token_list, scorer=fuzz.ratio, score_cutoff=86) is not None

    def has_phrase(self, phrase: str) -> bool:
        cached = self._cache.get(phrase)
        if cached is not None:
            return cached
        ws = phrase_words(phrase)
        found = bool(ws) and all(self._has_word(w) for w in ws)
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

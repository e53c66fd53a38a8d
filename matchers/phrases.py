"""Chat and prose: word-level phrase matching that tolerates typos, plurals and abbreviations.

>>> index = PhraseIndex(["two notifications", "expressway x14", "three toasts", "preloaded routes"])
>>> prose = Prose.from_lines(["my webex app gets two call notificatons, expe is X14"], index=index)
>>> sorted(prose.matched)
['expressway x14', 'two notifications']
>>> Prose.from_lines(["how do i decode 5062 in wireshark?"]).asks_how
True

A phrase is quoted from the line it starts on, not from the line before:

>>> Prose.from_lines(["hello there", "my app shows two notifications"], index=index).matched
{'two notifications': 1}
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from rapidfuzz.distance import Levenshtein

from .asking import asks_causes, asks_how, asks_question
from .chinese import english_reading
from .negation import NEGATORS, content_words, expand_contractions, is_negative, read_denials, says_health
from .normalize import CJK_STOP_PAIRS, cjk_tokens, clean_line, clean_prose, ocr_fold, words
from .phrase_spans import said_where, stands_denied, values_follow, within_span

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
    "srv": ("srv", "dns"), "san": ("san", "subject", "alt"), "sans": ("san", "subject", "alt"),
    "cn": ("cn", "subject", "common"), "fqdn": ("fqdn", "hostname"), "ip": ("ip", "address"),
    "dont": ("not",), "doesnt": ("not",), "didnt": ("not",), "cant": ("not", "can"), "wont": ("not",),
    "isnt": ("not",), "never": ("never", "not"), "nothing": ("nothing", "not"),
    "g729": ("g729", "729"), "g711": ("g711", "711"), "g722": ("g722", "722"),   # as "G.729" is read: g, 729
    "2": ("two",), "3": ("three",), "w/": ("with",), "b2b": ("b2b", "business"),
    "edge": ("edge", "expressway", "expressway-e"), "cloud": ("cloud", "webex"),
}
STOPWORDS = frozenset("the a an to is are was of for in on my our we i it this that with at be from by as "
                      "me you your its".split())
_SUFFIXES = ("ing", "ed", "es", "s", "e")
_TABLE_ROW = re.compile(r"\S(?: {2,}|\t)\S.*\S(?: {2,}|\t)\S")   # two column gaps
MAX_PROSE_LINES = 400
MAX_TOKENS = 6000
FUZZY_MIN_LEN = 6
MIN_SPLIT_PART = 2    # halves of a run-together word: a stopword of two letters or more, a word of three or more
MIN_SPAN = 6          # a phrase's words must fall within this many words ...
SPAN_PER_WORD = 3     # ... or three per phrase word, whichever is more


def stem(word: str) -> str:
    """Fold plurals and common endings so 'notifications' and 'notification' compare equal.

    >>> stem("notifications"), stem("ringing"), stem("decoded"), stem("decode"), stem("dropped"), stem("drops")
    ('notification', 'ring', 'decod', 'decod', 'drop', 'drop')
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)]
            if suffix in ("ing", "ed"):   # "dropped" and "drops" alike; "called" keeps its double l
                if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                    return word[:-1]
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


@lru_cache(maxsize=65536)
def token_forms(token: str) -> tuple[str, ...]:
    """Stemmed forms a message token counts as (itself, abbreviation expansions, name parts)."""
    return tuple(dict.fromkeys(stem(x) for x in _expand(token)))


def phrase_words(phrase: str) -> tuple[str, ...]:
    out: list[str] = []
    for w in words(expand_contractions(clean_line(phrase))):
        if w in STOPWORDS:
            continue
        out.extend(stem(x) for x in _expand(w))
    return tuple(dict.fromkeys(out))


class PhraseIndex:
    """Every knowledge-base phrase, indexed by its words, built once per knowledge base.

    Matching a message costs what the message holds, not how many phrases exist: message words are
    mapped onto the phrase vocabulary (exactly, or as a one-edit misspelling of a word of six or more
    letters, found through a delete index and confirmed with rapidfuzz), and only phrases whose words
    all occur are checked further.
    """

    def __init__(self, phrases: Iterable[str]) -> None:
        self.words: dict[str, tuple[str, ...]] = {}
        self.by_word: dict[str, set[str]] = {}
        self.deletes: dict[str, set[str]] = {}
        self._vocab_cache: dict[str, frozenset[str]] = {}
        frequency: dict[str, int] = {}
        for phrase in phrases:
            ws = phrase_words(phrase)
            if not ws or phrase in self.words:
                continue
            self.words[phrase] = ws
            for w in ws:
                frequency[w] = frequency.get(w, 0) + 1
        # each phrase is filed under its rarest word only: a phrase cannot match without that word, and
        # common words ("webex", "call") then do not drag every phrase into every message's candidates
        self.vocabulary = set(frequency)
        # phrases that say a state themselves ("nothing on 5062", "check pattern succeeds") are said where it is
        self.negative = {phrase: is_negative(phrase) or says_health(phrase) for phrase in self.words}
        self.span_limit = {phrase: max(MIN_SPAN, SPAN_PER_WORD * len(ws)) for phrase, ws in self.words.items()}
        self._token_cache: dict[str, tuple[str, ...]] = {}
        for phrase, ws in self.words.items():
            rarest = min(ws, key=lambda w: (frequency[w], w))
            self.by_word.setdefault(rarest, set()).add(phrase)
        self.folded: dict[str, set[str]] = {}
        for w in self.vocabulary:
            self.folded.setdefault(ocr_fold(w), set()).add(w)
        for w in self.vocabulary:
            if len(w) >= FUZZY_MIN_LEN and w.isalpha():
                for d in _deletions(w):
                    self.deletes.setdefault(d, set()).add(w)

    def vocabulary_of(self, token: str) -> frozenset[str]:
        """Phrase words this message token stands for (itself, or a close misspelling of them)."""
        cached = self._vocab_cache.get(token)
        if cached is None:
            cached = frozenset(self._vocabulary_of(token))
            if len(self._vocab_cache) < 200_000:
                self._vocab_cache[token] = cached
        return cached

    def words_for_token(self, token: str) -> tuple[str, ...]:
        """Phrase words a message word stands for, through all its forms (stems, abbreviations, name parts)."""
        cached = self._token_cache.get(token)
        if cached is None:
            found: dict[str, None] = {}
            for form in token_forms(token):
                found.update(dict.fromkeys(self.vocabulary_of(form)))
            cached = tuple(found)
            if len(self._token_cache) < 200_000:
                self._token_cache[token] = cached
        return cached

    def _vocabulary_of(self, token: str) -> set[str]:
        if token in self.vocabulary:
            return {token}
        folded = self.folded.get(ocr_fold(token))
        if folded:                                              # "whlch", "explaln", "dlag", "lnvlte"
            return set(folded)
        if len(token) < FUZZY_MIN_LEN - 1 or not token.isalpha():
            return set()
        candidates = set(self.deletes.get(token, ()))          # the token lost a letter
        for d in _deletions(token):
            if d in self.vocabulary:                            # the token gained a letter
                candidates.add(d)
            candidates.update(self.deletes.get(d, ()))          # one letter differs
        found = {w for w in candidates if len(w) >= FUZZY_MIN_LEN and Levenshtein.distance(token, w) <= 1}
        return found or self._split_words(token)

    def _split_words(self, token: str) -> set[str]:
        """Two words run together where OCR or a hurried typist dropped the space ("tlsmode", "certificateit"):
        both halves must be words of the vocabulary (or one a stopword), exactly; the longest left half wins.

        >>> PhraseIndex(["mutual tls mode", "default certificate"])._split_words("certificateit")
        {'certificat'}
        """
        for cut in range(len(token) - MIN_SPLIT_PART, MIN_SPLIT_PART - 1, -1):
            left, right = self._word_forms(token[:cut]), self._word_forms(token[cut:])
            left_stop, right_stop = token[:cut] in STOPWORDS, token[cut:] in STOPWORDS
            if (left or left_stop) and (right or right_stop) and not (left_stop and right_stop):
                return left | right
        return set()

    def _word_forms(self, part: str) -> set[str]:
        return {w for w in token_forms(part) if w in self.vocabulary} if len(part) >= MIN_SPLIT_PART + 1 else set()


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


@dataclass
class Prose:
    """The free-text part of a message: its lines, which phrases they hold, and whether it asks something."""

    lines: list[tuple[int, str]] = field(default_factory=list)   # (line index, cleaned text)
    tokens: set[str] = field(default_factory=set)                 # stemmed words of all prose lines
    asks_how: bool = False
    is_question: bool = False
    asks_causes: bool = False                                      # asks for the possible causes (a differential)
    chinese: bool = False                                          # some of it is written in Chinese
    matched: dict[str, int] = field(default_factory=dict)        # phrase -> document line index
    translated: set[str] = field(default_factory=set)             # phrases said only by the English of zh terms
    denials: dict[int, set[int]] = field(default_factory=dict)   # line index -> the word positions it denies
    ruled_out: dict[str, int] = field(default_factory=dict)      # phrase -> line where the writer rules it out
    works: dict[str, int] = field(default_factory=dict)          # of those, phrases the writer says work ("DNS ok")

    @classmethod
    def from_lines(cls, raw_lines: list[str], indexes: list[int] | None = None,
                   index: PhraseIndex | None = None) -> Prose:
        prose = cls()
        pairs = list(zip(indexes if indexes is not None else range(len(raw_lines)), raw_lines, strict=False))
        line_words: list[list[str]] = []   # per line: its content words, in order (spans count these)
        line_denied: list[set[int]] = []   # per line: the positions of words the line denies ("is not empty")
        line_ruled: list[set[int]] = []    # of those, where it rules a part out ("the search rule is fine")
        line_works: list[set[int]] = []    # and where it says the part works ("DNS ok")
        translated: dict[int, tuple[list[str], set[int]]] = {}   # per Chinese line: its terms' English (chinese.py)
        for line_index, raw in pairs[:MAX_PROSE_LINES]:
            text = clean_prose(raw[:1000])
            if not text:
                continue
            prose.lines.append((line_index, text))
            sequence, denied, ruled, works = read_denials(text, STOPWORDS)
            if denied and _TABLE_ROW.search(raw):
                denied = ruled = works = set()   # a "No" in a table's column is a value, not a denial
            if denied:
                prose.denials[line_index] = denied
            line_words.append(sequence)
            line_denied.append(denied)
            line_ruled.append(ruled)
            line_works.append(works)
            if len(prose.tokens) < MAX_TOKENS:
                for k, w in enumerate(sequence):
                    if k not in denied or w in NEGATORS:   # a denied word is not what the message is about
                        prose.tokens.update(token_forms(w))
                chinese = cjk_tokens(raw[:1000]) - CJK_STOP_PAIRS if not raw.isascii() else set()
                if chinese:
                    prose.chinese = True
                    prose.tokens.update(chinese)   # Chinese: its character pairs
                    prose.is_question = True       # a symptom told in Chinese is asked of the bot, "?" or not
                    # and its terms in English, so the phrases are said by the Chinese as by the English wording
                    english, english_denied = content_words(english_reading(raw[:1000]), STOPWORDS)
                    translated[len(line_words) - 1] = (english, english_denied)
                    for w in english:
                        prose.tokens.update(token_forms(w))
            folded = ocr_fold(text)
            if not prose.asks_how and asks_how(folded):
                prose.asks_how = True
            if not prose.is_question and asks_question(folded):
                prose.is_question = True
            if not prose.asks_causes and asks_causes(text):
                prose.asks_causes = True
        prose.is_question = prose.is_question or prose.asks_how
        if index is not None:
            prose._match(index, line_words, line_denied, line_ruled, line_works)
            if translated:   # what only the English of the Chinese terms says is kept apart (`translated`)
                before = set(prose.matched)
                words, denials = [list(w) for w in line_words], [set(d) for d in line_denied]
                for i, (english, english_denied) in translated.items():
                    denials[i].update(len(words[i]) + k for k in english_denied)
                    words[i].extend(english)
                prose._match(index, words, denials)
                prose.translated = set(prose.matched) - before
        return prose

    def _match(self, index: PhraseIndex, line_words: list[list[str]], line_denied: list[set[int]],
               line_ruled: list[set[int]] | None = None, line_works: list[set[int]] | None = None) -> None:
        """Find each phrase whose words all stand within one line and the next, close together, and are not
        denied there (matchers/negation.py). A phrase said where the writer rules its part out goes to
        `ruled_out` instead."""
        line_positions: list[dict[str, list[int]]] = []   # per line: phrase word -> positions it stands at
        window_bits: dict[str, int] = {}   # phrase word -> bit i set when it is in window i (line i or i + 1)
        line_bits: dict[str, int] = {}     # phrase word -> bit i set when it is on line i
        for i, sequence in enumerate(line_words):
            positions: dict[str, list[int]] = {}
            for j, token in enumerate(sequence):
                for w in index.words_for_token(token):
                    positions.setdefault(w, []).append(j)
            line_positions.append(positions)
            bits = 3 << (i - 1) if i else 1
            for w in positions:
                window_bits[w] = window_bits.get(w, 0) | bits
                line_bits[w] = line_bits.get(w, 0) | 1 << i
        merged: dict[tuple[int, str], list[int]] = {}   # (window, word) -> its positions in lines i and i + 1
        last = len(line_positions) - 1
        for phrase in {p for w in window_bits for p in index.by_word.get(w, ())}:
            need = index.words[phrase]
            # windows holding every word, whose first line (the one quoted) holds at least one of them
            mask = -1
            for w in need:
                mask &= window_bits.get(w, 0)
                if not mask:
                    break
            else:
                starts = 0
                for w in need:
                    starts |= line_bits[w]
                mask &= starts
            limit = index.span_limit[phrase]
            while mask:   # first line first
                low = mask & -mask
                mask ^= low
                i = low.bit_length() - 1
                lists = []
                for w in need:
                    at = merged.get((i, w))
                    if at is None:
                        at = line_positions[i].get(w, [])
                        following = line_positions[i + 1].get(w) if i < last else None
                        if following:
                            offset = len(line_words[i])
                            at = at + [p + offset for p in following]
                        merged[(i, w)] = at
                    lists.append(at)
                if not values_follow(need, lists):
                    continue
                # ruled out where it is said so ("it's NOT a firewall issue"), though said elsewhere too ("our
                # firewall team captured ...")
                if not index.negative[phrase] and line_ruled is not None and said_where(
                        lists, line_ruled, i, len(line_words[i]), need, limit):
                    self.ruled_out.setdefault(phrase, self.lines[i][0])
                    if line_works is not None and said_where(lists, line_works, i, len(line_words[i]), need, limit):
                        self.works.setdefault(phrase, self.lines[i][0])
                if not index.negative[phrase] and stands_denied(lists, line_denied, i, len(line_words[i])):
                    continue
                if max(map(itemgetter(-1), lists)) - min(map(itemgetter(0), lists)) < limit or within_span(
                        sorted((p, w) for w, at in zip(need, lists, strict=True) for p in at), len(need), limit):
                    self.matched[phrase] = self.lines[i][0]
                    break

    def line_for(self, phrase: str) -> int | None:
        """The document line index where `phrase` was found, for quoting."""
        return self.matched.get(phrase)

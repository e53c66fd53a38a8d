"""The words of this field, to read a paste the way a person reads it: a word a hard wrap cut in two
("Unkno" / "wn CA") is one word, and a word OCR misread ("Moclule", "orlgin", "Forbiclclen") is the word it
shows.

The words are the knowledge base's own (its log strings, patterns, phrases, titles, symptoms and steps, not its
examples) and the capture and log words below, so nothing here is a list of answers. A repair is made only where
the damaged form is not a word of the field and its OCR-folded form is exactly one.

>>> v = Vocabulary.from_texts(['Module="network.search"', "Policy Response", "unknown ca", "origin"])
>>> v.repair_words('Moclule="network.search" Po|icy Resp0nse', force=True)
'Module="network.search" Policy Response'
>>> v.joins("Description: Unkno", "wn CA)"), v.joins("the policy", "response")
(True, False)
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import Entry

# words of captures and logs the knowledge base need not spell out
CAPTURE_WORDS = (
    "win seq ack len mss sack perm tsval tsecr wscale flags options length info source destination protocol time "
    "retransmission retransmitted duplicate previous segment unseen acked reset fatal warning level description "
    "alert handshake hello client server certificate certificates verify exchange change cipher spec encrypted "
    "message application data done request status record layer version random session extension extensions "
    "transmission control internet frame ethernet captured bytes interface packet packets continuation "
    "invite trying ringing options register subscribe notify cancel prack update refer forbidden found "
    "unavailable decline busy timeout timed accepted request terminated unsupported media type "
    "event detail module thread reason service src dst alias zone zones search rule rules policy response "
    "traversal neighbor neighbour default inbound outbound expressway webex cisco spark ciscospark wbx "
    "failed failure error errors successful success connection connecting connected negotiation identity "
    "unacceptable unknown trusted untrusted expired invalid refused unreachable established listening listen "
    "configuration protocols mutual mode port ports enabled disabled true false yes"
).split()

# a word starts with a letter: "|ACK" is Expressway's SIP message frame, not a misread "lACK"
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9|]*[A-Za-z0-9|]|[A-Za-z]")
_HEX = re.compile(r"[0-9a-fA-F]*[0-9][0-9a-fA-F]*")   # "ab1e" in a Call-ID is hex, not "able"
_HEX_SIDE = re.compile(r"[-:@]")
_LETTERS = re.compile(r"[a-z]{2,}")
_IDENTIFIER_SIDE = re.compile(r"[:=@._/-]")   # "searchtype:INVITE", "boardroom@": a key or a name, not words
_TRAILING = re.compile(r"[A-Za-z]+$")
_TRAILING_DIGITS = re.compile(r"(?<![\d.:])\d+$")
_LEADING_DIGITS = re.compile(r"^\d+(?![\d.:])")
_NUMBER = re.compile(r"(?<![\d.])\d{3,4}(?![\d.])")
_LEADING = re.compile(r"^[A-Za-z]+")
# OCR's confusions inside a word: i l 1 | read alike, o 0, s 5; "rn" for m and "cl" for d
_FOLD = str.maketrans({"i": "l", "1": "l", "|": "l", "0": "o", "5": "s"})
_PAIRS = (("rn", "m"), ("cl", "d"), ("vv", "w"))
MIN_REPAIR_LEN = 4     # shorter words have too many readings
MIN_COMPOUND = 8       # "ciscospark", "expressway": one word even where its halves are words too
MIN_RUN_TOGETHER = 7   # a token this long that is no word may be two whose blank OCR dropped
MAX_REMEMBERED = 200_000   # tokens whose reading is kept between pastes (a few MB at most)
MISREAD_LINES = 100
MIN_REPAIRS = 2        # one odd word is a typo or a name; two are a paste that OCR read


def _key(word: str) -> str:
    key = word.lower().translate(_FOLD)
    for damaged, letter in _PAIRS:
        key = key.replace(damaged, letter)
    return key


def _case_of(token: str, k: int, letter: str) -> str:
    """The case of the k-th letter of a word read from `token`: as written where the token has that letter; a
    misread letter takes its neighbours' case ("SlPTcp" is "SIPTcp", "Ca11" is "Call")."""
    if token[k].lower() == letter:
        return letter.upper() if token[k].isupper() else letter
    before = token[k - 1] if k else ""
    after = token[k + 1] if k + 1 < len(token) else ""
    upper = before.isupper() and (not after or after.isupper() or not after.isalpha())
    capital_i = not before and letter == "i" and token[k] in "l1|"   # "lnbound": a capital I reads as l
    return letter.upper() if upper or capital_i or (not before and after.isupper()) else letter


@dataclass
class Vocabulary:
    words: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()                  # SIP codes and ports the field names: 404, 5062
    by_key: dict[str, str] = field(default_factory=dict)   # folded form -> the one word of the field it reads as
    _readings: dict[str, str | None] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        words = set(CAPTURE_WORDS)
        numbers: set[str] = set()
        for text in texts:
            words.update(_LETTERS.findall(text.lower()))
            numbers.update(_NUMBER.findall(text))
        by_key: dict[str, str] = {}
        ambiguous: set[str] = set()
        for word in sorted(words):
            if len(word) < MIN_REPAIR_LEN:
                continue
            key = _key(word)
            if by_key.get(key, word) != word:
                ambiguous.add(key)
            by_key[key] = word
        return cls(frozenset(words), frozenset(numbers), {k: w for k, w in by_key.items() if k not in ambiguous})

    @classmethod
    def of_knowledge_base(cls, kb: Iterable[Entry]) -> Vocabulary:
        """The knowledge base's own words (its entries'), not its examples."""
        texts: list[str] = []
        for e in kb:
            texts.extend((e.title, e.summary, e.cause, *e.symptoms, *e.questions, *e.verify,
                          *(s.text for s in e.steps), *(d.by for d in e.distinguish)))
            for sig in (*e.signals.values(), *e.exclusions.values()):
                texts.extend((*sig.literals, sig.pattern_text, *sig.phrases))
        return cls.from_texts(texts)

    def _cached_reading(self, token: str) -> str | None:
        """`reading`, remembered: a log repeats its words, and pastes repeat the same hosts and keys."""
        if token in self._readings:
            return self._readings[token]
        word = self.reading(token)
        if len(self._readings) < MAX_REMEMBERED:
            self._readings[token] = word
        return word

    def reading(self, token: str) -> str | None:
        """The word of the field a damaged token reads as, in the token's case, or two words where OCR dropped
        the blank between them ("towardstarget"), or None."""
        lower = token.lower()
        if len(token) < MIN_REPAIR_LEN or lower in self.words:
            return None
        word = self._word(token)
        if word is not None:
            return word
        if len(token) < MIN_RUN_TOGETHER or not token.isalpha() or not token[1:].islower():
            return None   # "AppInfo", "SearchRules": a program's name for something, not two words run together
        for cut in range(len(token) - 2, 1, -1):   # the longest first word that leaves a word
            first, second = token[:cut], token[cut:]
            if min(len(first), len(second)) < 2 or max(len(first), len(second)) < MIN_REPAIR_LEN:
                continue
            a, b = self._word(first, whole=True), self._word(second, whole=True)
            if a is not None and b is not None:
                return f"{a} {b}"
        return None

    def _word(self, token: str, whole: bool = False) -> str | None:
        """The token as a word of the field, in its case: itself (only when `whole`: a part of a run-together
        token) or its one OCR reading."""
        lower = token.lower()
        if lower in self.words:
            return token if whole else None
        word = self.by_key.get(_key(token)) if len(token) >= MIN_REPAIR_LEN else None
        if word is None or word == lower:
            return None
        if token.isupper():
            return word.upper()
        if len(word) == len(token):   # "SearchRu1es": the case of each letter stays
            return "".join(_case_of(token, k, w) for k, w in enumerate(word))
        # a capital I reads as l, 1 or |: "lnbound" is "Inbound"
        return word.capitalize() if token[0].isupper() or (token[0] in "l1|" and word[0] == "i") else word

    def repair_words(self, text: str, force: bool = False) -> str:
        """`text` with its misread words read; only when it has at least MIN_REPAIRS of them (or `force`), since
        a clean paste's one odd word is a typo or a name, which is evidence in its own right. Run-together words
        are parted only then too (a clean log's "searchtype" is its own), and never in a name, key or host."""
        found: dict[str, str | None] = {}
        misread = 0
        for token, count in Counter(_WORD.findall(text)).items():
            word = found[token] = self._cached_reading(token)
            if word is not None and " " not in word and not _HEX.fullmatch(token):
                misread += count
        # a screenshot's few lines need two misreads; a long log needs one per MISREAD_LINES lines of it
        wanted = max(MIN_REPAIRS, text.count("\n") // MISREAD_LINES)
        if not misread or (misread < wanted and not force):
            return text

        def read(m: re.Match[str]) -> str:
            word = found.get(m.group(0))
            before = text[m.start() - 1] if m.start() else " "
            if word is None or (" " in word and (_IDENTIFIER_SIDE.match(text, m.end()) or before in "@._-/")):
                return m.group(0)
            if _HEX.fullmatch(m.group(0)) and (before in "-:" or _HEX_SIDE.match(text, m.end())):
                return m.group(0)   # "ab1e" inside a Call-ID or UUID is hex, not "able"
            return word

        return _WORD.sub(read, text)

    def joins(self, line: str, following: str) -> bool:
        """Whether `following` continues a word that a wrap cut at the end of `line`: the letters on both sides of
        the cut make a word of the field that neither part is."""
        digits_left, digits_right = _TRAILING_DIGITS.search(line), _LEADING_DIGITS.search(following)
        if digits_left is not None and digits_right is not None:   # "4" / "04 Not Found", "50" / "62"
            return digits_left.group(0) + digits_right.group(0) in self.numbers
        left, right = _TRAILING.search(line), _LEADING.search(following)
        if left is None or right is None:
            return False
        whole = (left.group(0) + right.group(0)).lower()
        if whole not in self.words:
            return False
        # two words of their own ("the" / "policy") stay two, unless together they are a long word of the field
        return (len(whole) >= MIN_COMPOUND or left.group(0).lower() not in self.words
                or right.group(0).lower() not in self.words)

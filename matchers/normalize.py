"""Text normalisation that survives OCR damage.

Two forms are derived from every line, and the raw line is always kept for quoting:

* the *skeleton*: lower case, whitespace and quotes removed, OCR-confusable characters folded
  (``1 i I | !`` -> ``l``, ``0 O`` -> ``o``, ``5 S`` -> ``s``, ``£`` -> ``f``). Literals are compared
  in this form, so both sides are folded alike.

  >>> skeleton('Dst- port "5O62" Detail="TCP Connectlon Failed"')
  'dst-portso62detalltcpconnectlonfalled'
  >>> skeleton('Dst-port="5062" Detail="TCP Connection Failed"')
  'dst-portso62detalltcpconnectlonfalled'

* the *clean* line: lower case, whitespace squeezed, digit/letter confusions repaired from context.

  >>> clean_line('3l9  12.4l31  Alert (Level: Fatal, Description: Unknown ca)  Hel1o')
  '319 12.4131 alert (level: fatal, description: unknown ca) hello'
  >>> clean_line('2017-09-22T711:11:19.000 amer-expressway0l')
  '2017-09-22t11:11:19.000 amer-expressway01'
"""
from __future__ import annotations

import re
import unicodedata

_FOLD = {
    "1": "l", "i": "l", "|": "l", "!": "l", "í": "l", "ì": "l",
    "0": "o", "ø": "o", "ó": "o",
    "5": "s",
    "£": "f", "ƒ": "f",
    "€": "e",
    "–": "-", "—": "-", "‐": "-", "‑": "-",
}
_DELETE = "=: \t\r\f\v\"'`“”‘’„«»\u00a0\u200b"


def _build_skeleton_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for c in range(ord("A"), ord("Z") + 1):
        table[c] = chr(c).lower()
    for src, dst in _FOLD.items():
        table[ord(src)] = dst
        table[ord(src.upper())] = dst
    table[ord("I")] = "l"
    table[ord("O")] = "o"
    table[ord("S")] = "s"
    for ch in _DELETE:
        table[ord(ch)] = None
    return table


SKELETON_TABLE = _build_skeleton_table()
SKELETON_DELETE = _DELETE
# the ASCII part of the same folds as a byte table, for bytes.translate on big ASCII logs
ASCII_SKELETON_TABLE = bytes(ord(SKELETON_TABLE.get(b) or chr(b)) if b < 128 else b for b in range(256))
ASCII_SKELETON_DELETE = bytes(b for b in range(128) if b in SKELETON_TABLE and SKELETON_TABLE[b] is None)


_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-"})


def to_nfkc(text: str) -> str:
    """Fold full-width and compatibility characters (common in OCR of CJK pages), and typeset dashes to the hyphen
    ("36000–59999" as written in a document is the range 36000-59999).

    >>> to_nfkc("UDP 36000–59999 — ＴＣＰ ５０６２")
    'UDP 36000-59999 - TCP 5062'
    """
    return text if text.isascii() else unicodedata.normalize("NFKC", text).translate(_DASHES)


_NON_ASCII_FOLDS = tuple((chr(c), to or "") for c, to in SKELETON_TABLE.items() if c > 127)


def skeleton(text: str, pairs: bool = True) -> str:
    """The OCR-tolerant comparison form of `text` (newlines are kept, so lines stay aligned).

    str.translate is fast only while the text is ASCII; one arrow or curly quote in a paste made it forty
    times slower. Other text is folded as UTF-8 bytes (multi-byte sequences never contain ASCII bytes),
    then the few non-ASCII characters the table knows are replaced.

    >>> skeleton("Expressway “X14” → Détail: 5O62 £ail")
    'expresswayxl4→détallso62fall'
    """
    text = to_nfkc(text)
    if text.isascii():
        folded_ascii = text.translate(SKELETON_TABLE)
        return fold_pairs(folded_ascii) if pairs else folded_ascii
    folded = text.encode("utf-8", "surrogatepass").translate(ASCII_SKELETON_TABLE, ASCII_SKELETON_DELETE)
    out = folded.decode("utf-8", "surrogatepass")
    for char, to in _NON_ASCII_FOLDS:
        if char in out:
            out = out.replace(char, to)
    return fold_pairs(out) if pairs else out


def fold_pairs(folded: str) -> str:
    """The two-letter confusions of OCR, folded in the skeleton: `rn` reads as `m` ("Narne", ".corn"), `cl` as
    `d` ("signecl", "auclio"). Both sides of every comparison are folded, so real words still match themselves.

    >>> fold_pairs("callservice.webex.corn"), fold_pairs("selfsignecl")
    ('callservice.webex.com', 'selfsigned')
    """
    if "rn" in folded:
        folded = folded.replace("rn", "m")
    if "cl" in folded:
        folded = folded.replace("cl", "d")
    return folded


def fold_pair_bytes(folded: bytes) -> bytes:
    """`fold_pairs` on a big log's ASCII skeleton bytes."""
    return folded.replace(b"rn", b"m").replace(b"cl", b"d")


_WS = re.compile(r"[ \t\r\f\v\u00a0]+")
# a digit/punctuation next to l I o O |, a 1 or 0 between letters, "T7" in a timestamp, a host ending "0l"
_SUSPECT = re.compile(r"[lIoO|](?:(?<=[\d.:][lIoO|])|(?=[\d.:]))|[01](?<=[a-zA-Z][01])(?=[a-z])|0l\b|T7\d")
# a word starting or ending with 0/1/5/| ("0pen", "n0", "5IP"), an I in a lower-case word or an l in an upper-case
# one, a number run with O, S, l or I in it ("SO62"), ".corn", "rn=". A separate gate: the context passes above
# would read hex Call-IDs and branches on such lines as words.
_TOKEN_SUSPECT = re.compile(r"[015|][A-Za-z]|[A-Za-z][015|]|[a-z]I|[A-Z]l[A-Z]|\d[.:,+-]*[OSlI|]|[OSlI|][.:,+-]*\d|"
                            r"\.corn\b|rn=")
# Each pattern starts with the character it replaces (the context is looked at after it): Python's re then
# jumps between occurrences of that character instead of trying a look-behind at every position.
_DIGIT_L = re.compile(r"[lI|](?:(?<=\d[lI|])(?=[\d.:])|(?<=[\d.:][lI|])(?=\d))")
_DIGIT_O = re.compile(r"[oO](?:(?<=\d[oO])(?=\d)|(?<=[\d.:][oO])(?=\d)|(?<=\d[oO])(?=[.:]\d))")
_LETTER_1 = re.compile(r"1(?<=[a-zA-Z]1)(?=[a-z])")
_LETTER_0 = re.compile(r"0(?<=[a-zA-Z]0)(?=[a-z])")
_T7 = re.compile(r"(\d{4}-\d\d-\d\d[Tt])7(?=\d\d:\d\d)")
_HOST_0L = re.compile(r"0(?<=[a-z]0)l\b")
_POUND = re.compile(r"£")
# whole tokens OCR misread: a word with a 0, 1, | or 5 for o, l, l or s ("n0", "0pen", "5IP", "doub|e"), and a number
# with O, S or l for 0, 5 or 1 ("SO62", "S060", "146O", "4l172")
_WORD_TOKEN = re.compile(r"(?<![\w.@-])[A-Za-z015|]*[015|][A-Za-z015|]*(?![\w@-]|\.\w)")
# a run of digits and separators (an address, a port, a time): "198.S1.100.77", "2O25-03-12TO8:01", "l0:44:02.1l8"
_NUMBER_TOKEN = re.compile(r"(?:(?<![A-Za-z0-9])|(?<=\dT))[0-9OSlI|](?:[0-9OSlI|.:,+-]*[0-9OSlI|])?(?![A-Za-z0-9])")
_LOWER_I = re.compile(r"(?<=[a-z])I+(?=[a-z]|\b)")      # "ModuIe", "LeveI", "caIIs": an l in a lower-case word
_UPPER_L = re.compile(r"(?<=[A-Z])l(?=[A-Z])")           # "SlP": an I in an upper-case word
_WORD_DIGITS = str.maketrans({"0": "o", "1": "l", "|": "l", "5": "s"})
_WORD_DIGITS_UPPER = str.maketrans({"0": "O", "1": "I", "|": "I", "5": "S"})
_NUMBER_LETTERS = str.maketrans({"O": "0", "S": "5", "l": "1", "I": "1", "|": "1"})
_SDP_M = re.compile(r"^(\W{0,2})rn=")
_DOT_CORN = re.compile(r"\.corn\b")


def _word_repair(m: re.Match[str]) -> str:
    token = m.group(0)
    if token.startswith("|"):   # "|INVITE": Expressway's SIPMSG frame, not a misread letter
        bare = token.lstrip("|")
        inner = _WORD_TOKEN.fullmatch(bare)
        return token[: len(token) - len(bare)] + (_word_repair(inner) if inner else bare)
    letters = [c for c in token if c.isalpha()]
    if len(letters) < 2 and not (len(token) == 2 and token[1] == "0"):   # "n0" is "no"; "v1", "e5" are not words
        return token
    if len(letters) < len(token) - len(letters):
        return token
    return token.translate(_WORD_DIGITS_UPPER if all(c.isupper() for c in letters) else _WORD_DIGITS)


def _number_repair(m: re.Match[str]) -> str:
    token = m.group(0)
    digits = sum(c.isdigit() for c in token)
    misread = sum(c in "OSlI|" for c in token)
    return token.translate(_NUMBER_LETTERS) if misread and digits >= 2 and digits >= misread else token


def repair_tokens(text: str) -> str:
    """Whole-token OCR repairs (case kept), for lines that look damaged.

    >>> repair_tokens("n0 audio, 0pen 5IP port SO62 or S060, doub|e toast, Mode: 0ff, x509 l2sip 146O")
    'no audio, open SIP port 5062 or 5060, double toast, Mode: off, x509 l2sip 1460'
    """
    text = _NUMBER_TOKEN.sub(_number_repair, text)
    if "I" in text:
        text = _LOWER_I.sub(lambda m: "l" * len(m.group(0)), text)
    if "l" in text:
        text = _UPPER_L.sub("I", text)
    return _WORD_TOKEN.sub(_word_repair, text)


def _squeeze(text: str) -> str:
    """Runs of blanks become one space; most lines have none, and a few substring tests cost less than re.sub."""
    if "  " in text or "\t" in text or "\u00a0" in text or "\r" in text or "\f" in text or "\v" in text:
        return _WS.sub(" ", text)
    return text


def clean_line(line: str) -> str:
    """Lower-cased, whitespace-squeezed line with context-repaired OCR confusions."""
    text = to_nfkc(line)
    if "£" in text:
        text = _POUND.sub("f", text)
    if _SUSPECT.search(text):  # most lines need no repair; skip the context passes for them
        text = _T7.sub(r"\1", text)
        text = _HOST_0L.sub("01", text)
        text = _LETTER_1.sub("l", text)  # letters first: "ca1l." is "call.", not "ca11."
        text = _LETTER_0.sub("o", text)
        text = _DIGIT_L.sub("1", text)
        text = _DIGIT_O.sub("0", text)
    if _TOKEN_SUSPECT.search(text):
        text = repair_tokens(text)
        if "rn" in text:
            text = _DOT_CORN.sub(".com", _SDP_M.sub(r"\1m=", text))
    return _squeeze(text).strip().lower()


def clean_prose(line: str) -> str:
    """Like clean_line, for chat text: only the letter-context repairs ("Hel1o") matter for its words.

    >>> clean_prose("Why  does the expe send Hel1o Request?")
    'why does the expe send hello request?'
    """
    text = to_nfkc(line)
    if "1" in text or "0" in text or "5" in text or "|" in text:
        text = _LETTER_1.sub("l", text)
        text = _LETTER_0.sub("o", text)
        text = _WORD_TOKEN.sub(_word_repair, text)   # "n0 audio", "ph0nes", "5IP"
    return _squeeze(text).strip().lower()


WORD = re.compile(r"[a-z0-9][a-z0-9._@%-]*[a-z0-9]|[a-z0-9]")


_OCR_FOLD = str.maketrans({"i": "l", "1": "l", "0": "o"})


def ocr_fold(text: str) -> str:
    """Lower-case words with the letters OCR confuses most folded alike, for matching a word or a regex source
    (`|` is left alone: it is a regex's alternation, and clean text has already read it as a letter).

    >>> ocr_fold("which"), ocr_fold("whlch"), ocr_fold("expla1n")
    ('whlch', 'whlch', 'explaln')
    """
    return text.translate(_OCR_FOLD)


def words(text: str) -> list[str]:
    """Lower-case word tokens of already-cleaned text.

    >>> words("why 603 decline? expe->expc")
    ['why', '603', 'decline', 'expe', 'expc']
    """
    return WORD.findall(text.replace("->", " "))


# Chinese has no spaces: words are read as overlapping character pairs. A segmenter (jieba) would need its
# dictionary loaded at start-up (about a second) and has had no release since 2020; pairs need nothing, cost
# nothing, and tolerate the unknown compounds of this field (双向TLS, 搜索规则) the way a dictionary would not.
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
# characters that carry grammar, not meaning: runs are cut at them, so 为什么 or 我们的 make no pairs
CJK_FUNCTION_CHARS = frozenset("的了吗呢是在我们你他她它这那和就都也吧啊么什为如何怎样请问个被把给还")
# pairs that say how sure the writer is or ask for help, not what fails: "不确定是哪个方向" names no entry (left out
# of a message's pairs, not of the entries' wordings, whose weights then stay as they are)
CJK_STOP_PAIRS = frozenset({"不确", "确定", "知道", "不知", "请教", "帮忙", "谢谢", "麻烦"})


def cjk_tokens(text: str) -> set[str]:
    """The character pairs of the Chinese in `text`, cut at grammatical characters.

    >>> sorted(cjk_tokens("为什么会收到两个来电通知？"))
    ['会收', '到两', '收到', '来电', '电通', '通知']
    """
    out: set[str] = set()
    for run in _CJK_RUN.findall(to_nfkc(text)):
        segment = ""
        for char in (*run, "的"):
            if char in CJK_FUNCTION_CHARS:
                out.update(segment[i:i + 2] for i in range(len(segment) - 1))
                segment = ""
            else:
                segment += char
    return out

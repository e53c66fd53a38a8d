"""Which words of a chat line the writer denies: "the certificate list is not empty", "no errors on the E".

A denied state ("not empty", "no errors", "isn't blocked", "not expired") is reassurance: the clause says that part
is fine, so none of its words describe the problem, and a knowledge-base phrase that is not itself negative is not
said there. A denial of anything else is usually the symptom ("calls don't ring", "the certificate won't have client
authentication") and stands. A clause ends at a comma, a full stop, "but", "because"...; hedges ("not sure", "no
idea") deny nothing.

>>> content_words("calls don't ring the desk phone, the cert won't have client auth", frozenset({"the", "we"}))[1]
set()
>>> sequence, denied = content_words("tcpdump on the e is not empty, we see SYNs", frozenset({"the", "is", "we"}))
>>> [w for i, w in enumerate(sequence) if i in denied]
['tcpdump', 'on', 'e', 'not', 'empty']
>>> content_words("i'm not sure but calls fail", frozenset())[1]
set()
>>> sequence, denied = content_words("it is not the temporary certificate, the e sends its chain", frozenset({"the"}))
>>> [w for i, w in enumerate(sequence) if i not in denied]
['it', 'is', 'not', 'e', 'sends', 'its', 'chain']
>>> sequence, denied = content_words('we no longer get "self signed certificate", only a reset', frozenset({"we"}))
>>> [w for i, w in enumerate(sequence) if i not in denied]
['no', 'longer', 'get', 'only', 'a', 'reset']
>>> sequence, denied = content_words("dns ok, socket test ok, but ssl handshake failed", frozenset())
>>> [w for i, w in enumerate(sequence) if i not in denied]
['but', 'ssl', 'handshake', 'failed']
"""
from __future__ import annotations

import re

from .normalize import WORD

STATE_REACH = 2   # the denied state follows the negating word closely: "not empty", "no errors", "not really blocked"
NEGATORS = frozenset({"not", "no", "never", "none", "nothing", "nobody", "nowhere", "without", "cannot", "neither",
                      "nor", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "cant", "wont", "havent",
                      "hasnt", "hadnt", "couldnt", "shouldnt", "wouldnt"})
_CONTRACTIONS = ((re.compile(r"\bcan['’]t\b"), "can not"), (re.compile(r"\bwon['’]t\b"), "will not"),
                 (re.compile(r"n['’]t\b"), " not"))
_HEDGES = frozenset({"sure", "certain", "idea", "clue", "clear", "only", "matter", "doubt", "problem", "issue",
                     "worries", "luck", "change", "difference"})
# a denied state says "this part is fine" ("the list is not empty", "no errors on the E", "5062 is not blocked"):
# the whole clause is reassurance, and none of its words describe the problem
_STATES = frozenset({"empty", "error", "errors", "alarm", "alarms", "warning", "warnings", "issue", "issues",
                     "problem", "problems", "wrong", "expired", "missing", "blocked", "mismatch", "mismatched",
                     "failure", "failures", "failing", "failed", "broken", "down", "closed", "filtered", "change",
                     "changes", "changed", "different", "self-signed", "selfsigned", "invalid", "revoked"})
_NO_FAULT = frozenset({"issue", "issues", "problem", "problems", "wrong"})   # "no X problem": X is ruled out
# a clause that says a part works ("DNS ok", "socket test passes", "SRV resolves", "5062 is open both ways") is
# reassurance too, unless it also says something failed or asks
_HEALTHY = frozenset({"ok", "okay", "fine", "pass", "passes", "passed", "succeeds", "succeeded", "successful",
                      "works", "working", "green", "resolves", "open", "correct", "correctly", "matches", "matched",
                      "valid"})
_NOT_HEALTHY = frozenset({"fail", "fails", "failed", "failing", "failure", "error", "errors", "refused", "reset",
                          "rejected", "rejects", "drop", "drops", "dropped", "timeout", "broken", "wrong", "only",
                          "still", "until", "after", "if", "when", "whether", "check", "ensure", "verify", "should",
                          "must", "need", "needs", "sure"}) | NEGATORS   # "check that it resolves" is an instruction
# "request that port 5062 be open", "it has to be enabled": a requirement, not a part said to work
_REQUIRED = re.compile(r"\b(?:be|been|to\s+be|required|requires?|request(?:ed)?|make\s+sure)\b", re.IGNORECASE)
# "we do not see unknown ca", "the log doesn't show self signed certificate": what is not seen is not there
# ("Not Found" is a SIP reason, and "the lookup doesn't find the servers" a failure, so finding is not seeing)
_OBSERVED = frozenset({"see", "seeing", "saw", "show", "shows", "showing", "observe", "notice", "get", "getting",
                       "got", "receive", "receiving", "received"})
_STATUS_CODE = re.compile(r"^[1-6][0-9oO]{2}$")   # "200 OK", also as OCR reads it ("2OO OK")
_QUOTES = "\"“”`'"
_PREPOSITIONS = frozenset({"on", "in", "up", "for", "at", "to", "from", "when", "until", "after", "any", "anything"})
_NOT_THE = re.compile(r"\b(?:it|this|that)(?:\s+is|\s+was|['’]s)\s+(?:definitely\s+|really\s+|also\s+)?not\s+"
                      r"(?:the|a|an|our|any)\b", re.IGNORECASE)
_PRODUCT = frozenset({"hybrid", "call", "calls", "calling", "webex", "expressway", "expressway-e", "expressway-c",
                      "expe", "expc", "cucm", "app", "desk", "phone", "phones", "deskphone", "deskphones", "user",
                      "users"})   # the product and the sides of a call: "app to desk phones works" rules out no part
_NEGATIVE = re.compile(r"\b(?:" + "|".join(sorted(NEGATORS)) + r")\b|n['’]t\b")
_CLAUSE_END = re.compile(r"[,;!?()\[\]\"“”`]|[.:](?=\s|$)|\s[-–—]+\s|"
                         r"\b(?:but|however|though|although|yet|whereas|because|since|except|instead|then|so|while)\b")


def content_words(text: str, stopwords: frozenset[str]) -> tuple[list[str], set[int]]:
    """The line's words without stopwords (as `normalize.words` reads them) and the positions it denies: the whole
    clause of a denied state (reassurance).

    >>> sequence, denied = content_words("no errors on the expe, the expc shows a 404", frozenset({"the", "on", "a"}))
    >>> [w for i, w in enumerate(sequence) if i not in denied]
    ['expc', 'shows', '404']
    """
    sequence, denied, _, _ = read_denials(text, stopwords)
    return sequence, denied


def read_denials(text: str, stopwords: frozenset[str]) -> tuple[list[str], set[int], set[int], set[int]]:
    """`content_words`, and of the denied positions those where the writer rules a part out: it works ("the search
    rule is fine", "5062 is open"), it is not the cause ("it's not the CA trust"), or it has no problem ("no
    catch-all rule problem here"); and of those, where it says the part works ("DNS ok"). A denied state of another
    kind ("the list is not empty", "no errors on the E") says what is there, not which part is fine.

    >>> sequence, denied, ruled, works = read_denials("it's not the preloaded routes setting, c sends 404", frozenset())
    >>> [w for i, w in enumerate(sequence) if i in ruled]
    ['preloaded', 'routes', 'setting']
    """
    text = expand_contractions(text).replace("->", "  ")   # as words() reads an arrow, keeping offsets
    ends = [m.start() for m in _CLAUSE_END.finditer(text)]
    sequence: list[str] = []
    starts: list[int] = []   # where each word stands in the text
    clause_of: list[int] = []
    scopes: list[int] = []   # where each denial's scope starts
    clause = 0
    for m in WORD.finditer(text):
        while clause < len(ends) and ends[clause] < m.start():
            clause += 1
        word = m.group()
        if word in stopwords:
            continue
        if word in NEGATORS:
            scopes.append(len(sequence) + 1)
        sequence.append(word)
        starts.append(m.start())
        clause_of.append(clause)
    denied: set[int] = set()
    ruled: set[int] = set()
    works: set[int] = set()
    # "200 OK" is a SIP response, not a part that works
    # ("On successful match" is a search rule's field, not a part that works)
    healthy = {k for k, w in enumerate(sequence)
               if w in _HEALTHY and not (w in ("ok", "okay") and k and _STATUS_CODE.match(sequence[k - 1]))
               and not (w == "successful" and text[max(0, starts[k] - 3):starts[k]].lower() == "on ")}
    for clause_no in {clause_of[k] for k in healthy}:
        words = [w for w, c in zip(sequence, clause_of, strict=True) if c == clause_no]
        asked = clause_no < len(ends) and text[ends[clause_no]] == "?"
        start = ends[clause_no - 1] if clause_no else 0
        clause_text = text[start:ends[clause_no] if clause_no < len(ends) else len(text)]
        if not asked and not _NOT_HEALTHY.intersection(words) and not _REQUIRED.search(clause_text):
            # the product itself is not what is fine
            fine = {k for k, c in enumerate(clause_of) if c == clause_no and sequence[k] not in _PRODUCT}
            denied.update(fine)
            ruled.update(fine)
            works.update(fine)
    # "it is not the temporary certificate", "this isn't a firewall thing": the cause named is ruled out
    for m in (_NOT_THE.finditer(text) if "not" in text.lower() else ()):
        after = [k for k, at in enumerate(starts) if at >= m.end()]
        if after:
            named = {k for k in after if clause_of[k] == clause_of[after[0]]}
            denied.update(named)
            ruled.update(named)
    for start in scopes:
        if start < len(sequence) and sequence[start] in _HEDGES:
            continue
        clause_no = clause_of[start - 1]
        scope = [k for k in range(start, min(len(sequence), start + STATE_REACH)) if clause_of[k] == clause_no]
        if any(sequence[k] in _STATES for k in scope):
            clause_words = {k for k, c in enumerate(clause_of) if c == clause_no}
            denied.update(clause_words)
            if any(sequence[k] in _NO_FAULT for k in scope):   # "no catch-all rule problem here"
                ruled.update(clause_words)
            continue
        # "we do not see unknown ca": what follows the seeing is absent; "the button doesn't show on the device" is
        # the symptom, so only an object right after the verb is denied
        seen = next((k for k in scope if sequence[k] in _OBSERVED), None)
        if seen is None or seen + 1 >= len(sequence) or sequence[seen + 1] in _PREPOSITIONS:
            continue
        # the object seen may be quoted: "we don't get `self signed certificate`" opens a clause at the quote
        quoted = clause_no < len(ends) and text[ends[clause_no]] in _QUOTES and \
            not text[ends[clause_no] + 1:starts[seen + 1]].strip(_QUOTES + " ")
        if clause_of[seen + 1] == clause_no or (quoted and clause_of[seen + 1] == clause_no + 1):
            denied.update(k for k in range(seen + 1, len(sequence)) if clause_of[k] == clause_of[seen + 1])
    return sequence, denied, ruled, works


def expand_contractions(text: str) -> str:
    """ "doesn't" as "does not", so a phrase written either way is said either way.

    >>> expand_contractions("the E doesn't ack, we can't see it")
    'the E does not ack, we can not see it'
    """
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def is_negative(phrase: str) -> bool:
    """A phrase that itself says "no"/"not"/"never" ("nothing on 5062", "doesn't ack") is said by a denial.

    >>> is_negative("doesn't ack"), is_negative("no packets 5062"), is_negative("certificate list empty")
    (True, True, False)
    """
    return bool(_NEGATIVE.search(phrase.lower()))


def says_health(phrase: str) -> bool:
    """A phrase that itself says a part works ("check pattern succeeds", "socket test ok") is said by a clause that
    says so: such a clause is the evidence, not reassurance.

    >>> says_health("check pattern succeeds"), says_health("socket test failed")
    (True, False)
    """
    return bool(_HEALTHY.intersection(phrase.lower().split()))


def denied_view(text: str, denied: set[int], stopwords: frozenset[str]) -> tuple[str, str]:
    """The line as its words are read (contractions expanded) and the same with the words it denies (positions, as
    `content_words` gives them) blanked out: what is found only in the first is said only inside a denial ("we do
    not see `unknown ca`").

    >>> text = "we do not see unknown ca, only a reset"
    >>> read, kept = denied_view(text, content_words(text, frozenset({"we", "do"}))[1], frozenset({"we", "do"}))
    >>> "unknown ca" in read, "unknown ca" in kept, "reset" in kept
    (True, False, True)
    """
    expanded = expand_contractions(text).replace("->", "  ")   # the offsets content_words counted words at
    spans = [m.span() for m in WORD.finditer(expanded) if m.group() not in stopwords]
    out = list(expanded)
    for k in denied:
        begin, end = spans[k]
        out[begin:end] = " " * (end - begin)
    return expanded, "".join(out)

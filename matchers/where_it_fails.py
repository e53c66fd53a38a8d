"""Where a message says a call fails: the direction its words name, the stages its words or its failing pasted
lines name, and whether the writer says the calls work. Triage (matchers/triage.py) ranks the problems of that area.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from .model import Entry, EntryKind, Section, Stage
from .signals import compile_pattern

RINGING = "ringing"   # knowledge/stages.yaml lists the stages in call order; the ones before this fail before ringing
_NEVER_RINGS = re.compile(r"\b(?:never|not|n['’]t|won['’]t)\s+(?:\w+\s+)?ring|\bnothing\s+happens\b|\bcall\s+failed\b|"
                          r"\bcan['’]?t\s+call\b|\bcannot\s+call\b|\bjoin\s+button\b|不响|打不通|不振铃|"
                          r"\brings?,?\s+but\b.{0,40}\b(?:does\s+not|doesn['’]t|never|not)\b", re.I)


def stages_named(stages: Sequence[Stage], matched: Mapping[str, int], text: str,
                 works: Mapping[str, int] | None = None) -> set[str]:
    """The stages of the call a message talks about: one of a stage's words said (and not denied), or its Chinese;
    less the stages the writer says work ("DNS ok, socket test ok, but the SSL handshake failed").

    >>> dns = Stage("dns", "Name resolution", ("srv record",), ("域名",))
    >>> stages_named([dns], {"srv record": 0}, ""), stages_named([dns], {}, "域名解析失败"), stages_named([dns], {}, "")
    ({'dns'}, {'dns'}, set())
    """
    lowered = text.lower()
    named = {s.id for s in stages if any(w in matched for w in s.words) or any(z in text for z in s.zh)
             or any(_pattern(p).search(lowered) for p in s.says)}
    named |= {s.within for s in stages if s.id in named and s.within}   # a part of a stage names the stage
    worked = {s.id for s in stages if works and any(w in works for w in s.words)}
    named -= worked
    order = [s.id for s in stages if not s.within]
    if not named and RINGING in order and _NEVER_RINGS.search(text):   # a call that never rings failed before it
        named = set(order[:order.index(RINGING)])
    return named - _passed(stages, order, named, matched, lowered, worked)


def _passed(stages: Sequence[Stage], order: list[str], named: set[str], matched: Mapping[str, int],
            lowered: str, worked: set[str]) -> set[str]:
    """The stages named that the call got past: those before a stage the message says began or works, unless
    said in the words of their failing ("the E resets the connection right after Webex sends its certificate": the
    handshake began, so the TCP connection on 5062 was made, whatever "reset" says of it; "TLS is fine now, but
    the desk phone never rings": DNS and the connection worked too)."""
    began = {s.within or s.id for s in stages if s.id in worked or any(_pattern(p).search(lowered) for p in s.began)}
    latest = max((order.index(s) for s in began if s in order), default=-1)
    failing = {s.id for s in stages if any(w in matched for w in s.fails)}
    return {s for s in named - failing - began if s in order and order.index(s) < latest}


# a pasted line that says something failed: an error, an alert, a refusal, a SIP failure response, refused audio
_FAILURE = re.compile(r"error|fail|alert|unknown|reject|declin|refus|denied|forbidden|not found|eof\b|reset|"
                      r"\brst\b|time[sd]? ?out|unreachable|unacceptable|could not|cannot|unable|"
                      r"\b(?:sip/2\.0 )?[4-6]\d\d [a-z]|m=audio 0\b|\bbye\b", re.I)


def shows_failure(line: str) -> bool:
    """Whether a pasted line shows something failing, not only where a call went (a search rule considered, a
    certificate's names, a setting).

    >>> shows_failure('Detail="TCP Connection Closed" Reason="Got EOF on socket"'), shows_failure("SIP/2.0 603 Decline")
    (True, True)
    >>> shows_failure('Detail="Found DNS alt-name in peer certificate" AltName="callservice.webex.com"')
    False
    """
    return bool(_FAILURE.search(line))


def stages_shown(entries: Iterable[Entry], evidenced: set[str]) -> set[str]:
    """The stages a paste shows when its words name none: those of the problems its pasted lines partly show (a
    lone `Got EOF on socket` fails in the handshake, whichever of the handshake's problems it is)."""
    return {stage for e in entries if e.id in evidenced and e.kind is EntryKind.PROBLEM for stage in e.stages}


@lru_cache(maxsize=64)
def _pattern(text: str) -> Any:
    return compile_pattern(text)



# (an address in Webex's SIP domain, user@example.call.ciscospark.com, is a Webex user's)
_CLOUD = (r"(?:webex|webx|wbx|spark|the app|app|cloud|control hub|webex users?|webex devices?|room ?kit|board|"
          r"[\w.+-]+@[\w.-]*\b(?:ciscospark|webex)\.com)")
_PREMISES = (r"(?:desk ?phones?|desk|ip phones?|cucm|unified cm|on-?prem\w*(?: phones?)?|our phones?|phones?|jabber|"
             r"callmanager)")
_OF = r"(?:the |a |our |my |their |his |her )?"
_TO = r"(?:\s*(?:->|→|=>|>)\s*|\s+to\s+)"   # "Webex app -> desk phone", "webex to cucm"
_CANT = r"(?:can['’]?t\s+|cannot\s+|could\s*n['’]?t\s+|are\s+unable\s+to\s+)?"
# "Webex app users can't call desk phones", "the app rings but the desk phone does not": the side that calls, and
# the side that does not ring, name the direction that fails
_CALLS = rf"(?:\s+users?|\s+clients?)?\s+{_CANT}(?:call(?:s|ing)?|dial(?:s|ing)?|reach(?:es|ing)?)\s+(?:to\s+)?{_OF}"
_NOT = r"(?:does\s+not|doesn['’]?t|do\s+not|don['’]?t|never|won['’]?t|isn['’]?t|aren['’]?t)"
_NO_RING = rf"\s+{_NOT}\s+(?:\w+\s+)?ring"
_RINGS_BUT = r"(?:\s+app)?\s+rings?,?\s+but\s+(?:the\s+|their\s+|our\s+|his\s+|her\s+)?"
# (the Control Hub SIP destination test tries the path from Webex to the Expressway-E: inbound)
# the same in Chinese, with no word boundaries (CJK characters are word characters): "从 Webex 应用打座机",
# "座机不响", "座机打给 Webex 用户"; the guide's 呼入/呼出 and the glossary's 入站/出站, 外呼
_ZH_CLOUD = r"(?:webex|应用|app|云端?|客户端)"
_ZH_PREMISES = r"(?:座机|桌面电话|话机|ip\s*电话|分机|cucm|unified\s*cm|jabber)"
_ZH_CALL = r"(?:打给|打到|打|呼叫|拨打|拨给|拨|呼到|呼)"
_ZH_NO_RING = r"(?:都|也|一直|根本|完全)?(?:不响|不振铃|没有?振铃|没响|没有响|不会响|响不了)"
_ZH_INBOUND = (rf"呼入|入站|sip\s*目标|"
               rf"{_ZH_CLOUD}[^，。；,;!?！？]{{0,12}}?{_ZH_CALL}[^，。；,;!?！？]{{0,6}}?{_ZH_PREMISES}|"
               rf"{_ZH_PREMISES}{_ZH_NO_RING}")
_ZH_OUTBOUND = (rf"呼出|外呼|出站|加入按钮|{_ZH_PREMISES}[^，。；,;!?！？]{{0,12}}?{_ZH_CALL}[^，。；,;!?！？]{{0,6}}?"
                rf"{_ZH_CLOUD}|{_ZH_CLOUD}(?:用户)?{_ZH_NO_RING}")
_INBOUND = re.compile(rf"{_ZH_INBOUND}|\binbound\b|\bsip\s+destination\b|"
                      rf"\bfrom {_OF}{_CLOUD}\b.{{0,40}}?\bto {_OF}{_PREMISES}|"
                      rf"\b(?:calls?|coming|incoming|arriving|invites?|comes?)\s+(?:down\s+|in\s+|over\s+)?from {_OF}"
                      rf"{_CLOUD}\b|"
                      rf"\b{_CLOUD}{_TO}{_OF}{_PREMISES}\b|\b{_CLOUD}{_CALLS}{_PREMISES}\b|"
                      rf"\b{_PREMISES}{_NO_RING}|\b{_CLOUD}{_RINGS_BUT}{_PREMISES}\s+{_NOT}", re.I)
_OUTBOUND = re.compile(rf"{_ZH_OUTBOUND}|\boutbound\b|\bfrom {_OF}{_PREMISES}\b.{{0,40}}?\bto {_OF}{_CLOUD}|"
                       rf"\b(?:calls?|calling|dial(?:l?ing)?|invites?)\s+(?:out\s+)?to {_OF}{_CLOUD}\b|"
                       rf"\b{_PREMISES}{_TO}{_OF}{_CLOUD}\b|\b{_PREMISES}{_CALLS}{_CLOUD}\b|"
                       rf"\b{_CLOUD}(?:\s+app)?{_NO_RING}|\bjoin\s+button\b|"   # the guide's outbound symptom
                       rf"\b{_PREMISES}{_RINGS_BUT}{_CLOUD}(?:\s+app)?\s+{_NOT}", re.I)


_BOTH_WAYS = re.compile(r"\b(?:both|either)\s+(?:ways|directions?)\b|\bin\s+and\s+out\b|"
                        r"\binbound\s+(?:and|&|/)\s*outbound\b|\boutbound\s+(?:and|&|/)\s*inbound\b|"
                        r"\bneither\s+direction\b|双向呼叫|两个方向", re.I)


# the writer does not know which direction fails: both directions' problems stay ("不确定是呼入还是呼出")
_EITHER = re.compile(r"\b(?:inbound\s+or\s+outbound|outbound\s+or\s+inbound)\b|\bwhich\s+(?:direction|way)\b|"
                     r"\b(?:coming\s+in|incoming)\s+or\s+(?:going\s+out|outgoing)\b|"
                     r"\b(?:going\s+out|outgoing)\s+or\s+(?:coming\s+in|incoming)\b|"
                     r"呼入还是呼出|呼出还是呼入|哪个方向|哪一个方向|哪边的问题", re.I)


def direction_unknown(text: str) -> bool:
    """The writer says they do not know the direction that fails ("not sure if it's inbound or outbound").

    >>> direction_unknown("5062 端口是不是被挡了？不确定是哪个方向。"), direction_unknown("inbound fails")
    (True, False)
    """
    return bool(_EITHER.search(text))


def read_direction(text: str) -> tuple[Section | None, bool]:
    """The direction a message names (direction_of), and whether, naming none, it says it does not know it."""
    direction = direction_of(text)
    return direction, direction is None and direction_unknown(text)


# a clause that says its direction works ("desk -> app works great", "outbound is fine"), unless it denies it
_CLAUSE = re.compile(r"[,;.!?]\s|\b(?:but|however|whereas|while|though|although)\b|[，。；！？]|但是|可是|不过", re.I)
_WORKS = re.compile(r"\b(?:works?|working|worked|fine|ok|okay|great|good|successful(?:ly)?|succeeds?|connects?)\b|"
                    r"正常|没问题|成功|能通|是好的",
                    re.I)
_DENIES = re.compile(r"\b(?:not|never|no longer|cannot|fails?|failing|failed|broken)\b|n['’]t\b|不|没|失败|无法", re.I)


def direction_of(text: str) -> Section | None:
    """The direction a message names: "inbound", or calls from Webex to the premises (the guide's inbound), and
    the reverse for outbound; BIDIRECTIONAL when it says both ways fail ("in either direction"); None when it names
    neither, or both and says neither works.

    >>> direction_of("calls from the webex app to our desk phones never ring"), direction_of("outbound 404")
    (<Section.INBOUND: 'inbound'>, <Section.OUTBOUND: 'outbound'>)
    >>> direction_of("app to desk phone fails, but desk phone -> app (outbound) works great")
    <Section.INBOUND: 'inbound'>
    """
    if _BOTH_WAYS.search(text):
        return Section.BIDIRECTIONAL
    inbound, outbound = bool(_INBOUND.search(text)), bool(_OUTBOUND.search(text))
    if inbound and outbound:   # usually one that works and one that fails ("app to desk works, desk to app not")
        failing = {section for clause in _CLAUSE.split(text)
                   for section, named in ((Section.INBOUND, _INBOUND), (Section.OUTBOUND, _OUTBOUND))
                   if named.search(clause) and not (_WORKS.search(clause) and not _DENIES.search(clause))}
        return failing.pop() if len(failing) == 1 else None
    return Section.INBOUND if inbound else Section.OUTBOUND if outbound else None


HEALTH_FACTS = ("healthy_handshake", "controlhub_test_ok")   # a paste that shows these shows a working part
_CALLS_NAMED = re.compile(r"\b(?:calls?|everything|it all|all)\b", re.I)


def says_calls_work(text: str) -> bool:
    """The writer says the calls work and nothing fails ("Hybrid calls work fine during the day, should I be
    worried?"): what the paste shows is then no failure's stage.

    >>> says_calls_work("Hybrid calls work fine during the day. Should I be worried?")
    True
    >>> says_calls_work("calls work fine inbound, but outbound fails"), says_calls_work("calls do not work")
    (False, False)
    """
    clauses = _CLAUSE.split(text)
    return any(_CALLS_NAMED.search(c) and _WORKS.search(c) and not _DENIES.search(c) for c in clauses) and not any(
        _DENIES.search(c) for c in clauses)

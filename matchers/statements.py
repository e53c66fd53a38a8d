"""The writer's own lines: which lines are chat (`is_prose`), and what the writer says the call is, when that is
not Webex Hybrid Call: "we don't use hybrid call", "this is a B2B partner call", "Single Number Reach rings twice",
"Webex Meetings dial-in fails".

Such a statement decides over generic symptoms (a 603, a 404, a TLS alert are the same strings in every SIP
product): the documented Hybrid Call problems do not apply, and the answer says so, naming what was said. Pasted
evidence of Hybrid Call (a Webex address in the log lines themselves) still decides over the words.

>>> stated_context(["we don't use hybrid call, this is a B2B partner call and it gets 603"])
'you said the call is not Webex Hybrid Call'
>>> stated_context(["Single Number Reach rings twice on my mobile"])
'the message is about Single Number Reach (a Unified CM mobility feature), not the Webex app'
>>> stated_context(["we run hybrid call on a pair that also carries B2B"]) is None
True
>>> stated_context(["Before you say Single Number Reach: it's not. The app shows two toasts"]) is None
True
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .model import Entry, SignalKind
from .phrases import Prose

_NOT_PROSE = re.compile(
    r"^\s*(\d+\.\d+\s+\||\*c\s|x\s*configuration|no\.\s+time\s+source|\d{4}-\d\d-\d\d|"
    r"(?:\d+:\s+|[a-z]{3}\s+\d{1,2}\s+)?\d{1,2}:\d\d:\d\d|\d+\s+[\d.]+\s+\S+\s+\S+|"
    r"\d+\s+\d{1,2}:\d\d:\d\d(?:[.,]\d+)?\s+[\w.:-]*\d[\w.:-]*\s|"   # a packet list with time of day, then an address
    r"[|]?[a-z]=|"
    r"[|]?(via|call-id|cseq|contact|from|to|route|record-route|max-forwards|user-agent|server|allow|supported|"
    r"content-type|content-length|session-expires|p-asserted-identity|remote-party-id|locus|locus-type|"
    r"warning|reason|require|x-cisco-[a-z-]+|accept|expires|event|subject|date|privacy|rseq|rack|sipmsg|"
    r"[a-z]+(?:-[a-z]+)*-(?:id|type|length|expires|agent|identity|events|language|encoding|info|to|by|route|se|tag|"
    r"version|taatag|disposition))\s*:|[|]|tcp6?\s+\d|[0-9a-f]{4}\s+[0-9a-f]{2}\s)",
    re.IGNORECASE,
)


PROSE_WORDS_PER_EQUALS = 12   # a sentence quoting `call-type=squared` twice is still a sentence


_QUOTED = re.compile(r'"[^"]*"|\S*=\S*')
MIN_CHAT_WORDS = 6   # words of its own around the quoted key="value" pairs: a sentence that quotes a log line
MAX_QUOTED_PAIRS = 4   # a sentence quotes a pair or two; a log record holds many


def is_prose(line: str) -> bool:
    """A line of chat, not of a log, SIP message, configuration or table. A sentence that quotes a few key="value"
    pairs of a log ("the E log shows Module="network.dns" Detail="Could not resolve hostname", why?") is chat.

    >>> is_prose('Event="Inbound TLS Negotiation Error" Detail="x"'), is_prose("we see a=rtpmap:18 G729/8000")
    (False, True)
    >>> is_prose('...Detail="TCP Connection Failed"'), is_prose('Detail="Could not resolve hostname" is all we see')
    (False, True)
    >>> is_prose('On outbound calls the E log shows Module="network.dns" Detail="Could not resolve hostname". Why?')
    True
    """
    if _NOT_PROSE.match(line):   # first: most lines of a log start with its timestamp
        return False
    equals = line.count("=")
    first = line.split(None, 1)[0] if line.strip() else ""
    if equals == 1 and '="' in first:   # one record pair opening the line: the tail of a wrapped or cut log line
        return len(_QUOTED.sub(" ", line).split()) >= MIN_CHAT_WORDS
    if equals >= 2 and ('="' in line or len(line.split()) < PROSE_WORDS_PER_EQUALS * equals):
        if equals > MAX_QUOTED_PAIRS or "=" in first:
            return False
        if len(_QUOTED.sub(" ", line).split()) < max(MIN_CHAT_WORDS, 2 * equals):
            return False
    return any(c.isalpha() for c in line)


_NOT = r"(?:\w+n['’]t|not|never|no\s+longer|dont|doesnt|didnt|isnt|arent)"
_HYBRID = (r"(?:(?:webex\s+)?hybrid(?:\s+call(?:ing)?(?:\s+service)?(?:\s+connect)?)?|"
           r"(?:webex\s+)?call\s+service\s+connect)")
_NOT_HYBRID = re.compile(
    rf"\b{_NOT}\s+(?:(?:use|using|have|run|running|deploy(?:ed)?|involve[sd]?|related|about|configured|"
    rf"set\s+up|part\s+of|going\s+through|through|via|even|a|an|the|any|really|actually|to|do|with)\s+){{0,3}}{_HYBRID}\b"
    r"(?!(?:\s+\w+){0,2}?\s+(?:enabled|activated|turned|licen[cs]ed|on\b|for\s+(?:this|that|the)\s+user))|"
    rf"\b{_HYBRID}\s+is\s+(?:not|n['’]?t)\s+(?:used|involved|deployed|configured|in\s+use|in\s+the\s+path)|"
    rf"\bnothing\s+to\s+do\s+with\s+{_HYBRID}\b",
    re.IGNORECASE,
)
# "isn't Hybrid Call supposed to use 5062?" asks; it does not say
_ASKED = re.compile(r"(?:is|are|does|do|was|were|should)n['’]?t\s+(?:webex\s+)?hybrid[^.!]*\?|"
                    r"(?:is|are|does|do)n['’]?t\s+(?:webex\s+)?hybrid\s+(?:call\w*\s+)?(?:supposed|meant|required)",
                    re.IGNORECASE)
# "this is a B2B partner call", "it's an MRA call", "the call is a PSTN call": the writer names the call's kind
_IS_A = (r"(?:this|it|the\s+(?:call|calls|issue|problem|failing\s+call)|these|they)\s*(?:is|are|['’]s|['’]re)\s+"
         r"(?:an?\s+|all\s+|just\s+|only\s+|purely\s+)*")
_OTHER_KIND = {
    "a business-to-business (B2B) call": r"b2b|business[\s-]to[\s-]business|partner|federat\w*",
    "a PSTN or carrier call": r"pstn|carrier|itsp|isdn",
    "a Mobile and Remote Access (MRA) call": r"mra|mobile\s+and\s+remote\s+access|jabber",
    "a Microsoft Teams call": r"(?:microsoft\s+)?teams|skype|lync|direct\s+routing",
}
_KIND_STATED = [(label, re.compile(rf"\b{_IS_A}(?:{words})\b", re.IGNORECASE)) for label, words in _OTHER_KIND.items()]
# products and features whose own names say what the call is, whatever it is called in the message
_NAMED = [
    ("the message is about Single Number Reach (a Unified CM mobility feature), not the Webex app",
     re.compile(r"\b(?:single\s+number\s+reach|snr|mobile\s+connect|mobility\s+softkey)\b", re.IGNORECASE)),
    ("the message is about dialling in to a Webex meeting (a video-address B2B call), not Hybrid Call",
     re.compile(r"\b(?:webex\s+)?meetings?\s+(?:video\s+)?dial[\s-]?in\b|\bdial(?:ling|ing)?[\s-]+in(?:to)?\s+(?:to\s+)?"
                r"(?:a|the|our|my)\s+(?:webex\s+)?meeting|\bjoin(?:ing)?\s+(?:a|the)\s+(?:webex\s+)?meeting\s+from\b|"
                r"\bvideo\s+address\s+of\s+(?:a|the)\s+meeting|\b[\w-]+\.webex\.com\s+meeting\b", re.IGNORECASE)),
    ("the message is about the certificates between Unified CM and the Expressway-C (tomcat-trust, "
     "CallManager-trust), not the mutual TLS between the Expressway-E and Webex",
     re.compile(r"\b(?:tomcat|callmanager|cucm)[\s-]trust\b|\bsip\s+trunk\s+security\s+profile\b", re.IGNORECASE)),
    ("the message is about registering the Expressway to the Webex cloud (the connector host), not about calls",
     re.compile(r"\bregist(?:er|ering|ration)\s+(?:of\s+)?(?:your\s+|the\s+|our\s+)?expressway\b(?!-e\s+certificate)|"
                r"\b(?:management\s+)?connector\s+(?:host\s+)?regist\w*|\battempt\s+at\s+registration\b",
                re.IGNORECASE)),
    ("the message is about Webex Meetings (the meeting service and its app), not Hybrid Call",
     re.compile(r"\b(?:in|from|on|with)\s+(?:the\s+)?webex\s+meetings\b|\b(?:schedul\w*|host(?:ing)?|record(?:ing)?|"
                r"start(?:ing)?)\s+(?:a\s+|the\s+|my\s+|our\s+)?(?:recurring\s+|personal\s+)?(?:webex\s+)?meetings?\b",
                re.IGNORECASE)),
    ("the message is about Microsoft Teams (Direct Routing or federation), not Webex Hybrid Call",
     re.compile(r"\b(?:microsoft\s+)?teams\s+(?:direct\s+routing|federation|sbc|calling)\b|\bdirect\s+routing\b|"
                r"pstnhub\.microsoft\.com|\bskype\s+for\s+business\b", re.IGNORECASE)),
    ("the message is about Webex Calling (Cisco's cloud calling: Local Gateway, Dedicated Instance), not Hybrid "
     "Call Service Connect",
     re.compile(r"\bwebex\s+calling\s+(?:local\s+gateway|lgw|dedicated\s+instance|multi[\s-]?tenant|cloud\s+pbx|"
                r"pstn|trunk)|\blocal\s+gateway\b|\blgw\b|\bwebex\s+calling\s*\((?:cloud|mt|multi)|"
                r"\bwe(?:['’]re|\s+are)\s+(?:on|using)\s+webex\s+calling\b(?!\s+(?:and|with)\s+hybrid)|"
                r"\bwebex\s+calling\W{1,4}(?:the\s+)?cloud\s+pbx", re.IGNORECASE)),
]


def stated_context(lines: Iterable[str]) -> str | None:
    """Why the writer's own words put the call outside Webex Hybrid Call, or None: the first line that says so, and
    on it the first kind of statement (not Hybrid, the kind of call, a product named). Each pattern runs once over
    the whole chat text (a long paste has many chat lines)."""
    text = "\n".join(lines)
    found: list[tuple[int, int, str]] = []   # (line, kind of statement, what was said)
    for said in _NOT_HYBRID.finditer(text):
        end = text.find("\n", said.start())
        if not _ASKED.match(text[said.start():end if end >= 0 else len(text)]):
            found.append((text.count("\n", 0, said.start()), 0, "you said the call is not Webex Hybrid Call"))
            break
    for rank, (what, pattern) in enumerate([*((f"you said this is {label}", p) for label, p in _KIND_STATED),
                                            *_NAMED], 1):
        m = next((m for m in pattern.finditer(text) if not _denied_after(text, m.end())), None)
        if m:
            found.append((text.count("\n", 0, m.start()), rank, what))
    return min(found)[2] if found else None


# "Before you say Single Number Reach: it's not." names the feature to rule it out
_RULED_OUT_AFTER = re.compile(r"\s*[:,;.-]*\s*(?:it|that|this)\s*(?:['’]s|\s+is)\s+not\b|\s*[:,;-]\s*(?:no|nope)\b",
                              re.IGNORECASE)


def _denied_after(text: str, end: int) -> bool:
    return bool(_RULED_OUT_AFTER.match(text, end))


_STATE_WORDS = {"on": r"on|enabled|true", "off": r"off|disabled|false"}   # not yes/no: "firewall: no RST"


_VERB = r"(?:\s+(?:is|are|was|were|set\s+to|turned|switched|stays|remains|already|still|also|now))+\s+|\s*[=:]\s*"


@lru_cache(maxsize=256)
def _switched(part: tuple[str, ...], state: str) -> re.Pattern[str]:
    """ "Preloaded SIP routes is On", "CPL is switched off", "parameter preservation On too": the part's phrase, a
    verb or "=", then the state; or the state right after the phrase when nothing follows it ("On too", "On.")."""
    names = "|".join(r"\W+".join(map(re.escape, p.split())) for p in part)
    states = _STATE_WORDS[state]
    return re.compile(rf"\b(?:{names})(?:{_VERB})(?:{states})\b|"
                      rf"\b(?:{names})\s+(?:{states})(?=\s+(?:too|as\s+well)\b|\s*[.,;)]|\s*$)", re.IGNORECASE)


def ruled_out_by_writer(entry: Entry, prose: Prose) -> int | None:
    """The line where the writer rules this problem out: one of its phrases said where the writer says that part
    works or is not the cause ("the mutual TLS option is on, it is not the temporary certificate"). A problem
    resting on words alone then does not apply; pasted evidence still decides over the words."""
    for phrase in entry.part:   # its part named as a writer names it ("the firewall", "the subject name")
        if phrase in prose.ruled_out:
            return prose.ruled_out[phrase]
    if entry.switch and entry.part:   # a setting said to be in its good state
        pattern = _switched(entry.part, entry.switch)
        for index, text in prose.lines:
            if pattern.search(text):
                return index
    for signal in entry.signals.values():
        if signal.kind is SignalKind.PHRASE and signal.weight > 0:
            for phrase in signal.phrases:
                if phrase in prose.ruled_out:
                    return prose.ruled_out[phrase]
    return None

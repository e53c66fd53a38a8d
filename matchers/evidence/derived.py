"""Facts over other facts and over the message as a whole: the chain summary, the non-Webex context, and the
facts the engine sets from the chat text (declared here so that the fact vocabulary is complete)."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..phrases import stem
from ..statements import is_prose
from .model import Extractor, Fact, FactSet
from .webex import is_webex_alias

if TYPE_CHECKING:
    from ..document import Document

NON_WEBEX_SCAN_LINES = 5000
# the words of other calls and products; prose tokens are stemmed ("cube" is read "cub"), so these are too.
# "teams" is not among them: "the voice team" stems alike, and Microsoft Teams is told apart by its own statements
_NON_WEBEX_WORDS = ("b2b", "mra", "jabber", "partner", "supplier", "pstn", "gateway", "toll", "fraud", "itsp",
                    "asterisk", "cube", "freepbx", "pjsip", "yealink", "polycom", "grandstream", "3cx", "kamailio",
                    "opensips", "freeswitch", "zoom", "sbc", "genesys", "byoc", "lync", "skype", "avaya", "livekit",
                    "twilio", "audiocodes", "sonus", "mitel", "ringcentral", "vonage")
NON_WEBEX_WORDS = frozenset(stem(w) for w in _NON_WEBEX_WORDS)
_STEM_OF = {stem(w): w for w in _NON_WEBEX_WORDS}
# programs whose own logs carry the same OpenSSL and SIP strings (a proxy's "unknown ca", a scanner's "certificate
# unknown"): named in a log line with nothing of Webex in the paste, the line is theirs, not an Expressway's
_OTHER_PRODUCT = re.compile(r"\b(opensips|kamailio|janus|asterisk|freeswitch|drachtio|rtpengine|coturn|nginx|haproxy|"
                            r"stunnel|sslscan|sslyze|testssl(?:\.sh)?|nmap|openvpn|postfix|httpd|apache2?|freepbx|"
                            r"pjsip|yealink|polycom|grandstream|3cx|sipp)\b", re.IGNORECASE)
_NON_WEBEX_PORT = re.compile(r"port\W{0,4}(5061|7001)\b|:(5061|7001)\b", re.IGNORECASE)
# a Warning header names the Expressway that answered, on its own SIP TLS port (`399 10.0.0.5:5061 "Policy
# Response"`): that is no B2B call
_WARNING_HEADER = re.compile(r"^\s*warn\w{0,4}\s*:", re.IGNORECASE)
_ALIAS = re.compile(r"with alias '([^']*)'|dst-alias\W{0,4}([^\s\"]+)|destination=\W?([^\s\"]+)", re.IGNORECASE)

# Lines that name Webex in any way: with any of them, a paste is never taken for a non-Webex one.
WEBEX_MARKER = Extractor(
    name="Webex markers",
    triggers={"webex_marker": ("webex", "spark", "wbx2", "l2sip", "callservice", "call service", "hybrid",
                               "squared", "5062", "locus", "control hub")},
    facts={
        "non_webex_context": 'B2B/MRA/PSTN-style evidence (ports 5061/7001, non-Webex called aliases, words such as '
                             'B2B, MRA, Jabber, partner, PSTN) and no Webex marker anywhere (webex, spark, wbx2, '
                             'l2sip, callservice, hybrid, squared, 5062, locus, Control Hub). Use it as an exclusion '
                             'where the same error string occurs outside Hybrid Call.',
        "cert_chain_full_only": 'every chain seen is complete (no leaf-only message anywhere): evidence against a '
                                'missing chain (value: number of certificates)',
        "asks_how": 'the message asks how/where/which/can I... (a how-to question)',
        "is_question": 'the message is a question or chat request',
    },
)


def summarise_chains(out: FactSet) -> None:
    """`cert_chain_full_only` when every chain seen is complete; recomputed after facts are added."""
    out.facts = [f for f in out.facts if f.name != "cert_chain_full_only"]
    full = out.named("cert_chain_full")
    if full and not out.named("cert_chain_leaf_only"):
        out.add(Fact("cert_chain_full_only", full[0].value, full[0].line, dict(full[0].values)))


def add_extra_facts(out: FactSet, facts: Iterable[Fact], doc: Document, kinds: Iterable[str] = ()) -> None:
    """Facts from evidence that is not text (a certificate, a packet capture). Their `line` is a line index in
    the input text, mapped here to the document's line; a text-derived fact with the same name, value and
    line is replaced by the richer one."""
    first_index: dict[int, int] = {}
    if doc.numbers is not None:
        for index, number in enumerate(doc.numbers):
            first_index.setdefault(number - 1, index)
    added = False
    for fact in facts:
        line = fact.line
        if line is not None:
            line = first_index.get(line, line) if doc.numbers is not None else line
            line = line if 0 <= line < len(doc.lines) else None
        fact = Fact(fact.name, fact.value, line, fact.values, fact.note)
        key = (fact.name, fact.value, fact.line)
        out.facts = [f for f in out.facts if (f.name, f.value, f.line) != key]
        out.add(fact)
        added = True
    out.kinds.update(kinds)
    if added:
        summarise_chains(out)


def non_webex_context(doc: Document, hits: Mapping[str, Sequence[int]], prose_tokens: set[str]) -> Fact | None:
    """The paste shows B2B/MRA/PSTN-style evidence and nothing at all that involves Webex."""
    if hits.get("webex_marker"):
        return None
    reasons = []
    head = doc.lines[:NON_WEBEX_SCAN_LINES]  # only reached for pastes with no Webex marker at all
    if any(_NON_WEBEX_PORT.search(line) and not _WARNING_HEADER.match(line) for line in head):
        reasons.append("ports 5061/7001 (B2B or MRA), not the Webex mutual TLS port 5062")
    logged = next((m.group(1) for line in head if not is_prose(line) and (m := _OTHER_PRODUCT.search(line))), None)
    words = sorted(_STEM_OF[w] for w in prose_tokens & NON_WEBEX_WORDS)
    # a program's own log line says more than a word about it; a program named only in chat, only without words
    named = logged if logged or words else next((m.group(1) for line in head if (m := _OTHER_PRODUCT.search(line))),
                                                None)
    if named:
        reasons.append(f"the log lines come from {named}, not from an Expressway")
    elif words:
        reasons.append("the message is about " + ", ".join(words))
    for line in head:
        m = _ALIAS.search(line)
        if m:
            alias = next(g for g in m.groups() if g is not None).lower()
            if ("@" in alias or re.search(r"\d{4,}", alias)) and not is_webex_alias(alias):
                reasons.append("the called alias is not a Webex address")
                break
    if not reasons:
        return None
    return Fact("non_webex_context", "", None, note="; ".join(reasons))

"""Run the evidence parsers over the lines the prefilter picked, and collect facts.

Each parser declares trigger literals (compared on the skeleton, like knowledge-base literals); only
lines holding a trigger are parsed, which keeps a 20 MB log linear and cheap.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .document import Document
from .normalize import clean_line, skeleton
from .parsers import capture, capture_text, dns, netstat, search_rules, sip
from .parsers.base import Fact
from .parsers.expressway_log import parse_record
from .parsers.xconfig import UI_LABELS, Setting, parse_settings

_OPENSSL_ALERTS = (
    ("alert unknown ca", "unknown_ca"), ("alert certificate unknown", "certificate_unknown"),
    ("alert bad certificate", "bad_certificate"), ("alert handshake failure", "handshake_failure"),
)
_DST_PORT = re.compile(r"dst-?\s*port\W{0,4}(\d{2,5})")
_PORT_AFTER_FAILED = re.compile(r"tcp connection failed\D{0,20}?\b(50\d\d)\b")

TRIGGERS: dict[str, tuple[str, ...]] = {
    "xconfig": ("xConfiguration", "TraversalServer SIP", "TraversalClient SIP", "DNS SIP", "Neighbor SIP",
                *UI_LABELS.keys()),
    "packet": ("[SYN", "[RST", "Flags [", "Deny tcp"),
    "alert": ("Alert (Level", "Description:", "alert unknown ca", "alert certificate unknown",
              "alert bad certificate", "alert handshake failure"),
    "certchain": ("Certificates Length", "Certificates (", "Certificate chain"),
    "capture_text": capture_text.TRIGGERS,
    "dns": ("_sips._tcp", "Resolved hostname", "timed out", "timed-out", "can't find", "NXDOMAIN",
            "SERVFAIL", "no servers could be reached", "DNS Lookup failed"),
    "netstat": ("LISTEN",),
    # status lines by their code's first digit: "SIP/2.0" alone is on every Via header, and would use up
    # the prefilter's lines per key on a big log long before its responses
    "sip_start": ("SIP/2.0 1", "SIP/2.0 2", "SIP/2.0 3", "SIP/2.0 4", "SIP/2.0 5", "SIP/2.0 6",
                  "INVITE sip", "BYE sip", "CANCEL sip", "ACK sip", "Response-code", "Response Code="),
    "sdp": ("m=audio",),
    "q850": ("Q.850", "cause"),
    "tcp_failed": ("TCP Connection Failed",),
    "search": ("Considering search rule",),
    "handshake": ("Handshake succeeded", "Negotiation Error", "Handshake Failed", "Failed to establish"),
    "controlhub": ("Socket test", "SSL Handshake", "Connecting to IP"),
    "firewall": ("deny", "drop", "denied", "blocked", "reset-both"),
    "webex_marker": ("webex", "spark", "wbx2", "l2sip", "callservice", "call service", "hybrid", "squared",
                     "5062", "locus", "control hub"),
}
_NON_WEBEX_PORT = re.compile(r"port\W{0,4}(5061|7001)\b|:(5061|7001)\b", re.IGNORECASE)
_ALIAS = re.compile(r"with alias '([^']*)'|dst-alias\W{0,4}([^\s\"]+)|destination=\W?([^\s\"]+)", re.IGNORECASE)
NON_WEBEX_SCAN_LINES = 5000
NON_WEBEX_WORDS = frozenset({"b2b", "mra", "jabber", "partner", "supplier", "pstn", "gateway", "toll", "fraud",
                             "trunk", "itsp", "teams", "asterisk", "cube", "freepbx", "pjsip", "yealink", "polycom",
                             "grandstream", "3cx", "kamailio", "opensips", "freeswitch", "zoom"})
TRIGGER_SKELETONS: dict[str, tuple[str, ...]] = {
    group: tuple(dict.fromkeys(skeleton(t) for t in items)) for group, items in TRIGGERS.items()
}


@dataclass
class FactSet:
    facts: list[Fact] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    sip_codes: list[tuple[int, int | None]] = field(default_factory=list)   # (code, line index)
    kinds: set[str] = field(default_factory=set)                              # evidence kinds seen

    def named(self, name: str) -> list[Fact]:
        return [f for f in self.facts if f.name == name]

    def add(self, fact: Fact) -> None:
        self.facts.append(fact)


def extract_facts(doc: Document, hits: dict[str, list[int]]) -> FactSet:
    out = FactSet()
    lines = doc.lines

    if hits.get("xconfig"):
        out.settings = parse_settings(lines, hits["xconfig"])
        if out.settings:
            out.kinds.add("xconfig")
            for fact in search_rules.xconfig_rule_facts(out.settings):
                out.add(fact)

    packets = []
    for i in hits.get("packet", []):
        p = capture.parse_packet_line(lines[i], i) or capture.firewall_denies(lines[i], i)
        if p:
            packets.append(p)
    if packets:
        out.kinds.add("capture")
        for fact in capture.tcp_facts(packets):
            out.add(fact)

    for i in hits.get("alert", []):
        name = capture.alert_name(lines[i])
        if name is None:
            low = lines[i].lower()
            for phrase, alert in _OPENSSL_ALERTS:
                if phrase in low:
                    name = alert
                    break
        if name:
            out.add(Fact("tls_alert", name, i, {"alert": name}))

    for fact in capture.certificate_chain_facts(lines, hits.get("certchain", [])):
        out.add(fact)
    _capture_text_facts(lines, hits.get("capture_text", []), out)
    summarise_chains(out)

    for i in hits.get("dns", []):
        kind = dns.srv_query_kind(lines[i])
        if kind:
            out.add(Fact("srv_query", kind, i, {"query": kind}))
        for port in dns.srv_ports(lines[i]):
            out.add(Fact("srv_port", port, i, {"port": port}))
        if dns.lookup_failed(lines[i]):
            out.add(Fact("dns_lookup_failed", "", i))
            out.kinds.add("dns")

    listening = [a for a in (netstat.listening_address(lines[i]) for i in hits.get("netstat", [])) if a]
    on_5062 = [(addr, i) for (addr, port), i in zip(listening, hits.get("netstat", []), strict=False) if port == "5062"]
    if listening:
        out.kinds.add("netstat")
    if on_5062:
        if all(netstat.is_loopback(addr) for addr, _ in on_5062):
            addresses = ", ".join(a for a, _ in on_5062)
            out.add(Fact("netstat_5062_loopback_only", "", on_5062[-1][1], {"addresses": addresses}))
        else:
            out.add(Fact("netstat_5062_external", "", on_5062[0][1]))

    _sip_facts(doc, hits, out)

    for i in hits.get("tcp_failed", []):
        record = parse_record(lines[i])
        port = record.get("dst-port", "")
        if not port.isdigit():
            cleaned = clean_line(lines[i])
            damaged = _DST_PORT.search(cleaned) or _PORT_AFTER_FAILED.search(cleaned)
            port = damaged.group(1) if damaged else ""
        out.add(Fact("tcp_connection_failed", port, i, {"port": port, "dst-ip": record.get("dst-ip", "")}))

    considered = [c for c in (search_rules.considered_rule(lines[i], i) for i in hits.get("search", [])) if c]
    for fact in search_rules.search_log_facts(considered):
        out.add(fact)

    handshake_lines = hits.get("handshake", [])
    if handshake_lines:
        sk = [doc.skeleton_line(i) for i in handshake_lines]
        ok = [i for i, s in zip(handshake_lines, sk, strict=True) if skeleton("Handshake succeeded") in s]
        if ok and len(ok) == len(handshake_lines):
            out.add(Fact("healthy_handshake", "", ok[0]))

    for i in hits.get("firewall", []):
        direction = capture.firewall_block_direction(lines[i])
        if direction:
            out.add(Fact("firewall_blocks_5062", direction, i, {"direction": direction}))
            out.kinds.add("firewall")

    rows = hits.get("controlhub", [])
    if rows:
        verdicts = [doc.skeleton_line(i) for i in rows]
        if all(skeleton("Successful") in v for v in verdicts) and len(rows) >= 2:
            out.add(Fact("controlhub_test_ok", "", rows[0]))
        out.kinds.add("controlhub")
    return out


# ---- capture text in every form (parsers/capture_text.py): wired here until the extractor registry takes it
_SUBSUMED = frozenset({"syn_answered_by_rst", "syn_unanswered", "tls_alert", "cert_chain_leaf_only",
                       "cert_chain_full"})


def _capture_text_facts(lines: list[str], hit_lines: list[int], out: FactSet) -> None:
    """Per-stream facts with senders; on the lines it read they replace the line-by-line ones above."""
    captured = capture_text.read(lines, hit_lines)
    if captured.packets:
        out.kinds.add("capture")
    if captured.lines:
        out.facts = [f for f in out.facts if f.name not in _SUBSUMED or f.line not in captured.lines]
        out.facts.extend(captured.facts)
# ---- end of capture text


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


def non_webex_context(doc: Document, hits: dict[str, list[int]], prose_tokens: set[str]) -> Fact | None:
    """The paste shows B2B/MRA/PSTN-style evidence and nothing at all that involves Webex."""
    if hits.get("webex_marker"):
        return None
    reasons = []
    head = doc.lines[:NON_WEBEX_SCAN_LINES]  # only reached for pastes with no Webex marker at all
    if any(_NON_WEBEX_PORT.search(line) for line in head):
        reasons.append("ports 5061/7001 (B2B or MRA), not the Webex mutual TLS port 5062")
    words = sorted(prose_tokens & NON_WEBEX_WORDS)
    if words:
        reasons.append("the message is about " + ", ".join(words))
    for line in head:
        m = _ALIAS.search(line)
        if m:
            alias = next(g for g in m.groups() if g is not None).lower()
            if ("@" in alias or re.search(r"\d{4,}", alias)) and not search_rules.is_webex_alias(alias):
                reasons.append("the called alias is not a Webex address")
                break
    if not reasons:
        return None
    return Fact("non_webex_context", "", None, note="; ".join(reasons))


def _sip_facts(doc: Document, hits: dict[str, list[int]], out: FactSet) -> None:
    lines = doc.lines
    starts = hits.get("sip_start", [])
    for i in starts:
        code = sip.status_code(lines[i])
        if code:
            out.sip_codes.append((code, i))
    messages = sip.parse_messages(lines, starts)
    if messages:
        out.kinds.add("sip")
    received = [m for m in messages if m.start == "INVITE" and _squared(m.contact)]
    for m in messages:
        if m.start != "INVITE" or m.direction != "sent" or _squared(m.contact):
            continue
        if not m.contact:
            continue
        for r in received:
            same_call = (not m.call_id or not r.call_id or m.call_id.strip() == r.call_id.strip()
                         or (m.request_uri and m.request_uri == r.request_uri))
            if same_call and r.first_line < m.first_line:
                contact_line = _header_line(lines, m.first_line, "contact")
                out.add(Fact("call_type_squared_stripped", "", contact_line,
                             {"received_contact": r.contact[:120], "sent_contact": m.contact[:120]}))
                break

    kept = _squared_kept(messages)
    if kept is not None and not out.named("call_type_squared_stripped"):
        out.add(Fact("call_type_squared_kept", "", _header_line(lines, kept.first_line, "contact")))

    audio_lines = hits.get("sdp", [])
    for i in audio_lines:
        media = sip.audio_media_line(lines[i])
        if not media:
            continue
        port, payloads = media
        if port == "0":
            out.add(Fact("sdp_audio_port_zero", "", i))
            continue
        codecs = {}
        for j in range(i + 1, min(len(lines), i + 20)):
            if sip.audio_media_line(lines[j]) or lines[j].lower().lstrip("|").startswith("m="):
                break
            mapped = sip.rtpmap(lines[j])
            if mapped:
                codecs[mapped[0]] = mapped[1]
        real = [p for p in payloads if p != "*" and "telephone-event" not in codecs.get(p, "")]
        names = {codecs.get(p, {"18": "g729", "0": "pcmu", "8": "pcma", "9": "g722"}.get(p, p)) for p in real}
        if names and all(n.startswith("g729") or n == "18" for n in names):
            out.add(Fact("sdp_audio_g729_only", "", i, {"payloads": " ".join(payloads)}))

    for i in hits.get("q850", []):
        cause = sip.q850_cause(lines[i])
        if cause:
            out.add(Fact("q850_cause", cause, i, {"cause": cause}))


def _squared_kept(messages: list[sip.SipMessage]) -> sip.SipMessage | None:
    """An INVITE received with call-type=squared and sent on with it: parameter preservation works."""
    received = [m for m in messages if m.start == "INVITE" and m.direction == "received" and _squared(m.contact)]
    for m in messages:
        if m.start == "INVITE" and m.direction == "sent" and _squared(m.contact):
            if any(r.first_line < m.first_line for r in received):
                return m
    return None


def _squared(contact: str) -> bool:
    return "call-type=squared" in contact.replace(" ", "").lower()


def _header_line(lines: list[str], start: int, header: str) -> int:
    for j in range(start, min(len(lines), start + 80)):
        if lines[j].strip().lstrip("|").lower().startswith(header + ":"):
            return j
    return start

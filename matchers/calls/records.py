"""What the scanners read from the evidence, before calls are built: SIP records and Expressway events."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .text import cseq_of, tag_of, uri_of

if TYPE_CHECKING:
    from .model import Element

# where a record comes from, which decides how its sender and receiver are found
EXPRESSWAY_LOG = "expressway"    # network.sip record: host, Action, Local/Src/Dst addresses
UCM_TRACE = "sdl"                # Unified CM SDL trace: Incoming/Outgoing SIP message from/to an address
WIRE = "wire"                    # a capture (pcap, tshark, Wireshark list): source and destination addresses
PASTE = "paste"                  # a bare SIP message: only its headers say who sent it


@dataclass(slots=True)
class SipRecord:
    line: int
    method: str                    # request method; "" for a response
    code: int                      # status code; 0 for a request
    phrase: str = ""
    ruri: str = ""
    source: str = PASTE
    host: str = ""                 # logging host (syslog host field, or "@<Local-ip>" when the line has none)
    action: str = ""               # "received" / "sent" as logged; "" for captures and pastes
    src_ip: str = ""
    src_port: int = 0
    dst_ip: str = ""
    dst_port: int = 0
    stamp: str = ""                # time as written
    time: float | None = None      # epoch seconds (logs, pcap) or seconds from the first frame (tshark)
    day: float | None = None       # seconds since local midnight, to order Unified CM traces among logs
    msg_hash: str = ""
    summary: bool = False          # an INFO one-line summary, not the message itself
    headers: dict[str, str] = field(default_factory=dict)
    # set while building calls
    sender: Element | None = None
    receiver: Element | None = None
    sender_name: str = ""
    receiver_name: str = ""

    @property
    def call_id(self) -> str:
        return "".join(self.headers.get("call-id", "").split())

    @property
    def cseq(self) -> tuple[int, str]:
        number, method = cseq_of(self.headers.get("cseq", ""))
        return number, method or self.method

    @property
    def from_uri(self) -> str:
        return uri_of(self.headers.get("from", ""))

    @property
    def to_uri(self) -> str:
        return uri_of(self.headers.get("to", "")) or self.ruri.lower()

    @property
    def from_tag(self) -> str:
        return self.headers.get("x-from-tag") or tag_of(self.headers.get("from", ""))

    @property
    def user_agent(self) -> str:
        return (self.headers.get("user-agent") or self.headers.get("server") or "").lower()

    @property
    def label(self) -> str:
        return self.method if self.code == 0 else f"{self.code} {self.phrase}".strip()


@dataclass(slots=True)
class EventRecord:
    line: int
    name: str                      # "Call Attempted", "Inbound TLS Negotiation Error", "TCP Connection Failed"...
    host: str = ""
    stamp: str = ""
    time: float | None = None
    day: float | None = None
    src_ip: str = ""
    src_port: int = 0
    dst_ip: str = ""
    dst_port: int = 0
    src_alias: str = ""
    dst_alias: str = ""
    serial: str = ""               # Call-serial-number: the proxy-call-id this Expressway puts in its Via
    tag: str = ""                  # call Tag: the X-TAATag header that follows the call across Expressways
    code: int = 0                  # Response-code
    reason: str = ""
    detail: str = ""


@dataclass
class Evidence:
    sip: list[SipRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)    # address -> host name, from DNS resolution lines

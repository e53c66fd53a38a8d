"""The call model: elements (the lanes of a ladder), messages (its arrows) and calls.

>>> e = Element(EXPC)
>>> str(e), str(Element(OTHER, "192.0.2.9"))
('Expressway-C', 'Phone/other 192.0.2.9')
>>> m = Message("404 Not Found", Element(EXPC), Element(EXPE), line=7, time="10:00:00.100", offset=0.004)
>>> sorted(m.as_dict())
['label', 'line', 'offset', 'reason', 'receiver', 'sender', 'time', 'warning']
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WEBEX = "Webex"
EXPE = "Expressway-E"
EXPRESSWAY = "Expressway"      # an Expressway whose side (E or C) the evidence does not tell
EXPC = "Expressway-C"
UCM = "Unified CM"
OTHER = "Phone/other"
LANE_ORDER = (WEBEX, EXPE, EXPRESSWAY, EXPC, UCM, OTHER)
INBOUND, OUTBOUND, OTHER_DIRECTION = "inbound", "outbound", "other"


@dataclass(frozen=True, order=True)
class Element:
    """One lane. Every role but Phone/other has a single lane per call; Phone/other has one per address."""

    role: str
    name: str = ""

    def __str__(self) -> str:
        return f"{self.role} {self.name}" if self.name else self.role

    @property
    def rank(self) -> int:
        return LANE_ORDER.index(self.role) if self.role in LANE_ORDER else len(LANE_ORDER)


@dataclass
class Lane:
    element: Element
    names: list[str] = field(default_factory=list)   # hosts or addresses seen in that role, first seen first

    @property
    def caption(self) -> tuple[str, str]:
        """(role, detail) for the lane's heading: 'Expressway-C', 'expc01' or 'expc01 +1'."""
        if self.element.role == OTHER and self.element.name:
            return OTHER, self.element.name
        if not self.names:
            return self.element.role, ""
        more = f" +{len(self.names) - 1}" if len(self.names) > 1 else ""
        return self.element.role, self.names[0] + more


@dataclass
class Message:
    """One arrow: a SIP message, or a TCP/TLS connection hop of an attempt that carried no SIP."""

    label: str                     # "INVITE", "404 Not Found", "TLS handshake failed"
    sender: Element
    receiver: Element
    line: int                      # index of the text line it starts on (for a capture: the frame number)
    time: str = ""                 # the time as the evidence writes it
    offset: float | None = None    # seconds after the call's first message, when the clocks allow
    warning: str = ""              # Warning header, or the TLS/TCP error detail of a connection hop
    reason: str = ""               # Reason header (e.g. "Q.850 ;cause=47")
    method: str = ""               # request method, or the CSeq method of a response
    code: int = 0                  # status code; 0 for requests and connection hops
    cseq: int = 0
    call_id: str = ""
    host: str = ""                 # the host whose log holds it; "" for pastes and captures
    kind: str = "sip"              # "sip", "tcp" or "tls"
    agent: str = ""                # User-Agent or Server header: who generated it, when a proxy passed it on
    failed: bool = False           # the hop where the call failed

    @property
    def is_request(self) -> bool:
        return self.kind == "sip" and self.code == 0

    def as_dict(self) -> dict[str, Any]:
        return {"time": self.time, "offset": self.offset, "sender": str(self.sender),
                "receiver": str(self.receiver), "label": self.label, "line": self.line,
                "warning": self.warning, "reason": self.reason}


@dataclass
class Call:
    call_id: str                         # Call-ID of the first leg ("" for an attempt that never carried SIP)
    direction: str                       # inbound (from Webex), outbound (to Webex) or other
    parties: dict[str, str]              # {"from": alias, "to": alias}, either may be ""
    messages: list[Message]
    final_response: str | None           # e.g. "404 Not Found"; None when the INVITE got no final response
    ended_at: str                        # short description of the stage where the call ended
    failed: bool
    failing: int | None = None           # index in `messages` of the failing hop
    call_ids: list[str] = field(default_factory=list)   # every leg's Call-ID, first leg first
    lanes: list[Lane] = field(default_factory=list)     # left to right: Webex, Expressway-E, -C, Unified CM, other

    @property
    def failing_message(self) -> Message | None:
        return self.messages[self.failing] if self.failing is not None else None

    def as_dict(self) -> dict[str, Any]:
        return {"call_id": self.call_id, "direction": self.direction, "parties": dict(self.parties),
                "messages": [m.as_dict() for m in self.messages], "final_response": self.final_response,
                "ended_at": self.ended_at}

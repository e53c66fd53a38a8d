"""The calls in a text or a packet capture, each as a SIP ladder: who sent what to whom, and where it failed.

Pure: lines or bytes in, `Call` objects out. `find_calls(lines)` reads Expressway diagnostic logs (one or
several Expressways, interleaved or one after the other), Unified CM SDL traces, Wireshark/tshark text and
bare SIP pastes; `calls_from_capture(data)` reads SIP in clear from a pcap or pcapng.
"""
from .build import find_calls
from .capture import calls_from_capture
from .model import (
    EXPC,
    EXPE,
    EXPRESSWAY,
    INBOUND,
    OTHER,
    OTHER_DIRECTION,
    OUTBOUND,
    UCM,
    WEBEX,
    Call,
    Element,
    Lane,
    Message,
)

__all__ = ["find_calls", "calls_from_capture", "Call", "Message", "Element", "Lane", "WEBEX", "EXPE", "EXPC",
           "EXPRESSWAY", "UCM", "OTHER", "INBOUND", "OUTBOUND", "OTHER_DIRECTION"]

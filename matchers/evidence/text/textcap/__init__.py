"""Packet captures as text (Wireshark list and details, tshark -V, tcpdump, ASA/FTD show capture), read into
one model; `matchers.parsers.capture_text` is the entry point."""

"""Names that mark Webex: its domains, its call aliases, the names Hybrid zones are given.

>>> is_webex_alias("bob@acme.call.ciscospark.com"), is_webex_alias("bob@acme.example")
(True, False)
>>> is_webex_zone("Hybrid DNS zone"), is_webex_zone("To CUCM")
(True, False)
"""
from __future__ import annotations

import re

WEBEX_DOMAINS = ("ciscospark.com", "webex.com", "wbx2.com")            # certificate names of the Webex side
WEBEX_CALL_NAMES = ("callservice.ciscospark.com", "callservice.webex.com")
WEBEX_ALIAS = re.compile(r"@[\w.-]*\.(?:call\.ciscospark\.com|calls\.webex\.com)|\.ciscospark\\?\.com|webex\\?\.com")
WEBEX_ZONE_WORDS = ("hybrid", "webex", "spark", "callservice", "call service", "cloud")


def is_webex_alias(alias: str) -> bool:
    return bool(WEBEX_ALIAS.search(alias.lower()))


def is_webex_zone(name: str) -> bool:
    lowered = name.lower()
    return any(w in lowered for w in WEBEX_ZONE_WORDS)

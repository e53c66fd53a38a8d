"""In group spaces Webex delivers only messages that mention the bot; the mention is not evidence.

>>> strip_mention("HCS Bot why 603 decline", '<p><spark-mention data-object-type="person" '
...               'data-object-id="B1">HCS Bot</spark-mention> why 603 decline</p>', "B1", "HCS Bot", "group")
'why 603 decline'
>>> strip_mention("HCS why 603", "", "B1", "HCS Bot", "group")
'why 603'
>>> strip_mention("why 603", "", "B1", "HCS Bot", "direct")
'why 603'
"""
from __future__ import annotations

import base64
import html
import re

_MENTION = re.compile(
    r"<spark-mention\b[^>]*\bdata-object-type=\"person\"[^>]*\bdata-object-id=\"([^\"]+)\"[^>]*>(.*?)</spark-mention>",
    re.IGNORECASE | re.DOTALL)


def _same_person(html_id: str, bot_id: str) -> bool:
    if html_id == bot_id:
        return True
    try:  # API ids are base64 of ciscospark://us/PEOPLE/<uuid>; clients sometimes put the bare uuid
        decoded = base64.b64decode(bot_id + "=" * (-len(bot_id) % 4)).decode("utf-8", "replace")
    except ValueError:
        return False
    return decoded.rsplit("/", 1)[-1].lower() == html_id.lower()


def strip_mention(text: str, message_html: str, bot_id: str, display_name: str, room_type: str) -> str:
    """The message text without the bot's mention(s)."""
    names = [html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
             for m in _MENTION.finditer(message_html or "") if _same_person(m.group(1), bot_id)]
    out = text
    for name in names:
        if name:
            i = out.find(name)
            if i >= 0:
                out = out[:i] + out[i + len(name):]
    if not names and room_type == "group" and display_name:
        candidates = sorted({display_name, display_name.split()[0]}, key=len, reverse=True)
        for name in candidates:
            if out.lower().lstrip().startswith(name.lower()):
                out = out.lstrip()[len(name):]
                break
    return out.strip().lstrip(",:").strip()

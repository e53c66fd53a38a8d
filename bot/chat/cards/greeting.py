"""The card the bot posts once when it is added to a space: what to paste, how to ask here, an example."""
from __future__ import annotations

from .elements import Element, adaptive_card, escape, text

EXAMPLE = "calls from Webex to our desk phones never ring"


def _mention(bot_name: str) -> str:
    return f"@{bot_name or 'the bot'}"


def greeting_card(bot_name: str) -> Element:
    mention = escape(_mention(bot_name))
    return adaptive_card([
        text("Hello! I diagnose Webex Hybrid Call Service Connect problems.", weight="Bolder", size="Medium"),
        text("Mention me with what you have from the failing call, with any file attached to that same message "
             "(in a space, Webex gives me only the messages that mention me):"),
        text("- an Expressway-C/E diagnostic log or the whole log bundle\n- SIP messages or xConfiguration "
             "lines\n- a Control Hub test result, a capture on port 5062, a certificate or a screenshot"),
        text(f"Or ask in words, for example: **{mention} {EXAMPLE}**", spacing="Medium"),
        text(f"I answer in the thread of your message. **{mention} help** lists what I read and my commands; "
             f"**{mention} topics** lists the problems I know.", subtle=True),
    ])


def greeting_markdown(bot_name: str) -> str:
    """The fallback where cards are not shown."""
    mention = _mention(bot_name)
    return (f"Hello! I diagnose Webex Hybrid Call Service Connect problems. Mention me with an Expressway log, SIP "
            f"messages, xConfiguration lines, a capture or a screenshot (attached to the same message), or ask in "
            f"words: `{mention} {EXAMPLE}`. `{mention} help` lists the rest.")

"""Markdown to HTML for the local page, with markdown-it-py's CommonMark renderer (closer to what Webex shows than
a hand-written converter). Raw HTML in the markdown is escaped, not passed through, and markdown-it's link
validation drops `javascript:` and other unsafe schemes, so pasted evidence can never inject markup.

>>> to_html("### Title\\nSee `<b>` and **bold**")
'<h3>Title</h3>\\n<p>See <code>&lt;b&gt;</code> and <strong>bold</strong></p>\\n'
>>> to_html("<script>alert(1)</script> [x](javascript:alert(1))")
'<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))</p>\\n'
"""
from __future__ import annotations

from markdown_it import MarkdownIt

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def to_html(markdown: str) -> str:
    return _MD.render(markdown)

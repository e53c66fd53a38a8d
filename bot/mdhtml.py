"""Markdown to HTML for the subset the bot's replies use, escaping everything else.

Headings (`###`), paragraphs, `- ` and `1. ` lists, `---` rules, fenced code, and inline `code`,
**bold**, _italic_, [links](https://...) and backslash escapes. Text is HTML-escaped before any tag is
added, and only http(s) links become anchors, so pasted evidence can never inject markup.

>>> to_html("### Title\\nSee `<b>` and **bold**")
'<h3>Title</h3>\\n<p>See <code>&lt;b&gt;</code> and <strong>bold</strong></p>'
>>> to_html("[doc](https://x.example/?a=1&b=2)").split(" rel=")[0]
'<p><a href="https://x.example/?a=1&amp;b=2"'
>>> to_html("<script>alert(1)</script> [x](javascript:alert(1))")
'<p>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))</p>'
"""
from __future__ import annotations

import html
import re

_ESCAPE = re.compile(r"\\([\\`*_\[\]<>#|{}()!.+-])")
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\w*])_(?!\s)(.+?)(?<!\s)_(?![\w])")
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^\s)]+)\)")
_OL = re.compile(r"^(\d{1,3})\.\s+(.*)$")
_PLACEHOLDER = "\x00{}\x00"


def _inline(text: str) -> str:
    stash: list[str] = []

    def keep(fragment: str) -> str:
        stash.append(fragment)
        return _PLACEHOLDER.format(len(stash) - 1)

    text = text.replace("\x00", "")
    text = _CODE.sub(lambda m: keep(f"<code>{html.escape(m.group(1))}</code>"), text)
    text = _ESCAPE.sub(lambda m: keep(html.escape(m.group(1))), text)
    text = html.escape(text, quote=True)
    text = _LINK.sub(lambda m: keep(f'<a href="{m.group(2)}" rel="noopener noreferrer" target="_blank">'
                                    f"{m.group(1)}</a>"), text)
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    for _ in range(3):  # links and escapes can sit inside stashed fragments once or twice
        text = re.sub("\x00(\\d+)\x00", lambda m: stash[int(m.group(1))], text)
    return text


def to_html(markdown: str) -> str:
    out: list[str] = []
    paragraph: list[str] = []
    list_kind = ""
    lines = markdown.replace("\r\n", "\n").split("\n")

    def close_paragraph() -> None:
        if paragraph:
            out.append("<p>" + "<br>\n".join(_inline(p) for p in paragraph) + "</p>")
            paragraph.clear()

    def close_list() -> None:
        nonlocal list_kind
        if list_kind:
            out.append(f"</{list_kind}>")
            list_kind = ""

    def open_list(kind: str) -> None:
        nonlocal list_kind
        if list_kind != kind:
            close_list()
            out.append(f"<{kind}>")
            list_kind = kind

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith("```"):
            close_paragraph()
            close_list()
            block: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith("```"):
                block.append(lines[i])
                i += 1
            out.append("<pre><code>" + html.escape("\n".join(block)) + "</code></pre>")
        elif not stripped:
            close_paragraph()
            close_list()
        elif stripped == "---":
            close_paragraph()
            close_list()
            out.append("<hr>")
        elif m := re.match(r"^(#{1,6})\s+(.*)$", stripped):
            close_paragraph()
            close_list()
            level = len(m.group(1))
            out.append(f"<h{level}>{_inline(m.group(2))}</h{level}>")
        elif stripped.startswith(("- ", "* ")):
            close_paragraph()
            open_list("ul")
            out.append(f"<li>{_inline(stripped[2:])}</li>")
        elif m := _OL.match(stripped):
            close_paragraph()
            open_list("ol")
            out.append(f'<li value="{int(m.group(1))}">{_inline(m.group(2))}</li>')
        else:
            close_list()
            paragraph.append(stripped)
        i += 1
    close_paragraph()
    close_list()
    return "\n".join(out)

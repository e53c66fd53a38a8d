"""A minimal valid knowledge-base entry and a writer for it, for tests of the loader's checks."""
from __future__ import annotations

import textwrap
from pathlib import Path

GOOD = """\
id: demo-entry
kind: problem
title: Demo
section: tls
summary: A demo entry.
signals:
  error_line:
    literal: Inbound TLS Negotiation Error
    weight: 0.8
condition: error_line
resolution:
  - step: Fix it.
examples:
  positive: ["Inbound TLS Negotiation Error"]
  negative: ["all fine"]
source: {title: "A Cisco document", url: "https://www.cisco.com/c/en/us/support/docs/demo.html"}
"""


def write_entry(tmp_path: Path, text: str, name: str = "demo-entry") -> Path:
    folder = tmp_path / "knowledge" / "tls"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(textwrap.dedent(text))
    return tmp_path / "knowledge"

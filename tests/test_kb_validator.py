"""The validator turns every kind of broken entry into a `file:line: message` error."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from matchers import KnowledgeBaseErrors, load_knowledge_base

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
"""


def _write(tmp_path: Path, text: str, name: str = "demo-entry") -> Path:
    folder = tmp_path / "knowledge" / "tls"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.yaml").write_text(textwrap.dedent(text))
    return tmp_path / "knowledge"


def _errors(directory: Path) -> str:
    with pytest.raises(KnowledgeBaseErrors) as info:
        load_knowledge_base(directory)
    return str(info.value)


def test_shipped_knowledge_base_is_valid_and_covers_the_catalogue(kb):
    from matchers.knowledge_base import catalogue_ids

    wanted = catalogue_ids(kb.directory)
    assert len(wanted) == 30
    assert set(wanted) <= set(kb.entries)


def test_good_entry_loads(tmp_path):
    kb = load_knowledge_base(_write(tmp_path, GOOD))
    assert kb.get("demo-entry").signals["error_line"].weight == 0.8


def test_bad_yaml_reports_file_and_line(tmp_path):
    directory = _write(tmp_path, GOOD.replace("summary: A demo entry.", "summary: [unclosed"))
    assert "knowledge/tls/demo-entry.yaml:" in _errors(directory)
    assert "invalid YAML" in _errors(directory)


def test_unknown_field_is_named_with_its_line(tmp_path):
    directory = _write(tmp_path, GOOD.replace("signals:", "sigals: {}\nsignals:"))
    assert "knowledge/tls/demo-entry.yaml:6: unknown field 'sigals'" in _errors(directory)


def test_duplicate_id_is_reported(tmp_path):
    _write(tmp_path, GOOD)
    directory = _write(tmp_path, GOOD.replace("section: tls", "section: tls"), name="demo-entry")
    other = directory / "inbound"
    other.mkdir()
    (other / "demo-entry.yaml").write_text(GOOD)
    assert "duplicate id 'demo-entry'" in _errors(directory)


def test_id_must_match_file_name(tmp_path):
    directory = _write(tmp_path, GOOD, name="other-name")
    assert "does not match the file name" in _errors(directory)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("'(?=lookahead)abc'", "look-around"),
        ("'(a)\\\\1'", "back-reference"),
        ("'([unclosed'", "does not compile in RE2"),
    ],
)
def test_patterns_must_be_linear_time_re2(tmp_path, pattern, message):
    text = GOOD.replace(
        "    literal: Inbound TLS Negotiation Error\n",
        f"    pattern: {pattern}\n    anchor: negotiation error\n",
    )
    errors = _errors(_write(tmp_path, text))
    assert message in errors
    assert "demo-entry.yaml:8:" in errors


def test_pattern_without_anchor_is_refused(tmp_path):
    text = GOOD.replace("    literal: Inbound TLS Negotiation Error\n", "    pattern: 'negotiation error'\n")
    assert "needs an 'anchor'" in _errors(_write(tmp_path, text))


def test_condition_must_name_known_signals(tmp_path):
    directory = _write(tmp_path, GOOD.replace("condition: error_line", "condition: error_line or typo_signal"))
    assert "demo-entry.yaml:10: condition names 'typo_signal'" in _errors(directory)


def test_unknown_fact_is_refused(tmp_path):
    text = GOOD.replace("    literal: Inbound TLS Negotiation Error\n", "    fact: no_such_fact\n")
    assert "unknown fact 'no_such_fact'" in _errors(_write(tmp_path, text))


def test_missing_catalogue_id_is_reported(tmp_path):
    directory = _write(tmp_path, GOOD)
    (directory / "catalogue.yaml").write_text("problems:\n  tls:\n    - {id: tls-something-missing, title: x}\n")
    assert "catalogue id 'tls-something-missing' has no knowledge-base entry" in _errors(directory)


def test_too_short_literal_is_refused(tmp_path):
    directory = _write(tmp_path, GOOD.replace("literal: Inbound TLS Negotiation Error", "literal: 'ok'"))
    assert "too short to match reliably" in _errors(directory)


def test_cli_validate_reports_problems_and_exit_code(tmp_path, capsys):
    from bot.cli import main

    directory = _write(tmp_path, GOOD.replace("signals:", "sigals: {}\nsignals:"))
    assert main(["--kb", str(directory), "kb", "validate"]) == 2
    assert "unknown field 'sigals'" in capsys.readouterr().err


def test_entries_beyond_the_guide_name_their_source(kb):
    """An entry that is not one of the guide's (catalogue) ids says which Cisco document it is written from."""
    from matchers.knowledge_base import catalogue_ids

    guide = set(catalogue_ids(kb.directory))
    missing = []
    for entry in kb:
        if entry.id in guide:
            continue
        data = yaml.safe_load((kb.directory.parent / entry.path).read_text(encoding="utf-8"))
        sources = data.get("source")
        sources = sources if isinstance(sources, list) else [sources]
        if not all(isinstance(s, dict) and s.get("title") and str(s.get("url", "")).startswith("https://")
                   for s in sources):
            missing.append(entry.id)
    assert not missing, missing
